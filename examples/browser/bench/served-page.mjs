// The built example served by `vite preview` and the system's headless Chromium, for the bench
// drivers (bench/backends.mjs, ../../bench/align-browser.mjs). The flags are those of
// packages/test-support/src/chromium.ts (TypeScript, which Node 20 cannot import): keep them equal.
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Builds the example at `root` into `dist`, serves it on 127.0.0.1 and launches Chromium. */
export async function servedPage(root, dist) {
  await build({ root, logLevel: 'error', build: { outDir: dist, emptyOutDir: true } });
  const server = await preview({
    root,
    logLevel: 'error',
    build: { outDir: dist },
    preview: { port: 0, host: '127.0.0.1' },
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  return { server, browser };
}
