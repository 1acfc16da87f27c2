// Pictures per second of face detection + 68 landmarks in the page, on the current backend:
// @face/align's FaceDetector (+ five points + the ArcFace warp) next to face-api's own
// detectAllFaces().withFaceLandmarks() on the same tensors. The pictures are bench/align.ts's
// (Node): @face/data's drawn faces upscaled into 250 x 250 grey frames (LFW's size).
import * as tf from '@tensorflow/tfjs-core';
import { SyntheticFaces } from '@face/data';
import { FaceDetector, alignFaces, type DetectorName, type FaceApiModule } from '@face/align';
import { readNet } from './align-weights';

export interface AlignSpeedRow {
  label: string;
  detector: DetectorName | 'warp';
  side: '@face/align' | 'face-api' | 'alignFaces';
  /** The first pass over the pictures: every new face-crop size meets the backend once. */
  picturesPerSecond: number;
  /** A second pass over the same pictures: shapes seen before (webgl: shaders compiled). */
  repeatPerSecond: number;
  /** Pictures (warm-up one included) where a face was found. */
  found?: number;
  runs: number;
  /** The first (warm-up) picture's time: shader compilation on webgl, weights upload. */
  warmupMs: number;
  /** tf.memory().numTensors after the row minus before (0: nothing leaked). */
  tensorsLeft: number;
}

/** What face-api's module offers beyond what FaceDetector needs: its global nets and tasks. */
type FaceApi = FaceApiModule & {
  nets: Record<'ssdMobilenetv1' | 'tinyFaceDetector' | 'faceLandmark68Net', FaceApiNetGlobal>;
  detectAllFaces(input: tf.Tensor3D, options: unknown): { withFaceLandmarks(): Promise<unknown[]> };
};
interface FaceApiNetGlobal {
  loadFromWeightMap(weights: tf.NamedTensorMap): void;
  dispose(): void;
}

/** bench/align.ts's pictures: n drawn faces, 112 px upscaled to 180, in a 250 px grey frame. */
export async function makePictures(n: number): Promise<tf.Tensor3D[]> {
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
        const face = tf.tensor3d(data, [height, width, 3], 'float32');
        const big = tf.image.resizeBilinear(face, [180, 180]);
        const pad: [number, number][] = [
          [30, 40],
          [25, 45],
          [0, 0],
        ];
        return tf.pad(big, pad, 128);
      }),
    );
  }
  return pictures;
}

/** Runs `run` once on the first picture (warm-up), then twice over every picture, timed. */
async function rate(
  pictures: tf.Tensor3D[],
  run: (p: tf.Tensor3D) => Promise<boolean>,
): Promise<
  Pick<AlignSpeedRow, 'picturesPerSecond' | 'repeatPerSecond' | 'found' | 'runs' | 'warmupMs'>
> {
  let found = 0;
  const w0 = performance.now();
  if (await run(pictures[0])) found++;
  const warmupMs = performance.now() - w0;
  const perSecond: number[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const t0 = performance.now();
    for (const p of pictures) if ((await run(p)) && pass === 0) found++;
    perSecond.push(pictures.length / ((performance.now() - t0) / 1000));
  }
  const [picturesPerSecond, repeatPerSecond] = perSecond;
  return { picturesPerSecond, repeatPerSecond, found, runs: pictures.length + 1, warmupMs };
}

/** Our side: detect, then the largest-score face's ArcFace crop, read back as a user would. */
async function ours(name: DetectorName, pictures: tf.Tensor3D[], minConfidence: number) {
  const detector = FaceDetector.create(
    (await loadFaceApi()) as FaceApiModule,
    { detector: await readNet(name), landmarks: await readNet('landmarks') },
    { detector: name, minConfidence },
  );
  try {
    return await rate(pictures, async (p) => {
      const [face] = await detector.detect(p);
      if (!face) return false;
      const crop = alignFaces(p, face.landmarks, 'arcface');
      await crop.data();
      crop.dispose();
      return true;
    });
  } finally {
    detector.dispose();
  }
}

