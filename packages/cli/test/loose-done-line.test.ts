// `face train`'s `done ...` line gives the scores of the model it hands back: with the keep-best
// guard, those of the epoch it kept (or of the start), not of the last epoch trained.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EpochLogs, FitResult, KeepBestSummary } from '@face/train';
import { scoresOfModel } from '../src/commands/train';
import { face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'loose-done-line-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const epoch = (e: number, loss: number, auc: number): EpochLogs =>
  ({ epoch: e, step: 4 * (e + 1), loss, lr: 0.1, val_auc: auc, val_eer: 1 - auc }) as EpochLogs;
const history = [epoch(0, 2, 0.7), epoch(1, 1.5, 0.8), epoch(2, 1.2, 0.75)];
const guard = (bestEpoch: number, more: Partial<KeepBestSummary> = {}): KeepBestSummary => ({
  monitor: 'val_auc',
  mode: 'max',
  start: 0.72,
  startEpoch: 0,
  best: 0.8,
  bestEpoch,
  startMetrics: { val_auc: 0.72, val_eer: 0.31 },
  bestTrained: 0.8,
  bestTrainedEpoch: 2,
  epochs: 3,
  improved: bestEpoch !== 0,
  restored: true,
  message: '',
  ...more,
});
const fit = (keepBest?: KeepBestSummary): FitResult => ({
  epochs: 3,
  step: 12,
  stopReason: null,
  history,
  ...(keepBest ? { keepBest } : {}),
});

describe("face train's done line", () => {
  it('names the kept epoch, or the start, and gives its scores', () => {
    expect(scoresOfModel(fit())).toBe('loss 1.200, verification AUC 0.750, EER 0.250');
    expect(scoresOfModel(fit(guard(3)))).toBe('loss 1.200, verification AUC 0.750, EER 0.250');
    expect(scoresOfModel(fit(guard(2)))).toBe(
      'kept epoch 2 of 3: loss 1.500, verification AUC 0.800, EER 0.200',
    );
    expect(scoresOfModel(fit(guard(0)))).toBe(
      'kept the start (epoch 0, before training): verification AUC 0.720, EER 0.310',
    );
    // A guard that could not put the best back leaves the last epoch in the model.
    expect(scoresOfModel(fit(guard(2, { restored: false })))).toMatch(/^loss 1\.200/);
    // A checkpoint from before the start's metrics were kept: the monitored score alone.
    expect(scoresOfModel(fit(guard(0, { startMetrics: null, best: 0.72 })))).toBe(
      'kept the start (epoch 0, before training): verification AUC 0.720, EER -',
    );
    expect(scoresOfModel(undefined)).toBe('loss -');
  });

  it("a real run's line agrees with keep-best.json and the epoch logs", async () => {
    const out = join(root, 'run');
    const r = await face(
      'train', '--data', 'synthetic', '--identities', '12', '--images-per-identity', '6',
      '--backbone', 'convnet-tiny', '--image-size', '16', '--embedding-size', '8',
      '--batch', '16', '--backend', 'cpu', '--lr', '0.3', '--epochs', '3', '--out', out,
    ); // prettier-ignore
    expect(r.code, r.err).toBe(0);
    // The premise (seeded, cpu): at this rate the guard hands back an earlier state (the start).
    const kept = JSON.parse(readFileSync(join(out, 'keep-best.json'), 'utf8')) as KeepBestSummary;
    const logs = readFileSync(join(out, 'log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as EpochLogs);
    const done = r.out.split('\n').find((l) => l.startsWith('done in'))!;
    const shown = kept.bestEpoch === 0 ? kept.startMetrics! : logs[kept.bestEpoch - 1];
    console.info(`kept epoch ${kept.bestEpoch} of 3: ${done}`);
    expect(done).toContain(`verification AUC ${shown.val_auc.toFixed(3)}`);
    expect(kept.bestEpoch).toBeLessThan(3);
    expect(done).toMatch(/: kept (epoch \d of 3|the start \(epoch 0, before training\)): /);
  });
});
