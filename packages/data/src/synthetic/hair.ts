import { tri } from './math';
import { box, ellipse } from './painter';
import type { Scene } from './scene';

/** Long hair (style 2) falls behind the head and the shoulders, so it is drawn before them. */
export function drawHairBehind({ p, id, a, b, headShiftX, hairShader }: Scene): void {
  if (id.hairStyle !== 2) return;
  const hx = a * id.hairVolume * 1.12;
  p.paint(
    [-hx - 0.1 + headShiftX, -1.4, hx + 0.1 + headShiftX, 1.8],
    (x, y) => {
      const xs = x - headShiftX;
      return Math.min(
        ellipse(xs, y + 0.12, hx, b * id.hairVolume * 1.05),
        box(xs, y - 0.75, hx, 0.85),
      );
    },
    hairShader(id.hair, 0),
  );
}

/** Beard (under the mouth and along the jaw): drawn before the lips so that they cover it. */
export function drawBeard({ p, id, a, b, noseTipY, faceShape, hairShader }: Scene): void {
  if (!id.beard) return;
  const top = noseTipY + 0.05;
  p.paint(
    [-a, top, a, b],
    (x, y) => {
      const edge = top + 0.12 * (1 - (x / a) * (x / a)) + 0.04 * tri(x * 9);
      return Math.max(faceShape(x, y) + 0.02, edge - y);
    },
    hairShader(id.hair, 0.7),
    0.9,
  );
}

/**
 * Hair on top: inside the hair oval and above the hairline (lower at the temples). Drawn after
 * the features so that a fringe covers the brows. Bald heads keep a band above each ear.
 */
export function drawHairOnTop(scene: Scene): void {
  const { p, id, a, b, headShiftX, hairShader } = scene;
  if (id.hairStyle === 0) {
    drawBaldBands(scene);
    return;
  }
  const hx = a * id.hairVolume;
  const hy = b * id.hairVolume;
  const sx = headShiftX;
  const fringe = id.hairStyle === 3;
  const line = (x: number) => {
    const t = x / a;
    const base = fringe
      ? id.eyeY - id.browGap - 0.06 + 0.03 * tri(x * 7)
      : id.hairline + id.hairlineCurve * t * t + id.hairlineTilt * t;
    // Down to the ears at the sides (sideburns).
    return Math.abs(t) > 0.8 ? Math.max(base, id.eyeY + 0.1 * (Math.abs(t) - 0.8) * 5) : base;
  };
  p.paint(
    [-hx + sx, -hy - 0.1, hx + sx, id.eyeY + 0.25],
    (x, y) => {
      const xs = x - sx;
      return Math.max(ellipse(xs, y + 0.06, hx, hy), y - line(xs));
    },
    hairShader(id.hair, 1),
  );
}

/** Bald: a band of hair above the ears only. */
function drawBaldBands({ p, id, a, cosYaw, hairShader }: Scene): void {
  for (const side of [-1, 1]) {
    const cx = side * a * 0.95 * cosYaw;
    p.paint(
      [cx - 0.2, id.eyeY - 0.4, cx + 0.2, id.eyeY + 0.15],
      (x, y) => ellipse(x - cx, y - id.eyeY + 0.12, 0.12, 0.25),
      hairShader(id.hair, 0.5),
    );
  }
}
