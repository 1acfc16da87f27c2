import { Rng } from '@face/core';
import type { DecodedImage } from '../image';
import { drawBrows, drawEyes } from './eyes';
import { drawBeard, drawHairBehind, drawHairOnTop } from './hair';
import type { FaceIdentity } from './identity';
import { clamp } from './math';
import { drawMouth } from './mouth';
import { drawGlasses, drawOccluder } from './occluders';
import { Painter } from './painter';
import { gauss } from './palette';
import { makeScene } from './scene';
import { drawEars, drawFaceSkin, drawNose } from './skin';
import { drawBackground, drawLightFall, drawShoulders } from './surroundings';
import type { FaceView } from './view';

/**
 * Draws one picture of `identity` seen as `view`, `size` x `size` pixels. Pure arithmetic on a
 * float buffer (no canvas), so the same arguments give the same bytes on every JavaScript engine.
 */
export function renderFace(identity: FaceIdentity, view: FaceView, size: number): DecodedImage {
  const inner = Math.max(8, Math.round(size * view.resolution));
  const painter = new Painter(inner, view.scale, view.rotation, view.shiftX, view.shiftY);
  drawScene(painter, identity, view);
  let rgb = painter.rgb;
  if (inner !== size) rgb = upsample(rgb, inner, size);
  return { data: finish(rgb, size, view), height: size, width: size };
}

/**
 * The painter's algorithm: each stage paints over the ones before it, so the order is the
 * picture's depth order, back to front. Every pixel of the synthetic set (and the demo's numbers)
 * depends on this order; change it only with the determinism fixtures.
 */
function drawScene(p: Painter, id: FaceIdentity, view: FaceView): void {
  const scene = makeScene(p, id, view);
  drawBackground(scene);
  drawHairBehind(scene);
  drawShoulders(scene);
  drawEars(scene);
  drawFaceSkin(scene);
  drawNose(scene);
  drawBeard(scene);
  drawBrows(scene);
  drawEyes(scene);
  drawMouth(scene);
  drawHairOnTop(scene);
  drawGlasses(scene);
  drawOccluder(scene);
  drawLightFall(scene);
}

/** Bilinear upscaling (half-pixel centres), so a low-resolution render reads as a soft picture. */
function upsample(src: Float32Array, from: number, to: number): Float32Array {
  const out = new Float32Array(to * to * 3);
  const ratio = from / to;
  for (let y = 0; y < to; y++) {
    const sy = clamp((y + 0.5) * ratio - 0.5, 0, from - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, from - 1);
    const fy = sy - y0;
    for (let x = 0; x < to; x++) {
      const sx = clamp((x + 0.5) * ratio - 0.5, 0, from - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, from - 1);
      const fx = sx - x0;
      for (let ch = 0; ch < 3; ch++) {
        const a = src[(y0 * from + x0) * 3 + ch];
        const b = src[(y0 * from + x1) * 3 + ch];
        const c = src[(y1 * from + x0) * 3 + ch];
        const d = src[(y1 * from + x1) * 3 + ch];
        out[(y * to + x) * 3 + ch] = (a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy;
      }
    }
  }
  return out;
}

/** Camera response: per-channel gain, contrast about mid-grey, sensor noise, 8-bit rounding. */
function finish(rgb: Float32Array, size: number, view: FaceView): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  const rng = new Rng(view.noiseSeed);
  for (let i = 0; i < out.length; i++) {
    const g = view.gain[i % 3];
    const v = (rgb[i] * g - 128) * view.contrast + 128 + view.noise * gauss(rng);
    out[i] = clamp(Math.round(v), 0, 255);
  }
  return out;
}
