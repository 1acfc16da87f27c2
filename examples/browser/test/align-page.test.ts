// Issue 17's browser proof: the demo page aligns a picture from a file input and from the webcam
// before embedding it. The page (built from the packages' dist by global-setup, face-api's
// nobundle build on the page's TF.js, its weights served as the page's assets) must find the
// face and its five points where face-api finds them in Node, and cut the crop @face/align cuts
// there. The webcam is a canvas stream of the same picture (Chromium's fake camera shows no face).
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { SyntheticFaces } from '@face/data';
import { decodeWeightsArtifacts, faceApiModelDir, readWeightsArtifacts } from '@face/pretrained';
import {
  FACE_API_MANIFESTS,
  FaceDetector,
  alignFaces,
  selectFaces,
  type DetectedFace,
  type FaceApiModule,
} from '@face/align';
import type { AlignState } from '../src/align';
import { setTestBackend } from '@face/test-support';
import { launchChromium } from './chromium';

/** A short run: the section is tested, not the training (demo.test.ts does that). */
const QUERY =
  '?size=32&width=0.125&embeddingSize=16&identities=12&testIdentities=4&imagesPerIdentity=4' +
  '&p=4&k=2&epochs=1&pairs=20&backend=webgl';
const SIDE = 240;

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** The picture: a drawn face (@face/data) upscaled off-centre into a grey 240 px square. */
let pixels: number[];
/** Node's results on it: face-api's tiny detector through @face/align, and the crop. */
let reference: DetectedFace;
let referenceCrop: Float32Array;

async function facePicture(): Promise<number[]> {
  const faces = new SyntheticFaces({
    identities: 1,
    imagesPerIdentity: 1,
    size: 112,
    seed: 3,
    difficulty: 0.2,
  });
  const { data, height, width } = await faces.load(0);
  const picture = tf.tidy(() => {
    const big = tf.image.resizeBilinear(tf.tensor3d(data, [height, width, 3]), [170, 170]);
    const padded = tf.pad(
      big,
      [
        [25, 45],
        [50, 20],
        [0, 0],
      ],
      128,
    );
    return tf.clipByValue(tf.round(padded), 0, 255);
  });
  const values = Array.from(await picture.data());
  picture.dispose();
  return values;
}

async function nodeReference(): Promise<void> {
  const models = await faceApiModelDir();
  const faceapi = createRequire(`${models}/`)('../dist/face-api.node-wasm.js') as FaceApiModule;
  const read = async (m: string) => decodeWeightsArtifacts(await readWeightsArtifacts(models, m));
  const detector = FaceDetector.create(
    faceapi,
    {
      detector: await read(FACE_API_MANIFESTS.tiny),
      landmarks: await read(FACE_API_MANIFESTS.landmarks),
    },
    { detector: 'tiny', minConfidence: 0.5, inputSize: 224 },
  );
  const image = tf.tensor3d(pixels, [SIDE, SIDE, 3], 'int32');
  const faces = await detector.detect(image);
  [reference] = selectFaces(faces, 'largest', [SIDE, SIDE]);
  const crop = alignFaces(tf.expandDims(image, 0) as tf.Tensor4D, [reference.landmarks], 'arcface');
  referenceCrop = (await crop.data()) as Float32Array;
  tf.dispose([image, crop]);
  detector.dispose();
}

beforeAll(async () => {
  pixels = await facePicture();
  // face-api's networks: a second on wasm, many on cpu.
  await setTestBackend('wasm');
  await nodeReference();
  await setTestBackend();
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  // The webcam: a stream of a canvas showing the picture, redrawn so that frames keep coming.
  await page.addInitScript(
    ([rgb, side]) => {
      navigator.mediaDevices.getUserMedia = async () => {
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = side;
        const ctx = canvas.getContext('2d')!;
        const image = new ImageData(side, side);
        for (let i = 0; i < side * side; i++)
          image.data.set([rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], 255], 4 * i);
        setInterval(() => ctx.putImageData(image, 0, 0), 30);
        ctx.putImageData(image, 0, 0);
        return canvas.captureStream(30);
      };
    },
    [pixels, SIDE] as const,
  );
  await page.goto(`${inject('baseUrl')}${QUERY}`);
  await page.waitForFunction(
    () => window.__faceDemo && ['done', 'error'].includes(window.__faceDemo.phase),
    undefined,
    { timeout: 240_000, polling: 1000 },
  );
});

afterAll(async () => {
  await browser?.close();
});

