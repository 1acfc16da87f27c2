// `face train` on hostile run directories: held or stale locks, a renamed identity folder, corrupt
// checkpoints, a full disk, an --out that cannot be a directory.
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import type * as NodeFsPromises from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticFaces } from '@face/data';
import { ioFailureLine } from '../src/main';
import { TINY_MODEL, face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'face-cli-hostile-runs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const people = ['person_a', 'person_b', 'person_c', 'person_d', 'person_e'];
const common = [...TINY_MODEL, '--batch', '8', '--val-identities', '0', '--backend', 'cpu'];
const train = (data: string, out: string, ...more: string[]) =>
  face('train', '--data', data, '--out', out, ...common, ...more);
const synthetic = (out: string, ...more: string[]) =>
  face(
    'train',
    '--data',
    'synthetic',
    '--identities',
    '6',
    '--images-per-identity',
    '4',
    '--out',
    out,
    ...common,
    ...more,
  );
const epochs = (out: string) =>
  readFileSync(join(out, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { epoch: number }).epoch);
const steps = (out: string) =>
  readdirSync(join(out, 'checkpoints'))
    .filter((n) => n.startsWith('step-'))
    .sort();

beforeAll(async () => {
  const faces = new SyntheticFaces({
    identities: people.length,
    imagesPerIdentity: 4,
    size: 16,
    seed: 5,
  });
  for (let i = 0; i < faces.size; i++) {
    const dir = join(root, 'faces', people[faces.labels[i]]);
    mkdirSync(dir, { recursive: true });
    const img = await faces.load(i);
    await sharp(Buffer.from(img.data), { raw: { width: 16, height: 16, channels: 3 } })
      .png()
      .toFile(join(dir, `${i}.png`));
  }
});

describe('face train refuses to corrupt a run', () => {
  it('two runs on one --out at once: one is refused naming the holder, logs are not mixed', async () => {
    const out = join(root, 'concurrent');
    const [a, b] = await Promise.all([
      synthetic(out, '--epochs', '2'),
      synthetic(out, '--epochs', '2'),
    ]);
    expect([a.code, b.code].sort()).toEqual([0, 1]);
    const refused = a.code === 1 ? a : b;
    expect(refused.err).toMatch(
      new RegExp(
        `^face train: run directory is in use: .*\\.lock is held by process ${process.pid} on ${hostname()}`,
      ),
    );
    expect(refused.err.split('\n')).toHaveLength(1);
    expect(epochs(out)).toEqual([0, 1]);
  });

  it('a stale lock (dead pid) is taken over and the CLI says so', async () => {
    const out = join(root, 'stale');
    mkdirSync(out, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(
      join(out, '.lock'),
      JSON.stringify({ pid: dead, hostname: hostname(), startedAt: 'x' }),
    );
    const r = await synthetic(out, '--epochs', '1');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      new RegExp(`took over the stale run lock .*process ${dead} .*no longer running`),
    );
  });

  it('a renamed identity folder: --resume fails with what changed', async () => {
    const data = join(root, 'renamed-data');
    rmSync(data, { recursive: true, force: true });
    mkdirSync(data);
    for (const p of people) renameSync(join(root, 'faces', p), join(data, p));
    const out = join(root, 'renamed');
    try {
      expect((await train(data, out, '--epochs', '1')).code).toBe(0);
      renameSync(join(data, 'person_c'), join(data, 'person_cc'));
      const r = await train(data, out, '--epochs', '2', '--resume');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        /class names changed: 1 of 5 differ, first at class 2: 'person_c' -> 'person_cc'.*file list changed/,
      );
      renameSync(join(data, 'person_cc'), join(data, 'person_c'));
    } finally {
      for (const p of people) renameSync(join(data, p), join(root, 'faces', p));
    }
  });

  it('a corrupt latest checkpoint falls back (and says so); only corrupt ones: no resume, no fresh start', async () => {
    const out = join(root, 'corrupt');
    expect((await synthetic(out, '--epochs', '2')).code).toBe(0);
    const [older, latest] = steps(out);
    const weights = join(out, 'checkpoints', latest, 'weights.bin');
    const bytes = readFileSync(weights);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(weights, bytes);
    const r = await synthetic(out, '--epochs', '2', '--resume');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(new RegExp(`resuming from .*${older} .*skipped 1 checkpoint.*CRC-32`));
    expect(epochs(out)).toEqual([0, 1]);

    for (const s of steps(out)) writeFileSync(join(out, 'checkpoints', s, 'manifest.json'), '');
    const resumed = await synthetic(out, '--epochs', '3', '--resume');
    expect(resumed.code).toBe(1);
    expect(resumed.err).toMatch(
      /^face train: no valid checkpoint in .*refusing to resume or to start over/,
    );
    const fresh = await synthetic(out, '--epochs', '3');
    expect(fresh.code).toBe(2);
    expect(fresh.err).toMatch(/already holds a run .*Nothing was overwritten/);
    expect(epochs(out)).toEqual([0, 1]);
  });
});

describe('I/O failures: one line, exit 1, and the next --resume works', () => {
  it('ENOSPC while writing a checkpoint', async () => {
    const out = join(root, 'enospc');
    const fsp = createRequire(import.meta.url)('node:fs/promises') as typeof NodeFsPromises;
    const open = fsp.open;
    let weights = 0;
    // The second checkpoint's weights run out of space halfway through.
    (fsp as { open: unknown }).open = async (...args: Parameters<typeof open>) => {
      const handle = await open(...args);
      const path = String(args[0]);
      if (path.includes(out) && path.endsWith('weights.bin') && ++weights === 2) {
        const write = handle.writeFile.bind(handle);
        handle.writeFile = (async (data: Uint8Array) => {
          await write(data.subarray(0, data.length >> 1));
          throw Object.assign(new Error(`ENOSPC: no space left on device, write`), {
            code: 'ENOSPC',
            syscall: 'write',
            path,
          });
        }) as typeof handle.writeFile;
      }
      return handle;
    };
    syncBuiltinESMExports();
    let r;
    try {
      r = await synthetic(out, '--epochs', '3');
    } finally {
      (fsp as { open: unknown }).open = open;
      syncBuiltinESMExports();
    }
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^face train: I\/O failure: write .*checkpoints\/\.tmp-step-\d+-[^/]+\/weights\.bin: no space left on the device \(ENOSPC\)$/,
    );
    expect(r.err).not.toContain('\n');
    const resumed = await synthetic(out, '--epochs', '3', '--resume');
    expect(resumed.err).toBe('');
    expect(resumed.code).toBe(0);
    expect(epochs(out)).toEqual([0, 1, 2]);
    expect(readdirSync(join(out, 'checkpoints')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('an --out below a regular file (ENOTDIR)', async () => {
    writeFileSync(join(root, 'a-file'), 'x');
    const r = await synthetic(join(root, 'a-file', 'run'), '--epochs', '1');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^face train: I\/O failure: mkdir .*a-file.*: a part of the path is not a directory \(ENOTDIR\)$/,
    );
  });

  it('ioFailureLine: Node system errors get a line, programming errors do not', () => {
    const eacces = Object.assign(new Error('EACCES: permission denied, open'), {
      code: 'EACCES',
      syscall: 'open',
      path: '/x/y',
    });
    expect(ioFailureLine(eacces)).toBe('I/O failure: open /x/y: permission denied (EACCES)');
    expect(ioFailureLine(new TypeError('x is undefined'))).toBeNull();
    expect(
      ioFailureLine(Object.assign(new Error('odd'), { code: 'ERR_INVALID_ARG_TYPE' })),
    ).toBeNull();
  });
});
