/**
 * Elementary functions built from + - * / and sqrt only, which IEEE 754 makes exact and hence
 * identical in every JavaScript engine. `Math.sin`, `Math.exp` and friends are not specified to
 * the last bit, and the synthetic faces promise the same pixels in Node and in any browser.
 * Accuracy (~1e-8 relative) is far beyond what a 112-pixel drawing can show.
 */

const TWO_PI = 6.283185307179586;
const HALF_PI = 1.5707963267948966;
const LN2 = 0.6931471805599453;

/** Taylor series of sin on [-pi/2, pi/2] to x^13 (remainder < (pi/2)^15/15! ~ 7e-10). */
function sinReduced(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n <= 6; n++) {
    term *= -x2 / (2 * n * (2 * n + 1));
    sum += term;
  }
  return sum;
}

export function dsin(x: number): number {
  // Reduce to [-pi, pi], then fold to [-pi/2, pi/2] with sin(pi - x) = sin(x).
  let r = x - TWO_PI * Math.round(x / TWO_PI);
  if (r > HALF_PI) r = Math.PI - r;
  else if (r < -HALF_PI) r = -Math.PI - r;
  return sinReduced(r);
}

export function dcos(x: number): number {
  return dsin(x + HALF_PI);
}

/** exp(x) = 2^k exp(r), |r| <= ln2/2, Taylor series of exp(r) to r^12. */
export function dexp(x: number): number {
  const k = Math.round(x / LN2);
  const r = x - k * LN2;
  let term = 1;
  let sum = 1;
  for (let n = 1; n <= 12; n++) {
    term *= r / n;
    sum += term;
  }
  let scale = 1;
  const base = k >= 0 ? 2 : 0.5;
  for (let i = 0; i < Math.abs(k); i++) scale *= base;
  return sum * scale;
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

export function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

/** Triangle wave in [-1, 1] with period 1: a cheap, exact stand-in for a sine texture. */
export function tri(x: number): number {
  const f = x - Math.floor(x);
  return 4 * Math.abs(f - 0.5) - 1;
}
