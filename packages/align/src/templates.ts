import { InvalidArgumentError, checkOneOf } from '@face/core';
import { checkPoints, type Point } from './similarity';

/**
 * Where the five landmarks of a face go in its canonical crop, in the order
 * [eye on the image's left, eye on the image's right, nose tip, left mouth corner, right mouth corner].
 */
export interface AlignmentTemplate {
  readonly name: string;
  /** Crop size in pixels. */
  readonly width: number;
  readonly height: number;
  readonly points: readonly Point[];
}

/**
 * InsightFace's 112x112 ArcFace template (`arcface_dst` in insightface/utils/face_align.py, used
 * by `norm_crop` for every ArcFace model and the MS1MV2/Glint360K training crops).
 */
export const ARCFACE_TEMPLATE: AlignmentTemplate = {
  name: 'arcface',
  width: 112,
  height: 112,
  points: [
    [38.2946, 51.6963],
    [73.5318, 51.5014],
    [56.0252, 71.7366],
    [41.5493, 92.3655],
    [70.7299, 92.2041],
  ],
};

// dlib's 68-point mean face, normalised to the face box (points 36-47, 30, 48, 54 of the table in
// dlib's get_face_chip_details, dlib/image_transforms/interpolation.h).
const DLIB_EYE_LEFT: readonly Point[] = [
  [0.121737, 0.216423],
  [0.187122, 0.178758],
  [0.265825, 0.179852],
  [0.334606, 0.231733],
  [0.260918, 0.245099],
  [0.182743, 0.244077],
];
const DLIB_EYE_RIGHT: readonly Point[] = [
  [0.645647, 0.231733],
  [0.714428, 0.179852],
  [0.793132, 0.178758],
  [0.858516, 0.216423],
  [0.79751, 0.244077],
  [0.719335, 0.245099],
];
const DLIB_NOSE_TIP: Point = [0.490127, 0.515625];
const DLIB_MOUTH_LEFT: Point = [0.254149, 0.780233];
const DLIB_MOUTH_RIGHT: Point = [0.726104, 0.780233];

const mean = (ps: readonly Point[]): Point => [
  ps.reduce((s, p) => s + p[0], 0) / ps.length,
  ps.reduce((s, p) => s + p[1], 0) / ps.length,
];

/**
 * dlib's face chip (`get_face_chip_details(shape, size, padding)`, which places mean-face point p
 * at `(padding + p) / (2 padding + 1) * size`) for our five points: eye centres (means of the
 * six points of each eye), nose tip (30) and mouth corners (48, 54). The dlib ResNet was trained
 * on 150 px chips with padding 0.25 (dlib's dnn_face_recognition_ex.cpp); dlib fits 33 points
 * rather than five, so crops agree closely, not exactly.
 */
export function dlibTemplate(size = 150, padding = 0.25): AlignmentTemplate {
  const place = ([x, y]: Point): Point => [
    ((padding + x) / (2 * padding + 1)) * size,
    ((padding + y) / (2 * padding + 1)) * size,
  ];
  return {
    name: size === 150 && padding === 0.25 ? 'dlib' : `dlib(${size}, ${padding})`,
    width: size,
    height: size,
    points: [
      mean(DLIB_EYE_LEFT),
      mean(DLIB_EYE_RIGHT),
      DLIB_NOSE_TIP,
      DLIB_MOUTH_LEFT,
      DLIB_MOUTH_RIGHT,
    ].map(place),
  };
}

/** dlib's 150x150 chip with padding 0.25, what the dlib ResNet takes. */
export const DLIB_TEMPLATE: AlignmentTemplate = dlibTemplate();

export const TEMPLATE_NAMES = ['arcface', 'dlib'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** A template by name, or a custom one checked (five finite points, a positive integer size). */
export function alignmentTemplate(template: TemplateName | AlignmentTemplate): AlignmentTemplate {
  const fn = 'alignmentTemplate';
  if (typeof template === 'string') {
    checkOneOf(fn, 'template', template, TEMPLATE_NAMES);
    return template === 'arcface' ? ARCFACE_TEMPLATE : DLIB_TEMPLATE;
  }
  if (template === null || typeof template !== 'object')
    throw new InvalidArgumentError(
      fn,
      'template',
      template,
      `one of ${TEMPLATE_NAMES.join(', ')} or { width, height, points }`,
    );
  for (const key of ['width', 'height'] as const) {
    const v = template[key];
    if (!Number.isInteger(v) || v < 1 || v > 4096)
      throw new InvalidArgumentError(fn, `template.${key}`, v, 'an integer in [1, 4096]');
  }
  checkPoints(fn, 'template.points', template.points, 2);
  return { ...template, name: template.name ?? 'custom' };
}
