import type { Rng } from '@face/core';
import { clamp, lerp } from './math';

export type Rgb = [number, number, number];

/** Skin tones from light to dark; identities take a point on this line plus a small tint. */
const SKIN: Rgb[] = [
  [250, 222, 196],
  [238, 196, 162],
  [222, 170, 128],
  [196, 136, 98],
  [160, 104, 68],
  [122, 76, 48],
  [86, 56, 38],
];

const HAIR: { color: Rgb; weight: number }[] = [
  { color: [24, 20, 18], weight: 4 },
  { color: [58, 40, 28], weight: 4 },
  { color: [104, 70, 44], weight: 3 },
  { color: [142, 74, 42], weight: 1 },
  { color: [206, 170, 108], weight: 2 },
  { color: [176, 96, 44], weight: 1 },
  { color: [150, 148, 146], weight: 1 },
  { color: [222, 220, 214], weight: 0.5 },
];

const IRIS: Rgb[] = [
  [92, 56, 30],
  [48, 30, 22],
  [70, 112, 164],
  [78, 118, 72],
  [118, 128, 138],
  [128, 98, 50],
];

/** Approximately normal draw from + and * only (Irwin-Hall: sum of 4 uniforms, variance 1). */
export function gauss(rng: Rng): number {
  return (rng.next() + rng.next() + rng.next() + rng.next() - 2) * 1.7320508075688772;
}

export function jitter(rng: Rng, color: Rgb, amount: number): Rgb {
  return color.map((c) => clamp(c + amount * gauss(rng), 0, 255)) as Rgb;
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [lerp(a[0], b[0], t), lerp(a[1], b[1], t), lerp(a[2], b[2], t)];
}

export function scale(a: Rgb, s: number): Rgb {
  return [a[0] * s, a[1] * s, a[2] * s];
}

export function skinTone(rng: Rng): Rgb {
  const t = rng.next() * (SKIN.length - 1);
  const i = Math.min(Math.floor(t), SKIN.length - 2);
  return jitter(rng, mix(SKIN[i], SKIN[i + 1], t - i), 6);
}

export function hairColor(rng: Rng): Rgb {
  const total = HAIR.reduce((s, h) => s + h.weight, 0);
  let u = rng.next() * total;
  for (const h of HAIR) {
    u -= h.weight;
    if (u < 0) return jitter(rng, h.color, 10);
  }
  return jitter(rng, HAIR[0].color, 10);
}

export function irisColor(rng: Rng): Rgb {
  return jitter(rng, IRIS[rng.int(IRIS.length)], 12);
}

/** Any colour: backgrounds, clothes, occluders. */
export function anyColor(rng: Rng): Rgb {
  return [rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)];
}
