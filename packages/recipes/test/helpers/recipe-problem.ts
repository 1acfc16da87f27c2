// The recipe runs the crash tests train in a child process and again in the test process: every
// piece is seeded, so two builds give the same batches, weights and checkpoints.
import type * as tfl from '@tensorflow/tfjs-layers';
import { jointRecipe, sequentialRecipe, type RecipeRun, type SequentialRun } from '@face/recipes';
import type { Callback, CheckpointStorage } from '@face/train';
import { tinyBackbone, tinyData } from './tiny';

export type RecipeName = 'joint' | 'sequential';

export interface RecipeProblem {
  backbone: tfl.LayersModel;
  /** The run whose trainer is checked (phase 2 for the sequential recipe). */
  runs: RecipeRun[];
  resume(): Promise<unknown>;
  fit(): Promise<unknown>;
  dispose(): void;
}

const data = tinyData({ identities: 10, unseen: 3, images: 8, pairs: 30 });

export function makeRecipeProblem(
  recipe: RecipeName,
  dir: string,
  { callbacks = [], storage }: { callbacks?: Callback[]; storage?: CheckpointStorage } = {},
): RecipeProblem {
  const backbone = tinyBackbone({ filters: [4, 8], embeddingDim: 8 });
  const common = {
    backbone,
    train: data.train,
    out: dir,
    seed: 5,
    checkpoint: { everySteps: 2, ...(storage ? { storage } : {}) },
    validation: { verification: data.pairs, classification: data.heldOut },
    callbacks,
  };
  if (recipe === 'joint') {
    const run = jointRecipe({
      ...common,
      epochs: 3,
      p: 4,
      k: 3,
      optimizer: { kind: 'adamw', lr: 3e-3 },
      schedule: { kind: 'cosine', warmupEpochs: 0.5 },
    });
    return {
      backbone,
      runs: [run],
      resume: () => run.resume(),
      fit: () => run.fit(),
      dispose: () => run.dispose(),
    };
  }
  const seq: SequentialRun = sequentialRecipe({
    ...common,
    classification: { epochs: 1, batchSize: 12, optimizer: { kind: 'sgd', lr: 0.05 } },
    margin: { epochs: 2, batchSize: 12, head: 'sphereface' },
  });
  return {
    backbone,
    runs: [seq.phase1!, seq.phase2],
    resume: () => seq.resume(),
    fit: () => seq.fit(),
    dispose: () => seq.dispose(),
  };
}

/** The bits of every trained and checkpointed variable of the runs, for exact comparisons. */
export function recipeBits(p: RecipeProblem): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const run of p.runs) {
    for (const v of [...run.trainer.variables, ...run.trainer.stateVariables]) {
      out[`${run.recipe}:${v.name}`] = Array.from(
        new Uint32Array(Float32Array.from(v.variable.dataSync()).buffer),
      );
    }
  }
  return out;
}
