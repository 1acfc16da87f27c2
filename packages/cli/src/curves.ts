import { niceTicks, tickLabel } from '@face/metrics';

/** One line of a chart: a name and its points. */
export interface Series {
  name: string;
  points: { x: number; y: number }[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One panel: axes, grid, lines with dots, a legend. */
function panel(
  title: string,
  series: readonly Series[],
  {
    x0,
    width,
    height,
    xLabel,
    yRange,
  }: { x0: number; width: number; height: number; xLabel: string; yRange?: [number, number] },
  markers: readonly { x: number; text: string }[],
): string {
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y));
  if (all.length === 0) return '';
  // The legend sits between the title and the plot, one entry per row.
  const [left, top, right, bottom] = [
    x0 + 56,
    34 + 16 * series.length,
    x0 + width - 12,
    height - 44,
  ];
  const xs = all.map((p) => p.x);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  let [yMin, yMax] = yRange ?? [Math.min(...all.map((p) => p.y)), Math.max(...all.map((p) => p.y))];
  if (yMax - yMin < 1e-9) [yMin, yMax] = [yMin - 0.5, yMax + 0.5];
  const yTicks = niceTicks(yMin, yMax);
  [yMin, yMax] = [yTicks[0], yTicks[yTicks.length - 1]];
  const yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : 1;
  const px = (x: number) => left + ((x - xMin) / (xMax - xMin)) * (right - left);
  const py = (y: number) => bottom - ((y - yMin) / (yMax - yMin)) * (bottom - top);
  const parts: string[] = [
    `<text x="${(left + right) / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
    `<text x="${(left + right) / 2}" y="${height - 8}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>`,
  ];
  for (const t of yTicks) {
    parts.push(`<line x1="${left}" x2="${right}" y1="${py(t)}" y2="${py(t)}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${left - 6}" y="${py(t) + 4}" text-anchor="end" font-size="11">${tickLabel(t, yStep)}</text>`,
    );
  }
  const xStep = Math.max(1, Math.ceil((xMax - xMin) / 6));
  for (let t = Math.ceil(xMin); t <= xMax; t += xStep) {
    parts.push(
      `<text x="${px(t)}" y="${bottom + 16}" text-anchor="middle" font-size="11">${t}</text>`,
    );
  }
  for (const m of markers) {
    parts.push(
      `<line x1="${px(m.x)}" x2="${px(m.x)}" y1="${top}" y2="${bottom}" stroke="#888" stroke-dasharray="4 3"/>`,
    );
    parts.push(
      `<text x="${px(m.x) + 4}" y="${bottom - 6}" font-size="11" fill="#555">${esc(m.text)}</text>`,
    );
  }
  parts.push(
    `<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#333"/>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points.filter((p) => Number.isFinite(p.y));
    if (!pts.length) return;
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const p of pts)
      parts.push(
        `<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="2.5" fill="${color}"/>`,
      );
    const ly = 40 + i * 16;
    parts.push(
      `<line x1="${left}" x2="${left + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`,
    );
    parts.push(`<text x="${left + 24}" y="${ly}" font-size="11">${esc(s.name)}</text>`);
  });
  return parts.join('\n');
}

/**
 * Training curves as a standalone SVG: the loss on the left, validation metrics on the right,
 * both against epochs; `markers` draw vertical lines (e.g. where phase 2 starts).
 */
export function trainingCurvesSvg(
  loss: readonly Series[],
  metrics: readonly Series[],
  markers: readonly { x: number; text: string }[] = [],
): string {
  const [width, height] = [440, 340];
  const body = [
    panel('Training loss', loss, { x0: 0, width, height, xLabel: 'epoch' }, markers),
    panel(
      'Validation',
      metrics,
      { x0: width, width, height, xLabel: 'epoch', yRange: [0, 1] },
      markers,
    ),
  ].join('\n');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * width}" height="${height}" ` +
    `viewBox="0 0 ${2 * width} ${height}" font-family="sans-serif">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`
  );
}
