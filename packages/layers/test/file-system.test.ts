import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@face/core';
import { fileSystem, registerFileSystemRouter } from '@face/layers';

const dir = mkdtempSync(join(tmpdir(), 'face-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dense(): tfl.LayersModel {
  const input = tfl.input({ shape: [3] });
  return tfl.model({
    inputs: input,
    outputs: tfl.layers.dense({ units: 2 }).apply(input) as tfl.SymbolicTensor,
  });
}

describe('fileSystem IO handler', () => {
  it("writes tfjs-node's layout atomically and reads it back from the directory, model.json or a file:// URL", async () => {
    const model = dense();
    const target = join(dir, 'nested', 'model-a');
    const result = await model.save(fileSystem(target));
    expect(result.modelArtifactsInfo.weightDataBytes).toBe((3 * 2 + 2) * 4);
    // No temporary files left behind; exactly the two files tfjs-node writes.
    expect(readdirSync(target).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(readFileSync(join(target, 'model.json'), 'utf8'));
    expect(json.weightsManifest).toEqual([{ paths: ['weights.bin'], weights: expect.any(Array) }]);
    expect(json.modelTopology.class_name).toBe('Model');
    const x = tf.tensor2d([[1, 2, 3]]);
    const expected = Array.from((model.predict(x) as tf.Tensor).dataSync());
    for (const path of [target, `${target}/`, join(target, 'model.json'), `file://${target}`]) {
      const loaded = await tfl.loadLayersModel(fileSystem(path));
      expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(expected);
    }
  });

  it('overwrites a previous save in place', async () => {
    const target = join(dir, 'model-b');
    await dense().save(fileSystem(target));
    const second = dense();
    await second.save(fileSystem(target));
    const loaded = await tfl.loadLayersModel(fileSystem(target));
    expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
      second.getWeights().map((w) => Array.from(w.dataSync())),
    );
  });

  it('says what is missing', async () => {
    await expect(tfl.loadLayersModel(fileSystem(join(dir, 'nowhere')))).rejects.toThrow(
      /fileSystem: path must be a saved model \(cannot read .*nowhere\/model.json/,
    );
    expect(() => fileSystem('')).toThrow(InvalidArgumentError);
  });

  it('registerFileSystemRouter routes file:// URLs once', async () => {
    expect(registerFileSystemRouter()).toBe(true);
    expect(registerFileSystemRouter()).toBe(false);
    const target = join(dir, 'model-c');
    await dense().save(`file://${target}`);
    expect(existsSync(join(target, 'model.json'))).toBe(true);
    const loaded = await tfl.loadLayersModel(`file://${target}/model.json`);
    expect(loaded.layers).toHaveLength(2);
  });
});

describe('browser safety', () => {
  it('no source file imports a node: module at load time (only import type, or the lazy import)', () => {
    const src = fileURLToPath(new URL('../src', import.meta.url));
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(join(src, file), 'utf8');
      const runtimeNodeImport = /^import (?!type\b)[^;]*from ['"]node:/m;
      expect(runtimeNodeImport.test(text), file).toBe(false);
    }
  });
});
