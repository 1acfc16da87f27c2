import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@face/core';
import { expectClose } from '@face/test-support';
import {
  decodeWeightsArtifacts,
  DLIB_RESNET_MANIFEST,
  faceApiModelDir,
  readWeightsArtifacts,
} from '@face/pretrained';
import { faceApiModels } from './face-api';

type Entry = tf.io.WeightsManifestEntry;

describe('decodeWeightsArtifacts', () => {
  // uint8 [2, 2] (4 bytes), float32 [2] (8 bytes), uint16 [3] (6 bytes), in two shards.
  const entries: Entry[] = [
    {
      name: 'q8',
      shape: [2, 2],
      dtype: 'float32',
      quantization: { dtype: 'uint8', scale: 0.5, min: -1 },
    },
    { name: 'f32', shape: [2], dtype: 'float32' },
    {
      name: 'q16',
      shape: [3],
      dtype: 'float32',
      quantization: { dtype: 'uint16', scale: 0.001, min: 2 },
    },
  ];
  const bytes = new Uint8Array(18);
  bytes.set([0, 1, 2, 255]);
  new DataView(bytes.buffer).setFloat32(4, 1.5, true);
  new DataView(bytes.buffer).setFloat32(8, -3.25, true);
  [0, 1000, 65535].forEach((q, i) => new DataView(bytes.buffer).setUint16(12 + 2 * i, q, true));
  const shards = [bytes.buffer.slice(0, 10), bytes.buffer.slice(10)];

  it('de-quantizes uint8 and uint16 entries as q * scale + min and keeps float32 ones', () => {
    const out = decodeWeightsArtifacts({
      manifest: [{ paths: ['a', 'b'], weights: entries }],
      weightData: shards,
    });
    expectClose(
      out.q8,
      [
        [-1, -0.5],
        [0, 126.5],
      ],
      { rtol: 0, atol: 1e-6 },
    );
    expectClose(out.f32, [1.5, -3.25], { rtol: 0, atol: 0 });
    expectClose(out.q16, [2, 3, 2 + 65.535], { rtol: 1e-6, atol: 1e-6 });
    tf.dispose(out);
  });

  it('rejects truncated data and malformed manifests with errors that say what is wrong', () => {
    const manifest = [{ paths: ['a'], weights: entries }];
    expect(() => decodeWeightsArtifacts({ manifest, weightData: shards[0] })).toThrow(
      /decodeWeightsArtifacts: weightData must be 18 bytes, as the manifest's entries add up to, got "10 bytes"/,
    );
    const noScale = [
      { paths: ['a'], weights: [{ ...entries[0], quantization: { dtype: 'uint8' as const } }] },
    ];
    expect(() => decodeWeightsArtifacts({ manifest: noScale, weightData: shards[0] })).toThrow(
      /manifest\[0\]\.weights\[0\]\.quantization must be finite scale and min/,
    );
    expect(() => decodeWeightsArtifacts({ manifest: {} as never, weightData: shards })).toThrow(
      InvalidArgumentError,
    );
    const badShape = [{ paths: ['a'], weights: [{ ...entries[1], shape: [-1] }] }];
    expect(() => decodeWeightsArtifacts({ manifest: badShape, weightData: shards })).toThrow(
      /weights\[0\]\.shape must be an array of integers >= 0/,
    );
  });
});

