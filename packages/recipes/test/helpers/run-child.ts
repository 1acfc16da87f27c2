import { fileURLToPath } from 'node:url';
import { childRunner } from '@face/test-support/run-child';

/** Runs a child entry of test/helpers (crash-child.ts or recipe-child.ts) in a separate process. */
export const runChild = childRunner('recipes', fileURLToPath(new URL('.', import.meta.url)));
