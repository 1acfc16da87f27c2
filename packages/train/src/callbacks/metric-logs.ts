import { InvalidArgumentError, checkOneOf } from '@face/core';
import type { TrainerHandle, Callback, EpochLogs, StepLogs } from './callback';
import { appendText, readText, writeText } from './text-file';

/** A flat log record: step logs with their metrics merged in, or epoch logs. */
export type LogRecord = Record<string, number | string>;

function stepRecord(logs: StepLogs): LogRecord {
  const { metrics, ...rest } = logs;
  return { ...rest, ...metrics };
}

function checkPath(fn: string, path: unknown): string {
  if (typeof path !== 'string' || path === '')
    throw new InvalidArgumentError(fn, 'path', path, 'a file path');
  return path;
}

/**
 * Records kept when a run starts: none for a fresh run (the file is replaced); for a resumed one,
 * step records up to the restored step and epoch records of the epochs the checkpoint had ended.
 * Epochs go by epoch, not by step: a checkpoint saved at an epoch's last update, before that
 * epoch's end, has the epoch's step but will log the epoch again.
 */
function keepOnStart(trainer: TrainerHandle, kind: 'epoch' | 'step', record: LogRecord): boolean {
  if (trainer.resumedFrom === null) return false;
  if (kind === 'epoch') return typeof record.epoch === 'number' && record.epoch < trainer.epoch;
  return typeof record.step === 'number' && record.step <= trainer.step;
}

/**
 * Appends one JSON object per line to `path`: `{"type":"epoch",...}` after each epoch, and
 * `{"type":"step",...}` after each update when `every` is `'step'`. Runs before checkpoints
 * (order 5), so a resumed run's log has every record exactly once.
 */
export function jsonlLogger(
  path: string,
  { every = 'epoch' }: { every?: 'epoch' | 'step' } = {},
): Callback {
  const fn = 'jsonlLogger';
  checkPath(fn, path);
  checkOneOf(fn, 'every', every, ['epoch', 'step'] as const);
  const write = (record: LogRecord) => appendText(path, `${JSON.stringify(record)}\n`);
  return {
    name: `jsonl:${path}`,
    order: 5,
    async onTrainBegin(trainer) {
      // A fresh run keeps nothing, so it does not read the old log at all.
      const text = trainer.resumedFrom === null ? '' : ((await readText(path)) ?? '');
      const kept = text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .filter((line) => {
          try {
            const record = JSON.parse(line) as LogRecord;
            return keepOnStart(trainer, record.type === 'epoch' ? 'epoch' : 'step', record);
          } catch {
            return false; // a torn last line from a crash
          }
        });
      await writeText(path, kept.map((l) => `${l}\n`).join(''));
    },
    async onBatchEnd(logs) {
      if (every === 'step') await write({ type: 'step', ...stepRecord(logs) });
    },
    async onEpochEnd(logs) {
      await write({ type: 'epoch', ...logs });
    },
  };
}

const csvCell = (v: unknown) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

/**
 * Writes one CSV row per epoch (or per update with `every: 'step'`). Columns are those of the
 * records seen so far; a record with a new column (an evaluation metric that starts at a later
 * epoch) rewrites the file with the wider header.
 */
export function csvLogger(
  path: string,
  { every = 'epoch' }: { every?: 'epoch' | 'step' } = {},
): Callback {
  const fn = 'csvLogger';
  checkPath(fn, path);
  checkOneOf(fn, 'every', every, ['epoch', 'step'] as const);
  let columns: string[] = [];
  let rows: string[][] = [];
  const line = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\n`;
  const write = async (record: LogRecord) => {
    const fresh = Object.keys(record).filter((k) => !columns.includes(k));
    const row = () => [...columns.map((c) => (record[c] === undefined ? '' : String(record[c])))];
    if (fresh.length) {
      columns = [...columns, ...fresh];
      rows = rows.map((r) => [...r, ...fresh.map(() => '')]);
      rows.push(row());
      await writeText(path, line(columns) + rows.map(line).join(''));
    } else {
      rows.push(row());
      await appendText(path, line(rows[rows.length - 1]));
    }
  };
  return {
    name: `csv:${path}`,
    order: 5,
    async onTrainBegin(trainer) {
      const text = trainer.resumedFrom === null ? '' : ((await readText(path)) ?? '');
      const lines = text.split('\n').filter((l) => l !== '');
      columns = lines.length ? parseCsvLine(lines[0]) : [];
      const epochCol = columns.indexOf('epoch');
      const stepCol = columns.indexOf('step');
      const at = (r: string[], col: number) => (col < 0 ? NaN : Number(r[col]));
      rows = lines
        .slice(1)
        .map(parseCsvLine)
        .filter(
          (r) =>
            r.length === columns.length &&
            keepOnStart(trainer, every, { epoch: at(r, epochCol), step: at(r, stepCol) }),
        );
      if (!rows.length) columns = [];
      await writeText(path, columns.length ? line(columns) + rows.map(line).join('') : '');
    },
    async onBatchEnd(logs) {
      if (every === 'step') await write(stepRecord(logs));
    },
    async onEpochEnd(logs: EpochLogs) {
      if (every === 'epoch') await write({ ...logs });
    },
  };
}
