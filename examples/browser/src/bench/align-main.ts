// The detector speed page (bench-align.html): bench/align-browser.mjs opens it once per backend.
import { selectBackend, type BackendInfo, type PageBackend } from '../backend';
import { measureAlign, type AlignBenchOptions, type AlignSpeedRow } from './align-measure';

declare global {
  interface Window {
    /** The align bench page's entry (`bench/align-browser.mjs` drives it). */
    __faceAlignBench: {
      run(
        backend: PageBackend,
        options?: AlignBenchOptions,
      ): Promise<{ info: BackendInfo; rows: AlignSpeedRow[] }>;
    };
  }
}

window.__faceAlignBench = {
  async run(backend, options) {
    const info = await selectBackend(backend);
    // Each row is logged as it ends, so a driver that gives up early still has the finished ones.
    const rows = await measureAlign(options, (row) =>
      console.log(`face-align-bench ${JSON.stringify(row)}`),
    );
    return { info, rows };
  },
};
document.body.dataset.ready = 'true';
