// @face/align's speed on 250 x 250 pictures (LFW's size): detection + 68 landmarks + five-point
// alignment per picture, next to face-api's own detectAllFaces().withFaceLandmarks() on the same
// tensors, and the warp alone. Usage: node bench/run-ts.mjs bench/align.ts [--n 12] [--backend wasm]
// Pictures are @face/data's drawn faces upscaled into grey frames (no real face set here).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@face/backends';
import { SyntheticFaces } from '@face/data';
import { decodeWeightsArtifacts, readWeightsArtifacts } from '@face/pretrained';
import {
  FACE_API_MANIFESTS,
  FaceDetector,
  alignFaces,
  type DetectorName,
  type FaceApiModule,
} from '@face/align';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])),
);
const n = Number(args.n ?? 12);
await useBackend((args.backend ?? 'wasm') as 'wasm');
const require = createRequire(join(process.cwd(), 'packages/align/package.json'));
const models = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiModule & {
  nets: Record<string, { loadFromDisk(dir: string): Promise<void> }>;
  detectAllFaces(i: unknown, o: unknown): { withFaceLandmarks(): Promise<unknown[]> };
};
const read = async (m: string) => decodeWeightsArtifacts(await readWeightsArtifacts(models, m));

const faces = new SyntheticFaces({
  identities: n,
  imagesPerIdentity: 1,
  size: 112,
  seed: 5,
  difficulty: 0.3,
});
const pictures: tf.Tensor3D[] = [];
for (let i = 0; i < n; i++) {
  const { data, height, width } = await faces.load(i);
  pictures.push(
    tf.tidy(() => {
      const big = tf.image.resizeBilinear(
        tf.tensor3d(data, [height, width, 3], 'float32'),
        [180, 180],
      );
      return tf.pad(
        big,
        [
          [30, 40],
          [25, 45],
          [0, 0],
        ],
        128,
      ) as tf.Tensor3D;
    }),
  );
}

async function rate(label: string, run: (p: tf.Tensor3D) => Promise<unknown>) {
  await run(pictures[0]); // warm-up: kernels, weights upload
  const t0 = performance.now();
  for (const p of pictures) await run(p);
  const s = (performance.now() - t0) / 1000;
  console.log(`${label.padEnd(52)} ${(n / s).toFixed(2).padStart(7)} pictures/s`);
}

console.log(`backend ${tf.getBackend()}, ${n} pictures 250x250, load ${loadavg()[0].toFixed(1)}`);
for (const name of ['ssd', 'tiny'] as DetectorName[]) {
  const detector = FaceDetector.create(
    faceapi,
    {
      detector: await read(FACE_API_MANIFESTS[name]),
      landmarks: await read(FACE_API_MANIFESTS.landmarks),
    },
    { detector: name, minConfidence: 0.3 },
  );
  let found = 0;
  await rate(`@face/align ${name}: detect + landmarks + align`, async (p) => {
    const [f] = await detector.detect(p);
    if (f) {
      found++;
      alignFaces(p, f.landmarks, 'arcface').dispose();
    }
  });
  detector.dispose();
  await faceapi.nets[name === 'ssd' ? 'ssdMobilenetv1' : 'tinyFaceDetector'].loadFromDisk(models);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(models);
  const options =
    name === 'ssd'
      ? new faceapi.SsdMobilenetv1Options({ minConfidence: 0.3 })
      : new faceapi.TinyFaceDetectorOptions({ scoreThreshold: 0.3 });
  await rate(`face-api ${name}: detectAllFaces().withFaceLandmarks()`, (p) =>
    faceapi.detectAllFaces(p, options).withFaceLandmarks(),
  );
  console.log(`  (${name}: a face in ${found} of ${n + 1} runs)`);
}
const landmarks = [
  [100, 110],
  [150, 112],
  [125, 140],
  [105, 170],
  [148, 168],
] as [number, number][];
await rate('alignFaces alone (ArcFace 112x112 warp)', async (p) =>
  alignFaces(p, landmarks).dispose(),
);
