import type { TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvGeometry } from './geometry';
import { type WasmBackend, free, heapF32, offsetOf, zeros } from '../heap';
import { padOrCrop } from '../layout';

/** One stride phase of the input gradient: which rows/columns of dx it fills, and how. */
export interface InputPhase {
  /** Phase (a, b): dx rows h with (h + padTop) mod sH = a, columns likewise. */
  a: number;
  b: number;
  /** Taps of the phase per axis: kh = a + sH*t, t < tapsH. */
  tapsH: number;
  tapsW: number;
  /** Grid indices i0..i1 (dx row h = i*sH + a - padTop), j0..j1. */
  i0: number;
  i1: number;
  j0: number;
  j1: number;
}

const ceilDiv = (p: number, q: number) => Math.ceil(p / q);

/**
 * dx[h] = sum over (oh, kh) with oh*s + kh - pad = h of dy[oh] * w[kh]. For the rows of one
 * phase (kh = a + s*t), dx[i] = sum_t dy[i - t] * w[a + s*t]: a stride-1 correlation of dy
 * with the phase's taps reversed, padded by (taps - 1 - i0) on top. See `phaseGrid`.
 */
export function inputPhases(g: ConvGeometry): InputPhase[] {
  const phases: InputPhase[] = [];
  for (let a = 0; a < g.sH; a++) {
    for (let b = 0; b < g.sW; b++) {
      phases.push({
        a,
        b,
        tapsH: Math.max(0, ceilDiv(g.kH - a, g.sH)),
        tapsW: Math.max(0, ceilDiv(g.kW - b, g.sW)),
        i0: Math.max(0, ceilDiv(g.padTop - a, g.sH)),
        i1: Math.floor((g.inH - 1 + g.padTop - a) / g.sH),
        j0: Math.max(0, ceilDiv(g.padLeft - b, g.sW)),
        j1: Math.floor((g.inW - 1 + g.padLeft - b) / g.sW),
      });
    }
  }
  return phases;
}

/**
 * Runs `correlate(dyPadded, pads)` (a stride-1 correlation producing [N, i1-i0+1, j1-j0+1, C])
 * for every phase and interleaves the results into dx [N, H, W, C]. Negative paddings are
 * applied as crops of dy first, so `correlate` always gets pads >= 0.
 */
export function assembleInputGradient(
  backend: WasmBackend,
  dy: TensorInfo,
  g: ConvGeometry,
  channels: number,
  correlate: (
    dy: TensorInfo,
    phase: InputPhase,
    pad: [[number, number], [number, number], [number, number], [number, number]],
  ) => TensorInfo,
): TensorInfo {
  const { batch, inH, inW, outH, outW, sH, sW, padTop, padLeft } = g;
  const single = sH === 1 && sW === 1;
  let dx: TensorInfo | undefined;
  // Rows and columns no tap reaches (a 1x1 filter with stride 2, say) keep their zero.
  if (!single) dx = zeros(backend, [batch, inH, inW, channels]);
  for (const p of inputPhases(g)) {
    const rows = p.i1 - p.i0 + 1;
    const cols = p.j1 - p.j0 + 1;
    if (p.tapsH === 0 || p.tapsW === 0 || rows <= 0 || cols <= 0) continue;
    const top = p.tapsH - 1 - p.i0;
    const left = p.tapsW - 1 - p.j0;
    const bottom = rows + p.tapsH - 1 - outH - top;
    const right = cols + p.tapsW - 1 - outW - left;
    const cut = top < 0 || bottom < 0 || left < 0 || right < 0;
    const src = cut
      ? padOrCrop(
          backend,
          dy,
          Math.min(top, 0),
          Math.min(bottom, 0),
          Math.min(left, 0),
          Math.min(right, 0),
        )
      : dy;
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [Math.max(top, 0), Math.max(bottom, 0)],
      [Math.max(left, 0), Math.max(right, 0)],
      [0, 0],
    ];
    const out = correlate(src, p, pad);
    if (cut) free(backend, src);
    if (single) return out; // stride 1: the one phase is dx itself (rows i0.. map to h = 0..)
    const heap = heapF32(backend);
    const outAt = offsetOf(backend, out);
    const dxAt = offsetOf(backend, dx!);
    for (let n = 0; n < batch; n++) {
      for (let i = p.i0; i <= p.i1; i++) {
        const h = i * sH + p.a - padTop;
        for (let j = p.j0; j <= p.j1; j++) {
          const w = j * sW + p.b - padLeft;
          const s = outAt + ((n * rows + i - p.i0) * cols + j - p.j0) * channels;
          heap.copyWithin(dxAt + ((n * inH + h) * inW + w) * channels, s, s + channels);
        }
      }
    }
    free(backend, out);
  }
  return dx ?? zeros(backend, [batch, inH, inW, channels]);
}
