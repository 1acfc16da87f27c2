// "Align your own picture": a file or a webcam frame -> face-api's tiny detector and 68 landmarks
// -> five points -> the similarity onto the ArcFace 112 x 112 template -> the crop, embedded by
// the demo's backbone. `window.__faceAlign` says what happened (the tests read it).
import * as tf from '@tensorflow/tfjs-core';
import {
  ARCFACE_TEMPLATE,
  alignFaces,
  alignmentMatrix,
  selectFaces,
  transformPoints,
  type DetectedFace,
  type FaceDetector,
  type Point,
} from '@face/align';
import { loadDetector } from './detector';
import { pictureFromFile, pictureFromVideo, pictureTensor } from './picture';
import { drawCrop, drawPicture, sectionElements } from './view';

/** What the section did last. */
export interface AlignState {
  phase: 'idle' | 'loading' | 'aligning' | 'done' | 'error';
  /** Pictures looked at so far (with a face or not). */
  runs: number;
  source?: 'file' | 'webcam';
  picture?: { height: number; width: number };
  faces?: { box: DetectedFace['box']; score: number; landmarks: Point[] }[];
  /** The largest face's five points mapped into the crop: the template's, up to the fit's residual. */
  landmarksInCrop?: Point[];
  /** The crop, RGB 0..255, row-major (112 x 112 x 3). */
  crop?: number[];
  /** The crop's embedding by the demo's backbone (as trained so far). */
  embedding?: number[];
  error?: string;
}

export type Embedder = (crop: tf.Tensor4D) => Promise<number[]>;

declare global {
  interface Window {
    __faceAlign: AlignState;
  }
}

/** face-api's default score threshold. */
const MIN_CONFIDENCE = 0.5;
/**
 * The tiny detector's input side: 224, as face-api's webcam examples use, rather than its 416
 * default; a face filling much of a webcam frame or portrait scores higher at 224.
 */
const INPUT_SIZE = 224;

/** Mounts the section in `root`; `setEmbedder` connects the backbone once it exists. */
export function mountAlignSection(root: HTMLElement): { setEmbedder(embed: Embedder): void } {
  const state: AlignState = { phase: 'idle', runs: 0 };
  window.__faceAlign = state;
  const ui = sectionElements(root);
  let detector: Promise<FaceDetector> | undefined;
  let embed: Embedder | undefined;
  let stream: MediaStream | undefined;
  const say = (text: string) => (ui.status.textContent = text);

  async function align(picture: ImageData, source: AlignState['source']): Promise<void> {
    state.phase = 'loading';
    say('loading the face detector (700 kB)');
    detector ??= loadDetector(MIN_CONFIDENCE, INPUT_SIZE);
    const found = await detector;
    state.phase = 'aligning';
    say('finding faces');
    const image = pictureTensor(picture);
    try {
      const faces = await found.detect(image);
      Object.assign(state, {
        source,
        picture: { height: picture.height, width: picture.width },
        faces: faces.map(({ box, score, landmarks }) => ({ box, score, landmarks })),
        landmarksInCrop: undefined,
        crop: undefined,
        embedding: undefined,
      });
      drawPicture(ui.picture, picture, faces);
      const [face] = selectFaces(faces, 'largest', [picture.height, picture.width]);
      if (!face) {
        ui.crop.hidden = true;
        say('no face found: try a picture with a face seen from the front, in good light');
        return;
      }
      const m = alignmentMatrix(face.landmarks, ARCFACE_TEMPLATE);
      state.landmarksInCrop = transformPoints(m, face.landmarks);
      const crop = alignFaces(tf.expandDims(image, 0) as tf.Tensor4D, [face.landmarks], 'arcface');
      try {
        state.crop = Array.from(await crop.data(), Math.round);
        await drawCrop(ui.crop, crop);
        state.embedding = embed ? await embed(crop) : undefined;
      } finally {
        crop.dispose();
      }
      say(
        `${faces.length} face${faces.length === 1 ? '' : 's'} found; the largest aligned to ArcFace's 112 x 112 template` +
          (state.embedding
            ? `, embedded: ${state.embedding.length} numbers, ${state.embedding
                .slice(0, 4)
                .map((x) => x.toFixed(3))
                .join(', ')}, ...`
            : ' (embedded once the network is built)'),
      );
    } finally {
      image.dispose();
      state.runs += 1;
    }
  }

  const run = (work: () => Promise<void>) =>
    work()
      .then(() => {
        if (state.phase !== 'error') state.phase = 'done';
      })
      .catch((err: unknown) => {
        state.phase = 'error';
        state.error = err instanceof Error ? err.message : String(err);
        say(`error: ${state.error}`);
      });

  ui.file.onchange = () => {
    const file = ui.file.files?.[0];
    if (file) void run(async () => align(await pictureFromFile(file), 'file'));
  };
  ui.webcam.onclick = () =>
    void run(async () => {
      if (!stream) {
        say('starting the webcam');
        stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
        ui.video.srcObject = stream;
        ui.video.hidden = false;
        await ui.video.play();
        ui.webcam.textContent = 'Take the picture';
        say('the webcam runs: take the picture when your face is in view');
        return;
      }
      const picture = pictureFromVideo(ui.video);
      for (const track of stream.getTracks()) track.stop();
      stream = undefined;
      ui.video.hidden = true;
      ui.webcam.textContent = 'Use the webcam';
      await align(picture, 'webcam');
    });

  return { setEmbedder: (e) => (embed = e) };
}
