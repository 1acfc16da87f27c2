import { InvalidArgumentError } from '@face/core';

/** A point in pixel coordinates: x to the right, y down, integer values at pixel centres. */
export type Point = readonly [number, number];

/**
 * A 2-D affine map as the 2x3 row-major matrix `[a, b, tx, c, d, ty]`:
 * `x' = a x + b y + tx`, `y' = c x + d y + ty` (OpenCV's `warpAffine` matrix, flattened).
 */
export type AffineMatrix = readonly [number, number, number, number, number, number];

/** Asserts an array of at least `min` finite [x, y] points. */
export function checkPoints(fn: string, argument: string, points: unknown, min = 2): Point[] {
  const ok =
    Array.isArray(points) &&
    points.length >= min &&
    points.every(
      (p) => Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]),
    );
  if (!ok)
    throw new InvalidArgumentError(fn, argument, points, `at least ${min} [x, y] finite points`);
  return points as Point[];
}

/**
 * The similarity transform (rotation, uniform scale, translation; no reflection or shear) that
 * maps `src` onto `dst` with the least sum of squared distances: Umeyama's estimator (S. Umeyama,
 * "Least-squares estimation of transformation parameters between two point patterns", IEEE
 * TPAMI 1991), what scikit-image's `SimilarityTransform.estimate` and InsightFace's `norm_crop`
 * compute. In 2-D, `s R` is `[[a, -b], [b, a]]` and the problem is linear in (a, b), which gives
 * the closed form below (equal to Umeyama's SVD solution; the fixture script computes that one).
 */
export function estimateSimilarity(src: readonly Point[], dst: readonly Point[]): AffineMatrix {
  const fn = 'estimateSimilarity';
  checkPoints(fn, 'src', src);
  checkPoints(fn, 'dst', dst);
  if (dst.length !== src.length)
    throw new InvalidArgumentError(fn, 'dst', dst, `${src.length} points, as many as src`);
  const n = src.length;
  let msx = 0;
  let msy = 0;
  let mdx = 0;
  let mdy = 0;
  for (let i = 0; i < n; i++) {
    msx += src[i][0] / n;
    msy += src[i][1] / n;
    mdx += dst[i][0] / n;
    mdy += dst[i][1] / n;
  }
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const sx = src[i][0] - msx;
    const sy = src[i][1] - msy;
    const dx = dst[i][0] - mdx;
    const dy = dst[i][1] - mdy;
    dot += sx * dx + sy * dy;
    cross += sx * dy - sy * dx;
    norm += sx * sx + sy * sy;
  }
  if (!(norm > 1e-12 * Math.max(1, msx * msx + msy * msy)))
    throw new InvalidArgumentError(fn, 'src', src, 'points that are not all the same point');
  const a = dot / norm;
  const b = cross / norm;
  return [a, -b, mdx - (a * msx - b * msy), b, a, mdy - (b * msx + a * msy)];
}

/** The inverse of an affine map (throws when it is singular). */
export function invertAffine(m: AffineMatrix): AffineMatrix {
  const [a, b, tx, c, d, ty] = m;
  const det = a * d - b * c;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12)
    throw new InvalidArgumentError('invertAffine', 'm', m, 'an invertible affine matrix');
  const ia = d / det;
  const ib = -b / det;
  const ic = -c / det;
  const id = a / det;
  return [ia, ib, -(ia * tx + ib * ty), ic, id, -(ic * tx + id * ty)];
}

/** `points` mapped by `m`. */
export function transformPoints(m: AffineMatrix, points: readonly Point[]): Point[] {
  const [a, b, tx, c, d, ty] = m;
  return points.map(([x, y]) => [a * x + b * y + tx, c * x + d * y + ty] as const);
}
