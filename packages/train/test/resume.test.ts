import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EPOCHS, makeProblem, weightBits } from './helpers/problem';
import { runChild } from './helpers/run-child';

const root = mkdtempSync(join(tmpdir(), 'face-train-resume-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const logLines = (dir: string) => readFileSync(join(dir, 'log.jsonl'), 'utf8').trim().split('\n');

describe('exact resume', () => {
  it('SIGKILL mid-epoch, then resume, equals an uninterrupted run bit for bit', async () => {
    // The uninterrupted run, in this process.
    const fullDir = join(root, 'full');
    const full = makeProblem(fullDir);
    const fullResult = await full.trainer.fit(full.source, { epochs: EPOCHS });
    expect(fullResult.step).toBe(15);
    const expected = weightBits(full);
    full.dispose();

    // A child process trains, checkpoints at update 6 (epoch 1, batch 1), and is killed at 8.
    const dir = join(root, 'killed');
    const run = await runChild({ FACE_CHILD_MODE: 'train', FACE_DIR: dir, FACE_HANG_AT_STEP: '8' });
    expect(await run.waitFor(['HANG', 'FINISHED'])).toBe('HANG 8');
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');

    // A fresh trainer here resumes from the latest checkpoint and finishes.
    const resumed = makeProblem(dir);
    const info = await resumed.trainer.resume(resumed.manager);
    expect(info?.step).toBe(6);
    expect(resumed.trainer.position).toEqual({ epoch: 1, batchInEpoch: 1, step: 6 });
    const result = await resumed.trainer.fit(resumed.source, { epochs: EPOCHS });
    expect(result.step).toBe(15);
    expect(weightBits(resumed)).toEqual(expected);
    expect(result.history).toEqual(fullResult.history);
    // The step log has each update once, with the same values as the uninterrupted run's.
    expect(logLines(dir)).toEqual(logLines(fullDir));
    resumed.dispose();
  });

  it('a checkpoint killed mid-write is never loaded; the previous one is, and leftovers go', async () => {
    const dir = join(root, 'torn');
    // Saves: updates 3 and 5 (epoch end) complete; the third save (update 6) is killed halfway.
    const run = await runChild({ FACE_CHILD_MODE: 'write', FACE_DIR: dir, FACE_HANG_AT_SAVE: '3' });
    expect(await run.waitFor(['MIDWRITE', 'FINISHED'])).toBe('MIDWRITE');
    run.child.kill('SIGKILL');
    await run.exited;
    // The torn write is there: a temp directory with half a weight file and no manifest.
    const temps = readdirSync(dir).filter((n) => n.startsWith('.tmp-'));
    expect(temps).toHaveLength(1);
    expect(existsSync(join(dir, temps[0], 'manifest.json'))).toBe(false);
    const complete = statSync(join(dir, 'step-000000005', 'weights.bin')).size;
    expect(statSync(join(dir, temps[0], 'weights.bin')).size).toBe(complete >> 1);
    const p = makeProblem(dir);
    expect((await p.manager.list()).map((c) => c.step)).toEqual([3, 5]);
    const info = await p.trainer.resume(p.manager);
    expect(info?.step).toBe(5);
    expect(p.trainer.position).toEqual({ epoch: 1, batchInEpoch: 0, step: 5 });
    const result = await p.trainer.fit(p.source, { epochs: EPOCHS });
    expect(result.step).toBe(15);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    p.dispose();
  });
});
