import { Rng } from '@face/core';
import type { DecodedImage } from '../image';
import type { FaceIdentity } from './identity';
import { clamp, dcos, dsin, tri } from './math';
import { FRAME, Painter, box, ellipse, stroke, strokeBox } from './painter';
import { gauss, mix, scale, type Rgb } from './palette';
import type { FaceView } from './view';

/** Depth of the face's front relative to its half-height: how far features travel when the head turns. */
const DEPTH = 0.55;

/**
 * Draws one picture of `identity` seen as `view`, `size` x `size` pixels. Pure arithmetic on a
 * float buffer (no canvas), so the same arguments give the same bytes on every JavaScript engine.
 */
export function renderFace(identity: FaceIdentity, view: FaceView, size: number): DecodedImage {
  const inner = Math.max(8, Math.round(size * view.resolution));
  const painter = new Painter(inner, view.scale, view.rotation, view.shiftX, view.shiftY);
  drawScene(painter, identity, view);
  let rgb = painter.rgb;
  if (inner !== size) rgb = upsample(rgb, inner, size);
  return { data: finish(rgb, size, view), height: size, width: size };
}

function drawScene(p: Painter, id: FaceIdentity, view: FaceView): void {
  const a = id.faceWidth;
  const b = id.faceHeight;
  const cy = dcos(view.yaw);
  const sy = dsin(view.yaw);
  const cp = dcos(view.pitch);
  const sp = dsin(view.pitch);
  // A point on the face's front (frontal coordinates x, y, sticking out by `bump`) as seen
  // after the head turns by yaw and nods by pitch (orthographic projection of an ellipsoid).
  const project = (x: number, y: number, bump = 0): [number, number] => {
    const nx = x / a;
    const ny = y / b;
    const z = DEPTH * Math.sqrt(Math.max(0, 1 - nx * nx - ny * ny)) + bump;
    return [x * cy + z * sy, y * cp + z * sp];
  };
  const lz = 0.9;
  const ln = Math.sqrt(view.lightX * view.lightX + view.lightY * view.lightY + lz * lz);
  const [lx, ly, lzn] = [view.lightX / ln, view.lightY / ln, lz / ln];
  const strength = view.lightStrength;
  // Lambertian shading of the head ellipsoid: ambient + strength * max(0, n . l).
  const shadeAt = (x: number, y: number): number => {
    const nx = clamp(x / a, -1, 1);
    const ny = clamp(y / b, -1, 1);
    const nz = Math.sqrt(Math.max(0, 1 - nx * nx - ny * ny));
    const lambert = Math.max(0, nx * lx + ny * ly + nz * lzn);
    return 1 - 0.6 * strength + 0.75 * strength * lambert;
  };
  const shaded =
    (color: Rgb, amount = 1): ((x: number, y: number, out: Rgb) => void) =>
    (x, y, out) => {
      const s = shadeAt(x, y) * amount;
      out[0] = color[0] * s;
      out[1] = color[1] * s;
      out[2] = color[2] * s;
    };

  // Background: a two-colour gradient, then clutter, in frame coordinates (it does not move with the head).
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

  const headShiftX = -DEPTH * 0.3 * sy;
  // Hair behind the head (long styles) and the shoulders.
  if (id.hairStyle === 2) {
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
  p.paint([-2.2, 0.5, 2.2, 3.5], (x, y) => ellipse(x, y - 1.95, 1.5, 0.75), view.clothes);
  p.paint(
    [-0.5 * a, 0.3, 0.5 * a, 1.6],
    (x, y) => box(x, y - 0.95, 0.42 * a, 0.65),
    shaded(id.skin, 0.82),
  );

  // Ears sit on the head's sides; turning the head moves them less than the front features.
  for (const side of [-1, 1]) {
    const ex = side * a * cy - 0.1 * sy;
    const eyY = id.eyeY + 0.12;
    const r = id.earSize;
    p.paint(
      [ex - r, eyY - 1.6 * r, ex + r, eyY + 1.6 * r],
      (x, y) => ellipse(x - ex, y - eyY, 0.55 * r, r),
      shaded(id.skin, 0.9),
    );
  }

  // The face oval, narrowing toward the chin: half-width w(y) = a (1 - jaw t^2), t = max(0, y / b).
  const faceShape = (x: number, y: number) => {
    const t = clamp(y / b, 0, 1);
    return ellipse(x, y, a * (1 - id.jaw * t * t), b);
  };
  p.paint([-a, -b, a, b], faceShape, shaded(id.skin));
  // Cheeks: a faint blush.
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

  // Nose: a shadow along the bridge on the side away from the light, the tip, the nostrils.
  const noseTipY = id.eyeY + id.noseLength;
  {
    const [bx0, by0] = project(-lx * strength * id.noseWidth * 0.6, id.eyeY + 0.06, 0.05);
    const [bx1, by1] = project(-lx * strength * id.noseWidth * 0.7, noseTipY - 0.05, 0.22);
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
    const w = id.noseWidth * cy;
    p.paint(
      [tx - w, ty - w, tx + w, ty + w],
      (x, y) => ellipse(x - tx, y - ty, 0.75 * w, 0.5 * id.noseWidth),
      shaded(id.skin, 0.86),
      0.6,
    );
    for (const side of [-1, 1]) {
      const [nx, ny] = project(side * id.noseWidth * 0.55, noseTipY, 0.18);
      const rx = id.noseWidth * 0.28 * cy;
      const ry = id.noseWidth * 0.16;
      p.paint(
        [nx - rx, ny - ry, nx + rx, ny + ry],
        (x, y) => ellipse(x - nx, y - ny, rx, ry),
        scale(id.skin, 0.35),
      );
    }
  }

  // Beard (under the mouth and along the jaw) goes under the lips; a moustache over them.
  if (id.beard) {
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

  // Brows: a tapered curve above each eye; raising them is part of the expression.
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

  // Eyes: white, iris (with gaze), pupil, and the upper lid; a blink flattens the eye.
  for (const side of [-1, 1]) {
    const [ex, ey] = project(side * id.eyeSpacing, id.eyeY, 0.04);
    const rx = id.eyeWidth * cy;
    const ry = id.eyeWidth * id.eyeAspect * view.eyeOpen;
    const tc = dcos(side * id.eyeTilt);
    const ts = dsin(side * id.eyeTilt);
    const local = (x: number, y: number): [number, number] => [
      tc * (x - ex) + ts * (y - ey),
      -ts * (x - ex) + tc * (y - ey),
    ];
    const white = (x: number, y: number) => {
      const [lx2, ly2] = local(x, y);
      return ellipse(lx2, ly2, rx, ry);
    };
    const eyeBox: [number, number, number, number] = [
      ex - rx - 0.05,
      ey - id.eyeWidth - 0.05,
      ex + rx + 0.05,
      ey + id.eyeWidth + 0.05,
    ];
    p.paint(eyeBox, white, [236, 230, 224]);
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

  // Mouth: lips between curves that bend up with a smile; an open mouth shows its dark inside.
  {
    const [mx, my] = project(0, id.mouthY, 0.06);
    const w = id.mouthWidth * (1 + 0.15 * view.smile) * cy;
    const bend = 0.07 * view.smile;
    const open = 0.1 * view.mouthOpen;
    const centre = (t: number) => my + bend * 0.3 - bend * t * t;
    const profile = (t: number) => Math.sqrt(Math.max(0, 1 - t * t));
    const mbox: [number, number, number, number] = [
      mx - w - 0.02,
      my - 0.2,
      mx + w + 0.02,
      my + 0.25,
    ];
    const lipsShape = (x: number, y: number) => {
      const t = clamp((x - mx) / w, -1, 1);
      const c = centre(t);
      // Upper lip: flat with a small dip at the middle (the cupid's bow); lower lip: fuller, round.
      const bow = Math.max(0, 1 - (t / 0.2) * (t / 0.2));
      const top = c - open / 2 - id.lipThickness * (0.7 * Math.sqrt(profile(t)) - 0.2 * bow);
      const bottom = c + open / 2 + id.lipThickness * profile(t);
      return Math.max(Math.abs(x - mx) - w, top - y, y - bottom);
    };
    p.paint(mbox, lipsShape, shaded(id.lips));
    if (open > 0) {
      p.paint(
        mbox,
        (x, y) => {
          const t = clamp((x - mx) / (w * 0.9), -1, 1);
          const c = centre(t);
          const h = (open / 2) * profile(t);
          return Math.max(Math.abs(x - mx) - w * 0.9, c - h - y, y - c - h);
        },
        [60, 22, 26],
      );
    } else {
      const line: number[][] = [];
      for (let i = 0; i <= 6; i++) {
        const t = i / 3 - 1;
        line.push([mx + t * w, centre(t)]);
      }
      p.paint(strokeBox(line, 0.008), (x, y) => stroke(x, y, line, 0.008), scale(id.lips, 0.55));
    }
    if (id.moustache) {
      const pts = [
        [mx - w * 1.05, my + 0.01],
        [mx - w * 0.5, my - id.lipThickness - 0.05],
        [mx + w * 0.5, my - id.lipThickness - 0.05],
        [mx + w * 1.05, my + 0.01],
      ];
      p.paint(strokeBox(pts, 0.035), (x, y) => stroke(x, y, pts, 0.03), hairShader(id.hair, 0.8));
    }
  }

  // Hair on top: inside the hair oval and above the hairline (lower at the temples).
  if (id.hairStyle !== 0) {
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
  } else {
    // Bald: a band of hair above the ears only.
    for (const side of [-1, 1]) {
      const cx = side * a * 0.95 * cy;
      p.paint(
        [cx - 0.2, id.eyeY - 0.4, cx + 0.2, id.eyeY + 0.15],
        (x, y) => ellipse(x - cx, y - id.eyeY + 0.12, 0.12, 0.25),
        hairShader(id.hair, 0.5),
      );
    }
  }

  if (id.glasses) {
    for (const side of [-1, 1]) {
      const [ex, ey] = project(side * id.eyeSpacing, id.eyeY, 0.12);
      const rx = id.eyeWidth * 1.55 * cy;
      const ry = id.eyeWidth * 1.2;
      p.paint(
        [ex - rx - 0.03, ey - ry - 0.03, ex + rx + 0.03, ey + ry + 0.03],
        (x, y) => Math.abs(ellipse(x - ex, y - ey, rx, ry)) - 0.014,
        id.glasses,
      );
    }
    const [l0, y0] = project(-id.eyeSpacing + id.eyeWidth * 1.5, id.eyeY, 0.12);
    const [r0, y1] = project(id.eyeSpacing - id.eyeWidth * 1.5, id.eyeY, 0.12);
    const pts = [
      [l0, y0],
      [(l0 + r0) / 2, y0 - 0.03],
      [r0, y1],
    ];
    p.paint(strokeBox(pts, 0.014), (x, y) => stroke(x, y, pts, 0.012), id.glasses);
  }

  const occ = view.occluder;
  if (occ) {
    if (occ.kind === 'sunglasses') {
      for (const side of [-1, 1]) {
        const [ex, ey] = project(side * id.eyeSpacing, id.eyeY, 0.14);
        const rx = id.eyeWidth * 1.6 * cy;
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

  // Light falling across the whole picture, on top of the head's own shading.
  p.fillFrame((u, v, out) => {
    const g = 1 + (0.35 * strength * (view.lightX * u + view.lightY * v)) / FRAME;
    out[0] *= g;
    out[1] *= g;
    out[2] *= g;
  });

  function hairShader(color: Rgb, darken: number) {
    const base = scale(color, 1 - 0.15 * darken);
    return (x: number, y: number, out: Rgb) => {
      // Strands: a faint stripe texture along the head's curve.
      const s = shadeAt(x * 0.8, y * 0.8) * (1 + 0.08 * tri((x * 0.35 + y) * 14 + x * x * 6));
      out[0] = base[0] * s;
      out[1] = base[1] * s;
      out[2] = base[2] * s;
    };
  }
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

/** Bilinear upscaling (half-pixel centres), so a low-resolution render reads as a soft picture. */
function upsample(src: Float32Array, from: number, to: number): Float32Array {
  const out = new Float32Array(to * to * 3);
  const ratio = from / to;
  for (let y = 0; y < to; y++) {
    const sy = clamp((y + 0.5) * ratio - 0.5, 0, from - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, from - 1);
    const fy = sy - y0;
    for (let x = 0; x < to; x++) {
      const sx = clamp((x + 0.5) * ratio - 0.5, 0, from - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, from - 1);
      const fx = sx - x0;
      for (let ch = 0; ch < 3; ch++) {
        const a = src[(y0 * from + x0) * 3 + ch];
        const b = src[(y0 * from + x1) * 3 + ch];
        const c = src[(y1 * from + x0) * 3 + ch];
        const d = src[(y1 * from + x1) * 3 + ch];
        out[(y * to + x) * 3 + ch] = (a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy;
      }
    }
  }
  return out;
}

/** Camera response: per-channel gain, contrast about mid-grey, sensor noise, 8-bit rounding. */
function finish(rgb: Float32Array, size: number, view: FaceView): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  const rng = new Rng(view.noiseSeed);
  for (let i = 0; i < out.length; i++) {
    const g = view.gain[i % 3];
    const v = (rgb[i] * g - 128) * view.contrast + 128 + view.noise * gauss(rng);
    out[i] = clamp(Math.round(v), 0, 255);
  }
  return out;
}
