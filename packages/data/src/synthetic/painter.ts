import { clamp, dcos, dsin } from './math';
import type { Rgb } from './palette';

/** Half the width of the picture, in face units, at scale 1: the face oval fills most of it. */
export const FRAME = 1.2;

export type Shape = (x: number, y: number) => number;
export type Shader = (x: number, y: number, out: Rgb) => void;

/**
 * Draws shapes given by signed distance functions (negative inside, in face units) into an RGB
 * float buffer, with one-pixel antialiasing: coverage = clamp(1/2 - d / pixel, 0, 1), the box
 * filter of a straight edge. Face coordinates map to pixels through the view's similarity
 * transform: pixel = (s R(theta) face + t) / FRAME, scaled to the picture.
 */
export class Painter {
  readonly rgb: Float32Array;
  /** Face units per pixel. */
  readonly pixel: number;
  private readonly cos: number;
  private readonly sin: number;

  constructor(
    readonly size: number,
    private readonly scale: number,
    rotation: number,
    private readonly shiftX: number,
    private readonly shiftY: number,
  ) {
    this.rgb = new Float32Array(size * size * 3);
    this.pixel = (2 * FRAME) / size / scale;
    this.cos = dcos(rotation);
    this.sin = dsin(rotation);
  }

  /** Frame coordinates (face units at scale 1, centre 0) of pixel (px, py)'s centre. */
  frame(p: number): number {
    return (((p + 0.5) / this.size) * 2 - 1) * FRAME;
  }

  /** Fills every pixel by `shade(u, v)` in frame coordinates: backgrounds and global effects. */
  fillFrame(shade: Shader): void {
    const out: Rgb = [0, 0, 0];
    const { size, rgb } = this;
    for (let py = 0; py < size; py++) {
      const v = this.frame(py);
      for (let px = 0; px < size; px++) {
        const o = (py * size + px) * 3;
        out[0] = rgb[o];
        out[1] = rgb[o + 1];
        out[2] = rgb[o + 2];
        shade(this.frame(px), v, out);
        rgb[o] = out[0];
        rgb[o + 1] = out[1];
        rgb[o + 2] = out[2];
      }
    }
  }

  /** Pixel bounding box of a face-space box, clipped to the picture. */
  private pixelBox(
    x0: number,
    y0: number,
    x1: number,
    y1: number,
  ): [number, number, number, number] {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const [x, y] of [
      [x0, y0],
      [x1, y0],
      [x0, y1],
      [x1, y1],
    ]) {
      const u = this.scale * (this.cos * x - this.sin * y) + this.shiftX;
      const v = this.scale * (this.sin * x + this.cos * y) + this.shiftY;
      const px = ((u / FRAME + 1) / 2) * this.size - 0.5;
      const py = ((v / FRAME + 1) / 2) * this.size - 0.5;
      minX = Math.min(minX, px);
      maxX = Math.max(maxX, px);
      minY = Math.min(minY, py);
      maxY = Math.max(maxY, py);
    }
    return [
      clamp(Math.floor(minX) - 1, 0, this.size),
      clamp(Math.floor(minY) - 1, 0, this.size),
      clamp(Math.ceil(maxX) + 2, 0, this.size),
      clamp(Math.ceil(maxY) + 2, 0, this.size),
    ];
  }

  /**
   * Composites a shape over the picture: colour from `shade` (or a constant), opacity times
   * coverage. `box` bounds the shape in face units: [x0, y0, x1, y1].
   */
  paint(
    box: [number, number, number, number],
    shape: Shape,
    shade: Shader | Rgb,
    opacity = 1,
  ): void {
    const [bx0, by0, bx1, by1] = this.pixelBox(box[0], box[1], box[2], box[3]);
    const { size, rgb, pixel, cos, sin, scale, shiftX, shiftY } = this;
    const color: Rgb = [0, 0, 0];
    const fixed = Array.isArray(shade);
    if (fixed) {
      color[0] = shade[0];
      color[1] = shade[1];
      color[2] = shade[2];
    }
    for (let py = by0; py < by1; py++) {
      const v = this.frame(py) - shiftY;
      for (let px = bx0; px < bx1; px++) {
        const u = this.frame(px) - shiftX;
        // Inverse similarity: face = R(-theta) (frame - t) / s.
        const x = (cos * u + sin * v) / scale;
        const y = (-sin * u + cos * v) / scale;
        const d = shape(x, y);
        const alpha = clamp(0.5 - d / pixel, 0, 1) * opacity;
        if (alpha <= 0) continue;
        if (!fixed) (shade as Shader)(x, y, color);
        const o = (py * size + px) * 3;
        rgb[o] += (color[0] - rgb[o]) * alpha;
        rgb[o + 1] += (color[1] - rgb[o + 1]) * alpha;
        rgb[o + 2] += (color[2] - rgb[o + 2]) * alpha;
      }
    }
  }
}

/**
 * Signed distance to an axis-aligned ellipse centred at the origin, approximated as
 * k0 (k0 - 1) / k1 with k0 = |p / r|, k1 = |p / r^2| (Quilez, "Ellipse - distance", 2013):
 * exact on the boundary's normal direction to first order, enough for antialiasing.
 */
export function ellipse(x: number, y: number, rx: number, ry: number): number {
  const ax = x / rx;
  const ay = y / ry;
  const k0 = Math.sqrt(ax * ax + ay * ay);
  const bx = ax / rx;
  const by = ay / ry;
  const k1 = Math.sqrt(bx * bx + by * by);
  if (k1 < 1e-12) return -Math.min(rx, ry);
  return (k0 * (k0 - 1)) / k1;
}

/** Distance from (x, y) to the segment (ax, ay)-(bx, by). */
export function segment(
  x: number,
  y: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? clamp(((x - ax) * dx + (y - ay) * dy) / len2, 0, 1) : 0;
  const ex = x - ax - t * dx;
  const ey = y - ay - t * dy;
  return Math.sqrt(ex * ex + ey * ey);
}

/** Signed distance to a stroke through `points` with half-thickness `radius`. */
export function stroke(x: number, y: number, points: number[][], radius: number): number {
  let best = Infinity;
  for (let i = 0; i + 1 < points.length; i++) {
    const d = segment(x, y, points[i][0], points[i][1], points[i + 1][0], points[i + 1][1]);
    if (d < best) best = d;
  }
  return best - radius;
}

/** Signed distance to a box of half-sizes (hx, hy) centred at the origin (exact). */
export function box(x: number, y: number, hx: number, hy: number): number {
  const qx = Math.abs(x) - hx;
  const qy = Math.abs(y) - hy;
  const ox = Math.max(qx, 0);
  const oy = Math.max(qy, 0);
  return Math.sqrt(ox * ox + oy * oy) + Math.min(Math.max(qx, qy), 0);
}

/** Bounding box of a stroke. */
export function strokeBox(points: number[][], radius: number): [number, number, number, number] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [
    Math.min(...xs) - radius,
    Math.min(...ys) - radius,
    Math.max(...xs) + radius,
    Math.max(...ys) + radius,
  ];
}
