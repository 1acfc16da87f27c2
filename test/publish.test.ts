/**
 * Publishability: pack every public package, install each tarball alone into a scratch project
 * outside the workspace (with its peers from the registry, and its @face dependencies from their
 * tarballs), then import it from ESM and from CJS and type-check both imports with `node16`
 * resolution. The exports must be exactly those of `src/index.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir,
    manifest: JSON.parse(
      readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'),
    ) as Manifest,
  }))
  .filter(({ manifest }) => !manifest.private);

const work = mkdtempSync(join(tmpdir(), 'face-publish-'));
const tarballs = new Map<string, string>();

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`,
    );
  }
}

/** The @face packages `name` needs, itself included, following dependencies. */
function closure(name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  seen.add(name);
  const pkg = packages.find((p) => p.manifest.name === name);
  if (!pkg) throw new Error(`${name} is not a public workspace package`);
  for (const dep of Object.keys(pkg.manifest.dependencies ?? {}))
    if (dep.startsWith('@face/')) closure(dep, seen);
  return seen;
}

beforeAll(() => {
  const dest = join(work, 'tarballs');
  mkdirSync(dest);
  for (const { dir, manifest } of packages) {
    const before = new Set(readdirSync(dest));
    run('pnpm', ['pack', '--pack-destination', dest], join(root, 'packages', dir));
    const made = readdirSync(dest).filter((f) => !before.has(f));
    expect(made, `pnpm pack of ${manifest.name}`).toHaveLength(1);
    tarballs.set(manifest.name, join(dest, made[0]));
  }
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(packages.map((p) => [p.manifest.name, p] as const))('%s', (name, { manifest }) => {
  it('installs alone and exposes the same exports from ESM, CJS and its types', async () => {
    const expected = Object.keys(await import(/* @vite-ignore */ name)).sort();
    expect(expected.length).toBeGreaterThan(0);

    const project = join(work, name.replace('/', '__'));
    mkdirSync(project);
    const faceDeps = [...closure(name)];
    const overrides = Object.fromEntries(faceDeps.map((d) => [d, `file:${tarballs.get(d)}`]));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'scratch',
        private: true,
        dependencies: { [name]: `file:${tarballs.get(name)}`, ...manifest.peerDependencies },
        overrides,
      }),
    );
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], project);

    writeFileSync(
      join(project, 'esm.mjs'),
      `import * as m from '${name}';\nconsole.log(JSON.stringify(Object.keys(m)));\n`,
    );
    writeFileSync(
      join(project, 'cjs.cjs'),
      `console.log(JSON.stringify(Object.keys(require('${name}'))));\n`,
    );
    const clean = (out: string) =>
      (JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[])
        .filter((k) => k !== 'default' && k !== '__esModule')
        .sort();
    expect(clean(run('node', ['esm.mjs'], project)), 'ESM exports').toEqual(expected);
    expect(clean(run('node', ['cjs.cjs'], project)), 'CJS exports').toEqual(expected);

    // Types resolve through the exports map under Node's own rules, for both module systems.
    writeFileSync(
      join(project, 'esm-types.mts'),
      `import * as m from '${name}';\nexport const keys: (keyof typeof m)[] = ${JSON.stringify(expected)};\n`,
    );
    writeFileSync(
      join(project, 'cjs-types.cts'),
      `import m = require('${name}');\nexport const keys: (keyof typeof m)[] = ${JSON.stringify(expected)};\n`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          noEmit: true,
          strict: true,
          skipLibCheck: true,
          module: 'node16',
          moduleResolution: 'node16',
          types: [],
        },
        files: ['esm-types.mts', 'cjs-types.cts'],
      }),
    );
    run('node', [tsc, '-p', 'tsconfig.json'], project);
  });
});
