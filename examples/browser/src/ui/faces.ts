import type { DecodedImage } from '@face/data';

/** A canvas showing one RGB image, drawn `zoom` times larger with crisp pixels. */
export function faceCanvas(image: DecodedImage, zoom = 2): HTMLCanvasElement {
  const { width, height, data } = image;
  const source = document.createElement('canvas');
  source.width = width;
  source.height = height;
  const rgba = new ImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    rgba.data.set([data[3 * i], data[3 * i + 1], data[3 * i + 2], 255], 4 * i);
  }
  source.getContext('2d')?.putImageData(rgba, 0, 0);
  const canvas = document.createElement('canvas');
  canvas.width = width * zoom;
  canvas.height = height * zoom;
  const ctx = canvas.getContext('2d');
  if (ctx) {
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  }
  return canvas;
}

/** Indices of the first picture of each of up to `count` different people, in dataset order. */
export function distinctPeople(labels: ArrayLike<number>, count: number): number[] {
  const seen = new Set<number>();
  const picked: number[] = [];
  for (let i = 0; i < labels.length && picked.length < count; i++) {
    if (seen.has(labels[i])) continue;
    seen.add(labels[i]);
    picked.push(i);
  }
  return picked;
}
