// The part of @vladmandic/face-api (an optional peer) the detector uses, typed structurally so
// that this package never imports face-api: the caller hands over the module it loaded.
import type * as tf from '@tensorflow/tfjs-core';

export interface FaceApiBox {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface FaceApiDetection {
  score: number;
  box: FaceApiBox;
}
export interface FaceApiLandmarks {
  positions: { x: number; y: number }[];
  shiftBy(x: number, y: number): FaceApiLandmarks;
}
export interface FaceApiNet {
  loadFromWeightMap(weightMap: tf.NamedTensorMap): void;
  dispose(): void;
}
export interface FaceApiDetectorNet extends FaceApiNet {
  locateFaces(input: tf.Tensor3D, options: unknown): Promise<FaceApiDetection[]>;
}
export interface FaceApiLandmarkNet extends FaceApiNet {
  detectLandmarks(input: tf.Tensor3D): Promise<FaceApiLandmarks | FaceApiLandmarks[]>;
}

/** What `import * as faceapi from '@vladmandic/face-api'` provides and the detector needs. */
export interface FaceApiModule {
  tf: { Tensor: unknown };
  SsdMobilenetv1: new () => FaceApiDetectorNet;
  TinyFaceDetector: new () => FaceApiDetectorNet;
  FaceLandmark68Net: new () => FaceApiLandmarkNet;
  SsdMobilenetv1Options: new (o: { minConfidence?: number; maxResults?: number }) => unknown;
  TinyFaceDetectorOptions: new (o: { inputSize?: number; scoreThreshold?: number }) => unknown;
  extractFaceTensors(image: tf.Tensor3D, boxes: unknown[]): Promise<tf.Tensor3D[]>;
}

/** Weights manifests in face-api's `model/` folder, by network. */
export const FACE_API_MANIFESTS = {
  ssd: 'ssd_mobilenetv1_model-weights_manifest.json',
  tiny: 'tiny_face_detector_model-weights_manifest.json',
  landmarks: 'face_landmark_68_model-weights_manifest.json',
} as const;