describe("reading face-api's dlib ResNet weights", () => {
  const manifestPath = join(faceApiModels, DLIB_RESNET_MANIFEST);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as tf.io.WeightsManifestConfig;
  const bin = new Uint8Array(readFileSync(join(faceApiModels, manifest[0].paths[0])));

  /** Byte equality without vitest's deep diff, which is slow on megabytes. */
  const sameBytes = (data: ArrayBuffer | ArrayBuffer[], expected: Uint8Array) =>
    Buffer.compare(new Uint8Array(tf.io.concatenateArrayBuffers(data)), expected) === 0;

  /** Byte offset of an entry in the shard, from the manifest alone (uint8 entries: 1 byte each). */
  function offsetOf(name: string): number {
    let offset = 0;
    for (const e of manifest[0].weights) {
      if (e.name === name) return offset;
      offset += e.shape.reduce((a, b) => a * b, 1) * (e.quantization ? 1 : 4);
    }
    throw new Error(`no entry ${name}`);
  }

  it('decodes the real shard: quantized entries by the formula, float32 entries as stored', async () => {
    const artifacts = await readWeightsArtifacts(faceApiModels, DLIB_RESNET_MANIFEST);
    const weights = decodeWeightsArtifacts(artifacts);
    const stem = manifest[0].weights[0];
    expect(stem.name).toBe('conv32_down/conv/filters');
    const { scale = NaN, min = NaN } = stem.quantization ?? {};
    const stemValues = weights[stem.name].dataSync();
    expect(stemValues.length).toBe(7 * 7 * 3 * 32);
    for (let i = 0; i < stemValues.length; i += 97) {
      expect(stemValues[i]).toBeCloseTo(bin[i] * scale + min, 6);
    }
    const plain = 'conv64_down/conv1/conv/filters';
    expect(manifest[0].weights.find((e) => e.name === plain)?.quantization).toBeUndefined();
    const start = offsetOf(plain);
    const stored = new DataView(bin.buffer, bin.byteOffset);
    const values = weights[plain].dataSync();
    for (let i = 0; i < values.length; i += 101) {
      expect(values[i]).toBe(stored.getFloat32(start + 4 * i, true));
    }
    expect(Object.keys(weights)).toHaveLength(manifest[0].weights.length);
    tf.dispose(weights);
  });

  it('reads the same bytes from the folder, the manifest path and a file:// URL', async () => {
    const fromDir = await readWeightsArtifacts(faceApiModels, DLIB_RESNET_MANIFEST);
    const fromFile = await readWeightsArtifacts(manifestPath, 'unused.json');
    const fromUrl = await readWeightsArtifacts(pathToFileURL(faceApiModels), DLIB_RESNET_MANIFEST);
    for (const a of [fromDir, fromFile, fromUrl]) {
      expect(a.manifest).toEqual(manifest);
      expect(sameBytes(a.weightData, bin)).toBe(true);
    }
  });

  it('says what is missing when the folder has no manifest', async () => {
    await expect(readWeightsArtifacts('/nonexistent/models', DLIB_RESNET_MANIFEST)).rejects.toThrow(
      /readWeightsArtifacts: source must be a readable weights manifest and shards/,
    );
    await expect(readWeightsArtifacts(42 as never, DLIB_RESNET_MANIFEST)).rejects.toThrow(
      InvalidArgumentError,
    );
  });

  it("finds face-api's model folder from a directory where it is installed", async () => {
    // (Its failure cannot be provoked here: pnpm's NODE_PATH makes face-api resolve from anywhere.)
    expect(await faceApiModelDir(join(faceApiModels, '..', '..'))).toBe(faceApiModels);
  });

  describe('over http', () => {
    let server: Server;
    let base = '';
    beforeAll(async () => {
      server = createServer((req, res) => {
        const file = (req.url ?? '').replace(/^\/models\//, '');
        try {
          const body = readFileSync(join(faceApiModels, file));
          res.writeHead(200).end(body);
        } catch {
          res.writeHead(404).end();
        }
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const address = server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/models`;
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    it('fetches the manifest and its shards relative to it', async () => {
      for (const source of [base, `${base}/`, `${base}/${DLIB_RESNET_MANIFEST}`]) {
        const a = await readWeightsArtifacts(source, DLIB_RESNET_MANIFEST);
        expect(a.manifest).toEqual(manifest);
        expect(sameBytes(a.weightData, bin)).toBe(true);
      }
    });

    it('reports the HTTP status of a missing file', async () => {
      await expect(readWeightsArtifacts(`${base}/nope`, DLIB_RESNET_MANIFEST)).rejects.toThrow(
        /a URL that answers 200 \(got HTTP 404\)/,
      );
    });
  });
});
