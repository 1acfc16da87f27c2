import * as tf from '@tensorflow/tfjs-core';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError, type ModelFileProblem } from '@face/core';
import { classifierHead, loadFaceModel, saveFaceModel } from '@face/recipes';
import { tinyBackbone } from './helpers/tiny';

const root = mkdtempSync(join(tmpdir(), 'face-hostile-recipes-'));
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