/** face-api's own task API on its global nets, loaded with the same weights. */
async function theirs(name: DetectorName, pictures: tf.Tensor3D[], minConfidence: number) {
  const faceapi = await loadFaceApi();
  const net = name === 'ssd' ? faceapi.nets.ssdMobilenetv1 : faceapi.nets.tinyFaceDetector;
  net.loadFromWeightMap(await readNet(name));
  faceapi.nets.faceLandmark68Net.loadFromWeightMap(await readNet('landmarks'));
  const options =
    name === 'ssd'
      ? new faceapi.SsdMobilenetv1Options({ minConfidence })
      : new faceapi.TinyFaceDetectorOptions({ scoreThreshold: minConfidence });
  try {
    return await rate(pictures, async (p) => {
      const results = await faceapi.detectAllFaces(p, options).withFaceLandmarks();
      return results.length > 0;
    });
  } finally {
    net.dispose();
    faceapi.nets.faceLandmark68Net.dispose();
  }
}

/** The nobundle build: face-api on the page's own TF.js (FaceDetector.create checks). */
async function loadFaceApi(): Promise<FaceApi> {
  return (await import('@vladmandic/face-api/dist/face-api.esm-nobundle.js')) as unknown as FaceApi;
}

export type AlignSide = AlignSpeedRow['side'];

export interface AlignBenchOptions {
  /** Timed pictures per row (after one warm-up picture); default 8. */
  n?: number;
  detectors?: DetectorName[];
  /**
   * What to time; default all. On webgl a side compiles shaders the next side then reuses (face
   * crops of the same sizes), so a fair driver times each side in a fresh page.
   */
  sides?: AlignSide[];
  /** Both sides' score threshold; default 0.3, as bench/align.ts. */
  minConfidence?: number;
}

/** Every row on the current backend; `onRow` hears each as it finishes. */
export async function measureAlign(
  {
    n = 8,
    detectors = ['tiny', 'ssd'],
    sides = ['@face/align', 'face-api', 'alignFaces'],
    minConfidence = 0.3,
  }: AlignBenchOptions = {},
  onRow: (row: AlignSpeedRow) => void = () => {},
): Promise<AlignSpeedRow[]> {
  const pictures = await makePictures(n);
  const rows: AlignSpeedRow[] = [];
  const add = async (
    row: Pick<AlignSpeedRow, 'label' | 'detector' | 'side'>,
    measure: () => Promise<Omit<AlignSpeedRow, 'label' | 'detector' | 'side' | 'tensorsLeft'>>,
  ) => {
    if (!sides.includes(row.side)) return;
    const before = tf.memory().numTensors;
    const result = await measure();
    const full = { ...row, ...result, tensorsLeft: tf.memory().numTensors - before };
    rows.push(full);
    onRow(full);
  };
  try {
    for (const d of detectors) {
      const what = d === 'ssd' ? 'SSD MobileNet v1' : 'Tiny Face Detector';
      await add(
        { label: `@face/align ${what} + landmarks + align`, detector: d, side: '@face/align' },
        () => ours(d, pictures, minConfidence),
      );
      await add(
        {
          label: `face-api ${d} detectAllFaces().withFaceLandmarks()`,
          detector: d,
          side: 'face-api',
        },
        () => theirs(d, pictures, minConfidence),
      );
    }
    const landmarks: [number, number][] = [
      [100, 110],
      [150, 112],
      [125, 140],
      [105, 170],
      [148, 168],
    ];
    await add(
      { label: 'alignFaces alone (ArcFace 112x112 warp)', detector: 'warp', side: 'alignFaces' },
      async () => ({
        ...(await rate(pictures, async (p) => {
          const crop = alignFaces(p, landmarks);
          await crop.data();
          crop.dispose();
          return true;
        })),
        found: undefined,
      }),
    );
  } finally {
    tf.dispose(pictures);
  }
  return rows;
}
