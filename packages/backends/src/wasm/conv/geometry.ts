import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';

/** The numbers a 2-D convolution's gradient kernels need (NHWC, dilation 1). */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  padTop: number;
  padLeft: number;
  /** Depth multiplier (depthwise) or 1. */
  multiplier: number;
}

export function convGeometry(
  kernel: string,
  xShape: number[],
  filterShape: number[],
  attrs: NamedAttrMap,
  depthwise: boolean,
): ConvGeometry {
  const { strides, pad, dimRoundingMode, dilations = 1 } = attrs as unknown as tf.Conv2DAttrs;
  const dataFormat = (attrs as { dataFormat?: string }).dataFormat ?? 'NHWC';
  if (dataFormat !== 'NHWC') {
    throw new Error(
      `@face/backends: wasm ${kernel} supports dataFormat 'NHWC', got '${dataFormat}'`,
    );
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    depthwise,
  );
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    throw new Error(`@face/backends: wasm ${kernel} supports dilation 1, got ${String(dilations)}`);
  }
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    sH: info.strideHeight,
    sW: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    multiplier: depthwise ? filterShape[3] : 1,
  };
}

/**
 * Stride phases. With stride s, tap k of output o reads input o*s + k - pad; writing
 * k = q*s + a (a = k mod s) that is input (o + q)*s + (a - pad): on the phase-a grid
 * g[i] = input[i*s + a - pad] the tap is the shift o + q. So a strided correlation becomes
 * s*s stride-1 correlations, one per phase (as in the "polyphase" decomposition of
 * multirate filter banks: Vaidyanathan, Multirate Systems and Filter Banks, 1993, ch. 4).
 */
export interface PhaseGrid {
  /** Rows and columns of each phase grid: enough for every shift of every valid output. */
  rows: number;
  cols: number;
  /** Largest shift q per axis. */
  qH: number;
  qW: number;
}

/** A grid whose row-major runs of `outH * cols` elements never run past a phase plane. */
export function phaseGrid(g: ConvGeometry): PhaseGrid {
  const qH = Math.floor((g.kH - 1) / g.sH);
  const qW = Math.floor((g.kW - 1) / g.sW);
  // One extra row: a run that starts at column qW > 0 ends qW elements into the next row.
  return { qH, qW, rows: g.outH + qH + (qW > 0 ? 1 : 0), cols: g.outW + qW };
}

/** One output pixel whose window is exactly the unpadded input (a global depthwise conv, GDC). */
export const isGlobal = (g: ConvGeometry): boolean =>
  g.outH === 1 &&
  g.outW === 1 &&
  g.padTop === 0 &&
  g.padLeft === 0 &&
  g.inH === g.kH &&
  g.inW === g.kW;
