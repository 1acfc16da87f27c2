import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRecipeProblem, recipeBits, type RecipeName } from './helpers/recipe-problem';
import { runChild } from './helpers/run-child';

const root = mkdtempSync(join(tmpdir(), 'face-recipe-resume-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const log = (dir: string) => readFileSync(join(dir, 'log.jsonl'), 'utf8');

async function uninterrupted(recipe: RecipeName) {
  const dir = join(root, `${recipe}-full`);
  const p = makeRecipeProblem(recipe, dir);
  await p.fit();
  const bits = recipeBits(p);
  const histories = p.runs.map((r) => r.trainer.history);
  p.dispose();
  return { dir, bits, histories };
}

describe('recipes resume exactly', () => {
  it('joint: SIGKILL mid-epoch, resume, equals an uninterrupted run bit for bit', async () => {
    const full = await uninterrupted('joint');
    const dir = join(root, 'joint-killed');
    // 3 batches per epoch; checkpoints every 2 updates: the latest before update 5 is update 4.
    const run = await runChild(
      { FACE_CHILD_MODE: 'train', FACE_RECIPE: 'joint', FACE_DIR: dir, FACE_HANG_AT_STEP: '5' },
      'recipe-child.ts',
    );
    expect(await run.waitFor(['HANG', 'FINISHED'])).toBe('HANG 5');
    run.child.kill('SIGKILL');
    await run.exited;
    expect(existsSync(join(dir, 'model'))).toBe(false);

    const p = makeRecipeProblem('joint', dir);
    await p.resume();
    expect(p.runs[0].trainer.position).toEqual({ epoch: 1, batchInEpoch: 1, step: 4 });
    await p.fit();
    expect(recipeBits(p)).toEqual(full.bits);
    expect(p.runs[0].trainer.history).toEqual(full.histories[0]);
    expect(log(dir)).toEqual(log(full.dir));
    expect(existsSync(join(dir, 'model', 'face-model.json'))).toBe(true);
    p.dispose();
  });

  it('sequential: killed in phase 2 after a torn checkpoint write; the torn one is never loaded', async () => {
    const full = await uninterrupted('sequential');
    const dir = join(root, 'sequential-torn');
    // 4 batches per epoch. Phase 1 (1 epoch) saves its start (step 0, for the keep-best guard),
    // then at updates 2, 4 and 4 (epoch end); phase 2 its start, then at 2, 4, ...: the 7th save
    // overall (phase 2, update 4) is killed halfway through its weights.
    const run = await runChild(
      {
        FACE_CHILD_MODE: 'write',
        FACE_RECIPE: 'sequential',
        FACE_DIR: dir,
        FACE_HANG_AT_SAVE: '7',
      },
      'recipe-child.ts',
    );
    expect(await run.waitFor(['MIDWRITE', 'FINISHED'])).toBe('MIDWRITE');
    run.child.kill('SIGKILL');
    await run.exited;
    const phase2 = join(dir, 'phase2', 'checkpoints');
    const temps = readdirSync(phase2).filter((n) => n.startsWith('.tmp-'));
    expect(temps).toHaveLength(1);
    expect(existsSync(join(phase2, temps[0], 'manifest.json'))).toBe(false);
    expect(statSync(join(phase2, temps[0], 'weights.bin')).size).toBeGreaterThan(0);

    const p = makeRecipeProblem('sequential', dir);
    const info = (await p.resume()) as { phase2: { step: number } | null };
    expect(info.phase2?.step).toBe(2);
    await p.fit();
    expect(recipeBits(p)).toEqual(full.bits);
    expect(p.runs[1].trainer.history).toEqual(full.histories[1]);
    expect(readdirSync(phase2).filter((n) => n.startsWith('.'))).toEqual([]);
    p.dispose();
  });
});

describe('state outside the variables travels in checkpoints', () => {
  it('online label smoothing and DropBlock: a stopped run, resumed, ends where an uninterrupted one does', async () => {
    const { classificationRecipe } = await import('@face/recipes');
    const { tinyBackbone, tinyData } = await import('./helpers/tiny');
    const data = tinyData({ identities: 8, unseen: 3, images: 6, pairs: 10 });
    const make = (dir: string, stopAt?: number) => {
      const backbone = tinyBackbone({ filters: [4], embeddingDim: 8, dropBlock: true });
      const run = classificationRecipe({
        backbone,
        train: data.train,
        epochs: 3,
        batchSize: 8,
        labelSmoothing: { online: true, alpha: 0.5 },
        out: dir,
        checkpoint: { everySteps: 2 },
        callbacks: stopAt
          ? [
              {
                name: 'stop',
                order: 50,
                onBatchEnd: (l, t) =>
                  l.step === stopAt ? t.requestStop('callback', 'test stop') : undefined,
              },
            ]
          : [],
      });
      return { backbone, run };
    };
    const bits = (run: {
      trainer: {
        variables: readonly { name: string; variable: { dataSync(): ArrayLike<number> } }[];
        stateVariables: readonly { name: string; variable: { dataSync(): ArrayLike<number> } }[];
      };
    }) =>
      Object.fromEntries(
        [...run.trainer.variables, ...run.trainer.stateVariables].map((v) => [
          v.name,
          Array.from(new Uint32Array(Float32Array.from(v.variable.dataSync()).buffer)),
        ]),
      );
    const full = make(join(root, 'ols-full'));
    await full.run.fit();
    const expected = bits(full.run);
    const olsState = full.run.trainer.snapshot().callbacks['recipe:state'];
    const dropBlockState = full.run.trainer.snapshot().callbacks['recipe:drop-block'];
    expect(dropBlockState).toMatchObject({ 'tiny.dropblock': { step: 12 } });
    full.run.dispose();

    const dir = join(root, 'ols-stopped');
    const stopped = make(dir, 11); // 4 batches per epoch: stops in epoch 2, after the checkpoint at 10
    expect((await stopped.run.fit()).stopReason?.kind).toBe('callback');
    stopped.run.dispose();
    const resumed = make(dir);
    expect((await resumed.run.resume())?.step).toBe(10);
    await resumed.run.fit();
    expect(bits(resumed.run)).toEqual(expected);
    expect(resumed.run.trainer.snapshot().callbacks['recipe:state']).toEqual(olsState);
    expect(resumed.run.trainer.snapshot().callbacks['recipe:drop-block']).toEqual(dropBlockState);
    resumed.run.dispose();
  });
});
