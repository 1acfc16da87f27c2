// @face/align's detector speed in headless Chromium, next to face-api's own: pictures/s of
// detection + 68 landmarks (+ five points + the ArcFace warp on our side) on webgl and wasm,
// on the built example's bench-align.html (the same 250 x 250 drawn faces as bench/align.ts).
// Run by hand after `pnpm build`:  node bench/align-browser.mjs [--n 8] [--backends webgl,wasm]
//   [--detectors tiny,ssd] [--runs 1]
// Prints a Markdown table with the date, machine, Chromium, renderer and `uptime` before/after.
// Here WebGL is SwiftShader (Vulkan on the CPU behind ANGLE): software, not a GPU's speed.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const example = fileURLToPath(new URL('../examples/browser/', import.meta.url));
const dist = fileURLToPath(new URL('../out/example-browser/bench-align-dist', import.meta.url));
// vite and playwright-core are the example's dev dependencies, not the root's: its helper
// resolves them.
const { servedPage } = await import('../examples/browser/bench/served-page.mjs');

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])),
);
const n = Number(args.n ?? 8);
const runs = Number(args.runs ?? 1);
const backends = (args.backends ?? 'webgl,wasm').split(',');
const detectors = (args.detectors ?? 'tiny,ssd').split(',');
const uptime = () =>
  execFileSync('uptime', { encoding: 'utf8' })
    .trim()
    .replace(/.*average: /, '');
const started = new Date();
const loadBefore = uptime();

const { server, browser } = await servedPage(example, dist);
const version = browser.version();

/** label -> { backend -> [pictures/s per run] }, and each backend's description. */
const table = new Map();
const infos = {};
const found = new Map();
/** One page's work: a side and a detector, or the warp alone. */
function jobs(run) {
  const sides = ['@face/align', 'face-api'];
  // Odd runs time face-api first: whatever the browser keeps between pages favours neither side.
  if (run % 2) sides.reverse();
  const list = detectors.flatMap((d) => sides.map((side) => ({ detectors: [d], sides: [side] })));
  return [...list, { detectors: [], sides: ['alignFaces'] }];
}

try {
  for (let run = 0; run < runs; run++) {
    for (const backend of backends) {
      for (const job of jobs(run)) {
        // A fresh page per side: on webgl one side's compiled shaders would speed up the next.
        const page = await browser.newPage();
        page.on('console', (m) => {
          if (m.text().startsWith('face-align-bench ')) console.error(backend, m.text().slice(17));
        });
        await page.goto(`${server.resolvedUrls.local[0]}bench-align.html`);
        await page.waitForSelector('body[data-ready="true"]');
        const { info, rows } = await page.evaluate(
          ([b, o]) => globalThis.__faceAlignBench.run(b, o),
          [backend, { n, ...job }],
        );
        infos[backend] = info;
        for (const r of rows) {
          if (!table.has(r.label)) table.set(r.label, {});
          (table.get(r.label)[backend] ??= []).push([r.picturesPerSecond, r.repeatPerSecond]);
          if (r.found != null)
            found.set(`${r.side} ${r.detector} ${backend}`, `${r.found}/${r.runs}`);
          if (r.tensorsLeft !== 0)
            console.error(`${backend} ${r.label}: ${r.tensorsLeft} tensors left`);
        }
        await page.close();
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
const f = (xs) => (xs ? xs.map(([a, b]) => `${fmt(a)} (${fmt(b)})`).join(' / ') : '–');
const describe = (b) => {
  const i = infos[b];
  if (!i) return b;
  if (i.backend === 'wasm') return `wasm, ${i.threads} thread${i.threads === 1 ? '' : 's'}`;
  if (i.backend === 'webgl') return `webgl ${i.webglVersion}${i.float32 ? ' float32' : ''}`;
  return i.backend;
};
console.log(
  `Date: ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC. Machine: ${cpus().length} x ` +
    `${cpus()[0].model}; Chromium ${version} headless` +
    `${infos.webgl?.renderer ? `; WebGL renderer: ${infos.webgl.renderer}` : ''}. ` +
    `${n} pictures of 250x250 per row after one warm-up picture, each side in a fresh page: ` +
    `first pass (repeated pass over the same pictures); ${runs} run(s), separated by /. Load average before: ${loadBefore}; after: ${uptime()}.\n`,
);
console.log(`| pictures/s | ${backends.map(describe).join(' | ')} |`);
console.log(`| --- | ${backends.map(() => '---:').join(' | ')} |`);
for (const [label, byBackend] of table)
  console.log(`| ${label} | ${backends.map((b) => f(byBackend[b])).join(' | ')} |`);
console.log(
  `\nFaces found (pictures with one, warm-up included): ${[...found].map(([k, v]) => `${k}: ${v}`).join('; ')}`,
);
