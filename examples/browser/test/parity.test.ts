// The same backbone + ArcFace head + loss on every backend: forward (inference and training mode),
// loss, and gradients w.r.t. every weight and the input images, compared with Node's `cpu`
// backend (the reference). Node runs `cpu` and `wasm` (threaded: one thread per core); Chromium
// runs `cpu`, `wasm` (threaded: the page is cross-origin isolated), `webgl` and `webgpu` (both on
// SwiftShader here: correctness, not speed). Backends are chosen with @face/backends' `useBackend`, which registers the
// gradients and, on wasm, the gradient kernels tfjs-backend-wasm lacks. Every side builds the case from the same seeded generator and proves it by
// hashing the float32 bits of weights and images.
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { maxRelativeError, setTestBackend } from '@face/test-support';
import type { BackendInfo } from '../src/backend';
import { buildParityCase, disposeCase } from '../src/parity/case';
import { computeParity, type ParityResult } from '../src/parity/compute';
import { artifacts, launchChromium } from './chromium';

/**
 * Agreement bound: max |x - ref| / max |ref| per tensor, TF.js's own float32 tolerance (its
 * tests use 1e-3 for float32 backends). Measured values are in `out/example-browser/parity.json`.
 */
const TOLERANCE = 1e-3;

/**
 * Gradients that are zero in exact arithmetic: a per-channel shift followed by a BatchNorm using
 * batch statistics (the shift cancels in x - mean). In IResNet these are the betas of each
 * block's last norm and of its shortcut's norm (the next block starts with a norm), and the head's
 * norm beta and FC bias (the feature norm follows). Every backend gives round-off there, so they
 * are compared as zero: below ZERO_GRADIENT times the largest gradient of the model.
 */
const DEAD_SHIFTS = /(\.norm3|\.downsample\.norm|^head\.norm)\/beta$|^head\.fc\/bias$/;
const ZERO_GRADIENT = 1e-5;
/**
 * WebGPU needs an adapter: `FACE_REQUIRE_WEBGPU=1` (CI, with @face/test-support's Chromium flags)
 * makes a missing one a failure; otherwise the WebGPU comparison is skipped with the reason printed.
 */
const REQUIRE_WEBGPU = process.env.FACE_REQUIRE_WEBGPU === '1';
let webgpuMissing: string | undefined;
let autoInfo: BackendInfo | undefined;
const maxAbs = (values: number[]) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

let browser: Browser;
let page: Page;
const results: Record<string, ParityResult> = {};
const timings: Record<string, number> = {};

async function nodeRun(backend: 'cpu' | 'wasm'): Promise<ParityResult> {
  await setTestBackend(backend);
  const start = performance.now();
  const pc = buildParityCase();
  try {
    return await computeParity(pc);
  } finally {
    disposeCase(pc);
    timings[`node-${backend}`] = performance.now() - start;
  }
}

const infos: Record<string, BackendInfo> = {};

async function browserRun(backend: 'cpu' | 'wasm' | 'webgl' | 'webgpu'): Promise<ParityResult> {
  const { info, result, ms } = await page.evaluate((b) => window.__faceParity.run(b), backend);
  timings[`chromium-${backend}`] = ms;
  infos[`chromium-${backend}`] = info;
  if (backend === 'webgl') {
    // Float16 textures would put the error near 1e-3 and hide real bugs.
    expect(info.float32, 'WebGL renders float32').toBe(true);
  }
  return result;
}

/** The largest gradient of any weight: the scale of an update. */
const gradientScale = (r: ParityResult) => Math.max(...Object.values(r.gradients).map(maxAbs));

/**
 * Scaled error of every compared quantity of `r` against the reference; for an analytically zero
 * gradient, its largest entry over the reference's gradient scale.
 */
function errors(r: ParityResult, ref: ParityResult): Record<string, number> {
  const out: Record<string, number> = {
    inference: maxRelativeError(r.inference, ref.inference),
    training: maxRelativeError(r.training, ref.training),
    logits: maxRelativeError(r.logits, ref.logits),
    loss: maxRelativeError([r.loss], [ref.loss]),
  };
  for (const name of Object.keys(r.gradients))
    out[`grad:${name}`] = DEAD_SHIFTS.test(name)
      ? maxAbs(r.gradients[name]) / gradientScale(ref)
      : maxRelativeError(r.gradients[name], ref.gradients[name]);
  return out;
}

