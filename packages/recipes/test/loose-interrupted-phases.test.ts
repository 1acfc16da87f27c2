// A two-phase recipe stopped by its signal (Ctrl-C) in its first phase does not start the second:
// the second phase's folder stays empty, and `--resume` continues the first phase.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Callback } from '@face/train';
import { fineTuneRecipe, sequentialRecipe } from '@face/recipes';
import { tinyBackbone, tinyData } from './helpers/tiny';

const root = mkdtempSync(join(tmpdir(), 'loose-interrupted-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const data = tinyData({ identities: 6, unseen: 2, images: 4, pairs: 4 });

/** Aborts `controller` after the first phase's 2nd update (the callback runs in every phase). */
function ctrlC(controller: AbortController): Callback {
  return { name: 'ctrl-c', onBatchEnd: (logs) => void (logs.step === 2 && controller.abort()) };
}

const files = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

describe('an interrupted first phase', () => {
  it('sequentialRecipe: phase 2 does not start', async () => {
    const controller = new AbortController();
    const backbone = tinyBackbone({ filters: [4] });
    const out = join(root, 'seq');
    const run = sequentialRecipe({
      backbone,
      train: data.train,
      classification: { epochs: 2, batchSize: 4 },
      margin: { epochs: 1, batchSize: 4 },
      out,
      signal: controller.signal,
      callbacks: [ctrlC(controller)],
    });
    const { phase1, phase2 } = await run.fit();
    expect(run.phase1!.interrupted).toBe(true);
    expect(phase1!.step).toBe(2);
    expect(phase2).toBeNull();
    expect(run.phase2.trainer.step).toBe(0);
    // Phase 1's checkpoint of the stop; nothing of phase 2 (its folder is not even made).
    expect(files(join(out, 'phase1', 'checkpoints')).length).toBeGreaterThan(0);
    expect(files(join(out, 'phase2', 'checkpoints'))).toEqual([]);
    expect(existsSync(join(out, 'model'))).toBe(false);
    run.dispose();
    backbone.dispose();
  });

  it('fineTuneRecipe: the tune phase does not start after an interrupted probe', async () => {
    const controller = new AbortController();
    const backbone = tinyBackbone({ filters: [4] });
    const out = join(root, 'fine');
    const run = fineTuneRecipe({
      backbone,
      train: data.train,
      epochs: 1,
      batchSize: 4,
      probe: { maxEpochs: 2 },
      out,
      signal: controller.signal,
      callbacks: [ctrlC(controller)],
    });
    const { probe, tune } = await run.fit();
    expect(run.probe!.interrupted).toBe(true);
    expect(probe!.step).toBe(2);
    expect(tune).toBeNull();
    expect(run.tune.trainer.step).toBe(0);
    expect(run.tune.interrupted).toBe(false);
    expect(existsSync(join(out, 'model'))).toBe(false);
    run.dispose();
    backbone.dispose();
  });
});
