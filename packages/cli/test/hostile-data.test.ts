// `face train`, `face eval` and `face embed` on a folder with broken files: each command goes to
// the end and counts every file it left out ("skipped N files: ... and M more"), in its
// output and in the JSON it writes; `--on-bad-image fail` ends at the first one, in one line.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticFaces } from '@face/data';
import { TINY_MODEL, face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'face-cli-hostile-data-'));
const data = join(root, 'faces');
const out = join(root, 'run');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const people = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay'];
/**
 * Eight broken files, one or two per person: more than the five a skipped-files line names. One,
 * a link to /dev/zero, is left out while listing; the others fail to decode.
 */
const BAD = 8;

beforeAll(async () => {
  const faces = new SyntheticFaces({ identities: 6, imagesPerIdentity: 4, size: 24, seed: 2 });
  for (let i = 0; i < faces.size; i++) {
    const dir = join(data, people[faces.labels[i]]);
    mkdirSync(dir, { recursive: true });
    const img = await faces.load(i);
    await sharp(Buffer.from(img.data), { raw: { width: 24, height: 24, channels: 3 } })
      .jpeg({ quality: 95 })
      .toFile(join(dir, `${faces.views[i]}.jpg`));
  }
  const jpeg = readFileSync(join(data, 'ann', '0.jpg'));
  const huge = { width: 5000, height: 5000, channels: 3 as const, background: '#333' };
  writeFileSync(join(data, 'ann', 'empty.jpg'), new Uint8Array(0));
  writeFileSync(join(data, 'ben', 'cut.jpg'), jpeg.subarray(0, jpeg.length >> 1));
  writeFileSync(join(data, 'cat', 'text.jpg'), 'not an image\n');
  writeFileSync(join(data, 'dan', 'huge.png'), await sharp({ create: huge }).png().toBuffer());
  writeFileSync(join(data, 'eve', 'empty.jpg'), new Uint8Array(0));
  writeFileSync(join(data, 'fay', 'cut.jpg'), jpeg.subarray(0, 100));
  writeFileSync(join(data, 'fay', 'text.jpg'), 'neither\n');
  symlinkSync('/dev/zero', join(data, 'eve', 'zero.jpg'));
});

const model = TINY_MODEL;
const common = ['--backend', 'cpu'];
/** Asserts the one skipped-files line: the count, five files named with their reason, the rest counted. */
function expectSkippedLine(err: string): void {
  const line = err.split('\n').find((l) => l.startsWith('skipped '));
  expect(line).toMatch(new RegExp(`^skipped ${BAD} files: .* and ${BAD - 5} more$`));
  expect(line!.match(/\w+\/\w+\.(jpg|png) \(/g)).toHaveLength(5);
}

describe('a folder with broken files', () => {
  it('face train goes to the end and counts every skipped file; fail stops in one line', async () => {
    const args = ['--data', data, ...model, '--epochs', '1', '--batch', '8', ...common];
    args.push('--val-identities', '0');
    const r = await face('train', ...args, '--out', out);
    expect(r.code).toBe(0);
    expectSkippedLine(r.err);
    expect(r.err).toMatch(
      /dan\/huge\.png \(5000 x 5000 = 25000000 pixels, over the maxPixels limit/,
    );
    expect(r.out).toMatch(/done in .* held-out accuracy/);
    // The run folder says the same: files left out while listing, in training and in validation.
    const listed = JSON.parse(readFileSync(join(out, 'skipped-images.json'), 'utf8')) as {
      count: number;
      files: { path: string }[];
    };
    expect(listed.count).toBe(BAD);
    expect(listed.files.some((f) => f.path.endsWith('eve/zero.jpg'))).toBe(true);

    const failed = await face(
      'train',
      ...args,
      '--out',
      join(root, 'strict'),
      '--on-bad-image',
      'fail',
    );
    expect(failed.code).toBe(1);
    expect(failed.err.split('\n')).toHaveLength(1);
    expect(failed.err).toMatch(/^face train: cannot decode image ".*\.(jpg|png)": /);
    const usage = await face('train', ...args, '--out', join(root, 'x'), '--on-bad-image', 'ok');
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/--on-bad-image must be one of skip, fail/);
  });

  it('face eval reports the count in its output and in report.json', async () => {
    // The model trained on these people: --split all evaluates them anyway (classification).
    const args = ['--model', join(out, 'model'), '--data', data, ...common, '--split', 'all'];
    const r = await face('eval', ...args, '--report', join(root, 'report'));
    expect(r.code).toBe(0);
    expectSkippedLine(r.err);
    expect(r.out).toMatch(/closed-set top-1 accuracy\s+[\d.]+/);
    const report = JSON.parse(readFileSync(join(root, 'report', 'report.json'), 'utf8'));
    expect(report.skipped.count).toBe(BAD);
    expect(report.skipped.files.map((f: { path: string }) => f.path).sort()).toEqual(
      [
        'ann/empty.jpg',
        'ben/cut.jpg',
        'cat/text.jpg',
        'dan/huge.png',
        'eve/empty.jpg',
        'eve/zero.jpg',
        'fay/cut.jpg',
        'fay/text.jpg',
      ].map((p) => join(...p.split('/'))),
    );
    const failed = await face('eval', ...args, '--on-bad-image', 'fail');
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/^face eval: cannot decode image "[^\n]*$/);
  });

  it('face embed writes one row per readable image and reports the rest', async () => {
    const file = join(root, 'emb.json');
    const args = ['--model', join(out, 'model'), '--data', data, ...common];
    const r = await face('embed', ...args, '--out', file);
    expect(r.code).toBe(0);
    expectSkippedLine(r.err);
    expect(r.out).toMatch(/wrote 24 embeddings of 8 dimensions/);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written.count).toBe(24);
    expect(written.items).toHaveLength(24);
    expect(written.items.every((x: { source: string }) => /\/\d\.jpg$/.test(x.source))).toBe(true);
    expect(written.items.map((x: { identity: string }) => x.identity)).toEqual(
      written.items.map((x: { source: string }) => x.source.split('/').at(-2)),
    );
    expect(written.skipped).toHaveLength(BAD);
    const failed = await face('embed', ...args, '--out', file, '--on-bad-image', 'fail');
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/^face embed: cannot decode image "[^\n]*$/);
  });

  it('face eval refuses a list that names one file under two people, naming the lines', async () => {
    const list = join(root, 'list.csv');
    writeFileSync(list, 'faces/ann/0.jpg,ann\nfaces/ben/0.jpg,ben\nfaces/ann/0.jpg,ben\n');
    const r = await face('eval', '--model', join(out, 'model'), '--data', list, ...common);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/list\.csv:3.*at line 1 and as "ben" at line 3/);
  });
});
