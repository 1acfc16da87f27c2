// `face eval --report` says in report.json which people the numbers are about (--split, with the
// identities and images kept and left out) and whether embeddings were flip-averaged (--flip-tta).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_MODEL, face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'loose-eval-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const cpu = ['--backend', 'cpu'];
const model = join(root, 'run', 'model');
// 8 drawn people; 6 train, 2 are held out for verification (--val-identities 0.25).
const people = ['--data', 'synthetic', '--identities', '8', '--images-per-identity', '4'];

beforeAll(async () => {
  const r = await face(
    'train', ...people, '--out', join(root, 'run'), ...TINY_MODEL, '--epochs', '1',
    '--batch', '8', '--val-images', '0', '--val-identities', '0.25', ...cpu,
  ); // prettier-ignore
  expect(r.code, r.err).toBe(0);
});

const report = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
const evaluate = (dir: string, ...more: string[]) =>
  face('eval', '--model', model, ...people, '--task', 'pairs', '--pairs-per-fold', '4',
    '--folds', '2', '--report', dir, ...cpu, ...more); // prettier-ignore

describe('report.json of face eval', () => {
  it('--split all: everyone kept, those seen in training counted; no flip TTA', async () => {
    const dir = join(root, 'all');
    const r = await evaluate(dir, '--split', 'all');
    expect(r.code, r.err).toBe(0);
    const json = report(dir);
    expect(json.split).toEqual({
      split: 'all',
      identities: { total: 8, seenInTraining: 6, kept: 8, leftOut: 0 },
      images: { total: 32, kept: 32, leftOut: 0 },
    });
    expect(json.flipTta).toBe(false);
    // The metrics are still there, beside them.
    expect(json.verification).toBeDefined();
  });

  it('--split unseen (the default) with --flip-tta: new people drawn, counted, TTA said', async () => {
    const dir = join(root, 'unseen');
    const r = await evaluate(dir, '--flip-tta');
    expect(r.code, r.err).toBe(0);
    const json = report(dir);
    // 8 new people are drawn past the 6 trained ones: 14 in all, 8 kept.
    expect(json.split).toEqual({
      split: 'unseen',
      identities: { total: 14, seenInTraining: 6, kept: 8, leftOut: 6 },
      images: { total: 56, kept: 32, leftOut: 24 },
      drawnPastTrained: true,
    });
    expect(json.flipTta).toBe(true);
  });

  it('a model without a training record says nothing was left out', async () => {
    const dir = join(root, 'dlib');
    const r = await face('eval', '--model', 'dlib-resnet', '--data', 'synthetic', '--identities',
      '4', '--images-per-identity', '2', '--task', 'pairs', '--pairs-per-fold', '2', '--folds',
      '1', '--report', dir, ...cpu); // prettier-ignore
    expect(r.code, r.err).toBe(0);
    expect(report(dir).split).toEqual({
      split: 'unseen',
      note: 'the model records no training identities: nothing left out',
    });
  });
});
