// Issue 15's proof, browser half: a model trained in Node through the library with its own
// preprocessing (a centre crop out of larger images, a normalization that is not the default) is
// loaded in Chromium from its files, and its saved spec prepares the same images into the same
// embeddings. The page (test/model-spec-page.ts) is bundled here with Vite as an app would be,
// from the packages' dist; its files and the model's are served through Playwright's routing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize as normalizePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticFaces, centerCrop, compose, normalize, randomHorizontalFlip } from '@face/data';
import { buildBackbone } from '@face/layers';
import { classificationRecipe, embedDataset } from '@face/recipes';
import type { PageImages } from './model-spec-page';
import { launchChromium } from './chromium';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'face-browser-spec-'));
const ORIGIN = 'http://face.test/';
const FILE_SIZE = 40;
const INPUT_SIZE = 32;
const NORMALIZATION = { mean: [0.3, 0.45, 0.6], std: [0.2, 0.3, 0.25] };
const evalTransform = () => compose([centerCrop(INPUT_SIZE), normalize(NORMALIZATION)]);

let browser: Browser;
afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const faces = new SyntheticFaces({
  identities: 4,
  imagesPerIdentity: 3,
  size: FILE_SIZE,
  seed: 8,
  difficulty: 0.3,
});
/** Node's embeddings (the training process's), and with the default normalization instead. */
let expected: Float32Array;
let inferred: Float32Array;

beforeAll(async () => {
  const { model: backbone } = await buildBackbone('convnet-tiny', {
    inputSize: INPUT_SIZE,
    embeddingSize: 8,
    seed: 4,
  });
  const run = classificationRecipe({
    backbone,
    backboneName: 'convnet-tiny',
    train: faces,
    epochs: 1,
    batchSize: 6,
    transform: compose([centerCrop(INPUT_SIZE), randomHorizontalFlip(), normalize(NORMALIZATION)]),
    evalTransform: evalTransform(),
    out: join(scratch, 'run'),
  });
  await run.fit();
  run.dispose();
  expected = (await embedDataset(backbone, faces, { transform: evalTransform() })).embeddings;
  inferred = (
    await embedDataset(backbone, faces, {
      transform: compose([centerCrop(INPUT_SIZE), normalize()]),
    })
  ).embeddings;
  backbone.dispose();
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir: join(scratch, 'page'),
      emptyOutDir: true,
      target: 'es2022',
      lib: { entry: 'test/model-spec-page.ts', formats: ['es'], fileName: () => 'page.js' },
    },
  });
  browser = await launchChromium();
});

/** Serves `page.js`, a page loading it, and the saved model's files under `model/`. */
async function openPage() {
  const page = await browser.newPage();
  page.on('pageerror', (err) => console.error('model-spec page error:', err));
  const model = join(scratch, 'run', 'model');
  await page.route(`${ORIGIN}**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/')
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><script type="module" src="/page.js"></script>',
      });
    const file = path.startsWith('/model/')
      ? normalizePath(join(model, path.slice('/model/'.length)))
      : join(scratch, 'page', 'page.js');
    if (!file.startsWith(scratch)) return route.fulfill({ status: 404 });
    return route.fulfill({
      contentType: file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream',
      body: readFileSync(file),
    });
  });
  await page.goto(ORIGIN);
  await page.waitForFunction(() => window.__faceModelSpec !== undefined);
  return page;
}

describe('a saved model in the browser', () => {
  it('prepares and embeds images as the training process did', async () => {
    const pixels: number[] = [];
    for (let i = 0; i < faces.size; i++) pixels.push(...(await faces.load(i)).data);
    const images: PageImages = {
      pixels,
      count: faces.size,
      height: FILE_SIZE,
      width: FILE_SIZE,
    };
    const page = await openPage();
    const got = await page.evaluate(([base, imgs]) => window.__faceModelSpec.embed(base, imgs), [
      `${ORIGIN}model/`,
      images,
    ] as const);
    await page.close();
    expect(got).toHaveLength(expected.length);
    const worst = (a: ArrayLike<number>) =>
      Math.max(...Array.from(expected, (v, i) => Math.abs(v - a[i])));
    // The check can fail: the default normalization gives other embeddings.
    expect(worst(inferred)).toBeGreaterThan(1e-2);
    // Same weights, same preprocessing, tfjs's cpu backend on both sides.
    expect(worst(got)).toBeLessThan(1e-5);
  });
});
