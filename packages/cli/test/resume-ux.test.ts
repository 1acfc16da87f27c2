// What `face train` says about a run folder: a rerun without --resume (usage error, the command
// to type), where --resume continues, a stop by a signal (here emitted in-process), and a
// resumed run whose schedule flags changed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '@face/cli';
import { TINY_MODEL, face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'face-cli-resume-ux-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// 16 images in batches of 4: 4 updates per epoch.
const tiny = (out: string, ...more: string[]) => [
  'train',
  '--data',
  'synthetic',
  '--identities',
  '4',
  '--images-per-identity',
  '4',
  ...TINY_MODEL,
  '--batch',
  '4',
  '--val-identities',
  '0',
  '--val-images',
  '0',
  '--backend',
  'cpu',
  '--out',
  out,
  ...more,
];
const epochsLogged = (out: string) =>
  readFileSync(join(out, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter((l) => l.includes('"type":"epoch"')).length;

/** `face` in this process, emitting `signal` on the process when a line starting `at` is printed. */
async function faceSignalledAt(at: string, signal: 'SIGINT' | 'SIGTERM', argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (l) => {
      out.push(l);
      if (l.startsWith(at)) process.emit(signal);
    },
    err: (l) => err.push(l),
  };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('face train and an existing run', () => {
  it('a stop after epoch 1 exits 130 and says how to continue; --resume says where it resumed', async () => {
    const out = join(root, 'stopped');
    const before = process.listenerCount('SIGINT');
    const stopped = await faceSignalledAt('epoch 1/2', 'SIGINT', tiny(out, '--epochs', '2'));
    expect(process.listenerCount('SIGINT')).toBe(before); // handlers removed
    expect(stopped.code).toBe(130);
    expect(stopped.err).toContain('SIGINT: stopping after this update');
    expect(stopped.err).toContain(
      `stopped at step 4 (end of epoch 1/2); checkpoint saved. To continue:\n  face ${tiny(out, '--epochs', '2').join(' ')} --resume`,
    );
    expect(epochsLogged(out)).toBe(1);

    const fresh = await face(...tiny(out, '--epochs', '2'));
    expect(fresh.code).toBe(2);
    expect(fresh.err).toBe(
      `face train: ${out} already holds a run (latest checkpoint at step 4): continue it with ` +
        `'face ${tiny(out, '--epochs', '2').join(' ')} --resume', or choose another --out. Nothing was overwritten.`,
    );
    expect(fresh.err).not.toContain('resume()');

    const resumed = await face(...tiny(out, '--epochs', '2', '--resume'));
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/^resumed from step 4 \(end of epoch 1\/2\)$/m);
    expect(resumed.out).not.toContain('{');
    expect(epochsLogged(out)).toBe(2);
  }, 60_000);

  it('sequential: a stop in phase 1 resumes there, then trains phase 2', async () => {
    const out = join(root, 'sequential');
    const argv = tiny(
      out,
      '--recipe',
      'sequential',
      '--classification-epochs',
      '2',
      '--epochs',
      '1',
    );
    const stopped = await faceSignalledAt('epoch 1/2', 'SIGINT', argv);
    expect(stopped.code).toBe(130);
    expect(stopped.err).toContain('stopped at phase 1 (softmax): step 4 (end of epoch 1/2)');
    const resumed = await face(...argv, '--resume');
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toMatch(
      /^resumed from phase 1 \(softmax\): step 4 \(end of epoch 1\/2\)$/m,
    );
    expect(epochsLogged(join(out, 'phase1'))).toBe(2);
    expect(epochsLogged(join(out, 'phase2'))).toBe(1);
  }, 60_000);

  it('SIGTERM exits 143', async () => {
    const r = await faceSignalledAt(
      'epoch 1/2',
      'SIGTERM',
      tiny(join(root, 'term'), '--epochs', '2'),
    );
    expect(r.code).toBe(143);
    expect(r.err).toContain('SIGTERM: stopping after this update');
  }, 60_000);

  it('--resume with other --epochs is refused (exit 2) unless --allow-schedule-change', async () => {
    const out = join(root, 'schedule');
    expect((await face(...tiny(out, '--epochs', '1'))).code).toBe(0);
    const longer = await face(...tiny(out, '--epochs', '2', '--resume'));
    expect(longer.code).toBe(2);
    expect(longer.err).toMatch(
      /^face train: --resume with --epochs 1 -> 2 changes the run's learning-rate schedule: from step 4 .*resume with --epochs 1; to continue on the new schedule, add --allow-schedule-change\.$/,
    );
    expect(epochsLogged(out)).toBe(1);
    const lr = await face(...tiny(out, '--epochs', '1', '--lr', '0.01', '--resume'));
    expect(lr.code).toBe(2);
    expect(lr.err).toContain('--lr default -> 0.01');
    expect(lr.err).toContain('resume without --lr;');

    const allowed = await face(
      ...tiny(out, '--epochs', '2', '--resume', '--allow-schedule-change'),
    );
    expect(allowed.code).toBe(0);
    expect(allowed.err).toContain(
      'schedule changed (--epochs 1 -> 2): from step 4 on, the learning rate follows the new schedule',
    );
    expect(epochsLogged(out)).toBe(2);
    // The new schedule is the run's now: resuming with it again is not a change.
    const again = await face(...tiny(out, '--epochs', '2', '--resume'));
    expect(again.code, again.err).toBe(0);
    expect(again.err).not.toContain('schedule');

    const alone = await face(...tiny(join(root, 'alone'), '--allow-schedule-change'));
    expect([alone.code, alone.err]).toEqual([
      2,
      'face train: flag --allow-schedule-change only applies with --resume',
    ]);
  }, 60_000);
});
