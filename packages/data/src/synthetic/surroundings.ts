import { clamp, dcos, dsin } from './math';
import { FRAME, box, ellipse, type Painter } from './painter';
import { mix, type Rgb } from './palette';
import type { Scene } from './scene';
import type { FaceView } from './view';

/** Background: a two-colour gradient, then clutter, in frame coordinates (it does not move with the head). */
export function drawBackground({ p, view }: Scene): void {
  p.fillFrame((u, v, out) => {
    const t = clamp((u * 0.4 + v) / (2 * FRAME) + 0.5, 0, 1);
    const c = mix(view.background, view.background2, t);
    out[0] = c[0];
    out[1] = c[1];
    out[2] = c[2];
  });
  for (const c of view.clutter) {
    // Clutter is fixed in the frame: undo the head transform by drawing it through a frame-space shape.
    drawInFrame(
      p,
      view,
      (u, v) => (c.box ? box(u - c.x, v - c.y, c.rx, c.ry) : ellipse(u - c.x, v - c.y, c.rx, c.ry)),
      c.color,
    );
  }
}

/** Shoulders (in the view's clothes) and the neck, under the head. */
export function drawShoulders({ p, id, view, a, shaded }: Scene): void {
  p.paint([-2.2, 0.5, 2.2, 3.5], (x, y) => ellipse(x, y - 1.95, 1.5, 0.75), view.clothes);
  p.paint(
    [-0.5 * a, 0.3, 0.5 * a, 1.6],
    (x, y) => box(x, y - 0.95, 0.42 * a, 0.65),
    shaded(id.skin, 0.82),
  );
}

/** Light falling across the whole picture, on top of the head's own shading. */
export function drawLightFall({ p, view, strength }: Scene): void {
  p.fillFrame((u, v, out) => {
    const g = 1 + (0.35 * strength * (view.lightX * u + view.lightY * v)) / FRAME;
    out[0] *= g;
    out[1] *= g;
    out[2] *= g;
  });
}

/** Paints a shape given in frame coordinates (fixed to the picture, not the head). */
function drawInFrame(
  p: Painter,
  view: FaceView,
  shape: (u: number, v: number) => number,
  color: Rgb,
): void {
  // Face -> frame is u = s R f + t; hand the painter a face-space shape that maps back to frame.
  const c = dcos(view.rotation);
  const s = dsin(view.rotation);
  const k = view.scale;
  const toFrame = (x: number, y: number): [number, number] => [
    k * (c * x - s * y) + view.shiftX,
    k * (s * x + c * y) + view.shiftY,
  ];
  const far = (2 * FRAME) / k + 2;
  p.paint(
    [-far, -far, far, far],
    (x, y) => {
      const [u, v] = toFrame(x, y);
      return shape(u, v) / k;
    },
    color,
  );
}
