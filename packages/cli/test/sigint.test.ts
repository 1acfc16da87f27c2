// Ctrl-C during `face train`: a child process running `face train` is sent SIGINT mid-epoch; it
// finishes the update, checkpoints, prints the command that continues, and exits 130. That
// command, run as printed, ends with weights bit-identical to an uninterrupted run's.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { childRunner } from '@face/test-support/run-child';
import { TINY_MODEL, face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'face-cli-sigint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const runFace = childRunner('cli', fileURLToPath(new URL('.', import.meta.url)), 'sigint-child.ts');

// 48 images in batches of 4: 12 updates per epoch, 2 epochs; no validation (faster).
const args = (out: string) => [
  'train',
  '--data',
  'synthetic',
  '--identities',
  '4',
  '--images-per-identity',
  '12',
  ...TINY_MODEL,
  '--batch',
  '4',
  '--val-identities',
  '0',
  '--val-images',
  '0',
  '--epochs',
  '2',
  '--backend',
  'cpu',
  '--out',
  out,
];
const model = (out: string) =>
  ['backbone/weights.bin', 'head.bin', 'face-model.json'].map((f) =>
    readFileSync(join(out, 'model', f)),
  );

describe('face train on SIGINT', () => {
  it('checkpoints mid-epoch, exits 130 with the --resume line; resuming ends bit-identical', async () => {
    const fullOut = join(root, 'full');
    const full = await face(...args(fullOut));
    expect(full.code).toBe(0);

    const out = join(root, 'stopped');
    const child = await runFace({ FACE_ARGS: JSON.stringify(args(out)) });
    // The first epoch's line: the child is now in epoch 2, 12 updates from its end.
    expect(await child.waitFor(['epoch 1/2', 'done'])).toMatch(/^epoch 1\/2 /);
    child.child.kill('SIGINT');
    const { code, stderr } = await child.exited;
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/SIGINT: stopping after this update to save a checkpoint/);
    const stopped = /stopped at step (\d+) \(epoch 2\/2, batch (\d+)\/12\); checkpoint saved/.exec(
      stderr,
    );
    expect(stopped, stderr).not.toBeNull();
    const [step, batch] = [Number(stopped![1]), Number(stopped![2])];
    expect(step).toBe(12 + batch);
    const line = /^ {2}(face train .* --resume)$/m.exec(stderr)?.[1];
    expect(line).toBe(`face ${args(out).join(' ')} --resume`);

    // The printed command, word for word.
    const resumed = await face(...line!.split(' ').slice(1));
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toContain(`resumed from step ${step} (epoch 2/2, batch ${batch}/12)`);
    expect(model(out)).toEqual(model(fullOut));
    // Each epoch logged once, as in the uninterrupted run.
    const epochs = (o: string) =>
      readFileSync(join(o, 'log.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; loss: number })
        .filter((r) => r.type === 'epoch');
    expect(epochs(out)).toEqual(epochs(fullOut));
  }, 120_000);
});
