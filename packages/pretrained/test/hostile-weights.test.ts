import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, ModelFileError, type ModelFileProblem } from '@face/core';
import { decodeWeightsArtifacts, readWeightsArtifacts } from '@face/pretrained';

const MANIFEST = 'tiny-weights_manifest.json';
const root = mkdtempSync(join(tmpdir(), 'face-hostile-weights-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
// 16 unique bytes outside every model folder, as long as the one shard.
const canary = randomBytes(16);
const canaryPath = join(root, 'canary.bin');
writeFileSync(canaryPath, canary);
const shard = new Float32Array([1, 2, 3, 4]);
const manifest = (paths: unknown[] = ['tiny-shard1']) => [
  { paths, weights: [{ name: 'fc', shape: [4], dtype: 'float32' }] },
];

let n = 0;
/** A model folder `root/models/f<n>` with the manifest `json` (text or value) and the shard. */
function folder(json: unknown = manifest(), edit?: (dir: string) => void): string {
  const dir = join(root, 'models', `f${n++}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MANIFEST), typeof json === 'string' ? json : JSON.stringify(json));
  writeFileSync(join(dir, 'tiny-shard1'), new Uint8Array(shard.buffer));
  edit?.(dir);
  return dir;
}

function noCanary(text: string) {
  expect(Buffer.from(text).toString('hex')).not.toContain(canary.toString('hex').slice(0, 12));
}

async function refused(source: string, problem: ModelFileProblem, text?: RegExp) {
  const error = await readWeightsArtifacts(source, MANIFEST).then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ModelFileError);
  const e = error as ModelFileError;
  expect(e.problem).toBe(problem);
  if (text) expect(e.message).toMatch(text);
  noCanary(e.message);
  return e;
}

describe('readWeightsArtifacts from a hostile folder', () => {
  it('reads the untouched folder', async () => {
    const a = await readWeightsArtifacts(folder(), MANIFEST);
    const { fc } = decodeWeightsArtifacts(a);
    expect(Array.from(fc.dataSync())).toEqual([1, 2, 3, 4]);
    fc.dispose();
  });

  it('refuses shard paths that climb out, absolute paths, and symlinks leading out', async () => {
    const e = await refused(folder(manifest(['tiny-shard1', '../../canary.bin'])), 'unsafe-path');
    expect(e.entry).toBe('manifest[0].paths[1]');
    expect(e.file).toMatch(new RegExp(`${MANIFEST}$`));
    await refused(folder(manifest([canaryPath])), 'unsafe-path', /is absolute/);
    const link = folder(manifest(), (dir) => {
      rmSync(join(dir, 'tiny-shard1'));
      symlinkSync(canaryPath, join(dir, 'tiny-shard1'));
    });
    await refused(link, 'outside', /tiny-shard1.*outside the model folder/);
    const zero = folder(manifest(), (dir) => {
      rmSync(join(dir, 'tiny-shard1'));
      symlinkSync('/dev/zero', join(dir, 'tiny-shard1'));
    });
    await refused(zero, 'outside');
  });

  it('refuses a shard one byte longer or shorter than the manifest declares', async () => {
    const longer = folder(manifest(), (d) => appendFileSync(join(d, 'tiny-shard1'), 'x'));
    await refused(longer, 'size', /hold 17 bytes, its weights declare 16/);
    const shorter = folder(manifest(), (d) => truncateSync(join(d, 'tiny-shard1'), 15));
    await refused(shorter, 'size', /hold 15 bytes, its weights declare 16/);
  });

  it('refuses manifests that are null, objects, deeply nested or not JSON, naming the file', async () => {
    for (const [json, problem] of [
      ['null', 'manifest'],
      ['{}', 'manifest'],
      ['['.repeat(10_000), 'json'],
      ['nope', 'json'],
    ] as const) {
      const e = await refused(folder(json), problem);
      expect(e.message).toContain(MANIFEST);
    }
  });

  it('keeps the old argument error when the folder has no manifest', async () => {
    await expect(readWeightsArtifacts(join(root, 'nowhere'), MANIFEST)).rejects.toThrow(
      InvalidArgumentError,
    );
  });
});

describe('readWeightsArtifacts over http', () => {
  let server: Server;
  let base = '';
  const requested: string[] = [];
  const manifests: Record<string, unknown> = {};
  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = req.url ?? '';
      requested.push(url);
      const body = new Uint8Array(shard.buffer);
      const name = url.split('/').pop() ?? '';
      if (url === '/secret.bin') res.writeHead(200).end(canary);
      else if (name === MANIFEST && manifests[url] !== undefined)
        res.writeHead(200).end(JSON.stringify(manifests[url]));
      else if (url === '/m/long/tiny-shard1')
        res.writeHead(200, { 'content-length': 17 }).end(Buffer.concat([body, Buffer.from('x')]));
      else if (url === '/m/chunked/tiny-shard1') {
        res.writeHead(200, { 'transfer-encoding': 'chunked' });
        for (let i = 0; i < 64; i++) res.write(body);
        res.end();
      } else if (url === '/m/short/tiny-shard1') res.writeHead(200).end(body.subarray(0, 15));
      else if (name === 'tiny-shard1') res.writeHead(200).end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    for (const name of ['good', 'long', 'chunked', 'short'])
      manifests[`/m/${name}/${MANIFEST}`] = manifest();
    manifests[`/m/climb/${MANIFEST}`] = manifest(['../../secret.bin']);
    manifests[`/m/encoded/${MANIFEST}`] = manifest(['%2e%2e/%2e%2e/secret.bin']);
    manifests[`/m/origin/${MANIFEST}`] = manifest([`${base}/secret.bin`]);
    manifests[`/m/noscheme/${MANIFEST}`] = manifest([
      `//localhost:${base.split(':')[2]}/secret.bin`,
    ]);
    manifests[`/m/null/${MANIFEST}`] = null;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('reads a good manifest and its shard', async () => {
    const a = await readWeightsArtifacts(`${base}/m/good`, MANIFEST);
    const { fc } = decodeWeightsArtifacts(a);
    expect(Array.from(fc.dataSync())).toEqual([1, 2, 3, 4]);
    tf.dispose(fc);
  });

  it('fetches nothing outside the manifest URL directory', async () => {
    for (const name of ['climb', 'encoded', 'origin', 'noscheme']) {
      const e = await refused(`${base}/m/${name}`, 'unsafe-path');
      expect(e.entry).toBe('manifest[0].paths[0]');
    }
    expect(requested.filter((u) => u.includes('secret'))).toEqual([]);
  });

  it('stops a download longer or shorter than declared', async () => {
    await refused(`${base}/m/long`, 'size', /17 bytes \(Content-Length\), expected 16 bytes/);
    await refused(`${base}/m/chunked`, 'size', /sent more than 16 bytes/);
    await refused(`${base}/m/short`, 'size', /sent 15 bytes, expected 16 bytes/);
    await refused(`${base}/m/null`, 'manifest', /must be an array of weight groups/);
  });
});
