import { mkdirSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { writeFilesAtomic } from '@face/core';
import {
  DEFAULT_OPEN_SET_FAR,
  evaluationReport,
  rocComparison,
  type ComparedModel,
  type ReportInput,
  type ReportJson,
} from '@face/metrics';
import { UsageError } from './args';

/** Files a command left out, as report.json lists them. */
export interface SkippedFiles {
  count: number;
  files: { path: string; reason: string }[];
}

/**
 * Writes `@face/metrics`' report (report.json and the SVG plots) into `dir`; returns its JSON.
 * With `skipped`, report.json also lists the files the evaluation left out (all, with the reason);
 * `extra` adds entries of the command's own (eval: `split`, `flipTta`), beside the metrics'.
 */
export async function writeReport(
  dir: string,
  input: ReportInput,
  skipped?: readonly { path: string; reason: string }[],
  extra: Record<string, unknown> = {},
): Promise<ReportJson & { skipped?: SkippedFiles }> {
  mkdirSync(dir, { recursive: true });
  // The face commands score pairs by the cosine similarity of their embeddings: say so on the axis.
  const named: ReportInput = input.verification
    ? { ...input, verification: { scoreName: 'cosine similarity', ...input.verification } }
    : input;
  const { json: metrics, svg } = await evaluationReport(named);
  const json = {
    ...metrics,
    ...extra,
    ...(skipped ? { skipped: { count: skipped.length, files: [...skipped] } } : {}),
  };
  // Replaced as one: a full disk leaves the previous report whole, not cut off or half new.
  await writeFilesAtomic([
    { path: join(dir, 'report.json'), data: `${JSON.stringify(json, null, 2)}\n` },
    ...Object.entries(svg)
      .filter(([, text]) => text)
      .map(([name, text]) => ({ path: join(dir, `${name}.svg`), data: text as string })),
  ]);
  return json;
}

/**
 * Writes one SVG with every model's ROC on a log-FAR axis (AUC and EER in the legend, TAR marked
 * at FAR 1e-3, 1e-2, 1e-1), the plot people compare models by.
 */
export async function writeRocComparison(
  path: string,
  models: readonly ComparedModel[],
  title = 'Verification ROC',
): Promise<void> {
  const { svg } = await rocComparison(models, { title, far: DEFAULT_OPEN_SET_FAR });
  await writeFilesAtomic([{ path, data: svg }]);
}

/** `path` with symlinks resolved as far as it exists (the rest appended as given). */
function realPath(path: string): string {
  const rest: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    try {
      return join(realpathSync(p), ...rest.reverse());
    } catch {
      if (dirname(p) === p) return resolve(path);
      rest.push(basename(p));
    }
  }
}

/**
 * Refuses (a usage error naming `flag`) an output path that lies inside the `--model` folder or
 * is that folder, symlinks followed: writing there would replace or mix with the model's files.
 */
export function refuseInsideModel(
  command: string,
  flag: string,
  target: string,
  modelSpec: string,
): void {
  if (modelSpec === 'dlib-resnet') return;
  const rel = relative(realPath(modelSpec), realPath(target));
  if (rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)))
    throw new UsageError(
      `face ${command}: flag --${flag} names '${target}', which lies inside the --model folder '${modelSpec}' (writing there would overwrite the model); choose a path outside it`,
    );
}

/** A plain-text table: the first row is the header; columns padded, numbers right-aligned. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [
    line(rows[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}
