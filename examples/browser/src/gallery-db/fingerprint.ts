import type * as tfl from '@tensorflow/tfjs-layers';
import type { GalleryModel } from '@face/gallery';

/**
 * What a gallery stores about the model whose embeddings it holds: a SHA-256 of the backbone's
 * weights (each weight's shape, then its float32 bytes: the scheme of `face gallery`) and the
 * embedding size. A model reloaded from IndexedDB with bit-identical weights gets the same one.
 */
export async function galleryModelOf(backbone: tfl.LayersModel): Promise<GalleryModel> {
  const parts: Uint8Array[] = [];
  const encoder = new TextEncoder();
  for (const w of backbone.getWeights()) {
    parts.push(encoder.encode(w.shape.join('x')));
    const data = (await w.data()) as Float32Array;
    parts.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  const shape = backbone.outputs[0].shape;
  return { fingerprint: `sha256:${hex}`, dim: shape[shape.length - 1] as number };
}