/** Waits for the section to finish its `runs`-th picture; returns its state. */
async function aligned(runs: number): Promise<AlignState> {
  await page.waitForFunction(
    (n) => window.__faceAlign.runs >= n || window.__faceAlign.phase === 'error',
    runs,
    { timeout: 120_000, polling: 250 },
  );
  return page.evaluate(() => window.__faceAlign);
}

/** The picture as a PNG file, encoded by the page's canvas (lossless). */
async function pngOfPicture(): Promise<Buffer> {
  const url = await page.evaluate(
    ([rgb, side]) => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = side;
      const image = new ImageData(side, side);
      for (let i = 0; i < side * side; i++)
        image.data.set([rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], 255], 4 * i);
      canvas.getContext('2d')!.putImageData(image, 0, 0);
      return canvas.toDataURL('image/png');
    },
    [pixels, SIDE] as const,
  );
  return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
}

const distance = (a: readonly number[], b: readonly number[]) =>
  Math.hypot(a[0] - b[0], a[1] - b[1]);
const cosine = (a: number[], b: number[]) =>
  a.reduce((s, x, i) => s + x * b[i], 0) /
  Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));

describe('the demo page aligns a picture before embedding it', () => {
  let fromFile: AlignState;

  it('from a file input: the face and five points of face-api in Node, the same crop', async () => {
    expect(await page.evaluate(() => window.__faceDemo.error)).toBeUndefined();
    await page.locator('#align-file').setInputFiles({
      name: 'face.png',
      mimeType: 'image/png',
      buffer: await pngOfPicture(),
    });
    fromFile = await aligned(1);
    expect(fromFile.error).toBeUndefined();
    expect(fromFile.source).toBe('file');
    expect(fromFile.picture).toEqual({ height: SIDE, width: SIDE });
    expect(fromFile.faces).toHaveLength(1);
    const [face] = fromFile.faces!;
    // WebGL (SwiftShader) in the page against cpu in Node: same networks, float32 rounding.
    const worstPoint = Math.max(
      ...face.landmarks.map((p, i) => distance(p, reference.landmarks[i])),
    );
    console.log(`page vs Node: five points within ${worstPoint.toExponential(2)} px`);
    expect(worstPoint).toBeLessThan(1);
    expect(Math.abs(face.score - reference.score)).toBeLessThan(1e-2);
    // The similarity puts the points on the ArcFace template (up to the fit's residual).
    expect(fromFile.landmarksInCrop).toHaveLength(5);
    const crop = fromFile.crop!;
    expect(crop).toHaveLength(112 * 112 * 3);
    const meanError = crop.reduce((s, v, i) => s + Math.abs(v - referenceCrop[i]), 0) / crop.length;
    console.log(`page vs Node: crop mean error ${meanError.toFixed(3)} grey levels`);
    expect(meanError).toBeLessThan(2);
    // Embedded by the demo's backbone (16 numbers here), not all equal.
    expect(fromFile.embedding).toHaveLength(16);
    expect(new Set(fromFile.embedding!.map((x) => x.toFixed(4))).size).toBeGreaterThan(1);
    expect(await page.locator('#align-crop').isVisible()).toBe(true);
    expect(await page.locator('#align-status').textContent()).toMatch(
      /^1 face found; .* embedded: 16 numbers/,
    );
  });

  it('from the webcam: the same face, aligned and embedded alike', async () => {
    await page.locator('#align-webcam').click();
    await page.waitForFunction(() =>
      /webcam runs/.test(document.getElementById('align-status')?.textContent ?? ''),
    );
    await page.locator('#align-webcam').click();
    const fromWebcam = await aligned(2);
    expect(fromWebcam.error).toBeUndefined();
    expect(fromWebcam.source).toBe('webcam');
    expect(fromWebcam.picture).toEqual({ height: SIDE, width: SIDE });
    expect(fromWebcam.faces).toHaveLength(1);
    // A canvas stream: the same pixels, or nearly (a real camera would differ, of course).
    const moved = Math.max(
      ...fromWebcam.faces![0].landmarks.map((p, i) => distance(p, fromFile.faces![0].landmarks[i])),
    );
    const similarity = cosine(fromWebcam.embedding!, fromFile.embedding!);
    console.log(
      `webcam vs file: points within ${moved.toFixed(3)} px, cosine ${similarity.toFixed(4)}`,
    );
    expect(moved).toBeLessThan(3);
    expect(similarity).toBeGreaterThan(0.9);
    expect(pageErrors).toEqual([]);
  });
});
