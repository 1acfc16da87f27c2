import type { VegaLiteSpec } from './specs';

/**
 * Renders a Vega-Lite spec to an SVG string in Node or a browser, with no DOM and no canvas
 * (`renderer: 'none'`; text is measured by Vega's estimate). Vega and Vega-Lite are ES modules
 * with top-level await, so they are loaded here with `import()`, which works from this
 * package's CommonJS build too, and only when a report is drawn.
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
