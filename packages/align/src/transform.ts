import { InvalidArgumentError } from '@face/core';
import { registerTransformKind, transformKinds, type Transform } from '@face/data';
import { checkPoints, type Point } from './similarity';
import {
  TEMPLATE_NAMES,
  alignmentTemplate,
  type AlignmentTemplate,
  type TemplateName,
} from './templates';
import { alignmentMatrix, warpAffine, warpAffinePixels } from './warp';

export interface AlignTransformOptions {
  /** Where the landmarks are in every input image (e.g. their mean over an LFW-style set). */
  landmarks: readonly Point[];
  /** Default 'arcface' (112x112). */
  template?: TemplateName | AlignmentTemplate;
}

/** The kind of `alignTransform`'s saved spec, which `transformFromSpec` rebuilds. */
export const ALIGN_TRANSFORM_KIND = 'align.similarity';

/**
 * A @face/data transform that warps every image by the same similarity: the one taking
 * `landmarks` onto the template. For data whose faces sit at known places (LFW's funneled images,
 * a fixed camera), it is the aligned counterpart of `centerCrop`; for per-image landmarks use
 * `alignFaces` or a detector (`alignedDataset`). Both the tensor and the pixel path. Its `spec`
 * (`{ kind: 'align.similarity', landmarks, template }`) is saved with a model and rebuilt by
 * @face/data's `transformFromSpec` once this package is imported.
 */
export function alignTransform(options: AlignTransformOptions): Transform {
  const template = options.template ?? 'arcface';
  const t = alignmentTemplate(template);
  const landmarks = checkPoints('alignTransform', 'options.landmarks', options.landmarks);
  const m = alignmentMatrix(landmarks, t);
  const size: [number, number] = [t.height, t.width];
  const copy = (ps: readonly Point[]) => ps.map(([x, y]) => [x, y] as Point);
  return {
    name: `align(${t.name})`,
    spec: {
      kind: ALIGN_TRANSFORM_KIND,
      landmarks: copy(landmarks),
      template:
        typeof template === 'string'
          ? template
          : { name: t.name, width: t.width, height: t.height, points: copy(t.points) },
    },
    apply: (images) => warpAffine(images, Array<typeof m>(images.shape[0]).fill(m), size),
    applyToPixels: (image) => warpAffinePixels(image, m, size),
  };
}

/** `alignTransform` from a saved spec; errors name the spec's entry (`spec.transforms[0].template.width`). */
function alignTransformFromSpec(spec: Readonly<Record<string, unknown>>, at: string): Transform {
  const fn = 'transformFromSpec';
  const template = spec.template as TemplateName | AlignmentTemplate;
  if (typeof template !== 'string' && (template === null || typeof template !== 'object'))
    throw new InvalidArgumentError(
      fn,
      `${at}.template`,
      template,
      `one of ${TEMPLATE_NAMES.join(', ')} or { width, height, points }`,
    );
  try {
    return alignTransform({ landmarks: spec.landmarks as Point[], template });
  } catch (err) {
    if (!(err instanceof InvalidArgumentError)) throw err;
    // alignTransform names options.landmarks / alignmentTemplate names template.width.
    const entry = err.argument.replace(/^options\./, '');
    throw new InvalidArgumentError(fn, `${at}.${entry}`, err.value, err.expected);
  }
}

/**
 * Registers `'align.similarity'` with @face/data's `transformFromSpec` (done when this package
 * loads; call it yourself where a bundler may have dropped the module's top level). Idempotent.
 */
export function registerAlignTransforms(): void {
  if (!transformKinds.has(ALIGN_TRANSFORM_KIND))
    registerTransformKind(ALIGN_TRANSFORM_KIND, alignTransformFromSpec);
}
registerAlignTransforms();
