import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SGD,
  Trainer,
  csvLogger,
  evaluation,
  isInteractive,
  jsonlLogger,
  progressBar,
  shuffledBatches,
  type Callback,
  type ProgressStream,
} from '@face/train';

const root = mkdtempSync(join(tmpdir(), 'face-train-cb-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Batch = { x: tf.Tensor2D };

async function train(callbacks: Callback[], epochs = 2) {
  const w = tf.variable(tf.ones([3, 1]));
  const optimizer = new SGD({ w }, { lr: 0.1 });
  const trainer = new Trainer<Batch>({
    optimizer,
    lossFn: ({ x }) => tf.mean(tf.square(tf.matMul(x, w))) as tf.Scalar,
    callbacks,
  });
  const source = shuffledBatches<Batch>(6, 2, (idx) => ({
    x: tf.fill([idx.length, 3], 0.1) as tf.Tensor2D,
  }));
  const result = await trainer.fit(source, { epochs });
  optimizer.dispose();
  w.dispose();
  return result;
}

function fakeStream(isTTY: boolean): ProgressStream & { text: string } {
  return {
    isTTY,
    columns: 120,
    text: '',
    write(s: string) {
      this.text += s;
    },
  };
}

describe('progressBar', () => {
  it('redraws a bar on a TTY and prints the epoch summary', async () => {
    const stream = fakeStream(true);
    await train([progressBar({ stream, mode: 'bar', interval: 0, epochs: 2 })]);
    expect(stream.text).toMatch(/\repoch 1\/2 \[=+> *\] 1\/3 {2}loss \d\.\d{4} {2}lr 0\.1000/);
    expect(stream.text).toMatch(
      // eslint-disable-next-line no-control-regex -- the bar clears its line with ESC [K
      /\r\x1b\[Kepoch 2\/2 {2}step 6 {2}loss \d\.\d{4} {2}lr 0\.1000 {2}\(\d+\.\ds\)\n$/,
    );
  });

  it('is quiet off a TTY and in CI; lines mode prints one line per epoch', async () => {
    const pipe = fakeStream(false);
    await train([progressBar({ stream: pipe })]);
    expect(pipe.text).toBe('');
    expect(isInteractive({ write: () => 0, isTTY: true }, { CI: '1' })).toBe(false);
    expect(isInteractive({ write: () => 0, isTTY: true }, { CI: 'false' })).toBe(true);
    expect(isInteractive({ write: () => 0, isTTY: true }, {})).toBe(true);
    const lines = fakeStream(false);
    await train([progressBar({ stream: lines, mode: 'lines' })]);
    expect(lines.text.trim().split('\n')).toHaveLength(2);
    expect(lines.text).not.toMatch(/\r/);
  });
});

describe('metric logs', () => {
  it('JSONL: epoch records, step records on request; a fresh run replaces the file', async () => {
    const path = join(root, 'a', 'log.jsonl');
    await train([jsonlLogger(path)]);
    const epochs = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(epochs.map((r) => [r.type, r.epoch, r.step])).toEqual([
      ['epoch', 0, 3],
      ['epoch', 1, 6],
    ]);
    expect(epochs[0]).toEqual({
      type: 'epoch',
      epoch: 0,
      step: 3,
      loss: expect.any(Number),
      lr: 0.1,
    });
    await train([jsonlLogger(path, { every: 'step' })], 1);
    const records = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => `${r.type}${r.step}`)).toEqual(['step1', 'step2', 'step3', 'epoch3']);
    expect(records[0]).toEqual({
      type: 'step',
      step: 1,
      epoch: 0,
      batch: 0,
      loss: expect.any(Number),
      lr: 0.1,
    });
  });

  it('CSV: widens its header when a metric first appears at a later epoch', async () => {
    const path = join(root, 'b', 'log.csv');
    writeFileSync(join(root, 'stale.csv'), 'old\n');
    const val = evaluation(({ epoch }) => ({ score: epoch / 10 }), { every: 2, prefix: 'val_' });
    await train([csvLogger(path), val], 3);
    const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
    expect(header).toBe('epoch,step,loss,lr,val_score');
    expect(rows.map((r) => r.split(',').filter((_, i) => i !== 2))).toEqual([
      ['0', '3', '0.1', ''],
      ['1', '6', '0.1', '0.1'],
      ['2', '9', '0.1', ''],
    ]);
  });

  it('validate their arguments', () => {
    expect(() => jsonlLogger('')).toThrow(/jsonlLogger: path must be a file path/);
    expect(() => csvLogger('x.csv', { every: 'batch' as 'step' })).toThrow(
      /every must be one of 'epoch', 'step'/,
    );
    expect(() => evaluation(null as never)).toThrow(/evaluate must be a function/);
  });
});
