import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNpy, runDemo } from '@face/cli';
import { loadFaceModel, embedDataset } from '@face/recipes';
import { SyntheticFaces } from '@face/data';
import { face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'face-cli-demo-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const out = join(root, 'demo');

describe('face demo, eval and embed', () => {
  it('demo --quick trains recipe 1 then recipe 3 and writes the report, plots and curves', async () => {
    const lines: string[] = [];
    const result = await runDemo(
      { out, quick: true, backend: 'cpu' },
      { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    );
    const text = lines.join('\n');
    expect(text).toMatch(/^backend: cpu/m);
    expect(text).toContain('untrained');
    expect(text).toContain('recipe 3 (+ ArcFace)');
    expect(text).toMatch(/verification AUC \(people never seen\)/);
    expect(text).toMatch(/open-set DIR @ FAR=0.1/);
    for (const m of ['untrained', 'recipe1', 'recipe3'] as const) {
      expect(result.models[m].auc).toBeGreaterThan(0);
      for (const f of ['report.json', 'roc.svg', 'histogram.svg', 'cmc.svg'])
        expect(existsSync(join(out, m, f)), `${m}/${f}`).toBe(true);
    }
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.models.recipe3.openSet.unknownQueries).toBeGreaterThan(0);
    expect(report.config.backend).toBe('cpu');
    expect(readFileSync(join(out, 'training-curves.svg'), 'utf8')).toMatch(
      /^<svg .*Training loss/s,
    );
    expect(existsSync(join(out, 'runs', 'model', 'face-model.json'))).toBe(true);
  });

  it('eval: classification, pairs and open-set identification of the demo model, with a report', async () => {
    const model = join(out, 'runs', 'model');
    const r = await face(
      'eval',
      '--model',
      model,
      '--data',
      'synthetic',
      '--identities',
      '16',
      '--images-per-identity',
      '6',
      '--difficulty',
      '0.3',
      '--backend',
      'cpu',
      '--report',
      join(root, 'report'),
      '--far',
      '0.1,0.5',
      // Classification and the demo's own people: evaluated on purpose.
      '--split',
      'all',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const row of [
      'closed-set top-1 accuracy',
      'verification AUC',
      'TAR @ FAR=0.1',
      'k-fold accuracy (LFW protocol)',
      '1:N rank-1 (known queries)',
      'open-set DIR @ FAR=0.5',
    ])
      expect(r.out).toContain(row);
    // The demo trained on 12 of the 16 people: the other 4 are left out of classification.
    expect(r.out).toMatch(/images of unknown identities, left out\)\s+24/);
    const report = JSON.parse(readFileSync(join(root, 'report', 'report.json'), 'utf8'));
    expect(Object.keys(report).sort()).toEqual([
      'classification',
      'flipTta',
      'identification',
      'split',
      'title',
      'verification',
    ]);
    // The report says which people were evaluated (`--split all`) and that no flip TTA ran.
    expect(report.flipTta).toBe(false);
    expect(report.split.split).toBe('all');
    expect(existsSync(join(root, 'report', 'roc.svg'))).toBe(true);
  });

  it("embed writes .npy (+ .json) and .json embeddings equal to the model's", async () => {
    const model = join(out, 'runs', 'model');
    const data = [
      '--data',
      'synthetic',
      '--identities',
      '3',
      '--images-per-identity',
      '2',
      '--backend',
      'cpu',
    ];
    const npy = join(root, 'e', 'faces.npy');
    expect((await face('embed', '--model', model, ...data, '--out', npy)).code).toBe(0);
    const json = join(root, 'e', 'faces.json');
    expect((await face('embed', '--model', model, ...data, '--out', json)).code).toBe(0);
    const { data: matrix, shape } = readNpy(new Uint8Array(readFileSync(npy)));
    const side = JSON.parse(readFileSync(`${npy}.json`, 'utf8'));
    const records = JSON.parse(readFileSync(json, 'utf8'));
    expect(shape).toEqual([6, 16]);
    expect(side.items[5]).toEqual({ source: records.items[5].source, identity: 'synthetic-2' });
    const loaded = await loadFaceModel(model);
    const direct = await embedDataset(
      loaded.backbone,
      new SyntheticFaces({
        identities: 3,
        imagesPerIdentity: 2,
        size: 16,
        seed: 0,
        difficulty: 0.5,
      }),
    );
    expect(Array.from(matrix)).toEqual(Array.from(direct.embeddings));
    expect(records.items.flatMap((i: { embedding: number[] }) => i.embedding)).toEqual(
      Array.from(direct.embeddings),
    );
    loaded.backbone.dispose();
    loaded.head?.dispose();
  });

  it('eval names a missing model', async () => {
    const r = await face(
      'eval',
      '--model',
      join(root, 'none'),
      '--data',
      'synthetic',
      '--backend',
      'cpu',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/flag --model names '.*none', which does not exist/);
  });
});
