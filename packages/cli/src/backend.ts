import { BACKENDS, BackendUnavailableError, useBackend, type BackendChoice } from '@face/backends';
import { UsageError } from './args';

export const BACKEND_CHOICES = ['auto', ...BACKENDS] as const;
export type { BackendChoice };

/**
 * Selects the TF.js backend through `@face/backends`' `useBackend` (the one implementation the
 * packages share): `auto` is tfjs-node when installed, otherwise wasm with our training kernels,
 * otherwise cpu. Gradients are registered either way. Prints the choice and why.
 */
export async function selectBackend(
  choice: BackendChoice,
  log: (line: string) => void,
  options: { threads?: number } = {},
): Promise<string> {
  try {
    const selection = await useBackend(choice, { threads: options.threads });
    const passed = selection.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
    log(
      `backend: ${selection.backend}${choice === 'auto' ? ' (auto)' : ''} - ${selection.reason}` +
        (passed ? ` [passed over ${passed}]` : ''),
    );
    return selection.backend;
  } catch (err) {
    if (err instanceof BackendUnavailableError) throw new UsageError(`face: ${err.message}`);
    throw err;
  }
}
