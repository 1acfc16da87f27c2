// Run directories a fresh run must not overwrite (logs and a model but no checkpoints, an empty
// checkpoints/ folder, the sequential recipe's phase folders), and the skipped training images
// recorded in the run directory, the same after a stop and resume as in one go.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FaceError } from '@face/core';
import { ImageDecodeError, type FaceDataset } from '@face/data';
import { classificationRecipe, sequentialRecipe } from '@face/recipes';
import { nodeStorage, type Callback, type CheckpointStorage } from '@face/train';
import { tinyBackbone, tinyData } from './helpers/tiny';

const root = mkdtempSync(join(tmpdir(), 'face-train-hostile-rundir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const data = tinyData({ identities: 6, unseen: 2, images: 6, pairs: 4 });

function classification(
  out: string,
  train: FaceDataset = data.train,
  callbacks: Callback[] = [],
  storage?: CheckpointStorage,
) {
  const backbone = tinyBackbone({ filters: [4, 8], embeddingDim: 8 });
  const run = classificationRecipe({
    backbone,
    train,
    epochs: 2,
    batchSize: 8,
    seed: 3,
    out,
    checkpoint: { everySteps: 2, ...(storage ? { storage } : {}) },
    callbacks,
  });
  return Object.assign(run, {
    close() {
      run.dispose();
      backbone.dispose();
    },
  });
}

function sequential(out: string) {
  const backbone = tinyBackbone({ filters: [4, 8], embeddingDim: 8 });
  const run = sequentialRecipe({
    backbone,
    train: data.train,
    seed: 3,
    out,
    classification: { epochs: 1, batchSize: 8 },
    margin: { epochs: 1, batchSize: 8 },
  });
  return Object.assign(run, {
    close() {
      run.dispose();
      backbone.dispose();
    },
  });
}

/** Every file under `dir` with its bytes (to show nothing was overwritten). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile() && e.name !== '.lock') {
      const path = join(e.parentPath, e.name);
      out[path] = readFileSync(path).toString('base64');
    }
  return out;
}

async function refusal(fit: () => Promise<unknown>): Promise<FaceError> {
  const error = await fit().then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(FaceError);
  expect((error as Error).message).toMatch(/already holds a run .*Nothing was overwritten\.$/);
  return error as FaceError;
}

describe('a fresh run refuses a directory that holds a run', () => {
  it('checkpoints: names resume() and face train --resume', async () => {
    const out = join(root, 'done');
    const first = classification(out);
    await first.fit();
    first.close();
    const before = snapshot(out);
    const again = classification(out);
    const e = await refusal(() => again.fit());
    again.close();
    expect(e.message).toMatch(
      /checkpoint folder\(s\).*resume it \(resume\(\), or `face train --resume`\)/,
    );
    expect(snapshot(out)).toEqual(before);
  });

  it('logs and model/ with checkpoints/ gone or empty: refused; resume() finds nothing', async () => {
    const out = join(root, 'no-checkpoints');
    const first = classification(out);
    await first.fit();
    first.close();
    rmSync(join(out, 'checkpoints'), { recursive: true });
    const before = snapshot(out);
    for (const emptyFolder of [false, true]) {
      if (emptyFolder) mkdirSync(join(out, 'checkpoints'));
      const again = classification(out);
      const e = await refusal(() => again.fit());
      again.close();
      expect(e.message).toMatch(
        /\(log\.jsonl, log\.csv, model\/, and no checkpoint to resume from\)/,
      );
      expect(snapshot(out)).toEqual(before);
    }
    // Only the model: still a run.
    rmSync(join(out, 'log.jsonl'));
    rmSync(join(out, 'log.csv'));
    const onlyModel = classification(out);
    expect((await refusal(() => onlyModel.fit())).message).toMatch(/\(model\/, and no/);
    // resume() stays null for a directory without checkpoints (the CLI refuses that itself).
    expect(await onlyModel.resume()).toBeNull();
    onlyModel.close();
  });

  it('an empty or missing directory, or empty logs of a run stopped at once: a fresh run starts', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'log.jsonl'), '');
    for (const out of [empty, join(root, 'missing')]) {
      const run = classification(out);
      const result = await run.fit();
      run.close();
      expect(result.epochs).toBe(2);
      expect(existsSync(join(out, 'model', 'face-model.json'))).toBe(true);
    }
  });

  it('sequential: phase folders without checkpoints are refused before phase 1 trains', async () => {
    const out = join(root, 'seq');
    const first = sequential(out);
    await first.fit();
    first.close();
    for (const phase of ['phase1', 'phase2'])
      rmSync(join(out, phase, 'checkpoints'), { recursive: true });
    let before = snapshot(out);
    const again = sequential(out);
    expect((await refusal(() => again.fit())).message).toMatch(/phase1 already holds a run/);
    again.close();
    expect(snapshot(out)).toEqual(before);

    // Phase 1's folder empty, phase 2's and the final model/ left: refused before phase 1 writes.
    rmSync(join(out, 'phase1'), { recursive: true });
    before = snapshot(out);
    const third = sequential(out);
    expect(await third.resume()).toEqual({ phase1: null, phase2: null });
    third.close();
    const fourth = sequential(out);
    const e = await refusal(() => fourth.fit());
    fourth.close();
    expect(e.message).toMatch(/phase2 already holds a run \(log\.jsonl, log\.csv, .*model/);
    expect(snapshot(out)).toEqual(before);
    expect(existsSync(join(out, 'phase1', 'log.jsonl'))).toBe(false);
  });
});

describe('skipped training images are recorded in the run directory', () => {
  // Three images that fail to decode, as a broken .jpg would.
  const bad = new Set([1, 7, 14]);
  const broken: FaceDataset = {
    ...data.train,
    size: data.train.size,
    labels: data.train.labels,
    classNames: data.train.classNames,
    source: (i) => `faces/${data.train.classNames[data.train.labels[i]]}/${i}.jpg`,
    load: (i) =>
      bad.has(i)
        ? Promise.reject(new ImageDecodeError(`faces/${i}.jpg`, 'not an image'))
        : data.train.load(i),
  };
  const files = [...bad].map((i) => `faces/${i}.jpg`).sort();

  it('log metric skipped_images and skipped-images.json; a stopped and resumed run writes the same bytes', async () => {
    const fullDir = join(root, 'skipped-full');
    const full = classification(fullDir, broken);
    await full.fit();
    const perEpoch = full.trainer.history.map((h) => h.skipped_images);
    const batches = full.loader.batchesPerEpoch;
    full.close();
    expect(batches).toBeGreaterThanOrEqual(2);
    // A count so far: never less than the epoch before, all three met by the end.
    expect(perEpoch[0]).toBeGreaterThan(0);
    expect(perEpoch[1]).toBe(3);
    const list = JSON.parse(readFileSync(join(fullDir, 'skipped-images.json'), 'utf8'));
    expect(list).toEqual({
      count: 3,
      files: files.map((path) => ({ path, reason: 'not an image' })),
    });
    const logged = readFileSync(join(fullDir, 'log.jsonl'), 'utf8').trim().split('\n');
    expect(logged.map((l) => JSON.parse(l).skipped_images)).toEqual(perEpoch);
    expect(readFileSync(join(fullDir, 'log.csv'), 'utf8')).toContain('skipped_images');
    expect(readdirSync(fullDir).filter((n) => n.includes('.tmp'))).toEqual([]);

    // Stopped in epoch 1 after a checkpoint, resumed by a new run object: the loader of the
    // second knows none of the files the first met.
    const dir = join(root, 'skipped-resumed');
    const stopper: Callback = {
      name: 'stopper',
      beforeUpdate: (info) => (info.step === batches + 2 ? 'stop' : undefined),
    };
    const first = classification(dir, broken, [stopper]);
    await first.fit();
    first.close();
    const second = classification(dir, broken);
    expect(await second.resume()).not.toBeNull();
    await second.fit();
    second.close();
    for (const f of ['log.jsonl', 'log.csv', 'skipped-images.json'])
      expect(readFileSync(join(dir, f), 'utf8')).toBe(readFileSync(join(fullDir, f), 'utf8'));
  });

  it('no skipped image: no metric, no file', async () => {
    const out = join(root, 'clean');
    const run = classification(out);
    await run.fit();
    run.close();
    expect(readFileSync(join(out, 'log.jsonl'), 'utf8')).not.toContain('skipped_images');
    expect(existsSync(join(out, 'skipped-images.json'))).toBe(false);
  });
});

describe('a failed write names its file', () => {
  it('a write on an open file fails without a path: the error names the checkpoint folder', async () => {
    const out = join(root, 'enospc');
    const storage: CheckpointStorage = {
      ...nodeStorage(),
      writeFile: () =>
        Promise.reject(
          Object.assign(new Error('ENOSPC: no space left on device, write'), {
            code: 'ENOSPC',
            syscall: 'write',
          }),
        ),
    };
    const run = classification(out, data.train, [], storage);
    const error = await run.fit().catch((err: unknown) => err);
    run.close();
    expect(error).toMatchObject({ code: 'ENOSPC', path: join(out, 'checkpoints') });
  });
});
