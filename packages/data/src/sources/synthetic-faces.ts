import { InvalidArgumentError, Rng, checkInteger, checkNumber } from '@face/core';
import type { DecodedImage } from '../image';
import { deriveSeed } from '../seed';
import { sampleIdentity, type FaceIdentity } from '../synthetic/identity';
import { renderFace } from '../synthetic/render';
import { DEFAULT_VIEW_RANGES, sampleView, type FaceView, type ViewRanges } from '../synthetic/view';
import { checkIndex, type FaceDataset } from './dataset';

export interface SyntheticFacesOptions {
  /** Number of distinct people. Default 100. */
  identities?: number;
  /** Pictures per person: a number, or a range drawn per person from the seed. Default 20. */
  imagesPerIdentity?: number | { min: number; max: number };
  /** Side of the square pictures, in pixels. Default 64. */
  size?: number;
  /** Everything (faces, views, noise) follows from it. Default 0. */
  seed?: number;
  /**
   * Scales every nuisance (pose, light, expression, background clutter, occlusion, noise, blur):
   * 0 gives identical frontal pictures, 1 the full `ranges`. Default 0.5.
   */
  difficulty?: number;
  /** Override the size of individual nuisances at difficulty 1 (see `DEFAULT_VIEW_RANGES`). */
  ranges?: Partial<ViewRanges>;
  /** Keep rendered pictures in memory (identities x images x size^2 x 3 bytes). Default true. */
  cache?: boolean;
}

// Stream tags for deriveSeed, so identities, views and counts never share random numbers.
const IDENTITY_STREAM = 1;
const VIEW_STREAM = 2;
const COUNT_STREAM = 3;

/**
 * A dataset of drawn faces that needs no files: person `label` has a face of its own (head shape,
 * skin, hair, eyes, brows, nose, mouth, extras), and each picture shows it anew (pose, light,
 * expression, background, occluders, noise, blur). Deterministic from the seed: the same options
 * give the same bytes in Node and in browsers. A person's looks depend only on (seed, label), and a
 * picture only on (seed, label, view), never on the size of the dataset or of the picture.
 */
export class SyntheticFaces implements FaceDataset {
  readonly size: number;
  readonly labels: Int32Array;
  readonly classNames: readonly string[];
  readonly imageSize: number;
  readonly seed: number;
  readonly difficulty: number;
  readonly ranges: ViewRanges;
  /** Index of each image's view within its identity. */
  readonly views: Int32Array;
  private readonly faces: FaceIdentity[];
  private readonly cache: (DecodedImage | undefined)[] | null;

  constructor(options: SyntheticFacesOptions = {}) {
    const fn = 'SyntheticFaces';
    const {
      identities = 100,
      imagesPerIdentity = 20,
      size = 64,
      seed = 0,
      difficulty = 0.5,
      ranges = {},
      cache = true,
    } = options;
    checkInteger(fn, 'identities', identities, { min: 1 });
    checkInteger(fn, 'size', size, { min: 8, max: 1024 });
    checkInteger(fn, 'seed', seed);
    checkNumber(fn, 'difficulty', difficulty, { min: 0 });
    for (const [key, value] of Object.entries(ranges)) {
      if (!(key in DEFAULT_VIEW_RANGES)) {
        throw new InvalidArgumentError(
          fn,
          `ranges.${key}`,
          value,
          `one of ${Object.keys(DEFAULT_VIEW_RANGES).join(', ')}`,
        );
      }
      checkNumber(fn, `ranges.${key}`, value, { min: 0 });
    }
    const counts = drawCounts(fn, imagesPerIdentity, identities, seed);
    this.imageSize = size;
    this.seed = seed;
    this.difficulty = difficulty;
    this.ranges = { ...DEFAULT_VIEW_RANGES, ...ranges };
    this.size = counts.reduce((s, c) => s + c, 0);
    this.labels = new Int32Array(this.size);
    this.views = new Int32Array(this.size);
    let k = 0;
    counts.forEach((count, label) => {
      for (let v = 0; v < count; v++, k++) {
        this.labels[k] = label;
        this.views[k] = v;
      }
    });
    const width = String(identities - 1).length;
    this.classNames = Array.from(
      { length: identities },
      (_, i) => `synthetic-${String(i).padStart(width, '0')}`,
    );
    this.faces = Array.from({ length: identities }, (_, i) =>
      sampleIdentity(new Rng(deriveSeed(seed, IDENTITY_STREAM, i))),
    );
    this.cache = cache ? new Array(this.size) : null;
  }

  /** The drawing parameters of person `label`. */
  identity(label: number): FaceIdentity {
    checkInteger('SyntheticFaces.identity', 'label', label, { min: 0, max: this.faces.length - 1 });
    return this.faces[label];
  }

  /** The parameters of view `view` of person `label` (any view number, not only those in the set). */
  view(label: number, view: number): FaceView {
    checkInteger('SyntheticFaces.view', 'label', label, { min: 0, max: this.faces.length - 1 });
    checkInteger('SyntheticFaces.view', 'view', view, { min: 0 });
    return sampleView(
      new Rng(deriveSeed(this.seed, VIEW_STREAM, label, view)),
      this.difficulty,
      this.ranges,
    );
  }

  /** Draws view `view` of person `label`, at `size` pixels (default: the dataset's). */
  render(label: number, view: number, size = this.imageSize): DecodedImage {
    checkInteger('SyntheticFaces.render', 'size', size, { min: 8, max: 1024 });
    return renderFace(this.identity(label), this.view(label, view), size);
  }

  /** Image `index`, synchronously. */
  loadSync(index: number): DecodedImage {
    checkIndex('SyntheticFaces.load', this, index);
    const hit = this.cache?.[index];
    if (hit) return hit;
    const image = this.render(this.labels[index], this.views[index]);
    if (this.cache) this.cache[index] = image;
    return image;
  }

  load(index: number): Promise<DecodedImage> {
    try {
      return Promise.resolve(this.loadSync(index));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  source(index: number): string {
    checkIndex('SyntheticFaces.source', this, index);
    return `synthetic:${this.seed}/${this.labels[index]}/${this.views[index]}`;
  }
}

function drawCounts(
  fn: string,
  spec: number | { min: number; max: number },
  identities: number,
  seed: number,
): number[] {
  if (typeof spec === 'number') {
    checkInteger(fn, 'imagesPerIdentity', spec, { min: 1 });
    return new Array<number>(identities).fill(spec);
  }
  if (!spec || typeof spec !== 'object') {
    throw new InvalidArgumentError(
      fn,
      'imagesPerIdentity',
      spec,
      'an integer >= 1 or { min, max }',
    );
  }
  checkInteger(fn, 'imagesPerIdentity.min', spec.min, { min: 1 });
  checkInteger(fn, 'imagesPerIdentity.max', spec.max, { min: spec.min });
  const rng = new Rng(deriveSeed(seed, COUNT_STREAM));
  return Array.from({ length: identities }, () => spec.min + rng.int(spec.max - spec.min + 1));
}
