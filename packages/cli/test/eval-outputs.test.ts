import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticFaces, normalize } from '@face/data';
import { embedDataset, loadFaceModel } from '@face/recipes';
import { TINY_MODEL, face } from './helpers';

// What eval and embed print and write: rates the data cannot measure, flip-TTA, unit embeddings.
const root = mkdtempSync(join(tmpdir(), 'face-cli-eval-outputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const cpu = ['--backend', 'cpu'];
const model = join(root, 'run', 'model');
// Trained on people 0..5 of seed 0; evaluated on seed 9's people (none of them trained on).
const data = [
  '--data',
  'synthetic',
  '--identities',
  '8',
  '--images-per-identity',
  '4',
  '--seed',
  '9',
];

beforeAll(async () => {
  const r = await face(
    'train',
    '--data',
    'synthetic',
    '--identities',
    '6',
    '--images-per-identity',
    '4',
    '--out',
    join(root, 'run'),
    ...TINY_MODEL,
    '--epochs',
    '1',
    '--batch',
    '8',
    '--val-identities',
    '0',
    '--val-images',
    '0',
    ...cpu,
  );
  expect(r.code, r.err).toBe(0);
});

type Point = { far: number; measurable: boolean; reason: string | null };

describe('rates the data cannot measure', () => {
  it('TAR @ FAR=0.001 from a few impostor pairs is n/a, in the table and in report.json', async () => {
    const report = join(root, 'report');
    const r = await face(
      'eval',
      '--model',
      model,
      ...data,
      ...cpu,
      '--task',
      'pairs',
      '--far',
      '0.001,0.5',
      '--report',
      report,
    );
    expect(r.code, r.err).toBe(0);
    const pairs = /verification pairs \(same \/ different\)\s+(\d+) \/ (\d+)/.exec(r.out)!;
    const impostors = Number(pairs[2]);
    expect(impostors).toBeLessThan(1000);
    expect(r.out).toMatch(/TAR @ FAR=0\.001\s+n\/a \(needs >= 1000 impostor pairs\)/);
    expect(r.out).toMatch(/TAR @ FAR=0\.5\s+\d\.\d{3}/);
    const v = JSON.parse(readFileSync(join(report, 'report.json'), 'utf8')).verification;
    const [low, high] = v.tarAtFar as (Point & { tar: number | null })[];
    expect(low).toMatchObject({ far: 0.001, tar: null, measurable: false });
    expect(low.reason).toBe(`needs >= 1000 impostor pairs, has ${impostors}`);
    expect(high).toMatchObject({ far: 0.5, measurable: true, reason: null });
    expect(typeof high.tar).toBe('number');
  });

  it('open-set DIR @ FAR=0.01 with few unknown queries is n/a too', async () => {
    const report = join(root, 'report-1n');
    const r = await face(
      'eval',
      '--model',
      model,
      ...data,
      ...cpu,
      '--task',
      'identification',
      '--far',
      '0.01,0.5',
      '--report',
      report,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/open-set DIR @ FAR=0\.01\s+n\/a \(needs >= 100 unknown queries\)/);
    const i = JSON.parse(readFileSync(join(report, 'report.json'), 'utf8')).identification;
    expect(i.dirAtFar[0]).toMatchObject({ far: 0.01, dir: null, measurable: false });
    expect(i.dirAtFar[0].reason).toMatch(/^needs >= 100 unknown queries, has \d+$/);
    expect(typeof i.dirAtFar[1].dir).toBe('number');
  });
});

describe('flip-TTA and unit embeddings', () => {
  const embedded = (file: string) =>
    JSON.parse(readFileSync(file, 'utf8')) as {
      flipTta: boolean;
      l2Normalized: boolean;
      items: { embedding: number[] }[];
    };

  it('embed --flip-tta writes what embedDataset({ flip: true }) gives; --l2-normalize unit rows', async () => {
    const small = [
      '--data',
      'synthetic',
      '--identities',
      '3',
      '--images-per-identity',
      '2',
      ...cpu,
    ];
    const [plain, flip, unit] = ['plain', 'flip', 'unit'].map((n) => join(root, `${n}.json`));
    expect((await face('embed', '--model', model, ...small, '--out', plain)).code).toBe(0);
    expect(
      (await face('embed', '--model', model, ...small, '--out', flip, '--flip-tta')).code,
    ).toBe(0);
    expect(
      (await face('embed', '--model', model, ...small, '--out', unit, '--l2-normalize')).code,
    ).toBe(0);
    const loaded = await loadFaceModel(model);
    const faces = new SyntheticFaces({ identities: 3, imagesPerIdentity: 2, size: 16, seed: 0 });
    const { mean, std } = loaded.spec.input.normalization;
    const direct = await embedDataset(loaded.backbone, faces, {
      flip: true,
      // Synthetic pictures come at the input size: only the saved normalization, as the CLI does.
      transform: normalize({ mean: [...mean], std: [...std] }),
    });
    loaded.backbone.dispose();
    loaded.head?.dispose();
    const f = embedded(flip);
    expect(f.flipTta).toBe(true);
    expect(f.items.flatMap((x) => x.embedding)).toEqual(Array.from(direct.embeddings));
    const p = embedded(plain);
    expect(p).toMatchObject({ flipTta: false, l2Normalized: false });
    expect(f.items[0].embedding).not.toEqual(p.items[0].embedding);
    const u = embedded(unit);
    expect(u.l2Normalized).toBe(true);
    u.items.forEach((item, i) => {
      const raw = p.items[i].embedding;
      const n = Math.hypot(...raw);
      expect(Math.hypot(...item.embedding)).toBeCloseTo(1, 5);
      item.embedding.forEach((x, k) => expect(x).toBeCloseTo(raw[k] / n, 5));
    });
  });

  it('eval --flip-tta evaluates the same pairs (the embeddings themselves: the embed test above)', async () => {
    const args = ['eval', '--model', model, ...data, ...cpu, '--task', 'pairs'];
    const plain = await face(...args);
    const flip = await face(...args, '--flip-tta');
    expect(flip.code, flip.err).toBe(0);
    const pairs = (t: string) => /verification pairs \(same \/ different\)\s+(.*)/.exec(t)![1];
    expect(pairs(flip.out)).toBe(pairs(plain.out));
    const eer = (t: string) => /verification EER\s+([\d.]+)/.exec(t)![1];
    expect(eer(flip.out)).toMatch(/^\d\.\d{3}$/);
  });
});
