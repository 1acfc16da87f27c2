import { initializers, layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { norm, type NormSpec } from '@face/norms';
import { checkOneOf, ShapeError } from '@face/core';
import type { KernelInitializer } from '../conv/initializers';
import { DropBlock2D } from '../regularization/drop-block-2d';

export type ActivationKind = 'relu' | 'relu6' | 'prelu' | 'linear';
export const ACTIVATION_KINDS: readonly ActivationKind[] = ['relu', 'relu6', 'prelu', 'linear'];

/** DropBlock settings of a block (see `DropBlock2D`). */
export interface DropBlockSpec {
  p: number;
  blockSize: number;
  scheduleSteps?: number;
  seed?: number;
}

/** What every block takes. */
export interface BlockOptions {
  /** Prefix of the block's layer names (`<name>.conv1`, ...), unique within the model. */
  name: string;
  /** Normalization after each convolution: a `@face/norms` spec, or 'none'. Default 'batch'. */
  norm?: NormSpec | 'none';
  /** DropBlock on the block's output (training only). Default none. */
  dropBlock?: DropBlockSpec | null;
  /** Kernel initializer of the block's convolutions. Default 'heNormal'. */
  kernelInitializer?: KernelInitializer;
  /** Base seed: each convolution's initializer is seeded from it and its layer name. */
  seed?: number;
}

export const applyLayer = (layer: layers.Layer, x: SymbolicTensor | SymbolicTensor[]) =>
  layer.apply(x) as SymbolicTensor;

/** Channels of an NHWC symbolic tensor. */
export function channelsOf(fn: string, x: SymbolicTensor): number {
  const c = x.shape[3];
  if (x.shape.length !== 4 || c == null) {
    throw new ShapeError(
      fn,
      'x',
      x.shape.map((d) => d ?? -1),
      'rank 4 (batch, height, width, channels)',
    );
  }
  return c;
}

/** A norm layer named `name`, or none. */
export function normLayer(spec: NormSpec | 'none' | undefined, name: string): layers.Layer | null {
  return spec === 'none' ? null : norm(spec ?? 'batch', { name });
}

/** An activation layer named `name`, or none for 'linear'. PReLU is per channel, alpha 0.25 (PyTorch). */
export function activationLayer(kind: ActivationKind, name: string): layers.Layer | null {
  checkOneOf('activation', 'kind', kind, ACTIVATION_KINDS);
  switch (kind) {
    case 'relu':
      return layers.reLU({ name });
    case 'relu6':
      return layers.reLU({ maxValue: 6, name });
    case 'prelu':
      return layers.prelu({
        sharedAxes: [1, 2],
        alphaInitializer: initializers.constant({ value: 0.25 }),
        name,
      });
    case 'linear':
      return null;
  }
}

/** Applies the optional layers in order, skipping nulls. */
export function chain(x: SymbolicTensor, ...stages: (layers.Layer | null)[]): SymbolicTensor {
  return stages.reduce((y, layer) => (layer ? applyLayer(layer, y) : y), x);
}

export function dropBlockLayer(
  spec: DropBlockSpec | null | undefined,
  name: string,
): layers.Layer | null {
  return spec ? new DropBlock2D({ ...spec, name }) : null;
}

/** A per-layer seed from the block's base seed and the layer's name (FNV-1a of the name). */
export function layerSeed(seed: number | undefined, name: string): number | undefined {
  if (seed === undefined) return undefined;
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return ((seed + h) >>> 0) % 2 ** 31;
}

/** The options a block hands down to its convolutions and norms (never its shape options). */
export function inherited(options: BlockOptions): Omit<BlockOptions, 'name' | 'dropBlock'> {
  const { norm, kernelInitializer, seed } = options;
  return { norm, kernelInitializer, seed };
}
