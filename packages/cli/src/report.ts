import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluationReport, type ReportInput, type ReportJson } from '@face/metrics';

/** Writes `@face/metrics`' report (report.json and the SVG plots) into `dir`; returns its JSON. */
export async function writeReport(dir: string, input: ReportInput): Promise<ReportJson> {
  mkdirSync(dir, { recursive: true });
  const { json, svg } = await evaluationReport(input);
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
