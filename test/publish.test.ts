/**
 * Publishability: pack every public package, install each tarball alone into a scratch project
 * outside the workspace (with its peers from the registry, and its @face dependencies from their
 * tarballs), then import it from ESM and from CJS and type-check both imports with `node16`
 * resolution. The exports must be exactly those of `src/index.ts`; a subpath export `./x` (other
 * than ./package.json) must expose exactly those of `src/x.ts`. Optional peers are not installed,
 * so every door must load without them.
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
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  exports?: Record<string, unknown>;
}

/** The package's doors: '.' and each subpath export, with the source file that defines it. */
function doors(dir: string, manifest: Manifest): { specifier: string; source: string }[] {
  const subpaths = Object.keys(manifest.exports ?? { '.': null }).filter(
    (k) => k !== '.' && k !== './package.json',
  );
  return [
    { specifier: manifest.name, source: join(root, 'packages', dir, 'src', 'index.ts') },
    ...subpaths.map((k) => ({
      specifier: `${manifest.name}/${k.slice(2)}`,
      source: join(root, 'packages', dir, 'src', `${k.slice(2)}.ts`),
    })),
  ];
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

describe.each(packages.map((p) => [p.manifest.name, p] as const))(
  '%s',
  (name, { dir, manifest }) => {
    it('installs alone and exposes the same exports from ESM, CJS and its types', async () => {
      const project = join(work, name.replace('/', '__'));
      mkdirSync(project);
      const faceDeps = [...closure(name)];
      const overrides = Object.fromEntries(faceDeps.map((d) => [d, `file:${tarballs.get(d)}`]));
      const peers = Object.fromEntries(
        Object.entries(manifest.peerDependencies ?? {}).filter(
          ([peer]) => !manifest.peerDependenciesMeta?.[peer]?.optional,
        ),
      );
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({
          name: 'scratch',
          private: true,
          dependencies: { [name]: `file:${tarballs.get(name)}`, ...peers },
          overrides,
        }),
      );
      run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], project);

      const clean = (out: string) =>
        (JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[])
          .filter((k) => k !== 'default' && k !== '__esModule')
          .sort();
      const files: string[] = [];
      for (const [d, { specifier, source }] of doors(dir, manifest).entries()) {
        const expected = Object.keys(await import(/* @vite-ignore */ source)).sort();
        expect(expected.length, specifier).toBeGreaterThan(0);
        writeFileSync(
          join(project, `esm${d}.mjs`),
          `import * as m from '${specifier}';\nconsole.log(JSON.stringify(Object.keys(m)));\n`,
        );
        writeFileSync(
          join(project, `cjs${d}.cjs`),
          `console.log(JSON.stringify(Object.keys(require('${specifier}'))));\n`,
        );
        expect(clean(run('node', [`esm${d}.mjs`], project)), `${specifier} ESM exports`).toEqual(
          expected,
        );
        expect(clean(run('node', [`cjs${d}.cjs`], project)), `${specifier} CJS exports`).toEqual(
          expected,
        );

        // Types resolve through the exports map under Node's own rules, for both module systems.
        writeFileSync(
          join(project, `esm-types${d}.mts`),
          `import * as m from '${specifier}';\nexport const keys: (keyof typeof m)[] = ${JSON.stringify(expected)};\n`,
        );
        writeFileSync(
          join(project, `cjs-types${d}.cts`),
          `import m = require('${specifier}');\nexport const keys: (keyof typeof m)[] = ${JSON.stringify(expected)};\n`,
        );
        files.push(`esm-types${d}.mts`, `cjs-types${d}.cts`);
      }
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
          files,
        }),
      );
      run('node', [tsc, '-p', 'tsconfig.json'], project);
    });
  },
);
