/**
 * Publishability: pack every public package, install each tarball alone into a scratch project
 * outside the workspace (with its peers from the registry, and its @face dependencies from their
 * tarballs), then import it from ESM and from CJS and type-check both imports with `node16`
 * resolution. The exports must be exactly those of `src/index.ts` (and of `src/<entry>.ts` for a
 * subpath export `./<entry>`). A package with optional peers is also installed without them and
 * must still load its main entry. Smoke scripts in `packages/<name>/test/publish/*.{mjs,cjs}` run
 * in both installs.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
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
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  license?: string;
  repository?: { type: string; url: string; directory: string };
  homepage?: string;
  engines?: { node?: string };
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

/** Writes a scratch project depending on `name` (from its tarball) plus `peers`, and installs it. */
function install(project: string, name: string, peers: Record<string, string>): void {
  mkdirSync(project);
  const faceDeps = [...closure(name)];
  const overrides = Object.fromEntries(faceDeps.map((d) => [d, `file:${tarballs.get(d)}`]));
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
}

/** Imports `specifier` from ESM and CJS in `project` and type-checks both imports. */
function checkEntry(project: string, specifier: string, expected: string[], types = true): void {
  const tag = specifier.replace(/[^a-z0-9]+/gi, '_');
  writeFileSync(
    join(project, `${tag}.esm.mjs`),
    `import * as m from '${specifier}';\nconsole.log(JSON.stringify(Object.keys(m)));\n`,
  );
  writeFileSync(
    join(project, `${tag}.cjs.cjs`),
    `console.log(JSON.stringify(Object.keys(require('${specifier}'))));\n`,
  );
  const clean = (out: string) =>
    (JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[])
      .filter((k) => k !== 'default' && k !== '__esModule')
      .sort();
  expect(clean(run('node', [`${tag}.esm.mjs`], project)), `ESM exports of ${specifier}`).toEqual(
    expected,
  );
  expect(clean(run('node', [`${tag}.cjs.cjs`], project)), `CJS exports of ${specifier}`).toEqual(
    expected,
  );
  if (!types) return;

  // Types resolve through the exports map under Node's own rules, for both module systems.
  writeFileSync(
    join(project, `${tag}.esm-types.mts`),
    `import * as m from '${specifier}';\nexport const keys: (keyof typeof m)[] = ${JSON.stringify(expected)};\n`,
  );
  writeFileSync(
    join(project, `${tag}.cjs-types.cts`),
    `import m = require('${specifier}');\nexport const keys: (keyof typeof m)[] = ${JSON.stringify(expected)};\n`,
  );
  writeFileSync(
    join(project, `${tag}.tsconfig.json`),
    JSON.stringify({
      compilerOptions: {
        noEmit: true,
        strict: true,
        skipLibCheck: true,
        module: 'node16',
        moduleResolution: 'node16',
        types: [],
      },
      files: [`${tag}.esm-types.mts`, `${tag}.cjs-types.cts`],
    }),
  );
  run('node', [tsc, '-p', `${tag}.tsconfig.json`], project);
}

/** Runs the package's own smoke scripts (`test/publish/*.mjs|cjs`), if any, in `project`. */
function runSmoke(project: string, dir: string): void {
  const smokeDir = join(root, 'packages', dir, 'test', 'publish');
  if (!existsSync(smokeDir)) return;
  for (const file of readdirSync(smokeDir).filter((f) => /\.(mjs|cjs)$/.test(f))) {
    copyFileSync(join(smokeDir, file), join(project, file));
    run('node', [file], project);
  }
}

/** Subpath exports (`"./similarity"`) besides the main entry and package.json. */
/** Subpath exports that are modules (import/require conditions), not files served as they are. */
function subpaths(manifest: Manifest): string[] {
  return Object.entries(manifest.exports ?? {})
    .filter(([k, v]) => k !== '.' && k !== './package.json' && typeof v === 'object')
    .map(([k]) => k);
}

/** Subpath exports of a plain file (e.g. @face/backends' wasm thread worker): subpath -> target. */
function fileExports(manifest: Manifest): [string, string][] {
  return Object.entries(manifest.exports ?? {}).filter(
    (e): e is [string, string] => e[0] !== './package.json' && typeof e[1] === 'string',
  );
}

describe.each(packages.map((p) => [p.manifest.name, p] as const))(
  '%s',
  (name, { dir, manifest }) => {
    it('ships its LICENSE and says where it comes from and which Node it needs', () => {
      const listing = run('tar', ['tzf', tarballs.get(name) ?? ''], root).split('\n');
      expect(listing, `files in ${name}'s tarball`).toContain('package/LICENSE');
      expect(manifest.license).toBe('MIT');
      expect(manifest.repository).toEqual({
        type: 'git',
        url: 'https://github.com/face-js/face.git',
        directory: `packages/${dir}`,
      });
      expect(manifest.homepage).toBe(
        `https://github.com/face-js/face/tree/main/packages/${dir}#readme`,
      );
      expect(manifest.engines?.node).toBe('>=20.19');
    });

    it('installs alone and exposes the same exports from ESM, CJS and its types', async () => {
      const expected = Object.keys(await import(/* @vite-ignore */ name)).sort();
      expect(expected.length).toBeGreaterThan(0);
      const project = join(work, name.replace('/', '__'));
      install(project, name, manifest.peerDependencies ?? {});
      checkEntry(project, name, expected);
      for (const sub of subpaths(manifest)) {
        const specifier = `${name}/${sub.slice(2)}`;
        const subExpected = Object.keys(await import(/* @vite-ignore */ specifier)).sort();
        expect(subExpected.length, `exports of ${specifier}`).toBeGreaterThan(0);
        checkEntry(project, specifier, subExpected);
      }
      // A file export resolves, from the user's project, to a file the tarball holds.
      for (const [sub, target] of fileExports(manifest)) {
        const resolved = createRequire(join(project, 'package.json')).resolve(
          `${name}/${sub.slice(2)}`,
        );
        expect(resolved.endsWith(target.slice(2)), `${name}/${sub.slice(2)}`).toBe(true);
        expect(existsSync(resolved)).toBe(true);
      }
      runSmoke(project, dir);
    });

    const optional = Object.keys(manifest.peerDependenciesMeta ?? {}).filter(
      (p) => manifest.peerDependenciesMeta?.[p]?.optional,
    );
    // Registered only for packages that have optional peers (no skipped tests elsewhere).
    if (optional.length === 0) return;
    it('loads its main entry without its optional peers', async () => {
      const expected = Object.keys(await import(/* @vite-ignore */ name)).sort();
      const project = join(work, `${name.replace('/', '__')}__no-optional-peers`);
      const required = Object.fromEntries(
        Object.entries(manifest.peerDependencies ?? {}).filter(([p]) => !optional.includes(p)),
      );
      install(project, name, required);
      for (const peer of optional) {
        expect(existsSync(join(project, 'node_modules', peer)), `${peer} is installed`).toBe(false);
      }
      checkEntry(project, name, expected);
      runSmoke(project, dir);
    });
  },
);
