import { FaceError } from '@face/core';
import type * as VegaModule from 'vega';
import type * as VegaLiteModule from 'vega-lite';
import type { VegaLiteSpec } from './specs';

/** The plotting stack, an optional peer: what to install, on a version that runs on Node 20. */
const PLOTTING_PEERS = 'vega@^6 "vega-lite@>=6 <6.5"';

/**
 * The plots of a report need the optional peers `vega` and `vega-lite`, which are not installed
 * (or do not load). `missing` names the package that failed; everything but the plots works.
 */
export class PlottingUnavailableError extends FaceError {
  override name = 'PlottingUnavailableError';
  constructor(
    readonly fn: string,
    readonly missing: string,
    cause: unknown,
  ) {
    super(
      `${fn}: drawing plots needs the optional peers vega and vega-lite, and '${missing}' did not ` +
        `load (${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}): ` +
        `npm install ${PLOTTING_PEERS}. The metrics themselves need neither.`,
      { cause },
    );
  }
}

type Vega = typeof VegaModule;
type VegaLite = typeof VegaLiteModule;

/**
 * Vega and Vega-Lite are ES modules with top-level await, loaded here with `import()` (which
 * works from this package's CommonJS build too), and only when a plot is drawn, so the metrics on
 * plain arrays never load the ~80 packages of the plotting stack. `importer` is for tests.
 */
export async function loadPlotting(
  fn: string,
  importer: (name: 'vega' | 'vega-lite') => Promise<unknown> = (name) =>
    name === 'vega' ? import('vega') : import('vega-lite'),
): Promise<{ vega: Vega; vegaLite: VegaLite }> {
  const load = async <T>(name: 'vega' | 'vega-lite'): Promise<T> => {
    try {
      return (await importer(name)) as T;
    } catch (err) {
      throw new PlottingUnavailableError(fn, name, err);
    }
  };
  const vega = await load<Vega>('vega');
  const vegaLite = await load<VegaLite>('vega-lite');
  return { vega, vegaLite };
}

/**
 * Renders a Vega-Lite spec to an SVG string in Node or a browser, with no DOM and no canvas
 * (`renderer: 'none'`; text is measured by Vega's estimate).
 */
export async function renderSvg(
  spec: VegaLiteSpec,
  fn = 'evaluationReport',
  importer?: (name: 'vega' | 'vega-lite') => Promise<unknown>,
): Promise<string> {
  const { vega, vegaLite } = await loadPlotting(fn, importer);
  // A copy: Vega tags the data rows it renders (a Symbol per row), and the caller's spec stays JSON.
  const copy = structuredClone(spec) as unknown as Parameters<VegaLite['compile']>[0];
  const compiled = vegaLite.compile(copy).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
