// A run killed outright (SIGKILL, a power cut) leaves its lock behind. Running into that folder
// again without --resume gets the same usage error (exit 2, the command to type) as any rerun,
// after saying the stale lock was taken over, not a recipe error after taking it over.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TINY_MODEL, face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'loose-stale-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tiny = (out: string, ...more: string[]) => [
  'train', '--data', 'synthetic', '--identities', '4', '--images-per-identity', '4',
  ...TINY_MODEL, '--batch', '4', '--val-identities', '0', '--val-images', '0',
  '--backend', 'cpu', '--out', out, ...more,
]; // prettier-ignore

describe('a rerun into a killed run', () => {
  it('is a usage error naming --resume, the stale lock said and gone', async () => {
    const out = join(root, 'killed');
    expect((await face(...tiny(out, '--epochs', '1'))).code).toBe(0);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(
      join(out, '.lock'),
      JSON.stringify({ pid: dead, hostname: hostname(), startedAt: 'x' }),
    );
    const again = await face(...tiny(out, '--epochs', '1'));
    expect(again.code).toBe(2);
    const [notice, usage, ...rest] = again.err.split('\n');
    expect(notice).toMatch(
      new RegExp(`^took over the stale run lock .*\\.lock: process ${dead} .*no longer running$`),
    );
    expect(usage).toBe(
      `face train: ${out} already holds a run (latest checkpoint at step 4): continue it with ` +
        `'face ${tiny(out, '--epochs', '1').join(' ')} --resume', or choose another --out. Nothing was overwritten.`,
    );
    expect(rest).toEqual([]);
    expect(existsSync(join(out, '.lock'))).toBe(false);
  });
});
