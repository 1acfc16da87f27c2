import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { MODEL_JSON_MAX_BYTES, ModelFileError, type ModelFileProblem } from '@face/core';
import { fileSystem, loadModel } from '@face/layers';

const root = mkdtempSync(join(tmpdir(), 'face-hostile-layers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const pristine = join(root, 'pristine');
// 32 unique bytes outside every model folder: as long as the model's weights, so a reader that
// followed a path out would load them without a size error.
const canary = randomBytes(32);
const canaryPath = join(root, 'canary.bin');
writeFileSync(canaryPath, canary);
const canaryHex = canary.toString('hex');

beforeAll(async () => {
  const input = tfl.input({ shape: [3] });
  const model = tfl.model({
    inputs: input,
    outputs: tfl.layers.dense({ units: 2 }).apply(input) as tfl.SymbolicTensor,
  });
  await model.save(fileSystem(pristine));
  model.dispose();
});

let n = 0;
/** A copy of the saved model in `root/a/b/m<n>` (two levels deep, so `../../` reaches root). */
function variant(edit: (dir: string, json: Record<string, unknown>) => unknown): string {
  const dir = join(root, 'a', 'b', `m${n++}`);
  cpSync(pristine, dir, { recursive: true });
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const replaced = edit(dir, json);
  if (replaced !== false) writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  return dir;
}

/** Loading `dir` fails with a ModelFileError of `problem`; no canary byte reaches the message. */
async function refused(dir: string, problem: ModelFileProblem, text?: RegExp) {
  const before = tf.memory().numTensors;
  const error = await tfl.loadLayersModel(fileSystem(dir)).then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ModelFileError);
  const e = error as ModelFileError;
  expect(e.problem).toBe(problem);
  if (text) expect(e.message).toMatch(text);
  expect(Buffer.from(e.message).toString('hex')).not.toContain(canaryHex.slice(0, 16));
  expect(e.message).not.toContain(canary.subarray(0, 8).toString('latin1'));
  expect(tf.memory().numTensors).toBe(before);
  return e;
}

describe('a hostile model.json', () => {
  it('the untouched copy loads (the cases below fail for their own reason)', async () => {
    const m = await loadModel(variant(() => undefined));
    const bytes = Buffer.concat(m.getWeights().map((w) => Buffer.from(w.dataSync().buffer)));
    expect(bytes.toString('hex')).not.toContain(canaryHex);
    expect(bytes).toEqual(readFileSync(join(pristine, 'weights.bin')));
    m.dispose();
  });

  it('may not name a path that climbs out of the folder, or an absolute one', async () => {
    const climbing = variant((_, j) => {
      const [group] = j.weightsManifest as { paths: string[]; weights: unknown[] }[];
      group.paths = ['weights.bin', '../../canary.bin'];
    });
    const e = await refused(climbing, 'unsafe-path', /climbs out of the model folder/);
    expect(e.file).toBe(join(climbing, 'model.json'));
    expect(e.entry).toBe('weightsManifest[0].paths[1]');
    const absolute = variant((_, j) => {
      (j.weightsManifest as { paths: string[] }[])[0].paths = [canaryPath];
    });
    await refused(absolute, 'unsafe-path', /weightsManifest\[0\]\.paths\[0\].*is absolute/);
  });

  it('may not reach outside through a symlink, a device or a FIFO', async () => {
    const link = variant((dir) => {
      rmSync(join(dir, 'weights.bin'));
      symlinkSync(canaryPath, join(dir, 'weights.bin'));
    });
    await refused(link, 'outside', /outside the model folder/);
    const zero = variant((dir) => {
      rmSync(join(dir, 'weights.bin'));
      symlinkSync('/dev/zero', join(dir, 'weights.bin'));
    });
    await refused(zero, 'outside');
    const modelLink = variant((dir) => {
      writeFileSync(join(root, 'outside.json'), readFileSync(join(dir, 'model.json')));
      rmSync(join(dir, 'model.json'));
      symlinkSync(join(root, 'outside.json'), join(dir, 'model.json'));
      return false;
    });
    await refused(modelLink, 'outside');
    const fifo = variant((dir) => rmSync(join(dir, 'weights.bin')));
    try {
      execFileSync('mkfifo', [join(fifo, 'weights.bin')]);
    } catch {
      return; // no mkfifo on this system
    }
    await refused(fifo, 'not-a-file', /a FIFO, not a regular file/);
  });

  it('weights one byte longer or shorter than declared are refused before reading', async () => {
    const longer = variant((dir) => appendFileSync(join(dir, 'weights.bin'), Buffer.from([0])));
    await refused(longer, 'size', /hold 33 bytes, its weights declare 32/);
    const shorter = variant((dir) => truncateSync(join(dir, 'weights.bin'), 31));
    await refused(shorter, 'size', /hold 31 bytes, its weights declare 32/);
  });

  it('null, an array, deep nesting, not JSON, over the size cap: a typed error naming model.json', async () => {
    const texts: [string, ModelFileProblem, RegExp][] = [
      ['null', 'manifest', /must be a JSON object, got null/],
      ['[]', 'manifest', /must be a JSON object, got an array/],
      ['['.repeat(10_000) + ']'.repeat(10_000), 'json', /nests deeper than 100 levels/],
      ['{"modelTopology": ', 'json', /is not JSON/],
      ['{}', 'manifest', /modelTopology: must be a JSON object, got undefined/],
    ];
    for (const [text, problem, pattern] of texts) {
      const dir = variant((d) => {
        writeFileSync(join(d, 'model.json'), text);
        return false;
      });
      const e = await refused(dir, problem, pattern);
      expect(e.message).toContain(join(dir, 'model.json'));
    }
    const huge = variant((d) => {
      truncateSync(join(d, 'model.json'), MODEL_JSON_MAX_BYTES + 1);
      return false;
    });
    await refused(huge, 'size', /more than the 67108864 a JSON model file may have/);
  });

  it('may not declare weights larger than any file could hold (refused before allocating)', async () => {
    const dir = variant((_, j) => {
      const [group] = j.weightsManifest as { weights: { shape: number[] }[] }[];
      group.weights[0].shape = [1e6, 1e6];
    });
    const start = performance.now();
    await refused(dir, 'manifest', /weightsManifest\[0\]\.weights\[0\]\.shape: declares more than/);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('a model.json without weights', () => {
  it('no weightsManifest, null or [] for a topology with weights: refused, not random weights', async () => {
    const cases: [string, (j: Record<string, unknown>) => void, RegExp][] = [
      ['deleted', (j) => delete j.weightsManifest, /must be an array .*got undefined.*dense/],
      ['null', (j) => (j.weightsManifest = null), /must be an array .*got null/],
      ['empty', (j) => (j.weightsManifest = []), /declares no weights, but .*dense.*\(Dense\)/],
      [
        'no entries',
        (j) => ((j.weightsManifest as { weights: unknown[] }[])[0].weights = []),
        /declares no weights/,
      ],
    ];
    for (const [, edit, pattern] of cases) {
      const dir = variant((_, j) => edit(j));
      const e = await refused(dir, 'manifest', pattern);
      expect(e.entry).toBe('weightsManifest');
      expect(e.message).toContain(join(dir, 'model.json'));
    }
  });

  it('a manifest missing one of the weights: a ModelFileError through loadModel', async () => {
    const dir = variant((d, j) => {
      const [group] = j.weightsManifest as { weights: { name: string }[] }[];
      group.weights = group.weights.filter((w) => !w.name.endsWith('bias'));
      truncateSync(join(d, 'weights.bin'), 24);
    });
    const error = await loadModel(dir).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).message).toMatch(
      /model\.json, weightsManifest: does not match the model's layers: 1 of 2 weights are not set/,
    );
  });

  it('a topology whose layers hold no weights loads without a manifest', async () => {
    const dir = join(root, 'weightless');
    const input = tfl.input({ shape: [4] });
    const model = tfl.model({
      inputs: input,
      outputs: tfl.layers.activation({ activation: 'relu' }).apply(input) as tfl.SymbolicTensor,
    });
    await model.save(fileSystem(dir));
    model.dispose();
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    delete json.weightsManifest;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const loaded = await loadModel(dir);
    expect(loaded.weights).toHaveLength(0);
    loaded.dispose();
  });
});
