/**
 * face-api's own dlib ResNet, run in-process as the reference. Its `node-wasm` bundle is plain
 * CommonJS that `require`s `@tensorflow/tfjs` (the same tfjs-core instance the tests use; pnpm
 * hoists it into `node_modules/.pnpm/node_modules`, where face-api's own folder resolves it) and
 * registers the wasm backend without selecting it, so it computes on the backend the tests set.
 * `tfjs-node` is not needed.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

interface FaceRecognitionNet {
  loadFromDisk(dir: string): Promise<void>;
  computeFaceDescriptor(input: tf.Tensor | tf.Tensor[]): Promise<Float32Array | Float32Array[]>;
  dispose(): void;
}

interface FaceApi {
  tf: { Tensor: unknown };
  FaceRecognitionNet: new () => FaceRecognitionNet;
}

const require = createRequire(import.meta.url);

/** face-api's `model/` folder, found from this package (where it is a devDependency). */
export const faceApiModels = join(
  dirname(require.resolve('@vladmandic/face-api/package.json')),
  'model',
);

export function loadFaceApi(): FaceApi {
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  if (faceapi.tf.Tensor !== tf.Tensor) {
    throw new Error(
      'face-api resolved another tfjs-core instance than the tests: parity would be meaningless',
    );
  }
  return faceapi;
}

/** face-api's descriptors, one Float32Array per input image. */
export async function faceApiDescriptors(images: tf.Tensor3D[]): Promise<Float32Array[]> {
  const net = new (loadFaceApi().FaceRecognitionNet)();
  await net.loadFromDisk(faceApiModels);
  try {
    const out = await net.computeFaceDescriptor(images);
    return Array.isArray(out) ? out : [out];
  } finally {
    net.dispose();
  }
}
