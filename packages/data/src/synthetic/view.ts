import type { Rng } from '@face/core';
import { dcos, dexp, dsin } from './math';

const LN2 = 0.6931471805599453;
import { anyColor, gauss, type Rgb } from './palette';

/**
 * How hard the views are: the size of each nuisance, at `difficulty` 1. Every range is scaled by
 * the dataset's difficulty (0 = every view the same frontal, evenly lit, clean picture).
 */
export interface ViewRanges {
  /** In-plane rotation, radians (uniform in +-). */
  rotation: number;
  /** Shift of the face centre, face units (uniform in +- per axis). */
  shift: number;
  /** log-scale range (uniform in +-). */
  scale: number;
  /** Head turn left/right and nod, radians (uniform in +-). */
  yaw: number;
  pitch: number;
  /** Directional light strength (0..1 of the shading) and exposure range in stops. */
  light: number;
  exposure: number;
  /** Per-channel colour cast (std of log gain) and contrast range (log, uniform in +-). */
  colorCast: number;
  contrast: number;
  /** Expression amplitude: smile, open mouth, raised brows, blinks, gaze. */
  expression: number;
  /** Pixel noise standard deviation, in 0..255 units. */
  noise: number;
  /** Probability of an occluder (sunglasses, mask, hand, bar) and of background clutter shapes. */
  occlusion: number;
  clutter: number;
  /** Blur: probability of rendering at reduced resolution (soft picture). */
  blur: number;
}

export const DEFAULT_VIEW_RANGES: ViewRanges = {
  rotation: 0.5,
  shift: 0.3,
  scale: 0.4,
  yaw: 1.0,
  pitch: 0.5,
  light: 1.4,
  exposure: 1.6,
  colorCast: 0.3,
  contrast: 0.8,
  expression: 1.0,
  noise: 24,
  occlusion: 0.7,
  clutter: 8,
  blur: 0.6,
};

export type Occluder =
  | { kind: 'sunglasses'; color: Rgb }
  | { kind: 'mask'; color: Rgb; top: number }
  | { kind: 'hand'; color: Rgb; x: number; y: number; rx: number; ry: number }
  | { kind: 'bar'; color: Rgb; x: number; y: number; w: number; h: number; angle: number };

export interface ClutterShape {
  color: Rgb;
  x: number;
  y: number;
  rx: number;
  ry: number;
  box: boolean;
}

/** One picture of an identity: pose, light, expression, background, occluder, noise. */
export interface FaceView {
  rotation: number;
  shiftX: number;
  shiftY: number;
  scale: number;
  yaw: number;
  pitch: number;
  /** Light direction in the image plane (unit) and its strength; ambient = 1 - strength/2. */
  lightX: number;
  lightY: number;
  lightStrength: number;
  gain: Rgb;
  contrast: number;
  smile: number;
  mouthOpen: number;
  browRaise: number;
  eyeOpen: number;
  gazeX: number;
  background: Rgb;
  background2: Rgb;
  clothes: Rgb;
  clutter: ClutterShape[];
  occluder: Occluder | null;
  noise: number;
  /** Render at this fraction of the size, then upscale (1 = sharp). */
  resolution: number;
  /** Seed of the pixel noise. */
  noiseSeed: number;
}

export function sampleView(rng: Rng, difficulty: number, ranges: ViewRanges): FaceView {
  const d = difficulty;
  const sym = (r: number) => rng.uniform(-r, r) * d;
  const lightAngle = rng.uniform(0, 2 * Math.PI);
  const expr = ranges.expression * d;
  const view: FaceView = {
    rotation: sym(ranges.rotation),
    shiftX: sym(ranges.shift),
    shiftY: sym(ranges.shift),
    scale: dexp(sym(ranges.scale)),
    yaw: sym(ranges.yaw),
    pitch: sym(ranges.pitch),
    lightX: dcos(lightAngle),
    lightY: dsin(lightAngle),
    lightStrength: Math.min(1, rng.uniform(0, 1) * ranges.light * d),
    gain: [1, 1, 1],
    contrast: dexp(sym(ranges.contrast)),
    smile: rng.uniform(-0.3, 1) * expr,
    mouthOpen: rng.bernoulli(0.35 * Math.min(1, expr)) ? rng.uniform(0.2, 1) * expr : 0,
    browRaise: rng.uniform(-1, 1) * expr,
    eyeOpen: rng.bernoulli(0.12 * Math.min(1, expr)) ? rng.uniform(0.05, 0.3) : 1,
    gazeX: rng.uniform(-1, 1) * Math.min(1, expr),
    background: anyColor(rng),
    background2: anyColor(rng),
    clothes: anyColor(rng),
    clutter: [],
    occluder: null,
    noise: rng.uniform(0.2, 1) * ranges.noise * d,
    resolution: rng.bernoulli(Math.min(1, ranges.blur * d)) ? rng.uniform(0.35, 0.8) : 1,
    noiseSeed: rng.nextUint32() | 0,
  };
  // One exposure for the picture (2^(stops/2)), times a small per-channel tint.
  const exposure = dexp(sym(ranges.exposure * 0.5 * LN2));
  view.gain = view.gain.map(() => exposure * dexp(gauss(rng) * ranges.colorCast * d)) as Rgb;
  const clutterCount = Math.floor(rng.uniform(0, 1) * ranges.clutter * d + 0.5);
  for (let i = 0; i < clutterCount; i++) {
    view.clutter.push({
      color: anyColor(rng),
      x: rng.uniform(-1.3, 1.3),
      y: rng.uniform(-1.3, 1.3),
      rx: rng.uniform(0.05, 0.45),
      ry: rng.uniform(0.05, 0.45),
      box: rng.bernoulli(0.5),
    });
  }
  if (rng.bernoulli(Math.min(1, ranges.occlusion * d))) {
    const kind = rng.int(4);
    const color = anyColor(rng);
    if (kind === 0)
      view.occluder = {
        kind: 'sunglasses',
        color: [color[0] * 0.25, color[1] * 0.25, color[2] * 0.25],
      };
    else if (kind === 1) view.occluder = { kind: 'mask', color, top: rng.uniform(0.15, 0.4) };
    else if (kind === 2)
      view.occluder = {
        kind: 'hand',
        color,
        x: rng.uniform(-0.8, 0.8),
        y: rng.uniform(-0.4, 0.9),
        rx: rng.uniform(0.15, 0.35),
        ry: rng.uniform(0.2, 0.45),
      };
    else
      view.occluder = {
        kind: 'bar',
        color,
        x: rng.uniform(-0.8, 0.8),
        y: rng.uniform(-0.6, 0.8),
        w: rng.uniform(0.6, 2),
        h: rng.uniform(0.08, 0.25),
        angle: rng.uniform(-0.8, 0.8),
      };
  }
  return view;
}
