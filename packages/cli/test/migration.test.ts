import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { face } from './helpers';

// A model saved in face-model.json's first format (version 1), committed with the embeddings
// `face embed` gave for it then (scripts/make-face-model-v1.sh). Every later format must load it
// with the same preprocessing and give the same embeddings.
const fixture = fileURLToPath(new URL('./fixtures/face-model-v1', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'face-migration-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Embedded {
  items: { source: string; identity: string; embedding: number[] }[];
}

describe('a model saved by face-model.json version 1', () => {
  it('loads and embeds as it did when it was saved', async () => {
    const expected = JSON.parse(readFileSync(join(fixture, 'embeddings.json'), 'utf8')) as Embedded;
    const out = join(scratch, 'embeddings.json');
    const r = await face(
      'embed',
      '--model',
      fixture,
      '--data',
      'synthetic',
      '--identities',
      '2',
      '--images-per-identity',
      '2',
      '--out',
      out,
      '--backend',
      'cpu',
    );
    expect(r.code, r.err).toBe(0);
    const got = JSON.parse(readFileSync(out, 'utf8')) as Embedded;
    expect(got.items.map((i) => i.source)).toEqual(expected.items.map((i) => i.source));
    let worst = 0;
    got.items.forEach((item, i) =>
      item.embedding.forEach((v, j) => {
        worst = Math.max(worst, Math.abs(v - expected.items[i].embedding[j]));
      }),
    );
    // Same backend, same weights, same preprocessing: equal up to float32 summation order.
    expect(worst).toBeLessThan(1e-5);
  });
});
