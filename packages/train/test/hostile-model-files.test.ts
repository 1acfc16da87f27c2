import * as tf from '@tensorflow/tfjs-core';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_JSON_MAX_BYTES, ModelFileError, type ModelFileProblem } from '@face/core';
import {
  CheckpointCorruptError,
  classifierHead,
  disposeCheckpoint,
  loadFaceModel,
  makeFingerprint,
  namedVariables,
  nodeStorage,
  readCheckpoint,
  saveFaceModel,
  writeCheckpoint,
  type Checkpoint,
} from '@face/train';
import { tinyBackbone } from './helpers/tiny';

const root = mkdtempSync(join(tmpdir(), 'face-hostile-train-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, 'runs', `d${n++}`);

/** Unique bytes outside every folder, `size` long (the size of the file it stands in for). */
function canaryFile(size: number): { path: string; hex: string } {
  const bytes = randomBytes(size);
  const path = join(root, `canary-${n++}.bin`);
  writeFileSync(path, bytes);
  return { path, hex: bytes.toString('hex').slice(0, 16) };
}
const noCanary = (text: string, hex: string) =>
  expect(Buffer.from(text).toString('hex')).not.toContain(hex);

function sample(): Checkpoint {
  const w = tf.variable(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]));
  return {
    fingerprint: makeFingerprint({ variables: namedVariables({ w }), config: 'x' }),
    position: { epoch: 1, batchInEpoch: 0, step: 3 },
    variables: { w },
    state: {},
    optimizer: null,
    rng: null,
    data: null,
    callbacks: {},
    trainer: null,
    extra: null,
    metrics: {},
  };
}

