// Runs a TypeScript script of this package from source: bundles it with esbuild (workspace
// packages resolved to their src, npm packages left external) into a temp file beside this
// package's node_modules (so its dependencies resolve), imports it, and removes it.
// Usage: node scripts/run-ts.mjs scripts/<name>.ts [args...]
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const packagesDir = resolve(here, '../..');
const [entry, ...args] = process.argv.slice(2);
const outfile = join(here, '..', `.run-${process.pid}.mjs`);
try {
  await build({
    entryPoints: [resolve(entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
    packages: 'external',
    plugins: [
      {
        name: 'face-src',
        setup(b) {
          b.onResolve({ filter: /^@face\/[a-z-]+(\/[a-z-]+)?$/ }, ({ path }) => {
            const [, name, sub] = /^@face\/([a-z-]+)(?:\/([a-z-]+))?$/.exec(path);
            return { path: join(packagesDir, name, 'src', `${sub ?? 'index'}.ts`) };
          });
        },
      },
    ],
  });
  process.argv = [process.argv[0], entry, ...args];
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(outfile, { force: true });
}
