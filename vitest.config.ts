import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { tfjsGradientsVitePlugin } from './packages/backends/bundler/tfjs-gradients';

const root = fileURLToPath(new URL('.', import.meta.url));
const packagesDir = `${root}packages`;

// Tests import `@face/<name>` from source, so no build is needed to test.
const alias = [
  {
    find: /^@face\/([a-z-]+)$/,
    replacement: `${packagesDir}/$1/src/index.ts`,
  },
  // A subpath export `@face/<name>/<entry>` is built from `src/<entry>.ts`.
  {
    find: /^@face\/([a-z-]+)\/([a-z-]+)$/,
    replacement: `${packagesDir}/$1/src/$2.ts`,
  },
];

const packages = readdirSync(packagesDir).filter((name) =>
  existsSync(`${packagesDir}/${name}/test`),
);

const unit: TestProjectInlineConfiguration[] = packages.map((name) => ({
  resolve: { alias },
  // @face/backends imports tfjs-core's gradients through a virtual module its build also serves.
  plugins: [tfjsGradientsVitePlugin()],
  test: {
    name,
    root: `${packagesDir}/${name}`,
    include: ['test/**/*.test.ts'],
    setupFiles: [`${packagesDir}/test-support/src/setup.ts`],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
}));

export default defineConfig({
  test: {
    projects: [
      ...unit,
      // The browser example: its page in headless Chromium, parity across backends.
      'examples/browser/vitest.config.ts',
      {
        // The example programs, run at a tiny size against the packages' sources.
        resolve: { alias },
        plugins: [tfjsGradientsVitePlugin()],
        test: {
          name: 'examples',
          root: `${root}examples`,
          include: ['*/test/**/*.test.mjs'],
          setupFiles: [`${packagesDir}/test-support/src/setup.ts`],
          testTimeout: 120_000,
        },
      },
      {
        // Every ts/js block of the package READMEs, type-checked and run verbatim
        // (test/readme-snippets.test.ts). Forks, so a block runs in its own working directory.
        resolve: { alias },
        plugins: [tfjsGradientsVitePlugin()],
        test: {
          name: 'readme',
          root: `${root}test`,
          include: ['readme-snippets.test.ts'],
          pool: 'forks',
          testTimeout: 120_000,
        },
      },
      {
        // Packs every package, installs the tarballs in a scratch project and imports them
        // from ESM and CJS: what a user meets after `npm install @face/<name>`. Needs `pnpm build`.
        resolve: { alias },
        plugins: [tfjsGradientsVitePlugin()],
        test: {
          name: 'publish',
          root: `${root}test`,
          include: ['publish.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
