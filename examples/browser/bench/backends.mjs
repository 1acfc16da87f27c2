// How fast the demo trains and embeds on each backend, here: Node (cpu, wasm) and Chromium
// (cpu, wasm, webgl). Run by hand after `pnpm build`:
//   node examples/browser/bench/backends.mjs [test|default ...]
// Env: STEPS (timed updates, default 3, after one warm-up update), SKIP (e.g. "node-cpu,chromium-cpu").
// Prints a Markdown table (with `uptime` before and after) for the README's backend matrix.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { servedPage } from './served-page.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = fileURLToPath(new URL('../../../out/example-browser/bench-dist', import.meta.url));

/** The e2e test's run and the page's default run (see src/demo/config.ts and test/demo.test.ts). */
const CONFIGS = {
  test:
    '?size=32&width=0.125&embeddingSize=32&identities=40&testIdentities=10&imagesPerIdentity=8' +
    '&p=8&k=4&epochs=4&lr=0.005&pairs=100',
  default: '',
};
const RUN = { warmup: 1, steps: Number(process.env.STEPS ?? 3) };
const skip = new Set((process.env.SKIP ?? '').split(',').filter(Boolean));
const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(CONFIGS);
const uptime = () =>
  execFileSync('uptime', { encoding: 'utf8' })
    .trim()
    .replace(/.*average: /, '');

const rows = [];
const load = { before: uptime() };

// Node: the same TypeScript modules, loaded through Vite's SSR loader; backends (with gradients
// and wasm's training kernels) from @face/backends.
const { useBackend } = await import('@face/backends');
const vite = await createServer({
  root,
  logLevel: 'error',
  server: { middlewareMode: true },
  appType: 'custom',
});
const { measureDemo } = await vite.ssrLoadModule('/src/bench/measure.ts');
const { configFromQuery } = await vite.ssrLoadModule('/src/demo/config.ts');
for (const name of names) {
  for (const backend of ['cpu', 'wasm']) {
    if (skip.has(`node-${backend}`)) continue;
    await useBackend(backend);
    const speed = await measureDemo(configFromQuery(CONFIGS[name]), RUN);
    rows.push({ config: name, where: 'Node 20', ...speed });
    console.error(name, 'node', backend, JSON.stringify(speed));
  }
}
await vite.close();

// Chromium: the built page, as users get it.
const { server, browser } = await servedPage(root, dist);
const version = browser.version();
for (const name of names) {
  for (const backend of ['cpu', 'wasm', 'webgl']) {
    if (skip.has(`chromium-${backend}`)) continue;
    const page = await browser.newPage();
    await page.goto(`${server.resolvedUrls.local[0]}bench.html`);
    await page.waitForSelector('body[data-ready="true"]');
    const { info, speed } = await page.evaluate(
      ([b, q, o]) => globalThis.__faceBench.run(b, q, o),
      [backend, CONFIGS[name], RUN],
    );
    rows.push({
      config: name,
      where: `Chromium ${version}${info.renderer ? ` (${info.renderer})` : ''}`,
      ...speed,
    });
    console.error(name, 'chromium', backend, JSON.stringify(speed));
    await page.close();
  }
}
await browser.close();
await server.close();
load.after = uptime();

const f = (x, d = 1) => (x == null ? '–' : x.toFixed(d));
console.log(
  `Machine: ${cpus().length} x ${cpus()[0].model}, Node ${process.version}. ` +
    `Date: ${new Date().toISOString().slice(0, 10)}. Load average before: ${load.before}; after: ${load.after}.\n`,
);
console.log(
  '| run | where | backend | batch | train ms / step | train pictures / s | inference pictures / s |',
);
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: |');
for (const r of rows)
  console.log(
    `| ${r.config} | ${r.where} | ${r.backend} | ${r.batch} | ${r.msPerStep == null ? `no (${r.trainError})` : f(r.msPerStep, 0)} | ${f(r.trainPerSecond)} | ${f(r.inferencePerSecond)} |`,
  );