describe('a hostile checkpoint', () => {
  let pristine = '';
  beforeAll(async () => {
    pristine = join(root, 'pristine-ck');
    const ckpt = sample();
    await writeCheckpoint(pristine, ckpt);
    disposeCheckpoint(ckpt);
  });

  /** A copy of the pristine checkpoint, its manifest edited by `edit`. */
  function variant(edit?: (m: Record<string, unknown>, dir: string) => unknown): string {
    const dir = fresh();
    cpSync(pristine, dir, { recursive: true });
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    if (edit?.(m, dir) !== false) writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    return dir;
  }

  async function corrupt(dir: string, text: RegExp, problem?: ModelFileProblem) {
    const before = tf.memory().numTensors;
    const error = await readCheckpoint(dir).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(CheckpointCorruptError);
    expect((error as Error).message).toMatch(text);
    if (problem) expect(((error as Error).cause as ModelFileError).problem).toBe(problem);
    expect(tf.memory().numTensors).toBe(before);
    return error as CheckpointCorruptError;
  }

  it('loads the untouched copy', async () => {
    const ckpt = await readCheckpoint(variant());
    expect(Array.from(ckpt.variables.w.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    disposeCheckpoint(ckpt);
  });

  it('refuses a weights.file that is not a plain name inside the folder', async () => {
    for (const file of ['../x', '/etc/passwd', 'sub/weights.bin', '..', 'C:\\w.bin', '']) {
      await corrupt(
        variant((m) => ((m.weights as { file: string }).file = file)),
        /manifest.json's weights.file/,
        'unsafe-path',
      );
    }
  });

  it('refuses a weights.bin that leads outside or is not a regular file, before reading it', async () => {
    const size = statSync(join(pristine, 'weights.bin')).size;
    const canary = canaryFile(size);
    const link = variant((_, dir) => {
      rmSync(join(dir, 'weights.bin'));
      symlinkSync(canary.path, join(dir, 'weights.bin'));
    });
    noCanary((await corrupt(link, /outside the model folder/, 'outside')).message, canary.hex);
    const zero = variant((_, dir) => {
      rmSync(join(dir, 'weights.bin'));
      symlinkSync('/dev/zero', join(dir, 'weights.bin'));
    });
    const start = performance.now();
    await corrupt(zero, /cannot read weights.bin/, 'outside');
    expect(performance.now() - start).toBeLessThan(1000);
    const directory = variant((_, dir) => {
      rmSync(join(dir, 'weights.bin'));
      mkdirSync(join(dir, 'weights.bin'));
    });
    await corrupt(directory, /is a directory, not a regular file/, 'not-a-file');
    const fifo = variant((_, dir) => rmSync(join(dir, 'weights.bin')));
    try {
      execFileSync('mkfifo', [join(fifo, 'weights.bin')]);
    } catch {
      return; // no mkfifo here
    }
    await corrupt(fifo, /is a FIFO, not a regular file/, 'not-a-file');
    // Even a storage that skips the size check neither blocks on the FIFO nor reads it.
    const { fileSize: _skip, ...unsized } = nodeStorage();
    await expect(readCheckpoint(fifo, { storage: unsized })).rejects.toThrow(/not a regular file/);
  });

  it('checks the size before reading: one byte more or less is refused', async () => {
    const size = statSync(join(pristine, 'weights.bin')).size;
    const longer = variant((_, d) =>
      writeFileSync(join(d, 'weights.bin'), new Uint8Array(size + 1)),
    );
    await corrupt(
      longer,
      new RegExp(`weights.bin has ${size + 1} bytes, the manifest says ${size}`),
    );
    const shorter = variant((_, d) => truncateSync(join(d, 'weights.bin'), size - 1));
    await corrupt(
      shorter,
      new RegExp(`weights.bin has ${size - 1} bytes, the manifest says ${size}`),
    );
  });

  it('refuses manifests that are null, arrays, deeply nested, huge or malformed', async () => {
    for (const text of ['null', '[]', '['.repeat(10_000), '{"format":"face-checkpoint"']) {
      const dir = variant((_, d) => {
        writeFileSync(join(d, 'manifest.json'), text);
        return false;
      });
      await corrupt(dir, /manifest.json (is not|nests deeper)/);
    }
    const huge = variant((_, d) => {
      truncateSync(join(d, 'manifest.json'), MODEL_JSON_MAX_BYTES + 1);
      return false;
    });
    await corrupt(huge, /manifest.json has 67108865 bytes/);
    await corrupt(
      variant((m) => delete m.tensors),
      /tensors must be an array/,
    );
    await corrupt(
      variant((m) => ((m.weights as { byteLength: unknown }).byteLength = '1')),
      /weights must be/,
    );
  });

  it('checks every tensor record against the bytes before building a tensor', async () => {
    const record = (edit: (r: Record<string, unknown>) => void) =>
      variant((m) => edit((m.tensors as Record<string, unknown>[])[0]));
    await corrupt(
      record((r) => ((r.shape = [1e6, 1e6]), (r.byteLength = 4e12))),
      /does not fit/,
    );
    await corrupt(
      record((r) => (r.offset = 2)),
      /does not fit/,
    );
    await corrupt(
      record((r) => (r.dtype = 'toString')),
      /tensors\[0\] must be/,
    );
    await corrupt(
      record((r) => (r.shape = [-1, 6])),
      /tensors\[0\] must be/,
    );
  });

  it('still reads through a storage without fileSize (sizes checked after reading)', async () => {
    const { fileSize: _unused, ...plain } = nodeStorage();
    const ckpt = await readCheckpoint(variant(), { storage: plain });
    expect(ckpt.variables.w.shape).toEqual([2, 3]);
    disposeCheckpoint(ckpt);
    const dir = variant((_, d) => truncateSync(join(d, 'weights.bin'), 3));
    await expect(readCheckpoint(dir, { storage: plain })).rejects.toThrow(/has 3 bytes/);
  });
});

describe('a hostile face model', () => {
  let pristine = '';
  let headBytes = 0;
  beforeAll(async () => {
    pristine = join(root, 'pristine-model');
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
    const head = classifierHead('linear', { embeddingDim: 8, numClasses: 4 });
    await saveFaceModel(pristine, { backbone, head, classNames: ['a', 'b', 'c', 'd'] });
    backbone.dispose();
    head.dispose();
    headBytes = statSync(join(pristine, 'head.bin')).size;
  });

  function variant(edit?: (m: Record<string, unknown>, dir: string) => unknown): string {
    const dir = fresh();
    cpSync(pristine, dir, { recursive: true });
    const m = JSON.parse(readFileSync(join(dir, 'face-model.json'), 'utf8'));
    if (edit?.(m, dir) !== false) writeFileSync(join(dir, 'face-model.json'), JSON.stringify(m));
    return dir;
  }

  async function refused(dir: string, problem: ModelFileProblem, text?: RegExp) {
    const before = tf.memory().numTensors;
    const error = await loadFaceModel(dir).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).problem).toBe(problem);
    if (text) expect((error as Error).message).toMatch(text);
    expect(tf.memory().numTensors).toBe(before);
    return error as ModelFileError;
  }

  it('loads the untouched copy', async () => {
    const m = await loadFaceModel(variant());
    expect(m.head!.numClasses).toBe(4);
    m.head!.dispose();
    m.backbone.dispose();
  });

  it('fails at once on a head declaring 1e7 classes over a small head.bin', async () => {
    for (const edit of [
      (h: Record<string, unknown>) => (h.numClasses = 1e7),
      (h: Record<string, unknown>) => (h.embeddingDim = 1e7),
    ]) {
      const dir = variant((m) => edit(m.head as Record<string, unknown>));
      const start = performance.now();
      const e = await refused(dir, 'size', /declares .* but head.bin has/);
      expect(performance.now() - start).toBeLessThan(500);
      expect(e.entry).toBe('head');
    }
    const margin = variant((m) => {
      m.head = {
        kind: 'margin',
        className: 'ArcFace',
        config: { embeddingDim: 8, numClasses: 1e7 },
      };
    });
    await refused(margin, 'size', /10000000 classes of 8 dimensions/);
    // Weight records that do not add up to head.bin, or point past it.
    await refused(
      variant((m) => ((m.headWeights as { offset: number }[])[0].offset = headBytes)),
      'size',
      /headWeights\[0\]: does not fit head.bin/,
    );
    const padded = variant((_, d) =>
      writeFileSync(join(d, 'head.bin'), new Uint8Array(headBytes + 4)),
    );
    await refused(
      padded,
      'size',
      new RegExp(`declare ${headBytes} bytes, but head.bin has ${headBytes + 4}`),
    );
  });

  it('refuses face-model.json that is null, an array, deep, not JSON or without fields', async () => {
    for (const [text, problem] of [
      ['null', 'manifest'],
      ['[]', 'manifest'],
      ['{"a":'.repeat(10_000), 'json'],
      ['face', 'json'],
      ['{"format":"face-model","version":1}', 'manifest'],
    ] as const) {
      const dir = variant((_, d) => {
        writeFileSync(join(d, 'face-model.json'), text);
        return false;
      });
      const e = await refused(dir, problem);
      expect(e.file).toBe(join(dir, 'face-model.json'));
    }
  });

  it('reads head.bin and backbone/ only from inside the folder', async () => {
    const canary = canaryFile(headBytes);
    const head = variant((_, d) => {
      rmSync(join(d, 'head.bin'));
      symlinkSync(canary.path, join(d, 'head.bin'));
    });
    noCanary((await refused(head, 'outside')).message, canary.hex);
    const outsideBackbone = join(root, 'elsewhere-backbone');
    cpSync(join(pristine, 'backbone'), outsideBackbone, { recursive: true });
    const backbone = variant((_, d) => {
      rmSync(join(d, 'backbone'), { recursive: true });
      symlinkSync(outsideBackbone, join(d, 'backbone'));
    });
    await refused(backbone, 'outside', /backbone/);
    const climbing = variant((_, d) => {
      const file = join(d, 'backbone', 'model.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      json.weightsManifest[0].paths = ['weights.bin', '../../canary.bin'];
      writeFileSync(file, JSON.stringify(json));
    });
    await refused(climbing, 'unsafe-path', /weightsManifest\[0\]\.paths\[1\]/);
  });
});
