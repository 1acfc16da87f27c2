// kill -9 at seeded random file-system events of a run (checkpoint writes, logs, the model write,
// the lock), resume each time, and compare with an uninterrupted run.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRecipeProblem, recipeBits } from './helpers/recipe-problem';
import { runChild } from './helpers/run-child';

const root = mkdtempSync(join(tmpdir(), 'face-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** mulberry32: the kill points are random but the same on every run of the test. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const read = (path: string) => readFileSync(path);
const epochsOf = (dir: string) =>
  readFileSync(join(dir, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { epoch: number }).epoch);

async function child(dir: string, env: Record<string, string> = {}) {
  const run = await runChild({ FACE_DIR: dir, ...env }, 'crash-child.ts');
  const line = await run.waitFor(['HANG', 'EVENTS', 'REFUSED']).catch((e: Error) => e.message);
  return { run, line };
}

async function killed(dir: string, env: Record<string, string>) {
  const { run, line } = await child(dir, env);
  if (line.startsWith('HANG')) run.child.kill('SIGKILL');
  const exit = await run.exited;
  return { line, stderr: exit.stderr };
}

describe('kill -9 at random points, then resume', () => {
  it('ends bit-identical to an uninterrupted run, each epoch logged once, no leftovers', async () => {
    const fullDir = join(root, 'full');
    const full = makeRecipeProblem('joint', fullDir);
    await full.fit();
    const bits = recipeBits(full);
    full.dispose();

    // How many events a whole run has: all, those in checkpoints/, those of model/.
    const count = async (match: string) => {
      const { line } = await killed(join(root, `count-${match.length}`), {
        FACE_KILL_MATCH: match,
      });
      expect(line).toMatch(/^EVENTS \d+ \d+$/);
      return Number(line.split(' ')[2]);
    };
    const [all, checkpoints, model] = [
      await count('.'),
      await count('/checkpoints/'),
      await count('/model'),
    ];
    expect(checkpoints).toBeGreaterThan(20);
    expect(model).toBeGreaterThan(3);

    const rng = seeded(14);
    const dir = join(root, 'killed');
    // Each kill falls at a random event of what is left of the run (from its latest checkpoint;
    // 9 updates in all), so the kills spread over the run.
    const left = () => {
      const names = existsSync(join(dir, 'checkpoints'))
        ? readdirSync(join(dir, 'checkpoints'))
        : [];
      const steps = names.filter((n) => /^step-\d+$/.test(n)).map((n) => Number(n.slice(5)));
      return 1 - Math.max(0, ...steps) / 9;
    };
    const pick = (n: number) => 1 + Math.floor(rng() * Math.max(1, n));
    const plan: [string, () => number][] = [
      ['.', () => pick(all * left())],
      ['/checkpoints/', () => pick(checkpoints * left())],
      ['.', () => pick(all * left())],
      ['/model', () => pick(model)],
    ];
    const hangs: string[] = [];
    for (const [match, at] of plan) {
      const { line } = await killed(dir, {
        FACE_KILL_MATCH: match,
        FACE_KILL_AT: String(at()),
        FACE_TEAR: rng() < 0.5 ? '1' : '0',
      });
      expect(line).not.toMatch(/^REFUSED/);
      if (line.startsWith('HANG')) hangs.push(line);
    }
    // The seeded plan kills in a checkpoint write and in the model write.
    expect(hangs.some((l) => l.includes('/checkpoints/'))).toBe(true);
    expect(hangs.some((l) => /\/model(\.|\/|$)/.test(l))).toBe(true);

    const p = makeRecipeProblem('joint', dir);
    await p.resume();
    await p.fit();
    expect(recipeBits(p)).toEqual(bits);
    p.dispose();
    expect(epochsOf(dir)).toEqual([0, 1, 2]);
    expect(readFileSync(join(dir, 'log.jsonl'), 'utf8')).toBe(
      readFileSync(join(fullDir, 'log.jsonl'), 'utf8'),
    );
    expect(readFileSync(join(dir, 'log.csv'), 'utf8')).toBe(
      readFileSync(join(fullDir, 'log.csv'), 'utf8'),
    );
    for (const f of ['backbone/weights.bin', 'head.bin'])
      expect(read(join(dir, 'model', f)).equals(read(join(fullDir, 'model', f)))).toBe(true);
    expect(readdirSync(join(dir, 'checkpoints')).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readdirSync(dir).filter((n) => n.startsWith('.') || /^model\./.test(n))).toEqual([]);
  }, 180_000);

  it('two runs on one directory: the second is refused while the first lives, then resumes', async () => {
    const dir = join(root, 'concurrent');
    const first = await child(dir, { FACE_KILL_MATCH: '/checkpoints/', FACE_KILL_AT: '10' });
    expect(first.line).toMatch(/^HANG 10 /);
    const log = readFileSync(join(dir, 'log.jsonl'), 'utf8');
    const second = await killed(dir, {});
    expect(second.line).toMatch(
      new RegExp(
        `^REFUSED RunLockedError: run directory is in use: .*process ${first.run.child.pid} on `,
      ),
    );
    expect(readFileSync(join(dir, 'log.jsonl'), 'utf8')).toBe(log);
    first.run.child.kill('SIGKILL');
    await first.run.exited;
    const third = await killed(dir, {});
    expect(third.line).toMatch(/^EVENTS/);
    expect(third.stderr).toMatch(/took over the stale run lock .*is no longer running/);
    expect(epochsOf(dir)).toEqual([0, 1, 2]);
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  }, 120_000);
});
