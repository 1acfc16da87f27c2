import { dcos, dsin } from './math';
import { ellipse, stroke, strokeBox } from './painter';
import { scale } from './palette';
import type { Scene } from './scene';

/** Brows: a tapered curve above each eye; raising them is part of the expression. */
export function drawBrows({ p, id, view, project }: Scene): void {
  for (const side of [-1, 1]) {
    const cx = side * id.eyeSpacing;
    const by = id.eyeY - id.browGap - 0.05 * view.browRaise;
    const pts: number[][] = [];
    for (let i = 0; i <= 4; i++) {
      const t = i / 2 - 1;
      pts.push(
        project(
          cx + t * id.browLength,
          by - id.browArch * (1 - t * t) + side * t * id.browSlant * id.browLength,
          0.08,
        ),
      );
    }
    const r = id.browThickness / 2;
    p.paint(strokeBox(pts, r), (x, y) => stroke(x, y, pts, r), id.brow);
  }
}

/** Eyes: white, iris (with gaze), pupil, and the upper lid; a blink flattens the eye. */
export function drawEyes(scene: Scene): void {
  for (const side of [-1, 1]) drawEye(scene, side);
}

function drawEye({ p, id, view, cosYaw: cy, project }: Scene, side: number): void {
  const [ex, ey] = project(side * id.eyeSpacing, id.eyeY, 0.04);
  const rx = id.eyeWidth * cy;
  const ry = id.eyeWidth * id.eyeAspect * view.eyeOpen;
  // The tilt mirrors between the eyes, so both slant up (or down) toward the temples.
  const tc = dcos(side * id.eyeTilt);
  const ts = dsin(side * id.eyeTilt);
  const local = (x: number, y: number): [number, number] => [
    tc * (x - ex) + ts * (y - ey),
    -ts * (x - ex) + tc * (y - ey),
  ];
  const white = (x: number, y: number) => {
    const [u, v] = local(x, y);
    return ellipse(u, v, rx, ry);
  };
  const eyeBox: [number, number, number, number] = [
    ex - rx - 0.05,
    ey - id.eyeWidth - 0.05,
    ex + rx + 0.05,
    ey + id.eyeWidth + 0.05,
  ];
  p.paint(eyeBox, white, [236, 230, 224]);
  // Iris and pupil are cut to the white (max of distances): a half-closed lid hides them too.
  const ix = ex + view.gazeX * rx * 0.35;
  const ir = id.eyeWidth * 0.5;
  p.paint(eyeBox, (x, y) => Math.max(ellipse(x - ix, y - ey, ir * cy, ir), white(x, y)), id.iris);
  p.paint(
    eyeBox,
    (x, y) => Math.max(ellipse(x - ix, y - ey, ir * 0.45 * cy, ir * 0.45), white(x, y)),
    [12, 10, 10],
  );
  const lid: number[][] = [];
  for (let i = 0; i <= 6; i++) {
    const t = i / 3 - 1;
    const lxp = t * rx * 1.05;
    const lyp = -ry * Math.sqrt(Math.max(0, 1 - t * t));
    lid.push([ex + tc * lxp - ts * lyp, ey + ts * lxp + tc * lyp]);
  }
  const lr = 0.012 + 0.01 * (1 - view.eyeOpen);
  p.paint(strokeBox(lid, lr), (x, y) => stroke(x, y, lid, lr), scale(id.brow, 0.6));
}
