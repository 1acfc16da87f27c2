import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluationReport, type ReportInput, type ReportJson } from '@face/metrics';

/** Files a command left out, as report.json lists them. */
export interface SkippedFiles {
  count: number;
  files: { path: string; reason: string }[];
}

/**
 * Writes `@face/metrics`' report (report.json and the SVG plots) into `dir`; returns its JSON.
 * With `skipped`, report.json also lists the files the evaluation left out (all, with the reason).
 */
export async function writeReport(
  dir: string,
  input: ReportInput,
  skipped?: readonly { path: string; reason: string }[],
): Promise<ReportJson & { skipped?: SkippedFiles }> {
  mkdirSync(dir, { recursive: true });
  const { json: metrics, svg } = await evaluationReport(input);
  const json = skipped
    ? { ...metrics, skipped: { count: skipped.length, files: [...skipped] } }
    : metrics;
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(json, null, 2)}\n`);
  for (const [name, text] of Object.entries(svg))
    if (text) writeFileSync(join(dir, `${name}.svg`), text);
  return json;
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
