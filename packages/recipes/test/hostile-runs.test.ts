// Runs that must not corrupt each other or silently start over: a changed training set, a held
// or stale run lock, corrupt checkpoints, a full disk, an interrupted model replacement.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { subset, type FaceDataset } from '@face/data';
import { classificationRecipe, saveFaceModel } from '@face/recipes';
import {
  CheckpointMismatchError,
  datasetSignature,
  fingerprintDifferences,
  makeFingerprint,
  NoValidCheckpointError,
  nodeStorage,
  RunLockedError,
  type CheckpointStorage,
} from '@face/train';
import { readableFaceModelDir } from '../src/recipes/face-model';
import { tinyBackbone, tinyData } from './helpers/tiny';

const root = mkdtempSync(join(tmpdir(), 'face-hostile-runs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const data = tinyData({ identities: 6, unseen: 2, images: 6, pairs: 10 });

function make(
  dir: string,
  {
    train = data.train,
    storage,
    epochs = 2,
    everySteps = 0,
    notices = [],
  }: {
    train?: FaceDataset;
    storage?: CheckpointStorage;
    epochs?: number;
    everySteps?: number;
    notices?: string[];
  } = {},
) {
  const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
  const run = classificationRecipe({
    backbone,
    train,
    epochs,
    batchSize: 8,
    out: dir,
    checkpoint: { keepLast: 3, everySteps, ...(storage ? { storage } : {}) },
    onNotice: (m) => notices.push(m),
  });
  return { run, dispose: () => (run.dispose(), backbone.dispose()) };
}

const bits = (run: ReturnType<typeof make>['run']) =>
  run.trainer.variables.map((v) =>
    Array.from(new Uint32Array(Float32Array.from(v.variable.dataSync()).buffer)),
  );
const epochs = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { epoch: number }).epoch);
const steps = (dir: string) =>
  readdirSync(join(dir, 'checkpoints'))
    .filter((n) => n.startsWith('step-'))
    .sort();

/** A dataset whose class `index` is renamed (an identity folder renamed between runs). */
function renamed(ds: FaceDataset, index: number, name: string): FaceDataset {
  const classNames = ds.classNames.map((n, i) => (i === index ? name : n));
  return {
    size: ds.size,
    labels: ds.labels,
    classNames,
    load: (i) => ds.load(i),
    source: (i) => ds.source(i).replace(ds.classNames[index], name),
  };
}

async function trained(name: string, epochsDone = 1) {
  const dir = join(root, name);
  const r = make(dir, { epochs: epochsDone });
  await r.run.fit();
  r.dispose();
  return dir;
}

describe('resume refuses a changed training set', () => {
  it('a renamed identity folder: CheckpointMismatchError naming the class, nothing loaded', async () => {
    const dir = await trained('renamed');
    const before = steps(dir);
    const r = make(dir, { train: renamed(data.train, 2, 'alicia') });
    const err = await r.run.resume().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointMismatchError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `class names changed: 1 of 4 differ, first at class 2: '${data.train.classNames[2]}' -> 'alicia'`,
      ),
    );
    expect(r.run.trainer.step).toBe(0);
    r.dispose();
    expect(steps(dir)).toEqual(before);
    expect(existsSync(join(dir, '.lock'))).toBe(false); // released on the error
  });

  it('two images fewer: the file list hash and the counts in the message', async () => {
    const dir = await trained('fewer');
    const n = data.train.size;
    const fewer = subset(
      data.train,
      Array.from({ length: n - 2 }, (_, i) => i),
    );
    const r = make(dir, { train: fewer });
    await expect(r.run.resume()).rejects.toThrow(
      new RegExp(
        `file list changed \\(hash [0-9a-f]{16} -> [0-9a-f]{16}, ${n} -> ${n - 2} images\\)`,
      ),
    );
    r.dispose();
  });

  it('the signature: same list, same hash; a swapped label changes it', () => {
    const a = datasetSignature(data.train);
    expect(datasetSignature(data.train)).toEqual(a);
    const labels = Int32Array.from(data.train.labels);
    [labels[0], labels[labels.length - 1]] = [labels[labels.length - 1], labels[0]];
    const b = datasetSignature({ ...data.train, labels, source: (i) => data.train.source(i) });
    expect(b.files.hash).not.toBe(a.files.hash);
    const fp = (d: typeof a) => makeFingerprint({ variables: [], data: d });
    expect(fingerprintDifferences(fp(a), fp(b))).toEqual([
      expect.stringMatching(/file list changed/),
    ]);
  });
});

