// Data files that are not what they claim: a CSV list naming /dev/zero, /dev/urandom or a FIFO
// (which once took 9 GB or hung), --pairs pointing at a FIFO or /dev/zero, --data naming a FIFO,
// and a pairs file with an error at a line (named by its own file name, not "pairs.txt").
// Image entries are skipped and counted ("skipped N files: ..."), list and pairs files are
// refused in one line naming them. None may hang: each command runs under a short timeout.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticFaces } from '@face/data';
import { face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'face-cli-hostile-files-'));
/** A saved face model (format v1, 32 px, 16-d), so no test has to train one. */
const model = fileURLToPath(new URL('./fixtures/face-model-v1', import.meta.url));
const fifo = join(root, 'fifo');
const common = ['--backend', 'cpu'];
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A command that would block on a FIFO or read /dev/zero forever fails this, not the suite. */
const QUICK = 20_000;

beforeAll(async () => {
  const faces = new SyntheticFaces({ identities: 3, imagesPerIdentity: 3, size: 16, seed: 4 });
  for (let i = 0; i < faces.size; i++) {
    const dir = join(root, 'faces', `p${faces.labels[i]}`);
    mkdirSync(dir, { recursive: true });
    const img = await faces.load(i);
    await sharp(Buffer.from(img.data), { raw: { width: 16, height: 16, channels: 3 } })
      .png()
      .toFile(join(dir, `${faces.views[i]}.png`));
  }
  execFileSync('mkfifo', [fifo]);
});

describe('hostile data files in the CLI', () => {
  it(
    'face embed skips list lines naming /dev/zero, /dev/urandom, a FIFO or a repeat, and counts them',
    async () => {
      const list = join(root, 'list.csv');
      const lines = ['/dev/zero,p0', '/dev/urandom,p1', `${fifo},p2`];
      for (const p of ['p0', 'p1', 'p2']) lines.push(`faces/${p}/0.png,${p}`);
      lines.push('faces/p0/0.png,p0');
      writeFileSync(list, `${lines.join('\n')}\n`);
      const file = join(root, 'emb.json');
      const r = await face('embed', '--model', model, '--data', list, '--out', file, ...common);
      expect(r.code, r.err).toBe(0);
      const line = r.err.split('\n').find((l) => l.startsWith('skipped '));
      expect(line).toMatch(/^skipped 4 files: /);
      expect(line).toMatch(/list\.csv:7 \(duplicate of line 4, listed once\)/);
      expect(line).toMatch(/\/dev\/zero \(is a device or special file, not a regular file\)/);
      expect(line).toMatch(/\/dev\/urandom \(is a device/);
      // Shown relative to the list's folder, as every path of the line is.
      expect(line).toMatch(/, fifo \(is a FIFO, not a regular file\)$/);
      expect(JSON.parse(readFileSync(file, 'utf8')).count).toBe(3);
    },
    QUICK,
  );

  it(
    'face embed refuses --data naming a FIFO or a link to /dev/zero, in one line',
    async () => {
      const zero = join(root, 'zero.csv');
      symlinkSync('/dev/zero', zero);
      for (const [data, why] of [
        [fifo, 'is a FIFO'],
        [zero, 'is a device or special file'],
      ]) {
        const out = join(root, 'never.json');
        const r = await face('embed', '--model', model, '--data', data, '--out', out, ...common);
        expect(r.code).toBe(2);
        expect(r.err.split('\n')).toHaveLength(1);
        expect(r.err).toContain(`"${data}": cannot read the list: ${why}, not a regular file`);
      }
    },
    QUICK,
  );

  it(
    'face eval refuses --pairs naming a FIFO or /dev/zero, and names the pairs file at a bad line',
    async () => {
      const args = ['eval', '--model', model, '--data', join(root, 'faces'), '--task', 'pairs'];
      args.push('--split', 'all');
      for (const [pairs, why] of [
        [fifo, 'is a FIFO'],
        ['/dev/zero', 'is a device or special file'],
      ]) {
        const r = await face(...args, '--pairs', pairs, ...common);
        expect(r.code).toBe(2);
        expect(r.err).toBe(
          `face eval: flag --pairs names '${pairs}', which cannot be read (cannot read the pairs file: ${why}, not a regular file)`,
        );
      }
      const bad = join(root, 'view2.txt');
      writeFileSync(bad, '1\t1\np0\t1\t1\np0\t1\tp1\t1\n');
      const r = await face(...args, '--pairs', bad, ...common);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`"${bad}:2"`);
      expect(r.err).not.toContain('pairs.txt');
    },
    QUICK,
  );
});
