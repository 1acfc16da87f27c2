import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diskFull } from '@face/test-support';
import { InvalidArgumentError, errorWithPath, writeFileAtomic, writeFilesAtomic } from '../src';

const root = mkdtempSync(join(tmpdir(), 'face-core-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces a file whole, creating its folder', async () => {
    const target = join(root, 'new', 'deeper', 'out.json');
    await writeFileAtomic(target, '{"a":1}');
    await writeFileAtomic(target, new Uint8Array([0x7b, 0x7d]));
    expect(readFileSync(target, 'utf8')).toBe('{}');
    expect(readdirSync(join(root, 'new', 'deeper'))).toEqual(['out.json']);
  });

  it('a full disk keeps the previous file and leaves no temporary file; the error names the file', async () => {
    const target = join(root, 'out.json');
    writeFileSync(target, 'good');
    const error = await diskFull(target, () =>
      writeFileAtomic(target, 'replacement').then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(error).toMatchObject({ code: 'ENOSPC', path: target });
    expect(readFileSync(target, 'utf8')).toBe('good');
    expect(readdirSync(root).filter((n) => n.startsWith('out.json'))).toEqual(['out.json']);
  });

  it('refuses an empty target', async () => {
    await expect(writeFileAtomic('', 'x')).rejects.toThrow(InvalidArgumentError);
  });
});

describe('writeFilesAtomic', () => {
  it('replaces a set of files together; a full disk while writing leaves every old file', async () => {
    const dir = join(root, 'set');
    const files = ['a.json', 'b.svg', 'sub/c.svg'].map((n) => join(dir, n));
    await writeFilesAtomic(files.map((path) => ({ path, data: 'old' })));
    // The second file fails halfway: the first, already written to its temporary name, must not
    // have been renamed over its old copy.
    const error = await diskFull(
      (_path, call) => call === 2,
      () =>
        writeFilesAtomic(files.map((path) => ({ path, data: 'new!' }))).then(
          () => null,
          (e: unknown) => e,
        ),
    );
    expect(error).toMatchObject({ code: 'ENOSPC', path: files[1] });
    expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(['old', 'old', 'old']);
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.svg', 'sub']);
    await writeFilesAtomic(files.map((path) => ({ path, data: 'new!' })));
    expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(['new!', 'new!', 'new!']);
  });
});

describe('errorWithPath', () => {
  it('names the file of a path-less system error, and leaves others alone', () => {
    const sys = Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
    expect(errorWithPath(sys, '/x/y')).toMatchObject({ path: '/x/y' });
    const named = Object.assign(new Error('EACCES'), { code: 'EACCES', path: '/a' });
    expect(errorWithPath(named, '/b')).toMatchObject({ path: '/a' });
    const plain = new Error('bug');
    expect((errorWithPath(plain, '/c') as { path?: string }).path).toBeUndefined();
  });
});
