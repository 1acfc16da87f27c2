// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- other packages type-check this file through their tsconfig paths and need the ambient declaration
/// <reference path="./virtual-module.d.ts" />
import * as tf from '@tensorflow/tfjs-core';
import { gradConfigs } from 'virtual:face-tfjs-gradients';
import { fastGradients } from './fast-gradients';

export interface GradientOptions {
  /**
   * Also install mathematically identical, cheaper gradients for Sum, Mean, Prelu and
   * FusedBatchNorm, replacing whatever is registered for those four (default true).
   */
  fast?: boolean;
}

export interface GradientRegistration {
  /** Kernels whose gradient this call registered. */
  registered: number;
  /** Kernels that already had one (registered earlier, or by `@tensorflow/tfjs`): left alone. */
  skipped: number;
  /** Kernels whose gradient was replaced by a faster equivalent. */
  replaced: string[];
}

const FAST = Symbol.for('@face/backends.fastGradient');

/**
 * Registers tfjs-core's gradient functions into the tfjs-core instance the app imports, so
 * `tf.grads`, `tf.variableGrads` and optimizers work with only `@tensorflow/tfjs-core` installed
 * (its Node bundle ships none). Idempotent; never replaces a gradient already registered (so it
 * coexists with `@tensorflow/tfjs`) except, with `fast`, the four listed there.
 * `useBackend` calls it.
 */
export function registerGradients(options: GradientOptions = {}): GradientRegistration {
  const { fast = true } = options;
  let registered = 0;
  let skipped = 0;
  for (const config of gradConfigs) {
    if (tf.getGradient(config.kernelName) != null) skipped++;
    else {
      tf.registerGradient(config);
      registered++;
    }
  }
  const replaced: string[] = [];
  if (fast) {
    const core = new Map(gradConfigs.map((c) => [c.kernelName, c]));
    for (const config of fastGradients((name) => core.get(name))) {
      const current = tf.getGradient(config.kernelName);
      if (current && FAST in current) continue;
      if (current) tf.unregisterGradient(config.kernelName);
      tf.registerGradient(Object.assign(config, { [FAST]: true }));
      replaced.push(config.kernelName);
    }
  }
  return { registered, skipped, replaced };
}
