import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const packages = fileURLToPath(new URL('../../packages/', import.meta.url));

// The example's tests: the page in headless Chromium (demo and parity) and the Node halves that
// compare with it. `@face/*` resolve like an app's imports, to the packages' built `dist` (what
// their `exports` name; `pnpm build` first, which `pnpm test` does). The alias says so explicitly
// for @face/test-support, whose setup imports @face/backends without declaring it. One file at a
// time: each drives a browser.
export default defineProject({
  resolve: {
    alias: [
      { find: /^@face\/test-support$/, replacement: `${packages}test-support/src/index.ts` },
      {
        find: /^@face\/test-support\/chromium$/,
        replacement: `${packages}test-support/src/chromium.ts`,
      },
      { find: /^@face\/([a-z-]+)$/, replacement: `${packages}$1/dist/index.js` },
      { find: /^@face\/([a-z-]+)\/([a-z-]+)$/, replacement: `${packages}$1/dist/$2.js` },
    ],
  },
  test: {
    name: 'example-browser',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../packages/test-support/src/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
