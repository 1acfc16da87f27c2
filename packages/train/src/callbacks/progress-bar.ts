import { checkOneOf } from '@face/core';
import type { Callback } from './callback';

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

/** `m:ss`, or `h:mm:ss` from an hour. */
export function clock(seconds: number): string {
  const t = Math.max(0, Math.round(seconds));
  const [h, m, sec] = [Math.floor(t / 3600), Math.floor((t % 3600) / 60), t % 60];
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return `${h ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}

/**
 * `fields` joined by two spaces into lines of at most `width` columns (a field longer than that
 * gets a line of its own); lines after the first are indented, so an epoch's summary reads as one
 * block on an 80-column terminal instead of wrapping mid-number. The logs keep every digit.
 */
export function wrapFields(fields: readonly string[], width: number, indent = '  '): string {
  const lines: string[] = [];
  let line = '';
  for (const f of fields) {
    if (line && line.length + 2 + f.length > width) {
      lines.push(line);
      line = indent + f;
    } else line = line ? `${line}  ${f}` : f;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

const hasEvaluation = (trainer: unknown) =>
  ((trainer as { callbacks?: readonly { name?: string }[] }).callbacks ?? []).some(
    (cb) => cb.name === 'evaluation',
  );

/**
 * A progress bar: `epoch 2/10 [=====>    ] 34/100  loss 0.4123  lr 1.00e-3  12.1 it/s  ETA 2:31`,
 * redrawn in place on a TTY (the ETA is of the whole run, the time epoch ends took included),
 * `validating...` while an evaluation runs at an epoch's end, then the epoch's logs in lines of
 * at most `columns` (80 off a TTY); in `'lines'` mode only the epoch lines.
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
  /** Seconds the last epoch end took (evaluation, checkpoint), for the ETA. */
  let endSeconds = 0;
  let endStarted = 0;
  let ticker: ReturnType<typeof setInterval> | null = null;
  const cols = () => stream?.columns ?? 80;
  const draw = (text: string) => stream?.write(`\r${text.slice(0, cols() - 1)}\x1b[K`);
  const stopTicker = () => {
    if (ticker !== null) clearInterval(ticker);
    ticker = null;
  };
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
      let eta = '';
      if (total && rate > 0) {
        const epochsLeft = epochs ? Math.max(0, epochs - logs.epoch - 1) : 0;
        const seconds = (total - done + epochsLeft * total) / rate + (epochsLeft + 1) * endSeconds;
        eta = `  ETA ${clock(seconds)}`;
      }
      const text = `${head(logs.epoch)} ${bar}${done}${total ? `/${total}` : ''}  loss ${fmt(logs.loss)}  lr ${fmt(logs.lr)}  ${rate.toFixed(1)} it/s${eta}`;
      draw(text);
      if (done !== total) return;
      endStarted = now;
      if (!hasEvaluation(trainer)) return;
      // Evaluation shows no bar of its own: say what runs, and for how long (when it yields).
      const say = () =>
        draw(
          `${head(logs.epoch)} validating... ${clock((Date.now() - endStarted) / 1000)}` +
            (endSeconds ? ` (last ${clock(endSeconds)})` : ''),
        );
      say();
      stopTicker();
      ticker = setInterval(say, 1000);
      (ticker as { unref?: () => void }).unref?.();
    },
    onEpochEnd(logs) {
      stopTicker();
      if (endStarted) endSeconds = (Date.now() - endStarted) / 1000;
      endStarted = 0;
      if (effective === 'silent' || !stream) return;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const prefix = effective === 'bar' ? '\r\x1b[K' : '';
      const fields = [
        head(logs.epoch),
        ...Object.entries(logs)
          .filter(([k]) => k !== 'epoch')
          .map(([k, v]) => `${k} ${fmt(v)}`),
        `(${seconds}s)`,
      ];
      stream.write(`${prefix}${wrapFields(fields, cols())}\n`);
    },
    onTrainEnd(result) {
      stopTicker();
      if (effective === 'silent' || !stream || !result.stopReason) return;
      stream.write(`stopped: ${result.stopReason.message}\n`);
    },
  };
}
