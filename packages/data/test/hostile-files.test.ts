// Hostile files in a dataset: FIFOs (which would block a read forever), symlinks to /dev/zero and
// /dev/urandom (which never end), sparse files over the size cap (which cost no disk) and folders
// named like images. Each is built here; image reads are ImageDecodeErrors (skipped and counted
// by the bad-image policy), listing finds are counted in `problems`, and a list file that is not
// a regular file or is too large is a DatasetError naming it. Nothing may hang: each case has a
// timeout far below what a blocked read would take.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { DEFAULT_MAX_FILE_BYTES, DatasetError, ImageDecodeError, parseLfwPairs } from '@face/data';
import { ImageFolder, ImageList, readListFile } from '../src/node';

const FAST = 5_000;
let root: string;
let faces: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'face-hostile-files-'));
  faces = join(root, 'faces');
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#468' } })
    .png()
    .toBuffer();
  for (const id of ['ann', 'ben']) {
    mkdirSync(join(faces, id), { recursive: true });
    for (const n of [1, 2]) writeFileSync(join(faces, id, `${n}.png`), png);
  }
  execFileSync('mkfifo', [join(faces, 'ann', 'fifo.jpg')]);
  symlinkSync('/dev/zero', join(faces, 'ann', 'zero.jpg'));
  mkdirSync(join(faces, 'ben', 'folder.jpg'));
  // Sparse: over the default cap by one byte, no disk used.
  writeFileSync(join(faces, 'ben', 'huge.jpg'), '');
  truncateSync(join(faces, 'ben', 'huge.jpg'), DEFAULT_MAX_FILE_BYTES + 1);
  // A link to a regular image stays followed (users link datasets).
  symlinkSync(join(faces, 'ben', '1.png'), join(faces, 'ann', 'linked.png'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ImageFolder with hostile entries', () => {
  it(
    'counts FIFOs, device links and image-named folders in problems instead of dropping them',
    () => {
      const folder = new ImageFolder(faces, { onError: 'skip' });
      const problems = new Map(folder.problems.map((p) => [p.path, p.reason]));
      expect(problems.get(join(faces, 'ann', 'fifo.jpg'))).toMatch(/FIFO, not a regular/);
      expect(problems.get(join(faces, 'ann', 'zero.jpg'))).toMatch(/device .*not a regular/);
      expect(problems.get(join(faces, 'ben', 'folder.jpg'))).toMatch(/folder named like an image/);
      expect(folder.problems).toHaveLength(3);
      // The linked image and the sparse file are regular files: listed (the read refuses the latter).
      expect(folder.entries.map((e) => e.path)).toContain(join(faces, 'ann', 'linked.png'));
      expect(folder.entries.map((e) => e.path)).toContain(join(faces, 'ben', 'huge.jpg'));
    },
    FAST,
  );

  it(
    "throws a DatasetError naming the FIFO under onError 'throw'",
    () => {
      expect(() => new ImageFolder(faces)).toThrow(DatasetError);
      expect(() => new ImageFolder(faces)).toThrow(/fifo\.jpg.*FIFO/);
    },
    FAST,
  );

  it(
    'refuses an image over maxFileBytes with an ImageDecodeError, before reading it',
    async () => {
      const folder = new ImageFolder(faces, { onError: 'skip' });
      const huge = folder.entries.findIndex((e) => e.path.endsWith('huge.jpg'));
      const err = await folder.load(huge).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImageDecodeError);
      expect((err as ImageDecodeError).path).toBe(join(faces, 'ben', 'huge.jpg'));
      expect((err as Error).message).toMatch(`${DEFAULT_MAX_FILE_BYTES + 1} bytes, more than`);
      // A smaller cap refuses a real image; the default reads it.
      const small = new ImageFolder(faces, { onError: 'skip', maxFileBytes: 10 });
      await expect(small.load(0)).rejects.toThrow(/more than the 10/);
      await expect(folder.load(0)).resolves.toMatchObject({ width: 8, height: 8 });
      const linked = folder.entries.findIndex((e) => e.path.endsWith('linked.png'));
      await expect(folder.load(linked)).resolves.toMatchObject({ width: 8, height: 8 });
      expect(() => new ImageFolder(faces, { onError: 'skip', maxFileBytes: 0 })).toThrow(
        InvalidArgumentError,
      );
    },
    FAST,
  );
});

describe('ImageList with hostile entries and list files', () => {
  it(
    'refuses list lines naming /dev/zero, /dev/urandom or a FIFO as ImageDecodeErrors',
    async () => {
      const list = join(root, 'list.csv');
      const fifo = join(faces, 'ann', 'fifo.jpg');
      writeFileSync(list, `/dev/zero,p0\n/dev/urandom,p0\n${fifo},p1\nfaces/ann/1.png,p1\n`);
      const ds = new ImageList(list);
      const errors = await Promise.all(
        [0, 1, 2].map((i) =>
          ds.load(i).then(
            () => null,
            (e: unknown) => e as ImageDecodeError,
          ),
        ),
      );
      for (const err of errors) {
        expect(err).toBeInstanceOf(ImageDecodeError);
        expect(err?.reason).toMatch(/not a regular file/);
      }
      expect(errors.map((e) => e?.path)).toEqual(['/dev/zero', '/dev/urandom', fifo]);
      await expect(ds.load(3)).resolves.toMatchObject({ width: 8 });
    },
    FAST,
  );

  it(
    'refuses a list file that is a FIFO, a link to /dev/zero, a folder or over the cap',
    () => {
      const fifo = join(root, 'fifo.csv');
      execFileSync('mkfifo', [fifo]);
      const zero = join(root, 'zero.csv');
      symlinkSync('/dev/zero', zero);
      const big = join(root, 'big.csv');
      writeFileSync(big, 'a.png,x\n');
      for (const [path, why] of [
        [fifo, /FIFO, not a regular file/],
        [zero, /device or special file, not a regular file/],
        [faces, /directory/],
        [join(root, 'missing.csv'), /does not exist/],
      ] as const) {
        const err = (() => {
          try {
            return new ImageList(path);
          } catch (e) {
            return e;
          }
        })();
        expect(err).toBeInstanceOf(DatasetError);
        expect((err as DatasetError).path).toBe(path);
        expect((err as Error).message).toMatch(why);
      }
      expect(() => new ImageList(big, { maxListBytes: 4 })).toThrow(/8 bytes, more than the 4/);
      expect(new ImageList(big).size).toBe(1);
      truncateSync(big, 256 * 1024 * 1024 + 1);
      expect(() => readListFile(big, { what: 'pairs file' })).toThrow(
        /cannot read the pairs file: .* more than the 268435456/,
      );
    },
    FAST,
  );
});

describe('parseLfwPairs', () => {
  it('names the file it was given in its errors', () => {
    const text = '1\t1\nann\t1\t1\nann\t1\tben\t1\n';
    expect(() => parseLfwPairs(text, { source: 'lfw/view2.txt' })).toThrow(/"lfw\/view2\.txt:2"/);
    expect(() => parseLfwPairs(text)).toThrow(/"pairs\.txt:2"/);
    expect(() => parseLfwPairs(text, { source: '' })).toThrow(InvalidArgumentError);
  });
});
