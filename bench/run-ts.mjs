// Runs a TypeScript bench script the way vitest runs tests: `@face/<name>` resolves to
// packages/<name>/src, so no build is needed. Usage: node bench/run-ts.mjs bench/<script>.ts [args]
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// esbuild comes with the build tooling (tsup); @face/backends lists it for its gradient bundle.
const require = createRequire(join(root, 'packages/backends/package.json'));
const { build } = require('esbuild');
const [script, ...args] = process.argv.slice(2);
if (!script) throw new Error('usage: node bench/run-ts.mjs bench/<script>.ts [args]');
// Under node_modules (ignored by git, eslint and prettier) so Node resolves @tensorflow/* from there.
const cache = join(root, 'node_modules', '.cache', 'face-bench');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'run-'));
const outfile = join(dir, 'bench.mjs');

// The gradient bundler is TypeScript too: bundle it first, beside its package so that its own
// imports (esbuild, tfjs-core) resolve from there.
const bundlerOut = join(root, 'packages/backends/node_modules/.cache/face-bench/bundler.mjs');
await build({
  entryPoints: [join(root, 'packages/backends/bundler/tfjs-gradients.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: bundlerOut,
  logLevel: 'warning',
});
const { tfjsGradientsEsbuildPlugin } = await import(pathToFileURL(bundlerOut).href);
const facePackages = {
  name: 'face-packages',
  setup(b) {
    b.onResolve({ filter: /^@face\/[a-z-]+$/ }, (a) => ({
      path: join(root, 'packages', a.path.slice('@face/'.length), 'src/index.ts'),
    }));
  },
};
await build({
  entryPoints: [resolve(script)],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  // tfjs packages stay external so there is one tfjs-core instance, loaded by Node.
  external: ['@tensorflow/*'],
  nodePaths: [join(root, 'packages/backends/node_modules'), join(root, 'node_modules')],
  plugins: [facePackages, tfjsGradientsEsbuildPlugin()],
  // Where the script's own files (e.g. a Python reference) are, once bundled elsewhere.
  define: { __BENCH_SOURCE_DIR__: JSON.stringify(dirname(resolve(script))) },
  logLevel: 'warning',
});
process.argv = [process.argv[0], resolve(script), ...args];
try {
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