beforeAll(async () => {
  results['node-cpu'] = await nodeRun('cpu');
  results['node-wasm'] = await nodeRun('wasm');
  await setTestBackend('cpu');
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (err) => console.error('parity page error:', err));
  await page.goto(`${inject('baseUrl')}parity.html`);
  await page.waitForSelector('body[data-ready="true"]');
  results['chromium-cpu'] = await browserRun('cpu');
  results['chromium-wasm'] = await browserRun('wasm');
  results['chromium-webgl'] = await browserRun('webgl');
  webgpuMissing = await page.evaluate(async () => {
    if (!navigator.gpu) return 'navigator.gpu is missing';
    const adapter = await navigator.gpu.requestAdapter();
    return adapter ? undefined : 'navigator.gpu.requestAdapter() returned null';
  });
  if (webgpuMissing) console.warn(`parity: WebGPU not compared: ${webgpuMissing}`);
  else results['chromium-webgpu'] = await browserRun('webgpu');
  autoInfo = await page.evaluate(() => window.__faceParity.select('auto'));
});

afterAll(async () => {
  await browser?.close();
  const ref = results['node-cpu'];
  if (!ref) return;
  const report = Object.fromEntries(
    Object.entries(results).map(([name, r]) => [
      name,
      {
        backend: r.backend,
        info: infos[name],
        ms: Math.round(timings[name] ?? NaN),
        gradientError: r.gradientError ?? null,
        maxScaledError: errors(r, ref),
      },
    ]),
  );
  const extra = { webgpuMissing: webgpuMissing ?? null, auto: autoInfo ?? null };
  writeFileSync(`${artifacts}parity.json`, `${JSON.stringify({ ...report, ...extra }, null, 2)}\n`);
});

describe('parity: backbone + ArcFace + loss', () => {
  it('every side computes on the same weights and images', () => {
    const ref = results['node-cpu'];
    expect(ref.gradients.input).toBeDefined();
    for (const [name, r] of Object.entries(results)) {
      expect(r.hashes, name).toEqual(ref.hashes);
    }
  });

  it('the reference is a real training case: finite loss, gradients zero exactly where the math says', () => {
    const ref = results['node-cpu'];
    expect(Number.isFinite(ref.loss) && ref.loss > 0).toBe(true);
    const scale = gradientScale(ref);
    const zero = Object.entries(ref.gradients)
      .filter(([, g]) => maxAbs(g) <= ZERO_GRADIENT * scale)
      .map(([name]) => name);
    expect(zero).toEqual(Object.keys(ref.gradients).filter((name) => DEAD_SHIFTS.test(name)));
    expect(zero).toHaveLength(10);
    for (const [name, g] of Object.entries(ref.gradients))
      expect(g.every(Number.isFinite), `gradient of ${name}`).toBe(true);
  });

  it('auto in Chromium here: threaded wasm on the cross-origin isolated page, GPUs in software passed over', () => {
    expect(autoInfo?.crossOriginIsolated).toBe(true);
    expect(autoInfo?.backend).toBe('wasm');
    expect(autoInfo?.threads).toBeGreaterThan(1);
    expect(infos['chromium-wasm'].threads).toBe(autoInfo?.threads);
    expect(autoInfo?.skipped.map((s) => s.backend)).toEqual(['webgpu', 'webgl']);
    expect(autoInfo?.skipped[0].reason).toMatch(
      webgpuMissing ? /no WebGPU adapter/ : /computes in software/,
    );
    expect(autoInfo?.skipped[1].reason).toMatch(/renders in software/);
  });

  it('a WebGPU adapter exists (required when FACE_REQUIRE_WEBGPU=1)', (ctx) => {
    if (webgpuMissing && !REQUIRE_WEBGPU) ctx.skip(`no WebGPU adapter: ${webgpuMissing}`);
    expect(webgpuMissing).toBeUndefined();
    expect(infos['chromium-webgpu'].backend).toBe('webgpu');
  });

  it.for(['chromium-webgpu', 'chromium-webgl', 'chromium-cpu', 'chromium-wasm', 'node-wasm'])(
    `%s: forward, loss and every gradient within ${TOLERANCE} of Node cpu`,
    (name, ctx) => {
      if (name === 'chromium-webgpu' && webgpuMissing) {
        if (REQUIRE_WEBGPU) throw new Error(`no WebGPU adapter: ${webgpuMissing}`);
        ctx.skip(`no WebGPU adapter: ${webgpuMissing}`);
      }
      const r = results[name];
      expect(r.gradientError).toBeUndefined();
      expect(Object.keys(r.gradients).sort()).toEqual(
        Object.keys(results['node-cpu'].gradients).sort(),
      );
      for (const [what, err] of Object.entries(errors(r, results['node-cpu'])))
        expect(err, `${name} ${what}`).toBeLessThanOrEqual(
          DEAD_SHIFTS.test(what.slice('grad:'.length)) ? ZERO_GRADIENT : TOLERANCE,
        );
    },
  );
});
