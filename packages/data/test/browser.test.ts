// The browser half of decoding and synthesis, in headless Chromium (playwright-core, no browser
// download: CHROMIUM_PATH or /usr/bin/chromium). The package's root door is bundled for the
// browser platform with esbuild, which also proves it needs no Node built-ins or sharp.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '@face/test-support/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticFaces } from '@face/data';
import { decodeImageNode } from '../src/node';
import { encodeSamples, type EncodedFiles } from './make-files';

const here = dirname(fileURLToPath(import.meta.url));
const packagesDir = join(here, '..', '..');

/**
 * Largest JPEG difference allowed between sharp (mozjpeg, a libjpeg-turbo fork) and Chromium
 * (libjpeg-turbo), in levels per channel. Both use the accurate integer IDCT and fancy chroma
 * upsampling, and agree exactly here (measured 0); the slack covers decoder version drift.
 */
const JPEG_TOLERANCE = 2;

let browser: Browser;
let page: Page;
let samples: EncodedFiles;

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, '..', 'src', 'index.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    globalName: 'faceData',
    logLevel: 'silent',
    plugins: [
      {
        name: 'face-src',
        setup(b) {
          b.onResolve({ filter: /^@face\/[a-z-]+$/ }, ({ path }) => ({
            path: join(packagesDir, path.slice('@face/'.length), 'src', 'index.ts'),
          }));
        },
      },
    ],
  });
  return result.outputFiles[0].text;
}

interface PageImage {
  height: number;
  width: number;
  data: number[];
}

async function decodeInPage(
  bytes: Uint8Array,
  name: string,
): Promise<PageImage | { error: string; name: string }> {
  return page.evaluate(
    async ([b64, path]) => {
      const bin = atob(b64);
      const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
      try {
        // @ts-expect-error the bundle's global
        const img = await faceData.decodeImageBrowser(bytes, path);
        return { height: img.height, width: img.width, data: Array.from(img.data as Uint8Array) };
      } catch (err) {
        return { error: String((err as Error).message), name: (err as Error).name };
      }
    },
    [Buffer.from(bytes).toString('base64'), name] as const,
  );
}

beforeAll(async () => {
  const [script, encoded] = await Promise.all([bundle(), encodeSamples()]);
  samples = encoded;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ content: script });
});

afterAll(async () => {
  await browser?.close();
});

describe('decodeImageBrowser (Chromium) vs decodeImageNode (sharp)', () => {
  it.each(['rgb.png', 'grey.png', 'rgba-opaque.png', 'rgb.webp'])(
    '%s: identical bytes',
    async (name) => {
      const node = await decodeImageNode(samples[name].bytes, name);
      const web = (await decodeInPage(samples[name].bytes, name)) as PageImage;
      expect([web.height, web.width]).toEqual([node.height, node.width]);
      expect(web.data).toEqual(Array.from(node.data));
    },
  );

  it('translucent PNG: within rounding of the canvas premultiplication (alpha >= 128: 1 level)', async () => {
    const node = await decodeImageNode(samples['rgba.png'].bytes);
    const web = (await decodeInPage(samples['rgba.png'].bytes, 'rgba.png')) as PageImage;
    const worst = Math.max(...web.data.map((v, i) => Math.abs(v - node.data[i])));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it.each(['rgb-420.jpg', 'rgb-444.jpg', 'grey.jpg'])(
    `%s: within ${JPEG_TOLERANCE} levels (IDCT / upsampling)`,
    async (name) => {
      const node = await decodeImageNode(samples[name].bytes, name);
      const web = (await decodeInPage(samples[name].bytes, name)) as PageImage;
      expect([web.height, web.width]).toEqual([node.height, node.width]);
      const diffs = web.data.map((v, i) => Math.abs(v - node.data[i]));
      const worst = Math.max(...diffs);
      const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
      expect(mean).toBeLessThan(0.5);
      expect(worst).toBeLessThanOrEqual(JPEG_TOLERANCE);
    },
  );

  it('rejects a truncated JPEG, as sharp does, with an ImageDecodeError naming it', async () => {
    const jpeg = samples['rgb-420.jpg'].bytes;
    const res = await decodeInPage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'cut.jpg');
    expect(res).toMatchObject({ name: 'ImageDecodeError' });
    expect((res as { error: string }).error).toMatch(/cut\.jpg/);
  });

  it('rejects a text file named .jpg with an ImageDecodeError naming it', async () => {
    const res = await decodeInPage(new TextEncoder().encode('not an image'), 'text.jpg');
    expect(res).toMatchObject({ name: 'ImageDecodeError' });
    expect((res as { error: string }).error).toMatch(/text\.jpg/);
  });
});

describe('SyntheticFaces in the browser', () => {
  it('draws the same bytes as in Node', async () => {
    const options = { identities: 3, imagesPerIdentity: 2, size: 40, seed: 11, difficulty: 0.7 };
    const node = new SyntheticFaces(options);
    const web = await page.evaluate((opts) => {
      // @ts-expect-error the bundle's global
      const faces = new faceData.SyntheticFaces(opts);
      return Array.from({ length: faces.size }, (_, i) =>
        Array.from(faces.loadSync(i).data as Uint8Array),
      );
    }, options);
    web.forEach((data, i) => expect(data, `image ${i}`).toEqual(Array.from(node.loadSync(i).data)));
  });
});
