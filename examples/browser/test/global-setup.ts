// Builds the page with Vite, as a user would (`@face/*` from the packages' dist), and serves it
// with `vite preview` on a free port for the test files (`inject('baseUrl')`).
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));
/** The repository's ignored output folder. */
export const outDir = fileURLToPath(new URL('../../../out/example-browser/', import.meta.url));

export default async function setup(project: TestProject) {
  const dist = `${outDir}dist`;
  rmSync(dist, { recursive: true, force: true });
  await build({ root, logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
  const server = await preview({
    root,
    logLevel: 'warn',
    build: { outDir: dist },
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('baseUrl', url);
  return async () => {
    await server.close();
  };
}
