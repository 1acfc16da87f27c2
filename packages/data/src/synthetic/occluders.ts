import { dcos, dsin } from './math';
import { box, ellipse, stroke, strokeBox } from './painter';
import type { Scene } from './scene';

/** The person's own glasses (part of the identity): two rims and a bridge, over the hair. */
export function drawGlasses({ p, id, cosYaw, project }: Scene): void {
  const glasses = id.glasses;
  if (!glasses) return;
  for (const side of [-1, 1]) {
    const [ex, ey] = project(side * id.eyeSpacing, id.eyeY, 0.12);
    const rx = id.eyeWidth * 1.55 * cosYaw;
    const ry = id.eyeWidth * 1.2;
    p.paint(
      [ex - rx - 0.03, ey - ry - 0.03, ex + rx + 0.03, ey + ry + 0.03],
      (x, y) => Math.abs(ellipse(x - ex, y - ey, rx, ry)) - 0.014,
      glasses,
    );
  }
  const [l0, y0] = project(-id.eyeSpacing + id.eyeWidth * 1.5, id.eyeY, 0.12);
  const [r0, y1] = project(id.eyeSpacing - id.eyeWidth * 1.5, id.eyeY, 0.12);
  const pts = [
    [l0, y0],
    [(l0 + r0) / 2, y0 - 0.03],
    [r0, y1],
  ];
  p.paint(strokeBox(pts, 0.014), (x, y) => stroke(x, y, pts, 0.012), glasses);
}

/**
 * The view's occluder (not the person's): sunglasses, a mask, a hand or a bar, drawn over
 * everything on the head so that it hides features the way the real ones do.
 */
export function drawOccluder({
  p,
  id,
  a,
  b,
  cosYaw,
  view,
  noseTipY,
  project,
  shaded,
  faceShape,
}: Scene): void {
  const occ = view.occluder;
  if (!occ) return;
  if (occ.kind === 'sunglasses') {
    for (const side of [-1, 1]) {
      const [ex, ey] = project(side * id.eyeSpacing, id.eyeY, 0.14);
      const rx = id.eyeWidth * 1.6 * cosYaw;
      const ry = id.eyeWidth * 1.15;
      p.paint(
        [ex - rx, ey - ry, ex + rx, ey + ry],
        (x, y) => ellipse(x - ex, y - ey, rx, ry),
        occ.color,
        0.95,
      );
    }
  } else if (occ.kind === 'mask') {
    const top = noseTipY - occ.top;
    p.paint(
      [-a - 0.1, top, a + 0.1, b + 0.1],
      (x, y) => Math.max(faceShape(x, y) - 0.04, top - y),
      shaded(occ.color),
    );
  } else if (occ.kind === 'hand') {
    p.paint(
      [occ.x - occ.rx, occ.y - occ.ry, occ.x + occ.rx, occ.y + occ.ry],
      (x, y) => ellipse(x - occ.x, y - occ.y, occ.rx, occ.ry),
      shaded(occ.color),
    );
  } else {
    const c = dcos(occ.angle);
    const s = dsin(occ.angle);
    const r = occ.w + occ.h;
    p.paint(
      [occ.x - r, occ.y - r, occ.x + r, occ.y + r],
      (x, y) =>
        box(
          c * (x - occ.x) + s * (y - occ.y),
          -s * (x - occ.x) + c * (y - occ.y),
          occ.w / 2,
          occ.h / 2,
        ),
      occ.color,
    );
  }
}
