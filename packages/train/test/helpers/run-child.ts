import { fileURLToPath } from 'node:url';
import { childRunner } from '@face/test-support/run-child';

/** Runs a child entry of test/helpers (child-main.ts by default) in a separate Node process. */
export const runChild = childRunner(
  'train',
  fileURLToPath(new URL('.', import.meta.url)),
  'child-main.ts',
);
