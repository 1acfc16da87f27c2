// Runs the crash test's child enrolment in a separate Node process (the test kills it), bundled by
// @face/test-support's childRunner. PGlite stays out of the bundle: PGlite finds its wasm and
// pgvector's extension archive next to its own modules, which bundling would move away.
import { fileURLToPath } from 'node:url';
import { childRunner } from '@face/test-support/run-child';

export const runChild = childRunner(
  'gallery',
  fileURLToPath(new URL('.', import.meta.url)),
  'crash-child.ts',
  { external: ['@electric-sql/pglite', '@electric-sql/pglite-pgvector'] },
);
