import { checkInteger } from '@face/core';
import type { GalleryModel } from './context';

/** `sha256:<hex>` of `bytes`, with the Web Crypto API Node >= 20 and browsers both have. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** One weight of a model: its shape and its float32 values. */
export interface ModelWeight {
  shape: readonly number[];
  data: Float32Array;
}

/**
 * What a gallery records of a model computed from its weights: a SHA-256 over each weight's shape
 * (`AxB`, UTF-8) then its float32 bytes, in order (a retrained model of the same architecture is
 * another model; one reloaded bit for bit is the same), and its embedding size `dim`. The one
 * scheme of `face gallery` and the browser example, so galleries they write agree.
 */
export async function modelFingerprint(
  weights: readonly ModelWeight[],
  dim: number,
): Promise<GalleryModel> {
  checkInteger('modelFingerprint', 'dim', dim, { min: 1 });
  const encoder = new TextEncoder();
  const parts = weights.flatMap((w) => [
    encoder.encode(w.shape.join('x')),
    new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength),
  ]);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return { fingerprint: await sha256Hex(all), dim };
}
