// Pictures from a file input or the webcam, as RGB tensors the detector takes.
import * as tf from '@tensorflow/tfjs-core';

/** Larger pictures are scaled down first: faces stay far above the detector's 416 px input. */
export const MAX_SIDE = 1024;
/** What the decoders of @face/data accept: a file claiming more is refused before drawing. */
const MAX_PIXELS = 4096 * 4096;

/** `source` drawn into a canvas no larger than MAX_SIDE, as ImageData. */
function draw(source: CanvasImageSource, width: number, height: number, what: string): ImageData {
  if (!(width > 0 && height > 0) || width * height > MAX_PIXELS)
    throw new Error(`${what}: ${width} x ${height} px, expected a picture of at most 4096 x 4096`);
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas in this browser');
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

/** A picture file (any format the browser decodes). */
export async function pictureFromFile(file: File): Promise<ImageData> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${file.name}: not a picture this browser decodes`);
  }
  try {
    return draw(bitmap, bitmap.width, bitmap.height, file.name);
  } finally {
    bitmap.close();
  }
}

/** The frame a playing video shows now. */
export function pictureFromVideo(video: HTMLVideoElement): ImageData {
  return draw(video, video.videoWidth, video.videoHeight, 'webcam frame');
}

/** RGB int32 `[H, W, 3]` (0..255), what `FaceDetector.detect` takes. */
export function pictureTensor(picture: ImageData): tf.Tensor3D {
  return tf.browser.fromPixels(picture, 3);
}
