import { selectBackend, type BackendInfo, type PageBackend } from '../backend';
import { buildParityCase, disposeCase } from './case';
import { computeParity, type ParityResult } from './compute';

declare global {
  interface Window {
    /** The parity page's entry for tests: the case computed on a backend of this browser. */
    __faceParity: {
      run(backend: PageBackend): Promise<{ info: BackendInfo; result: ParityResult; ms: number }>;
      /** Only selects a backend (e.g. what `auto` picks here) and describes it. */
      select(backend: PageBackend): Promise<BackendInfo>;
    };
  }
}

window.__faceParity = {
  select: selectBackend,
  async run(backend) {
    const info = await selectBackend(backend);
    const start = performance.now();
    const pc = buildParityCase();
    try {
      const result = await computeParity(pc);
      return { info, result, ms: performance.now() - start };
    } finally {
      disposeCase(pc);
    }
  },
};
document.body.dataset.ready = 'true';
