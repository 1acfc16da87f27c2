import type { BackendInfo } from '../backend';
import type { RoundTrip } from '../demo/save';

/** WebGL or WebGPU drawn by the CPU (no usable GPU): SwiftShader, llvmpipe, "software". */
const SOFTWARE = /swiftshader|llvmpipe|software/i;

/** The page's headline, naming the backend that actually trains (not "your GPU" on wasm). */
export function headline(info: BackendInfo): string {
  const threads = `${info.threads} thread${info.threads === 1 ? '' : 's'}`;
  const gpu = info.backend === 'webgpu' ? 'WebGPU' : 'WebGL';
  const software = SOFTWARE.exec(info.renderer ?? '')?.[0];
  const where =
    info.backend === 'webgl' || info.backend === 'webgpu'
      ? software
        ? `on ${gpu} drawn in software by ${software} (no GPU)`
        : `on your GPU (${gpu})`
      : info.backend === 'wasm'
        ? `on your CPU (WebAssembly, ${threads})`
        : info.backend === 'cpu'
          ? 'on your CPU (plain JavaScript, the slow path)'
          : `on the ${info.backend} backend`;
  return `Face recognition, trained here in your browser, ${where}`;
}

/** "42 s", "3 min 05 s". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * The status line while training, with the time so far and an estimate of the time left: the
 * mean time per step so far times the steps to go (shown from the second step, since the first
 * also compiles the backend's kernels).
 */
export function trainingStatus(p: {
  /** Updates done (1 after the first). */
  step: number;
  totalSteps: number;
  loss: number;
  accuracy: number;
  seconds: number;
}): string {
  const done = p.step;
  const left =
    done >= 2 && done < p.totalSteps
      ? `, about ${duration((p.seconds / done) * (p.totalSteps - done))} left`
      : '';
  return (
    `training: step ${done} / ${p.totalSteps}, loss ${p.loss.toFixed(3)}, ` +
    `accuracy ${p.accuracy.toFixed(3)}; ${duration(p.seconds)} elapsed${left}`
  );
}

/** What the IndexedDB round trip showed, in words. */
export function roundTripWords(trip: RoundTrip): string {
  const size = `${(trip.weightBytes / 1024).toFixed(0)} KiB`;
  const weights = trip.weightsIdentical
    ? 'the same weights, bit for bit'
    : 'DIFFERENT weights (a bug: please report it)';
  const relative = trip.maxAbs > 0 ? trip.maxAbsDiff / trip.maxAbs : 0;
  const embeddings =
    trip.maxAbsDiff === 0
      ? 'the same embeddings, bit for bit'
      : `embeddings that differ by at most ${(100 * relative).toPrecision(2)} % of their largest ` +
        `value (float rounding of the ${trip.weightsIdentical ? 'same' : ''} weights on this backend)`;
  return `saved to indexeddb://face-demo (${size}) and loaded back: ${weights}, and ${embeddings}`;
}
