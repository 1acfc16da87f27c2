import { ellipse, stroke, strokeBox } from './painter';
import { scale } from './palette';
import type { Scene } from './scene';

/** Ears sit on the head's sides; turning the head moves them less than the front features. */
export function drawEars({ p, id, a, cosYaw, sinYaw, shaded }: Scene): void {
  for (const side of [-1, 1]) {
    const ex = side * a * cosYaw - 0.1 * sinYaw;
    const eyY = id.eyeY + 0.12;
    const r = id.earSize;
    p.paint(
      [ex - r, eyY - 1.6 * r, ex + r, eyY + 1.6 * r],
      (x, y) => ellipse(x - ex, y - eyY, 0.55 * r, r),
      shaded(id.skin, 0.9),
    );
  }
}

/** The face oval in shaded skin, a faint blush on the cheeks, and the mole if the person has one. */
export function drawFaceSkin({ p, id, a, b, project, shaded, faceShape }: Scene): void {
  p.paint([-a, -b, a, b], faceShape, shaded(id.skin));
  for (const side of [-1, 1]) {
    const [cx, cyy] = project(side * 0.55 * a, id.mouthY - 0.18);
    p.paint(
      [cx - 0.2, cyy - 0.15, cx + 0.2, cyy + 0.15],
      (x, y) => ellipse(x - cx, y - cyy, 0.16, 0.1),
      [200, 90, 90],
      0.12,
    );
  }
  if (id.mole) {
    const [mx, my] = project(id.mole[0], id.mole[1]);
    const r = id.mole[2];
    p.paint(
      [mx - r, my - r, mx + r, my + r],
      (x, y) => ellipse(x - mx, y - my, r, r),
      scale(id.skin, 0.35),
    );
  }
}

/**
 * Nose: a shadow along the bridge on the side away from the light (the only cue of its relief
 * in a frontal picture), the tip, the nostrils.
 */
export function drawNose({
  p,
  id,
  cosYaw,
  lightX,
  strength,
  noseTipY,
  project,
  shaded,
}: Scene): void {
  const [bx0, by0] = project(-lightX * strength * id.noseWidth * 0.6, id.eyeY + 0.06, 0.05);
  const [bx1, by1] = project(-lightX * strength * id.noseWidth * 0.7, noseTipY - 0.05, 0.22);
  const pts = [
    [bx0, by0],
    [bx1, by1],
  ];
  const r = id.noseWidth * 0.3;
  p.paint(
    strokeBox(pts, r),
    (x, y) => stroke(x, y, pts, r),
    scale(id.skin, 0.6),
    0.25 + 0.3 * strength,
  );
  const [tx, ty] = project(0, noseTipY - 0.03, 0.25);
  const w = id.noseWidth * cosYaw;
  p.paint(
    [tx - w, ty - w, tx + w, ty + w],
    (x, y) => ellipse(x - tx, y - ty, 0.75 * w, 0.5 * id.noseWidth),
    shaded(id.skin, 0.86),
    0.6,
  );
  for (const side of [-1, 1]) {
    const [nx, ny] = project(side * id.noseWidth * 0.55, noseTipY, 0.18);
    const rx = id.noseWidth * 0.28 * cosYaw;
    const ry = id.noseWidth * 0.16;
    p.paint(
      [nx - rx, ny - ry, nx + rx, ny + ry],
      (x, y) => ellipse(x - nx, y - ny, rx, ry),
      scale(id.skin, 0.35),
    );
  }
}
