import { defineProject } from 'vitest/config';

// The example's tests: the page in headless Chromium (demo and parity) and the Node halves that
// compare with it. `@face/*` resolve like an app's imports, to the packages' built `dist`
// (`pnpm build` first; `pnpm test` does it). One file at a time: each drives a browser.
export default defineProject({
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
