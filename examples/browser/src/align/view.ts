// The section's elements, and the picture (with boxes and five points) and crop drawn.
import * as tf from '@tensorflow/tfjs-core';
import type { DetectedFace } from '@face/align';

export interface SectionElements {
  file: HTMLInputElement;
  webcam: HTMLButtonElement;
  video: HTMLVideoElement;
  status: HTMLElement;
  picture: HTMLCanvasElement;
  crop: HTMLCanvasElement;
}

/** Builds the controls and canvases inside `root`. */
export function sectionElements(root: HTMLElement): SectionElements {
  const file = document.createElement('input');
  Object.assign(file, { type: 'file', accept: 'image/*', id: 'align-file' });
  const webcam = document.createElement('button');
  Object.assign(webcam, { id: 'align-webcam', textContent: 'Use the webcam' });
  const video = document.createElement('video');
  Object.assign(video, { id: 'align-video', hidden: true, muted: true, playsInline: true });
  video.width = 320;
  const status = document.createElement('p');
  Object.assign(status, { id: 'align-status', textContent: 'choose a picture or use the webcam' });
  const picture = document.createElement('canvas');
  Object.assign(picture, { id: 'align-picture', hidden: true });
  const crop = document.createElement('canvas');
  Object.assign(crop, { id: 'align-crop', hidden: true, width: 112, height: 112 });
  const controls = document.createElement('p');
  controls.append(file, ' or ', webcam);
  root.append(controls, video, status, picture, crop);
  return { file, webcam, video, status, picture, crop };
}

/** The picture, at most 320 px wide, with each face's box and five points. */
export function drawPicture(canvas: HTMLCanvasElement, picture: ImageData, faces: DetectedFace[]) {
  const scale = Math.min(1, 320 / picture.width);
  canvas.width = Math.round(picture.width * scale);
  canvas.height = Math.round(picture.height * scale);
  canvas.hidden = false;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const full = document.createElement('canvas');
  [full.width, full.height] = [picture.width, picture.height];
  full.getContext('2d')?.putImageData(picture, 0, 0);
  ctx.drawImage(full, 0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = '#0a0';
  ctx.fillStyle = '#f0f';
  for (const { box, landmarks } of faces) {
    ctx.strokeRect(box.x * scale, box.y * scale, box.width * scale, box.height * scale);
    for (const [x, y] of landmarks) ctx.fillRect(x * scale - 2, y * scale - 2, 4, 4);
  }
}

/** The aligned crop `[1, 112, 112, 3]` (0..255). */
export async function drawCrop(canvas: HTMLCanvasElement, crop: tf.Tensor4D): Promise<void> {
  const pixels = tf.tidy(() => tf.cast(tf.clipByValue(tf.squeeze(crop, [0]), 0, 255), 'int32'));
  await tf.browser.toPixels(pixels as tf.Tensor3D, canvas);
  pixels.dispose();
  canvas.hidden = false;
}
