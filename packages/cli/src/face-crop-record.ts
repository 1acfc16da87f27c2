// What `face train` keeps of `--crop` / `--align` in the model it saves, and what eval and embed
// say when their flags do not repeat it.
import type { DetectorName, FacePolicy, TemplateName } from '@face/align';
import { TEMPLATE_NAMES } from '@face/align';
import { stringFlag, type Values } from './args';
import { cropSize, defaultTemplate, detectorSettings } from './face-crop';

/**
 * What `face train` records of `--crop` / `--align` in the saved model's face-model.json
 * (`meta.faceCrop`). The crop is also in the model's preprocessing, so eval and embed repeat it;
 * the detector is not (it needs face-api's weights): they warn when it is not asked for again.
 */
export type FaceCropRecord =
  | { crop: number }
  | {
      align: {
        detector: DetectorName;
        minConfidence: number;
        policy: FacePolicy;
        template: TemplateName;
      };
    };

/** The record of this command's `--crop` / `--align` (checked by `applyFaceCrop`), or null. */
export function faceCropRecord(
  command: string,
  v: Values,
  modelSize: number,
): FaceCropRecord | null {
  const crop = stringFlag(command, v, 'crop');
  if (crop) return { crop: cropSize(command, crop) };
  if (v.align !== true) return null;
  const { template, ...s } = detectorSettings(command, v);
  return { align: { ...s, template: template ?? defaultTemplate(modelSize) } };
}

/** `meta.faceCrop` of a model file, or null (absent, or not a record: used for notices only). */
export function readFaceCropRecord(json: unknown): FaceCropRecord | null {
  const r = json as { crop?: unknown; align?: Record<string, unknown> } | null;
  if (!r || typeof r !== 'object') return null;
  if (Number.isSafeInteger(r.crop)) return { crop: r.crop as number };
  const a = r.align;
  if (a && typeof a === 'object' && TEMPLATE_NAMES.includes(a.template as TemplateName))
    return {
      align: {
        detector: String(a.detector) as DetectorName,
        minConfidence: Number(a.minConfidence),
        policy: String(a.policy) as FacePolicy,
        template: a.template as TemplateName,
      },
    };
  return null;
}

/**
 * What eval and embed say about the model's recorded `--crop` / `--align` beside this command's
 * flags: a line (the model's own crop), a warning (a detector not asked for again, another crop or
 * template), or null when the flags repeat training's.
 */
export function faceCropNotice(
  command: string,
  v: Values,
  recorded: FaceCropRecord | null,
  modelSize: number,
): { line: string; warning: boolean } | null {
  if (!recorded) return null;
  const now = faceCropRecord(command, v, modelSize);
  if ('crop' in recorded) {
    const px = recorded.crop;
    if (now && 'crop' in now && now.crop === px) return null;
    const own = `the model crops the central ${px} x ${px} pixels of each picture itself (face train --crop center:${px})`;
    if (!now) return { line: `crop: ${own}`, warning: false };
    const flag = 'crop' in now ? `--crop center:${now.crop}` : '--align';
    return { line: `${own}, after ${flag}; its training pictures had no ${flag}`, warning: true };
  }
  const a = recorded.align;
  const trained = `the model trained on faces face train --align detected and aligned (${a.detector} detector, ${a.template} template)`;
  if (!now)
    return {
      line: `${trained}; pass --align (pictures face align wrote need none)`,
      warning: true,
    };
  if ('crop' in now) return { line: `${trained}, not centre crops (--crop)`, warning: true };
  if (now.align.template !== a.template)
    return { line: `${trained}; --template ${now.align.template} differs`, warning: true };
  return null;
}
