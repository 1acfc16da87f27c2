// What the CLI writes, on hostile ground: --resume with nothing to resume, a fresh run over a run's
// outputs, --out / --report inside the --model folder, a full disk under embed and eval, a model
// whose weights manifest is gone or empty, and the one line of an I/O failure.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ioFailureLine } from '../src/main';
import { diskFull } from '@face/test-support';
import { TINY_MODEL, face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'face-cli-hostile-outputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tiny = [...TINY_MODEL, '--batch', '8', '--val-identities', '0', '--backend', 'cpu'];
const synthetic = ['--data', 'synthetic', '--identities', '4', '--images-per-identity', '4'];
const train = (out: string, ...more: string[]) =>
  face('train', ...synthetic, '--out', out, ...tiny, '--epochs', '1', ...more);
const data = [...synthetic, '--backend', 'cpu'];

/** Every file under `dir` with its bytes (to show nothing was overwritten). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile() && e.name !== '.lock')
      out[join(e.parentPath, e.name)] = readFileSync(join(e.parentPath, e.name)).toString('base64');
  return out;
}

let model: string;
beforeAll(async () => {
  const r = await train(join(root, 'trained'));
  expect(r.code, r.err).toBe(0);
  model = join(root, 'trained', 'model');
});

describe('face train never starts over silently', () => {
  const nothing = (out: string) =>
    `face train: nothing to resume in ${out}: no checkpoint; run without --resume to start a new run`;

  it('--resume on a missing or empty folder: one line, exit 1, nothing created', async () => {
    const missing = join(root, 'missing');
    const r = await train(missing, '--resume');
    expect([r.code, r.err]).toEqual([1, nothing(missing)]);
    expect(existsSync(missing)).toBe(false);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const e = await train(empty, '--resume');
    expect([e.code, e.err]).toEqual([1, nothing(empty)]);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('logs and model/ but checkpoints/ gone or empty: --resume refused, a fresh run refused', async () => {
    const out = join(root, 'no-checkpoints');
    cpSync(join(root, 'trained'), out, { recursive: true });
    rmSync(join(out, 'checkpoints'), { recursive: true });
    const before = snapshot(out);
    for (const emptyFolder of [false, true]) {
      if (emptyFolder) mkdirSync(join(out, 'checkpoints'));
      const r = await train(out, '--resume');
      expect([r.code, r.err]).toEqual([1, nothing(out)]);
      const fresh = await train(out);
      expect(fresh.code).toBe(1);
      expect(fresh.err).toMatch(
        /^face train: classification: .* already holds a run \(log\.jsonl, log\.csv, keep-best\.json, model\/, and no checkpoint to resume from\); delete them to start over or choose another directory\. Nothing was overwritten\.$/,
      );
      expect(snapshot(out)).toEqual(before);
    }
  });

  it('sequential: phase folders without checkpoints, the same', async () => {
    const out = join(root, 'seq');
    const seq = ['--recipe', 'sequential', '--classification-epochs', '1'];
    expect((await train(out, ...seq)).code).toBe(0);
    for (const phase of ['phase1', 'phase2'])
      rmSync(join(out, phase, 'checkpoints'), { recursive: true });
    const before = snapshot(out);
    const r = await train(out, ...seq, '--resume');
    expect([r.code, r.err]).toEqual([1, nothing(out)]);
    const fresh = await train(out, ...seq);
    expect(fresh.code).toBe(1);
    expect(fresh.err).toMatch(/phase1 already holds a run .*Nothing was overwritten\.$/);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('outputs inside the model folder are refused', () => {
  it('embed --out and eval --report inside --model: usage error naming the flag, model intact', async () => {
    const before = snapshot(model);
    for (const out of [join(model, 'face-model.json'), join(model, 'backbone', 'x.npy')]) {
      const r = await face('embed', '--model', model, ...data, '--out', out);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /^face embed: flag --out names .* which lies inside the --model folder/,
      );
    }
    for (const dir of [model, join(model, 'report')]) {
      const r = await face('eval', '--model', model, ...data, '--split', 'all', '--report', dir);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^face eval: flag --report names .* inside the --model folder/);
    }
    // Through a relative path with `..` too.
    const sneaky = join(model, '..', 'model', 'face-model.json');
    expect((await face('embed', '--model', model, ...data, '--out', sneaky)).code).toBe(2);
    expect(snapshot(model)).toEqual(before);
    // A sibling whose name starts like the folder's is outside.
    const sibling = `${model}-embeddings.json`;
    expect((await face('embed', '--model', model, ...data, '--out', sibling)).code).toBe(0);
  });
});

describe('a full disk under embed and eval keeps the previous output', () => {
  it('embed --out: the old file stays whole, no temporary file, one line naming the file', async () => {
    const dir = join(root, 'embeddings');
    for (const out of [join(dir, 'faces.json'), join(dir, 'faces.npy')]) {
      expect((await face('embed', '--model', model, ...data, '--out', out)).code).toBe(0);
      const before = snapshot(dir);
      const r = await diskFull(out, () => face('embed', '--model', model, ...data, '--out', out));
      expect(r.code).toBe(1);
      expect(r.err.split('\n').at(-1)).toBe(
        `face embed: I/O failure: write ${out}: no space left on the device (ENOSPC)`,
      );
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it('eval --report: report.json stays whole', async () => {
    const dir = join(root, 'report');
    const args = [
      'eval',
      '--model',
      model,
      ...data,
      '--split',
      'seen',
      '--task',
      'classification',
      '--report',
      dir,
    ];
    expect((await face(...args)).code).toBe(0);
    const before = snapshot(dir);
    const r = await diskFull('report.json', () => face(...args));
    expect(r.code).toBe(1);
    expect(r.err.split('\n').at(-1)).toBe(
      `face eval: I/O failure: write ${join(dir, 'report.json')}: no space left on the device (ENOSPC)`,
    );
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('outputs made of several files are replaced as one', () => {
  it('embed --out x.npy: a full disk on x.npy.json leaves the old matrix too', async () => {
    const dir = join(root, 'pair');
    const out = join(dir, 'faces.npy');
    expect((await face('embed', '--model', model, ...data, '--out', out)).code).toBe(0);
    const before = snapshot(dir);
    const r = await diskFull(`${out}.json`, () =>
      face('embed', '--model', model, ...data, '--out', out),
    );
    expect(r.code).toBe(1);
    expect(r.err.split('\n').at(-1)).toContain(`${out}.json`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('eval --report: a full disk on a figure leaves report.json and every figure as they were', async () => {
    const dir = join(root, 'report-set');
    const args = [
      'eval',
      '--model',
      model,
      ...data,
      '--split',
      'all',
      '--task',
      'pairs',
      '--report',
      dir,
    ];
    expect((await face(...args)).code).toBe(0);
    const before = snapshot(dir);
    expect(Object.keys(before).some((name) => name.endsWith('.svg'))).toBe(true);
    const r = await diskFull('.svg', () => face(...args));
    expect(r.code).toBe(1);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('a model without weights', () => {
  it('weightsManifest deleted or empty: the ModelFileError line, exit 1 (not a usage error)', async () => {
    for (const [label, edit] of [
      ['deleted', (j: Record<string, unknown>) => delete j.weightsManifest],
      ['empty', (j: Record<string, unknown>) => (j.weightsManifest = [])],
    ] as const) {
      const dir = join(root, `no-weights-${label}`);
      cpSync(model, dir, { recursive: true });
      const file = join(dir, 'backbone', 'model.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      edit(json);
      writeFileSync(file, JSON.stringify(json));
      const r = await face('embed', '--model', dir, ...data, '--out', join(root, 'e.json'));
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        new RegExp(
          `^face embed: model file ${file}, weightsManifest: (must be an array|declares no weights)`,
        ),
      );
    }
  });
});

describe('ioFailureLine', () => {
  it('one clean line; the path when the error has one', () => {
    const write = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      syscall: 'write',
    });
    expect(ioFailureLine(write)).toBe('I/O failure: write: no space left on the device (ENOSPC)');
    expect(ioFailureLine(Object.assign(write, { path: '/runs/a/log.jsonl' }))).toBe(
      'I/O failure: write /runs/a/log.jsonl: no space left on the device (ENOSPC)',
    );
    const odd = Object.assign(new Error("ESTALE: stale file handle, open '/mnt/x'"), {
      code: 'ESTALE',
      syscall: 'open',
      path: '/mnt/x',
    });
    expect(ioFailureLine(odd)).toBe('I/O failure: open /mnt/x: stale file handle (ESTALE)');
    const renamed = Object.assign(new Error('EXDEV: cross-device link not permitted, rename'), {
      code: 'EXDEV',
      syscall: 'rename',
      path: '/a\nb',
      dest: '/c',
    });
    expect(ioFailureLine(renamed)).toBe(
      'I/O failure: rename /a b -> /c: cross-device rename (EXDEV)',
    );
  });
});
