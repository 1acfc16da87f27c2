/**
 * face-api itself, in-process, as the reference and as the networks' implementation. Its
 * `node-wasm` bundle is CommonJS that `require`s `@tensorflow/tfjs` (in this workspace the same
 * tfjs-core instance the tests use) and computes on the backend the tests set.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FaceApiModule } from '@face/align';

const require = createRequire(import.meta.url);

/** face-api's `model/` folder, found from this package (where it is a devDependency). */
export const faceApiModels = join(
  dirname(require.resolve('@vladmandic/face-api/package.json')),
  'model',
);

export interface FaceApiReference extends FaceApiModule {
  nets: {
    ssdMobilenetv1: { loadFromDisk(dir: string): Promise<void> };
    tinyFaceDetector: { loadFromDisk(dir: string): Promise<void> };
    faceLandmark68Net: { loadFromDisk(dir: string): Promise<void> };
  };
  detectAllFaces(
    input: unknown,
    options: unknown,
  ): {
    withFaceLandmarks(): Promise<
      {
        detection: { score: number; box: { x: number; y: number; width: number; height: number } };
        landmarks: { positions: { x: number; y: number }[] };
      }[]
    >;
  };
}

export function loadFaceApi(): FaceApiReference {
  return require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiReference;
}
