import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TINY_MODEL, face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'face-cli-gallery-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const db = join(root, 'gallery');
const people = (n: number) => [
  '--data',
  'synthetic',
  '--identities',
  String(n),
  '--images-per-identity',
  '3',
];
const cpu = ['--backend', 'cpu'];

async function train(dir: string, seed: string): Promise<string> {
  const r = await face(
    'train',
    ...people(6),
    ...TINY_MODEL,
    ...cpu,
    '--epochs',
    '1',
    '--val-identities',
    '0',
    '--seed',
    seed,
    '--out',
    dir,
  );
  expect(r.code, r.err).toBe(0);
  return join(dir, 'model');
}

let model = '';
beforeAll(async () => {
  model = await train(join(root, 'run'), '0');
});

it('enrols a folder once, resumes with nothing to redo, and identifies every enrolled picture as its person', async () => {
  const enrol = await face('gallery', 'enrol', '--model', model, ...people(6), '--db', db, ...cpu);
  expect(enrol.code, enrol.err).toBe(0);
  expect(enrol.out).toMatch(/enrol: 18 pictures to embed \(0 already enrolled\)/);
  expect(enrol.out).toMatch(/enrolled 18 templates/);
  const again = await face('gallery', 'enrol', '--model', model, ...people(6), '--db', db, ...cpu);
  expect(again.out).toMatch(/enrol: 0 pictures to embed \(18 already enrolled\)/);
  const stats = await face('gallery', 'stats', '--db', db);
  expect(stats.code, stats.err).toBe(0);
  expect(stats.out).toMatch(/6 identities, 18 templates; model sha256:.* \(8-d\)/);

  const id = await face(
    'gallery',
    'identify',
    '--model',
    model,
    ...people(6),
    '--db',
    db,
    ...cpu,
    '--k',
    '2',
  );
  expect(id.code, id.err).toBe(0);
  const lines = id.out.split('\n').filter((l) => / \(.* \d\.\d{4}/.test(l));
  expect(lines.length).toBe(18);
  // The same picture is enrolled: its own identity scores 1 (cosine of an embedding with itself).
  for (const line of lines) expect(line).toMatch(/: (\S+) \(\1 1\.0000, /);
});

it('calibrates a threshold with --far on people it never enrolled, and refuses another model', async () => {
  const id = await face(
    'gallery',
    'identify',
    '--model',
    model,
    ...people(10),
    '--db',
    db,
    ...cpu,
    '--far',
    '0.25',
  );
  expect(id.code, id.err).toBe(0);
  expect(id.out).toMatch(/calibrated on 18 known and 12 unknown pictures: threshold/);
  expect((await face('gallery', 'stats', '--db', db)).out).not.toMatch(/threshold none/);

  const other = await train(join(root, 'other'), '1');
  const r = await face('gallery', 'identify', '--model', other, ...people(6), '--db', db, ...cpu);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/face gallery: gallery .* holds embeddings of model "sha256:/);
});

it('matches synthetic people by number: enrolled with 10 (synthetic-7), identified with 14 (synthetic-07)', async () => {
  const db10 = join(root, 'gallery-10');
  const enrol = await face(
    'gallery',
    'enrol',
    '--model',
    model,
    ...people(10),
    '--db',
    db10,
    ...cpu,
  );
  expect(enrol.code, enrol.err).toBe(0);
  const id = await face(
    'gallery',
    'identify',
    '--model',
    model,
    ...people(14),
    '--db',
    db10,
    ...cpu,
    '--far',
    '0.25',
  );
  expect(id.code, id.err).toBe(0);
  // The 10 enrolled people are known under 14's padded names too; the 4 new ones are not.
  expect(id.out).toMatch(/calibrated on 30 known and 12 unknown pictures/);
  const lines = id.out.split('\n').filter((l) => /^synthetic:\d+\/\d+\/\d+: /.test(l));
  expect(lines.length).toBe(42);
  for (const line of lines) {
    const label = Number(/^synthetic:\d+\/(\d+)\//.exec(line)![1]);
    // An enrolled picture finds itself (cosine 1) under its person's number.
    if (label < 10) expect(line).toMatch(new RegExp(`\\(synthetic-${label} 1\\.0000\\)$`));
    else expect(line).not.toMatch(new RegExp(`synthetic-${label}\\b`));
  }
  // Enrolling the 14 afterwards adds only the 4 new people's pictures, under the same names.
  const more = await face(
    'gallery',
    'enrol',
    '--model',
    model,
    ...people(14),
    '--db',
    db10,
    ...cpu,
  );
  expect(more.out).toMatch(/enrol: 12 pictures to embed \(30 already enrolled\)/);
  expect((await face('gallery', 'stats', '--db', db10)).out).toMatch(/14 identities, 42 templates/);
});

it('names the action it expects', async () => {
  const r = await face('gallery', 'enroll', '--db', db);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(
    /expected one of enrol, identify, stats as the first argument, got 'enroll'/,
  );
});
