import { FaceError } from './errors';

/**
 * TF.js is not set up for what was asked: no backend, a kernel the backend lacks (tfjs-backend-wasm
 * 4.22 has no `Conv2DBackpropFilter`, so a convolution cannot train on it alone), or a gradient
 * tfjs-core's Node bundle does not register. The message names the package that fixes it.
 */
export class BackendSetupError extends FaceError {
  override name = 'BackendSetupError';
  constructor(
    message: string,
    /** The missing kernel or gradient, when that was the problem. */
    readonly kernel: string | null,
    /** The backend that lacked it, when known. */
    readonly backend: string | null,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

const FIX =
  "install @face/backends and start with `await useBackend('auto')` (from @face/backends), which " +
  "registers tfjs-core's gradients and the training kernels the wasm backend lacks";

/**
 * Turns TF.js's set-up errors, thrown from deep inside an op, into a {@link BackendSetupError}
 * that says what `where` (e.g. "Trainer: a training step") needed and which package to install;
 * any other error is returned as it is. TF.js's own messages are matched, since it throws plain
 * `Error`s: "Kernel 'X' not registered for backend 'Y'", "No backend found in registry.",
 * "Cannot compute gradient: gradient function not found for X."
 */
export function explainTfjsError(err: unknown, where: string): unknown {
  if (!(err instanceof Error) || err instanceof FaceError) return err;
  const kernel = /Kernel '([^']+)' not registered for backend '([^']+)'/.exec(err.message);
  if (kernel)
    return new BackendSetupError(
      `${where} needs the TF.js kernel '${kernel[1]}', which backend '${kernel[2]}' does not ` +
        `have: ${FIX}`,
      kernel[1],
      kernel[2],
      err,
    );
  const gradient = /gradient function not found for (\w+)/.exec(err.message);
  if (gradient)
    return new BackendSetupError(
      `${where} needs the gradient of '${gradient[1]}', which is not registered: ${FIX}`,
      gradient[1],
      null,
      err,
    );
  if (/No backend found in registry/.test(err.message))
    return new BackendSetupError(
      `${where} found no TF.js backend: ${FIX} (or import a backend package yourself)`,
      null,
      null,
      err,
    );
  return err;
}
