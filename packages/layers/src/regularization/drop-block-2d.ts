import * as tf from '@tensorflow/tfjs-core';
import { layers, type LayersModel, type Shape } from '@tensorflow/tfjs-layers';
import {
  checkInteger,
  checkNumber,
  InvalidArgumentError,
  type JsonValue,
  Rng,
  type RngState,
  type Stateful,
} from '@face/core';
import { type BaseLayerArgs, isTraining, singleInput } from '@face/norms';
import { dropBlock2d, dropBlockSchedule } from './drop-block';

export interface DropBlock2DArgs extends BaseLayerArgs {
  /** Target drop probability. */
  p: number;
  /** Odd block size; clipped to the feature map. */
  blockSize: number;
  /** Default 1e-6 (torchvision). */
  eps?: number;
  /**
   * Training steps over which p rises linearly from 0 (the DropBlock paper's schedule);
   * 0 (default) applies p from the first step.
   */
  scheduleSteps?: number;
  /** Seed of the mask generator. Default: drawn from Math.random. */
  seed?: number | null;
}

/** What a DropBlock2D layer checkpoints: its schedule step and its mask generator. */
export type DropBlock2DState = { step: number; rng: RngState };

/**
 * DropBlock as a layer ({@link dropBlock2d}): drops blocks when called with
 * `{ training: true }`, identity otherwise. Each training call advances `step`, which drives the
 * linear schedule of p; `rng` is the mask generator. Both live outside the model's weights, so the
 * layer is {@link Stateful}: a checkpoint stores `getState()` and a resumed run draws the same masks.
 */
export class DropBlock2D extends layers.Layer implements Stateful {
  static className = 'DropBlock2D';
  readonly p: number;
  readonly blockSize: number;
  readonly eps: number;
  readonly scheduleSteps: number;
  readonly seed: number | null;
  readonly rng: Rng;
  /** Training calls so far (or as set for a resumed run). */
  step = 0;

  constructor(args: DropBlock2DArgs) {
    super(args);
    const fn = 'DropBlock2D';
    this.p = checkNumber(fn, 'p', args?.p, { min: 0, max: 1 });
    this.blockSize = checkInteger(fn, 'blockSize', args.blockSize, { min: 1 });
    if (this.blockSize % 2 === 0) {
      throw new InvalidArgumentError(fn, 'blockSize', this.blockSize, 'an odd integer');
    }
    this.eps = checkNumber(fn, 'eps', args.eps ?? 1e-6, { min: 0 });
    this.scheduleSteps = checkInteger(fn, 'scheduleSteps', args.scheduleSteps ?? 0, { min: 0 });
    this.seed = args.seed == null ? null : checkInteger(fn, 'seed', args.seed);
    this.rng = new Rng(this.seed ?? randomSeed());
  }

  /** The drop probability the next training call uses. */
  currentP(): number {
    return dropBlockSchedule(this.p, this.step, this.scheduleSteps);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = singleInput('DropBlock2D', inputs) as tf.Tensor4D;
    if (!isTraining(kwargs)) return x;
    const p = this.currentP();
    this.step += 1;
    return dropBlock2d(x, { p, blockSize: this.blockSize, eps: this.eps, rng: this.rng });
  }

  getState(): DropBlock2DState {
    return { step: this.step, rng: this.rng.state() };
  }

  setState(state: JsonValue): void {
    const fn = `DropBlock2D(${this.name}).setState`;
    if (state === null || typeof state !== 'object' || Array.isArray(state))
      throw new InvalidArgumentError(fn, 'state', state, '{ step, rng }');
    const step = checkInteger(fn, 'state.step', state.step, { min: 0 });
    // Rng.setState validates the words and names what it expected.
    this.rng.setState(state.rng as RngState);
    this.step = step;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      p: this.p,
      blockSize: this.blockSize,
      eps: this.eps,
      scheduleSteps: this.scheduleSteps,
      seed: this.seed,
    };
  }
}
tf.serialization.registerClass(DropBlock2D);

/** Sets the schedule step of every DropBlock2D layer in a model (e.g. when resuming training). */
export function setDropBlockStep(model: LayersModel, step: number): void {
  checkInteger('setDropBlockStep', 'step', step, { min: 0 });
  for (const layer of model.layers) if (layer instanceof DropBlock2D) layer.step = step;
}

function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
