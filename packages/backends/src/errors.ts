import { FaceError } from '@face/core';
import type { BackendName } from './select/platform';

/**
 * An explicitly requested backend could not be used: names the backend, why, and what to do.
 * (`useBackend('auto')` never throws it: it falls through to the next backend instead.)
 */
export class BackendUnavailableError extends FaceError {
  override name = 'BackendUnavailableError';
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
    readonly hint: string,
  ) {
    super(`useBackend: backend '${backend}' is not available: ${reason}. ${hint}`);
  }
}
