import { selectBackend, type BackendInfo, type PageBackend } from '../backend';
import { configFromQuery } from '../demo/config';
import { measureDemo, type DemoSpeed } from './measure';

declare global {
  interface Window {
    /** The bench page's entry (`bench/backends.mjs` drives it). */
    __faceBench: {
      run(
        backend: PageBackend,
        query: string,
        options?: { warmup?: number; steps?: number },
      ): Promise<{ info: BackendInfo; speed: DemoSpeed }>;
    };
  }
}

window.__faceBench = {
  async run(backend, query, options) {
    const info = await selectBackend(backend);
    return { info, speed: await measureDemo(configFromQuery(query), options) };
  },
};
document.body.dataset.ready = 'true';
