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
import { MODEL_JSON_MAX_BYTES, type ModelFileError, type ModelFileProblem } from '@face/core';
import {
  CheckpointCorruptError,
  disposeCheckpoint,
  makeFingerprint,
  namedVariables,
  nodeStorage,
  readCheckpoint,
  writeCheckpoint,
  type Checkpoint,
} from '@face/train';

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
