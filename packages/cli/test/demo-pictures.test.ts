/**
 * The demo's pictures, rendered to PNG under out/screenshots/ (sharp draws SVG with librsvg) so a
 * person can look at them, and checked for what a reader compares: one ROC with the three
 * models, their AUC and EER in the legend, the FAR targets marked; a histogram whose axis says
 * what the scores are and which draws the threshold; loss ticks on round values.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '@face/cli';

const shots = fileURLToPath(new URL('../../../out/screenshots/', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'face-demo-pictures-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Renders an SVG file to out/screenshots/<name>.png; returns its raw RGB pixels. */
async function png(svgPath: string, name: string): Promise<{ data: Buffer; width: number }> {
  mkdirSync(shots, { recursive: true });
  const image = sharp(readFileSync(svgPath), { density: 144 }).flatten({ background: '#fff' });
  await image
    .clone()
    .png()
    .toFile(join(shots, `${name}.png`));
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width };
}

/** Pixels within 40 levels of an RGB colour. */
function pixelsNear(data: Buffer, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < data.length; i += 3)
    if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) n++;
  return n;
}

describe('the demo pictures', () => {
  it('one ROC compares the three models; the histogram and curves are labelled', async () => {
    const out = join(root, 'demo');
    const result = await runDemo({ out, quick: true, backend: 'cpu', progress: false });

    const roc = readFileSync(join(out, 'roc.svg'), 'utf8');
    for (const [key, label] of [
      ['untrained', 'untrained'],
      ['recipe1', 'recipe 1 (softmax)'],
      ['recipe3', 'recipe 3 (+ ArcFace)'],
    ] as const) {
      const m = result.models[key];
      expect(roc).toContain(`${label}: AUC ${m.auc.toFixed(3)}, EER ${m.eer.toFixed(3)}`);
    }
    for (const far of ['1e-3', '1e-2', '1e-1']) expect(roc).toMatch(new RegExp(`FAR ${far}`));
    const rocPng = await png(join(out, 'roc.svg'), 'demo-roc');
    // Each model's colour is drawn (the curves, their dots and legend symbols).
    for (const color of ['#1f77b4', '#d62728', '#2ca02c'])
      expect(pixelsNear(rocPng.data, color), color).toBeGreaterThan(200);

    const histogram = readFileSync(join(out, 'recipe3', 'histogram.svg'), 'utf8');
    expect(histogram).toContain('cosine similarity');
    expect(histogram).toMatch(/EER threshold -?\d\.\d{3}/);
    await png(join(out, 'recipe3', 'histogram.svg'), 'demo-histogram');

    const curves = readFileSync(join(out, 'training-curves.svg'), 'utf8');
    const labels = [...curves.matchAll(/text-anchor="end" font-size="11">([^<]+)</g)].map(
      (t) => t[1],
    );
    // The loss panel's ticks come first, ascending; the validation panel's start over.
    const values = labels.map(Number);
    const loss = values.slice(
      0,
      values.findIndex((v, i) => i > 0 && v < values[i - 1]),
    );
    expect(loss.length).toBeGreaterThanOrEqual(3);
    const step = loss[1] - loss[0];
    expect(step / 10 ** Math.floor(Math.log10(step))).toBeOneOf([1, 2, 2.5, 5]);
    for (const t of loss) expect(Math.abs(t / step - Math.round(t / step))).toBeLessThan(1e-6);
    await png(join(out, 'training-curves.svg'), 'demo-training-curves');
  });
});
