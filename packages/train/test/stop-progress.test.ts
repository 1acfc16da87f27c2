// Long runs a person follows (and may stop): the progress bar's ETA, its note while an epoch's
// evaluation runs, and epoch lines that fit the terminal (80 columns off a TTY).
/* eslint-disable no-control-regex -- the bar redraws its line with CR and ESC [K */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  SGD,
  Trainer,
  evaluation,
  progressBar,
  shuffledBatches,
  type Callback,
  type ProgressStream,
} from '@face/train';
import { clock, wrapFields } from '../src/callbacks/progress-bar';

async function train(callbacks: Callback[], epochs = 2) {
  const w = tf.variable(tf.ones([3, 1]));
  const optimizer = new SGD({ w }, { lr: 0.1 });
  const trainer = new Trainer<tf.Tensor2D>({
    optimizer,
    lossFn: (x) => tf.mean(tf.square(tf.matMul(x, w))) as tf.Scalar,
    callbacks,
  });
  await trainer.fit(
    shuffledBatches(6, 2, (idx) => tf.fill([idx.length, 3], 0.1) as tf.Tensor2D),
    { epochs },
  );
  optimizer.dispose();
  w.dispose();
}

const stream = (isTTY: boolean, columns?: number): ProgressStream & { text: string } => ({
  isTTY,
  ...(columns ? { columns } : {}),
  text: '',
  write(s: string) {
    this.text += s;
  },
});

// Many long metric names, as a recipe's validation adds them (val_tar@far=..., ...).
const manyMetrics = (): Callback =>
  evaluation(
    () =>
      Object.fromEntries(
        ['accuracy', 'top5', 'auc', 'eer', 'tar@far=0.01', 'tar@far=0.1', 'pair_accuracy'].map(
          (k, i) => [k, 0.123456789 * (i + 1)],
        ),
      ),
    { prefix: 'val_' },
  );

describe('progress bar', () => {
  it('shows an ETA of the run, and says when an epoch end evaluates', async () => {
    const tty = stream(true, 200);
    await train([manyMetrics(), progressBar({ stream: tty, mode: 'bar', interval: 0, epochs: 2 })]);
    expect(tty.text).toMatch(/\repoch 1\/2 \[=+> *\] 1\/3 .* it\/s {2}ETA \d+:\d\d\x1b\[K/);
    expect(tty.text).toMatch(/\repoch 1\/2 validating\.\.\. 0:00\x1b\[K/);
    // Without an evaluation there is nothing to say at an epoch's end.
    const plain = stream(true, 200);
    await train([progressBar({ stream: plain, mode: 'bar', interval: 0, epochs: 2 })]);
    expect(plain.text).not.toContain('validating');
  });

  it('epoch lines fit 80 columns off a TTY, and the terminal width on one; no number is cut', async () => {
    for (const [s, width] of [
      [stream(false), 80],
      [stream(true, 60), 60],
    ] as const) {
      await train([manyMetrics(), progressBar({ stream: s, mode: 'lines', epochs: 2 })]);
      const lines = s.text
        .replace(/\r\x1b\[K/g, '')
        .trimEnd()
        .split('\n');
      expect(lines.length).toBeGreaterThan(2);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
      expect(lines[0]).toMatch(/^epoch 1\/2 {2}step 3 {2}loss /);
      expect(s.text).toContain('val_tar@far=0.01 0.6173');
      expect(s.text).toContain('val_pair_accuracy 0.8642');
    }
  });

  it('wrapFields and clock', () => {
    expect(wrapFields(['aaaa', 'bbbb', 'cccc'], 10)).toBe('aaaa  bbbb\n  cccc');
    expect(wrapFields(['a-very-long-field', 'b'], 8)).toBe('a-very-long-field\n  b');
    expect(wrapFields([], 80)).toBe('');
    expect([clock(0), clock(59.6), clock(61), clock(3600 + 62)]).toEqual([
      '0:00',
      '1:00',
      '1:01',
      '1:01:02',
    ]);
  });
});
