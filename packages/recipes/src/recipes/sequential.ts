import type * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber } from '@face/core';
import { ShuffleSampler } from '@face/data';
import {
  type CheckpointInfo,
  type FitResult,
  joinPath,
  type LearningRateSchedule,
} from '@face/train';
import { batchAccuracy, classificationRecipe, recipeState, resolveHead } from './classification';
import type { ClassifierHead, HeadKind } from './heads';
import type { OptimizerSpec, ScheduleSpec } from './optimization';
import { RecipeRun, backboneEmbeddingDim, checkTrainSet, type RecipeOptions } from './run';
import { DEFAULT_BATCH_SIZE, DEFAULT_LABEL_SMOOTHING } from './defaults';

/** Settings of one phase of the sequential recipe. */
export interface PhaseOptions {
  epochs: number;
  head?: HeadKind | ClassifierHead;
  headOptions?: { scale?: number; margin?: number };
  labelSmoothing?: number;
  batchSize?: number;
  optimizer?: OptimizerSpec;
  schedule?: ScheduleSpec | LearningRateSchedule;
}

export interface SequentialRecipeOptions extends Omit<
  RecipeOptions,
  'epochs' | 'optimizer' | 'schedule'
> {
  /**
   * Phase 1, classification (linear head, label smoothing 0.1 by default). `epochs: 0` skips it
   * (a backbone trained already, e.g. a pretrained one).
   */
  classification: PhaseOptions;
  /**
   * Phase 2, the margin head on the embedding (ArcFace by default, any head of @face/losses),
   * fine-tuned with the backbone. Its optimizer defaults to phase 1's with the backbone at a tenth
   * of the rate (`backboneLrScale: 0.1`); label smoothing defaults to 0.
   */
  margin: PhaseOptions;
}

/**
 * Recipe 3, sequential: train recipe 1, then keep the backbone, put a margin head on its
 * embedding and fine-tune both. Each phase has its own run directory (`<out>/phase1`,
 * `<out>/phase2`: checkpoints and logs), so a resumed run continues in the phase it was in; the
 * final model (backbone + margin head) goes to `<out>/model`. Verification scores embeddings,
 * never identity logits.
 */
export class SequentialRun {
  readonly phase1: RecipeRun | null;
  readonly phase2: RecipeRun;

  constructor(options: SequentialRecipeOptions) {
    const fn = 'sequentialRecipe';
    const o = options ?? ({} as SequentialRecipeOptions);
    const { classification: c, margin: m, out, modelDir, ...common } = o;
    checkTrainSet(fn, o.train);
    checkInteger(fn, 'classification.epochs', c?.epochs, { min: 0 });
    checkInteger(fn, 'margin.epochs', m?.epochs, { min: 1 });
    const numClasses = checkInteger(fn, 'train.classNames.length', o.train?.classNames?.length, {
      min: 2,
    });
    const seed = o.seed ?? 0;
    const optimizer1 = c.optimizer ?? {};
    this.phase1 =
      c.epochs > 0
        ? classificationRecipe({
            ...common,
            epochs: c.epochs,
            head: c.head ?? 'linear',
            ...(c.headOptions ? { headOptions: c.headOptions } : {}),
            labelSmoothing: c.labelSmoothing ?? DEFAULT_LABEL_SMOOTHING,
            batchSize: c.batchSize ?? DEFAULT_BATCH_SIZE,
            optimizer: optimizer1,
            ...(c.schedule ? { schedule: c.schedule } : {}),
            ...(out
              ? { out: joinPath(out, 'phase1'), modelDir: joinPath(out, 'phase1', 'model') }
              : {}),
            ...(modelDir === false ? { modelDir: false } : {}),
            config: { phase: 1, ...(o.config !== undefined ? { user: o.config } : {}) },
          })
        : null;
    const embeddingDim = backboneEmbeddingDim(fn, o.backbone);
    const head = resolveHead(fn, m.head ?? 'arcface', {
      embeddingDim,
      numClasses,
      seed: seed + 1,
      ...m.headOptions,
    });
    const batchSize = checkInteger(
      fn,
      'margin.batchSize',
      m.batchSize ?? c.batchSize ?? DEFAULT_BATCH_SIZE,
      {
        min: 1,
      },
    );
    const eps = checkNumber(fn, 'margin.labelSmoothing', m.labelSmoothing ?? 0, { min: 0, max: 1 });
    const backbone = o.backbone;
    this.phase2 = new RecipeRun(
      fn,
      {
        ...common,
        epochs: m.epochs,
        optimizer: m.optimizer ?? { ...optimizer1, backboneLrScale: 0.1 },
        ...(m.schedule ? { schedule: m.schedule } : {}),
        ...(out ? { out: joinPath(out, 'phase2') } : {}),
        ...(modelDir !== undefined
          ? { modelDir }
          : out
            ? { modelDir: joinPath(out, 'model') }
            : {}),
        config: { phase: 2, ...(o.config !== undefined ? { user: o.config } : {}) },
      },
      {
        recipe: 'sequential',
        sampler: new ShuffleSampler(o.train, { batchSize, seed: seed + 1 }),
        head,
        lossFn: ({ images, labels }) => {
          const embeddings = backbone.apply(images, { training: true }) as tf.Tensor2D;
          return {
            loss: head.loss(embeddings, labels, { labelSmoothing: eps }),
            metrics: { accuracy: batchAccuracy(head.logits(embeddings), labels) },
          };
        },
        config: { head: head.toJson(), labelSmoothing: eps, batchSize },
        stateCallback: recipeState(head, null),
      },
    );
  }

  /**
   * Restores both phases from their directories (phase 2's checkpoint, if any, sets the backbone
   * last). Returns the checkpoints found (both null: nothing to resume).
   */
  async resume(): Promise<{ phase1: CheckpointInfo | null; phase2: CheckpointInfo | null }> {
    const phase1 = this.phase1 ? await this.phase1.resume() : null;
    const phase2 = await this.phase2.resume();
    return { phase1, phase2 };
  }

  /**
   * Runs what is left of phase 1, then of phase 2 (phase 2 is skipped if phase 1 stopped early,
   * or was stopped by `signal`: phase 2 is then null and `phase1.interrupted` is set).
   * Each phase refuses a directory holding another run as `RecipeRun.fit()` does; phase 2's is
   * checked before phase 1 trains.
   */
  async fit(): Promise<{ phase1: FitResult | null; phase2: FitResult | null }> {
    let phase1: FitResult | null = null;
    if (this.phase1 && this.phase2.trainer.resumedFrom === null) {
      await this.phase1.assertFresh();
      await this.phase2.assertFresh();
      phase1 = await this.phase1.fit();
      // Stopped by the signal (Ctrl-C): phase 2 waits for the resumed run.
      if (this.phase1.interrupted) return { phase1, phase2: null };
      if (phase1.stopReason && phase1.stopReason.kind !== 'early-stopping')
        return { phase1, phase2: null };
    }
    return { phase1, phase2: await this.phase2.fit() };
  }

  dispose(): void {
    this.phase1?.dispose();
    this.phase2.dispose();
  }
}

/** Recipe 3 (see {@link SequentialRun}). */
export function sequentialRecipe(options: SequentialRecipeOptions): SequentialRun {
  return new SequentialRun(options);
}
