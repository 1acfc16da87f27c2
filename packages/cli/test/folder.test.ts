import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticFaces, formatLfwPairs, type LfwPair } from '@face/data';
import { TINY_MODEL, face } from './helpers';

// An LFW-style folder (person/person_0001.jpg) of drawn faces at 24 px, and a pairs.txt over it.
const root = mkdtempSync(join(tmpdir(), 'face-cli-folder-'));
const people = [
  'Ada_Lovelace',
  'Alan_Turing',
  'Grace_Hopper',
  'Edsger_Dijkstra',
  'Barbara_Liskov',
  'Donald_Knuth',
];
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  const faces = new SyntheticFaces({
    identities: people.length,
    imagesPerIdentity: 4,
    size: 24,
    seed: 5,
    difficulty: 0.3,
  });
  for (let i = 0; i < faces.size; i++) {
    const name = people[faces.labels[i]];
    const number = faces.views[i] + 1;
    mkdirSync(join(root, 'lfw', name), { recursive: true });
    const img = await faces.load(i);
    await sharp(Buffer.from(img.data), { raw: { width: 24, height: 24, channels: 3 } })
      .jpeg({ quality: 95 })
      .toFile(join(root, 'lfw', name, `${name}_${String(number).padStart(4, '0')}.jpg`));
  }
  const pairs: LfwPair[] = [];
  for (let f = 0; f < 2; f++) {
    for (let k = 0; k < 3; k++) {
      const a = people[f * 3 + k];
      pairs.push({
        first: { name: a, number: 1 },
        second: { name: a, number: 2 + f },
        same: true,
        fold: f,
      });
    }
    for (let k = 0; k < 3; k++) {
      const [a, b] = [people[f * 3 + k], people[f * 3 + ((k + 1) % 3)]];
      pairs.push({
        first: { name: a, number: 3 },
        second: { name: b, number: 4 },
        same: false,
        fold: f,
      });
    }
  }
  writeFileSync(join(root, 'pairs.txt'), formatLfwPairs(pairs));
});

describe('image folders', () => {
  it('trains on a folder (resized to the model), then evaluates LFW-style pairs and classification', async () => {
    const out = join(root, 'run');
    const train = await face(
      'train',
      '--data',
      join(root, 'lfw'),
      '--out',
      out,
      ...TINY_MODEL,
      '--epochs',
      '1',
      '--batch',
      '8',
      '--val-identities',
      '0',
      '--backend',
      'cpu',
    );
    expect(train.err).toBe('');
    expect(train.code).toBe(0);
    expect(train.out).toMatch(/data: folder .*lfw: 6 identities, 24 images/);
    const r = await face(
      'eval',
      '--model',
      join(out, 'model'),
      '--data',
      join(root, 'lfw'),
      '--pairs',
      join(root, 'pairs.txt'),
      '--backend',
      'cpu',
      '--task',
      'all',
      '--unknown-fraction',
      '0.5',
      // It trained on every person of the folder: evaluated on them, on purpose.
      '--split',
      'all',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/verification pairs \(same \/ different\)\s+6 \/ 6/);
    expect(r.out).toContain('k-fold accuracy (LFW protocol)');
    expect(r.out).toMatch(/closed-set top-1 accuracy\s+[\d.]+/);
    const bad = await face(
      'eval',
      '--model',
      join(out, 'model'),
      '--data',
      join(root, 'lfw'),
      '--pairs',
      join(root, 'nope.txt'),
      '--backend',
      'cpu',
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/flag --pairs names '.*nope.txt', which cannot be read/);
  });
});
