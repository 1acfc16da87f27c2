import { checkOneOf } from '@face/core';
import type { Callback, EpochLogs } from './callback';

/** Where the bar writes: a TTY stream gets a redrawn line, anything else whole lines. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressBarOptions {
  /** Default: the process's stderr. */
  stream?: ProgressStream;
  /**
   * `'auto'` (default): a bar on a TTY, nothing when not a TTY or when `CI` is set; `'bar'`: always
   * a bar; `'lines'`: one line per epoch; `'silent'`: nothing.
   */
  mode?: 'auto' | 'bar' | 'lines' | 'silent';
  /** Minimum milliseconds between redraws. */
  interval?: number;
  /** Epoch count to show as `epoch 3/10`. */
  epochs?: number;
}

type Env = Record<string, string | undefined>;
const env = (): Env => (globalThis as { process?: { env?: Env } }).process?.env ?? {};
const defaultStream = (): ProgressStream | undefined =>
  (globalThis as { process?: { stderr?: ProgressStream } }).process?.stderr;

/** Whether `'auto'` draws a bar on `stream`: a TTY, and no `CI` variable (other than "0"/"false"). */
export function isInteractive(
  stream: ProgressStream | undefined,
  environment: Env = env(),
): boolean {
  const ci = environment.CI;
  return !!stream?.isTTY && (ci === undefined || ci === '' || ci === '0' || ci === 'false');
}

const fmt = (v: number) =>
  !Number.isFinite(v) || Number.isInteger(v)
    ? String(v)
    : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4
      ? v.toFixed(4)
      : v.toExponential(2);

function summary(logs: EpochLogs | Record<string, number>, skip: string[]): string {
  return Object.entries(logs)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join('  ');
}

/**
 * A progress bar: `epoch 2/10 [=====>    ] 34/100 loss 0.4123 lr 1.00e-3 12.1 it/s`, redrawn in place
 * on a TTY and finished with the epoch's logs; in `'lines'` mode only the epoch lines.
 */
export function progressBar({
  stream = defaultStream(),
  mode = 'auto',
  interval = 100,
  epochs,
}: ProgressBarOptions = {}): Callback {
  checkOneOf('progressBar', 'mode', mode, ['auto', 'bar', 'lines', 'silent'] as const);
  const effective = mode === 'auto' ? (isInteractive(stream) ? 'bar' : 'silent') : mode;
  let started = 0;
  let lastDraw = 0;
  let firstBatch = 0;
  const head = (epoch: number) => `epoch ${epoch + 1}${epochs ? `/${epochs}` : ''}`;
  return {
    name: 'progressBar',
    order: 20,
    onEpochBegin(_epoch, trainer) {
      started = Date.now();
      lastDraw = 0;
      firstBatch = trainer.position.batchInEpoch;
    },
    onBatchEnd(logs, trainer) {
      if (effective !== 'bar' || !stream) return;
      const done = logs.batch + 1;
      const now = Date.now();
      const total = trainer.batchesPerEpoch;
      if (now - lastDraw < interval && done !== total) return;
      lastDraw = now;
      const width = 24;
      const filled = total ? Math.min(width, Math.round((done / total) * width)) : 0;
      const bar = total
        ? `[${'='.repeat(filled)}${filled < width ? '>' : ''}${' '.repeat(Math.max(0, width - filled - 1))}] `
        : '';
      const rate = (done - firstBatch) / Math.max(1e-3, (now - started) / 1000);
      const text = `${head(logs.epoch)} ${bar}${done}${total ? `/${total}` : ''}  loss ${fmt(logs.loss)}  lr ${fmt(logs.lr)}  ${rate.toFixed(1)} it/s`;
      const cols = stream.columns ?? 100;
      stream.write(`\r${text.slice(0, cols - 1)}\x1b[K`);
    },
    onEpochEnd(logs) {
      if (effective === 'silent' || !stream) return;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const prefix = effective === 'bar' ? '\r\x1b[K' : '';
      stream.write(`${prefix}${head(logs.epoch)}  ${summary(logs, ['epoch'])}  (${seconds}s)\n`);
    },
    onTrainEnd(result) {
      if (effective === 'silent' || !stream || !result.stopReason) return;
      stream.write(`stopped: ${result.stopReason.message}\n`);
    },
  };
}