describe('the run lock', () => {
  it('a second run on a held directory is refused with the holder; the first finishes', async () => {
    const dir = join(root, 'held');
    const first = make(dir);
    await first.run.resume(); // takes the lock
    const second = make(dir);
    const err = await second.run.fit().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunLockedError);
    expect((err as Error).message).toMatch(
      new RegExp(`${dir}/\\.lock is held by process ${process.pid} on ${hostname()}, started `),
    );
    second.dispose();
    await first.run.fit();
    first.dispose();
    expect(epochs(join(dir, 'log.jsonl'))).toEqual([0, 1]);
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  });

  it('a stale lock of a dead process is taken over, with a notice', async () => {
    const dir = join(root, 'stale');
    mkdirSync(dir, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(
      join(dir, '.lock'),
      JSON.stringify({ pid: dead, hostname: hostname(), startedAt: '2020-01-01T00:00:00Z' }),
    );
    const notices: string[] = [];
    const r = make(dir, { epochs: 1, notices });
    await r.run.fit();
    r.dispose();
    expect(notices).toEqual([
      expect.stringMatching(`took over the stale run lock .*process ${dead} .*no longer running`),
    ]);
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  });

  it('a lock of another host is not taken over', async () => {
    const dir = join(root, 'remote');
    mkdirSync(dir, { recursive: true });
    const lock = JSON.stringify({ pid: 1, hostname: 'elsewhere', startedAt: 'x' });
    writeFileSync(join(dir, '.lock'), lock);
    const r = make(dir);
    await expect(r.run.fit()).rejects.toThrow(/held by process 1 on elsewhere.*another host/);
    r.dispose();
    expect(readFileSync(join(dir, '.lock'), 'utf8')).toBe(lock);
  });
});

describe('corrupt checkpoints', () => {
  it('only corrupt checkpoints: resume refuses, a fresh fit refuses, nothing is touched', async () => {
    const dir = await trained('all-corrupt', 2);
    for (const s of steps(dir))
      writeFileSync(join(dir, 'checkpoints', s, 'manifest.json'), '{"tor');
    const snapshot = () =>
      steps(dir).map((s) =>
        readFileSync(join(dir, 'checkpoints', s, 'weights.bin')).toString('hex'),
      );
    const before = snapshot();
    const r = make(dir);
    await expect(r.run.resume()).rejects.toThrow(NoValidCheckpointError);
    await expect(r.run.resume()).rejects.toThrow(
      /no valid checkpoint in .*refusing to resume or to start over/,
    );
    r.dispose();
    const fresh = make(dir);
    await expect(fresh.run.fit()).rejects.toThrow(/already holds a run .*Nothing was overwritten/);
    fresh.dispose();
    expect(snapshot()).toEqual(before);
  });
});

describe('a full disk', () => {
  it('ENOSPC in a checkpoint write ends the run; the next resume cleans up and logs each epoch once', async () => {
    const full = make(join(root, 'enospc-full'), { epochs: 3 });
    // A step checkpoint at each epoch's last update: the epoch-end save that fails below comes
    // after that epoch's log line and the step checkpoint of the same step.
    const everySteps = full.run.loader.batchesPerEpoch;
    await full.run.fit();
    const expected = bits(full.run);
    full.dispose();

    const dir = join(root, 'enospc');
    const base = nodeStorage();
    let writes = 0;
    const storage: CheckpointStorage = {
      ...base,
      async writeFile(path, bytes) {
        if (path.endsWith('weights.bin') && ++writes === 4) {
          await base.writeFile(path, bytes.subarray(0, bytes.length >> 1));
          throw Object.assign(new Error(`ENOSPC: no space left on device, write`), {
            code: 'ENOSPC',
            syscall: 'write',
            path,
          });
        }
        await base.writeFile(path, bytes);
      },
    };
    const failing = make(dir, { storage, epochs: 3, everySteps });
    await expect(failing.run.fit()).rejects.toMatchObject({ code: 'ENOSPC' });
    failing.dispose();
    // Epoch 1 was logged before its checkpoint failed.
    expect(epochs(join(dir, 'log.jsonl'))).toEqual([0, 1]);
    expect(readdirSync(join(dir, 'checkpoints')).some((n) => n.startsWith('.tmp-'))).toBe(true);
    expect(existsSync(join(dir, '.lock'))).toBe(false);

    const r = make(dir, { epochs: 3, everySteps });
    expect(await r.run.resume()).toMatchObject({ epoch: 1, step: 2 * everySteps });
    expect(readdirSync(join(dir, 'checkpoints')).filter((n) => n.startsWith('.'))).toEqual([]);
    await r.run.fit();
    expect(bits(r.run)).toEqual(expected);
    r.dispose();
    expect(epochs(join(dir, 'log.jsonl'))).toEqual([0, 1, 2]);
    const csv = readFileSync(join(dir, 'log.csv'), 'utf8').trim().split('\n');
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['0', '1', '2']);
  });
});

describe('model/ replacement', () => {
  it('killed between moving the old model aside and renaming the new one in: readable, then repaired', async () => {
    const dir = await trained('model-swap');
    const model = join(dir, 'model');
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    // The state a kill leaves: model/ moved aside, a complete new copy not yet renamed in.
    renameSync(model, `${model}.old-${dead}-abc`);
    mkdirSync(`${model}.tmp-${dead}-def/backbone`, { recursive: true });
    expect(await readableFaceModelDir(model)).toBe(`${model}.old-${dead}-abc`);
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
    await saveFaceModel(model, { backbone });
    backbone.dispose();
    expect(await readableFaceModelDir(model)).toBe(model);
    expect(readdirSync(dir).filter((n) => n.startsWith('model'))).toEqual(['model']);
  });
});
