import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaceError,
  MODEL_JSON_MAX_BYTES,
  ModelFileError,
  checkModelPath,
  checkWeightsManifest,
  fetchModelBytes,
  fetchWeightShards,
  openModelFolder,
  parseModelJson,
  readWeightShards,
  requireObject,
  resolveModelUrl,
  type ModelFileProblem,
} from '@face/core';

const root = mkdtempSync(join(tmpdir(), 'face-hostile-core-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
// Unique bytes outside the model folder: they must never come back in any output.
const canaryText = `CANARY-${randomBytes(12).toString('hex')}`;
const canary = new TextEncoder().encode(canaryText.padEnd(64, '#'));
writeFileSync(join(root, 'canary.bin'), canary);
const model = join(root, 'deep', 'model');
mkdirSync(model, { recursive: true });
writeFileSync(join(model, 'weights.bin'), new Uint8Array(64).fill(7));

/** Awaits `work` and asserts a ModelFileError with `problem`, whose message holds no canary byte run. */
async function refused(
  work: Promise<unknown> | (() => unknown),
  problem: ModelFileProblem,
  text?: RegExp,
): Promise<ModelFileError> {
  let error: unknown;
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ModelFileError);
  expect(error).toBeInstanceOf(FaceError);
  const e = error as ModelFileError;
  expect(e.problem).toBe(problem);
  if (text) expect(e.message).toMatch(text);
  expect(e.message).not.toContain(canaryText.slice(0, 16));
  return e;
}

describe('checkModelPath', () => {
  it('accepts relative names inside the folder', () => {
    for (const ok of ['weights.bin', 'group1-shard1of2.bin', 'sub/dir/shard.bin', '..x', 'a..b']) {
      expect(checkModelPath('m.json', 'paths[0]', ok)).toBe(ok);
    }
  });

  it('refuses climbing out, absolute paths, drive letters, schemes, backslashes, NUL and escapes', async () => {
    const bad = [
      '../../canary.bin',
      'a/../../b',
      '..',
      '/etc/passwd',
      'C:\\Windows\\win.ini',
      'C:x',
      '\\\\server\\share',
      'a\\..\\..\\b',
      'http://evil.example/x.bin',
      'file:///etc/passwd',
      '//evil.example/x.bin',
      'a\u0000b',
      'a\nb',
      '%2e%2e/x',
      'x?y',
      'x#y',
      '.',
      './',
      'a//b',
      '',
      'x'.repeat(2000),
      42,
      null,
    ];
    for (const name of bad) {
      const e = await refused(() => checkModelPath('m.json', 'paths[1]', name), 'unsafe-path');
      expect(e.file).toBe('m.json');
      expect(e.entry).toBe('paths[1]');
    }
    await refused(() => checkModelPath('m', 'weights.file', 'a/b', { plain: true }), 'unsafe-path');
  });

  it("accepts '.' segments (tfjs's downloads:// writes ./name.weights.bin) and drops them", () => {
    expect(checkModelPath('m.json', 'paths[0]', './face.weights.bin')).toBe('face.weights.bin');
    expect(checkModelPath('m.json', 'paths[0]', 'a/./b.bin')).toBe('a/b.bin');
    expect(checkModelPath('m', 'weights.file', './w.bin', { plain: true })).toBe('w.bin');
  });

  it('resolveModelUrl keeps paths under the manifest URL directory', async () => {
    const base = new URL('https://models.example/face/v1/model.json');
    expect(resolveModelUrl(base, 'p', 'shard1.bin').href).toBe(
      'https://models.example/face/v1/shard1.bin',
    );
    for (const name of ['../secret.bin', '%2e%2e/secret', '//other.example/x', 'https://other/x']) {
      await refused(() => resolveModelUrl(base, 'p', name), 'unsafe-path');
    }
  });
});

describe('parseModelJson', () => {
  it('refuses deep nesting before parsing, and reports text that is not JSON', async () => {
    await refused(
      () => parseModelJson('m.json', '['.repeat(10_000) + ']'.repeat(10_000)),
      'json',
      /deeper than 100/,
    );
    await refused(() => parseModelJson('m.json', '{"a":'.repeat(10_000)), 'json', /deeper/);
    await refused(() => parseModelJson('m.json', 'not json'), 'json', /m.json: is not JSON/);
    // Brackets inside strings are not nesting.
    expect(parseModelJson('m.json', JSON.stringify({ s: '[[[['.repeat(1000) }))).toEqual({
      s: '[[[['.repeat(1000),
    });
  });

  it('requireObject names the file for null, arrays and scalars', async () => {
    for (const [text, got] of [
      ['null', 'null'],
      ['[]', 'an array'],
      ['3', 'number'],
    ]) {
      await refused(
        () => requireObject('m.json', null, parseModelJson('m.json', text)),
        'manifest',
        new RegExp(`model file m.json: must be a JSON object, got ${got}`),
      );
    }
  });

  it('checkWeightsManifest sizes groups and refuses declarations past the limit', async () => {
    const groups = checkWeightsManifest('m.json', 'weightsManifest', [
      {
        paths: ['a.bin', 'b.bin'],
        weights: [
          { name: 'w', shape: [2, 3], dtype: 'float32' },
          {
            name: 'q',
            shape: [5],
            dtype: 'float32',
            quantization: { dtype: 'uint8', scale: 1, min: 0 },
          },
        ],
      },
    ]);
    expect(groups).toEqual([
      {
        paths: ['a.bin', 'b.bin'],
        entries: ['weightsManifest[0].paths[0]', 'weightsManifest[0].paths[1]'],
        byteLength: 29,
      },
    ]);
    const huge = [
      { paths: ['a.bin'], weights: [{ name: 'w', shape: [1e7, 1e7], dtype: 'float32' }] },
    ];
    await refused(
      () => checkWeightsManifest('m.json', 'weightsManifest', huge),
      'manifest',
      /more than/,
    );
    const e = await refused(
      () =>
        checkWeightsManifest('m.json', 'weightsManifest', [
          { paths: ['w.bin', '../../canary.bin'], weights: [] },
        ]),
      'unsafe-path',
    );
    expect(e.entry).toBe('weightsManifest[0].paths[1]');
    for (const bad of [
      null,
      {},
      [null],
      [{ paths: [], weights: [] }],
      [{ paths: ['a'], weights: [{ name: 'w', shape: [-1], dtype: 'float32' }] }],
      [{ paths: ['a'], weights: [{ name: 'w', shape: [1], dtype: 'toString' }] }],
    ]) {
      await refused(() => checkWeightsManifest('m.json', 'weightsManifest', bad), 'manifest');
    }
  });
});

describe('openModelFolder', () => {
  it('reads a regular file inside the folder of exactly the declared size', async () => {
    const folder = await openModelFolder(model);
    const file = await folder.stat('weights.bin', 'paths[0]');
    expect(file.size).toBe(64);
    expect(Array.from(await folder.read(file, 'paths[0]', 64))).toEqual(new Array(64).fill(7));
  });

  it('refuses symlinks leading out (even to a file of the right size), devices, FIFOs, directories', async () => {
    const dir = join(root, 'links');
    mkdirSync(dir);
    symlinkSync(join(root, 'canary.bin'), join(dir, 'outside.bin'));
    symlinkSync('../canary.bin', join(dir, 'relative.bin'));
    symlinkSync('/dev/zero', join(dir, 'zero.bin'));
    symlinkSync(dir, join(dir, 'self'));
    mkdirSync(join(dir, 'adir'));
    const folder = await openModelFolder(dir);
    for (const name of ['outside.bin', 'relative.bin', 'zero.bin']) {
      await refused(folder.stat(name, 'paths[0]'), 'outside', /outside the model folder/);
    }
    await refused(folder.stat('self', 'paths[0]'), 'outside');
    await refused(folder.stat('adir', 'paths[0]'), 'not-a-file', /a directory/);
    await refused(folder.stat('nope.bin', 'paths[0]'), 'missing');
    // /dev/zero named by a folder that is itself /dev: a device is not a regular file.
    await refused((await openModelFolder('/dev')).stat('zero', 'paths[0]'), 'not-a-file', /device/);
    let fifo = false;
    try {
      execFileSync('mkfifo', [join(dir, 'pipe.bin')]);
      fifo = true;
    } catch {
      /* no mkfifo here */
    }
    if (fifo) await refused(folder.stat('pipe.bin', 'paths[0]'), 'not-a-file', /FIFO/);
  });

  it('checks sizes before reading: one byte longer or shorter is an error', async () => {
    const folder = await openModelFolder(model);
    const file = await folder.stat('weights.bin', 'paths[0]');
    await refused(
      folder.read(file, 'paths[0]', 63),
      'size',
      /has 64 bytes, the manifest declares 63/,
    );
    await refused(
      folder.read(file, 'paths[0]', 65),
      'size',
      /has 64 bytes, the manifest declares 65/,
    );
    const groups = checkWeightsManifest('m.json', 'm', [
      { paths: ['weights.bin'], weights: [{ name: 'w', shape: [17], dtype: 'float32' }] },
    ]);
    await refused(
      readWeightShards(folder, 'm.json', groups),
      'size',
      /hold 64 bytes, its weights declare 68/,
    );
  });

  it('refuses a JSON file over the cap without reading it', async () => {
    const dir = join(root, 'big');
    mkdirSync(dir);
    // Sparse: 64 MiB + 1 byte on paper, nothing on disk.
    writeFileSync(join(dir, 'model.json'), '');
    truncateSync(join(dir, 'model.json'), MODEL_JSON_MAX_BYTES + 1);
    const start = performance.now();
    await refused((await openModelFolder(dir)).readJson('model.json', null), 'size', /more than/);
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe('over http', () => {
  let server: Server;
  let base = '';
  const requested: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      requested.push(req.url ?? '');
      const url = req.url ?? '';
      if (url === '/secret.bin') res.writeHead(200).end(canary);
      else if (url === '/m/long.bin')
        res.writeHead(200, { 'content-length': 65 }).end(new Uint8Array(65));
      else if (url === '/m/chunked.bin') {
        // No Content-Length: the reader must count and stop.
        res.writeHead(200, { 'transfer-encoding': 'chunked' });
        for (let i = 0; i < 8; i++) res.write(new Uint8Array(32));
        res.end();
      } else if (url.startsWith('/m/')) res.writeHead(200).end(new Uint8Array(64));
      else res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('bounds downloads by the declared size (Content-Length, then counted bytes)', async () => {
    expect((await fetchModelBytes(new URL(`${base}/m/ok.bin`), { exactBytes: 64 })).length).toBe(
      64,
    );
    await refused(
      fetchModelBytes(new URL(`${base}/m/long.bin`), { exactBytes: 64 }),
      'size',
      /65 bytes \(Content-Length\)/,
    );
    await refused(fetchModelBytes(new URL(`${base}/m/ok.bin`), { exactBytes: 65 }), 'size');
    await refused(
      fetchModelBytes(new URL(`${base}/m/chunked.bin`), { exactBytes: 64 }),
      'size',
      /more than 64 bytes/,
    );
    await refused(fetchModelBytes(new URL(`${base}/nope`), {}), 'missing', /HTTP 404/);
  });

  it('fetches no shard outside the manifest URL directory', async () => {
    const manifestUrl = new URL(`${base}/m/model.json`);
    for (const name of [
      '../secret.bin',
      '%2e%2e/secret.bin',
      `${base}/secret.bin`,
      '//127.0.0.1/secret.bin',
    ]) {
      const groups = [{ paths: [name], entries: ['manifest[0].paths[0]'], byteLength: 64 }];
      await refused(fetchWeightShards(manifestUrl, groups), 'unsafe-path');
    }
    expect(requested).not.toContain('/secret.bin');
  });
});
