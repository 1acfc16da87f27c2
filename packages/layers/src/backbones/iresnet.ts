import * as tfl from '@tensorflow/tfjs-layers';
import type { NormSpec } from '@face/norms';
import { checkInteger, checkNumber, checkOneOf, InvalidArgumentError } from '@face/core';
import { basicBlock } from '../blocks/basic-block';
import type { DropBlockSpec } from '../blocks/block-options';
import { convNormAct } from '../blocks/conv-norm-act';
import type { KernelInitializer } from '../conv/initializers';
import { embeddingHead } from '../heads/embedding-head';

/** Blocks per stage of InsightFace's IResNets (all with basic blocks). */
export const IRESNET_STAGES = {
  18: [2, 2, 2, 2],
  34: [3, 4, 6, 3],
  50: [3, 4, 14, 3],
  100: [3, 13, 30, 3],
} as const;

export type IResNetDepth = keyof typeof IRESNET_STAGES;

export interface IResNetOptions {
  /** 18, 34, 50 (default) or 100. */
  depth?: IResNetDepth;
  /** Blocks per stage, overriding `depth` (e.g. [1, 1, 1, 1] for a tiny network). */
  stages?: number[];
  /** Channel multiplier on the stem 64 and stages [64, 128, 256, 512]. Default 1. */
  width?: number;
  /** Side of the square input. Default 112; any multiple of 16 works (64 included). */
  inputSize?: number;
  /** Default 512. */
  embeddingSize?: number;
  /** Dropout before the FC of the head. Default 0 (InsightFace). */
  dropout?: number;
  /** Normalization throughout. Default 'batch'. */
  norm?: NormSpec | 'none';
  /** DropBlock on the output of every block of `stages` (1-based). Default stages [3, 4] (the paper's choice). */
  dropBlock?: (DropBlockSpec & { stages?: number[] }) | null;
  kernelInitializer?: KernelInitializer;
  /** Seed of every initializer, for a reproducible model. */
  seed?: number;
  /** Model name. Default 'iresnet'. */
  name?: string;
}

/** The side of a backbone's square input: 112 by default, a multiple of 16 (four stride-2 stages). */
export function checkInputSize(fn: string, inputSize: number | undefined): number {
  const size = checkInteger(fn, 'inputSize', inputSize ?? 112, { min: 16 });
  if (size % 16 !== 0) {
    throw new InvalidArgumentError(
      fn,
      'inputSize',
      size,
      'a multiple of 16 (four stride-2 stages)',
    );
  }
  return size;
}

export const scaleChannels = (channels: number, width: number) =>
  Math.max(1, Math.round(channels * width));

/**
 * IResNet (the ArcFace ResNet, Deng et al. 2019 / InsightFace): 3x3 stem conv (stride 1) with
 * norm and PReLU; four stages of improved basic blocks, each halving the map with its first
 * block (112 -> 7); the BN-Dropout-FC-BN embedding head. Input NHWC [N, S, S, 3] (aligned face,
 * normalized e.g. (x - 127.5) / 128), output [N, embeddingSize]. Layer names follow
 * `stem.*`, `stage<i>.<j>.*`, `head.*`.
 */
export function iresnet(options: IResNetOptions = {}): tfl.LayersModel {
  const fn = 'iresnet';
  const stages = options.stages ?? IRESNET_STAGES[checkDepth(options.depth ?? 50)];
  if (!Array.isArray(stages) || stages.length !== 4) {
    throw new InvalidArgumentError(fn, 'stages', stages, 'four block counts, one per stage');
  }
  stages.forEach((n, i) => checkInteger(fn, `stages[${i}]`, n, { min: 1 }));
  const width = checkNumber(fn, 'width', options.width ?? 1, { min: 0, exclusiveMin: true });
  const size = checkInputSize(fn, options.inputSize);
  const { norm = 'batch', kernelInitializer, seed } = options;
  const common = { norm, kernelInitializer, seed };
  const { stages: dropStages = [3, 4], ...dropBlock } = options.dropBlock ?? { p: 0, blockSize: 1 };
  const dropBlockOf = (stage: number) =>
    options.dropBlock && dropStages.includes(stage) ? dropBlock : null;
  const input = tfl.input({ shape: [size, size, 3], name: 'input' });
  let x = convNormAct(input, {
    ...common,
    name: 'stem',
    filters: scaleChannels(64, width),
    kernelSize: 3,
    padding: 1,
    activation: 'prelu',
  });
  [64, 128, 256, 512].forEach((channels, s) => {
    for (let b = 0; b < stages[s]; b++) {
      x = basicBlock(x, {
        ...common,
        name: `stage${s + 1}.${b}`,
        filters: scaleChannels(channels, width),
        strides: b === 0 ? 2 : 1,
        dropBlock: dropBlockOf(s + 1),
      });
    }
  });
  const output = embeddingHead(x, {
    embeddingSize: options.embeddingSize ?? 512,
    dropout: options.dropout,
    norm,
    kernelInitializer,
    seed,
  });
  return tfl.model({ inputs: input, outputs: output, name: options.name ?? 'iresnet' });
}

function checkDepth(depth: unknown): IResNetDepth {
  const depths = Object.keys(IRESNET_STAGES);
  return Number(checkOneOf('iresnet', 'depth', String(depth), depths)) as IResNetDepth;
}

/**
 * A tiny IResNet for CPU training and tests: one block per stage, width 0.25 (16-128 channels),
 * 64x64 input, 128-d embedding: 0.57 M parameters, 36 M multiply-accumulates per image.
 */
export function iresnetTiny(overrides: IResNetOptions = {}): tfl.LayersModel {
  return iresnet({
    stages: [1, 1, 1, 1],
    width: 0.25,
    inputSize: 64,
    embeddingSize: 128,
    name: 'iresnet_tiny',
    ...overrides,
  });
}
