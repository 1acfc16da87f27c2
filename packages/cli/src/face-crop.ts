// `--crop center:<px>` and `--align` for train, eval and embed: what each picture goes through
// before the model's own resizing, as a wrapper around the opened dataset.
import {
  DATASET_POLICIES,
  DETECTORS,
  TEMPLATE_NAMES,
  alignedDataset,
  type DetectorName,
  type FaceDetector,
  type FacePolicy,
  type TemplateName,
} from '@face/align';
import { Rng } from '@face/core';
import { centerCrop, withLoad, type DecodedImage, type Transform } from '@face/data';
import { numberFlag, stringFlag, UsageError, type Flag, type Values } from './args';
import { recordingUnreadable, type OpenedDataset } from './datasets';
import { loadFaceDetector } from './face-api';

/** Flags of the face detector (`face align`, and `--align` elsewhere). */
export const DETECTOR_FLAGS: Record<string, Flag> = {
  detector: {
    type: 'string',
    description: "face-api's detector: ssd (SSD MobileNet v1) or tiny (Tiny Face Detector, faster)",
    default: 'ssd',
    value: 'name',
    choices: DETECTORS,
  },
  'min-confidence': {
    type: 'string',
    description: 'detections scoring less are dropped',
    default: '0.5',
    value: 'x',
  },
  faces: {
    type: 'string',
    description:
      'which face of a picture with several: the largest, the most central, or skip the picture',
    default: 'largest',
    value: 'policy',
    choices: DATASET_POLICIES,
  },
  template: {
    type: 'string',
    description: 'alignment template: arcface (112x112) or dlib (150x150 chip, for dlib-resnet)',
    value: 'name',
    choices: TEMPLATE_NAMES,
  },
};

export const FACE_CROP_FLAGS: Record<string, Flag> = {
  crop: {
    type: 'string',
    description:
      "keep the central <px> x <px> square of each picture (LFW: center:120; smaller ones padded with black, as torchvision's CenterCrop); a model face train saves crops so itself",
    value: 'center:<px>',
  },
  align: {
    type: 'boolean',
    description:
      'detect each face (face-api, --detector) and align it (--template; default dlib for 150 px models, else arcface); pictures without a face are skipped like undecodable ones',
  },
  ...DETECTOR_FLAGS,
};

export interface DetectorSettings {
  detector: DetectorName;
  minConfidence: number;
  policy: FacePolicy;
  template: TemplateName | undefined;
}

export function detectorSettings(command: string, v: Values): DetectorSettings {
  return {
    detector: stringFlag(command, v, 'detector') as DetectorName,
    minConfidence: numberFlag(command, v, 'min-confidence', { min: 0, max: 1 })!,
    policy: stringFlag(command, v, 'faces') as FacePolicy,
    template: stringFlag(command, v, 'template') as TemplateName | undefined,
  };
}

const NO_RNG = new Rng(0);
/** dlib's chip for 150 px models (dlib-resnet), else ArcFace's. */
export const defaultTemplate = (modelSize: number): TemplateName =>
  modelSize === 150 ? 'dlib' : 'arcface';

/**
 * The central `size` x `size` pixels, by @face/data's `centerCrop` (the step a model trained with
 * `--crop` records, so eval repeats exactly this): padded with black where the picture is smaller.
 */
function centerCropImage({ data, height, width }: DecodedImage, crop: Transform): DecodedImage {
  // A deterministic step: the generator is never drawn from.
  const out = crop.applyToPixels!({ data: Float32Array.from(data), height, width }, NO_RNG);
  // Copies of 0..255 integers (or the 0 padding): exact back in bytes.
  return { data: Uint8Array.from(out.data), height: out.height, width: out.width };
}

export function cropSize(command: string, spec: string): number {
  const m = /^center:(\d+)$/.exec(spec);
  const px = m ? Number(m[1]) : NaN;
  if (!(px >= 1 && px <= 4096))
    throw new UsageError(
      `face ${command}: flag --crop must be center:<px> with px in [1, 4096], got '${spec}'`,
    );
  return px;
}

// The detector each opened dataset aligns with: its weights are tensors the command must free.
const detectors = new WeakMap<OpenedDataset, FaceDetector>();

/**
 * Frees what `applyFaceCrop` loaded for `opened` (the detector's weights under `--align`); a
 * no-op otherwise and when called again. Commands call it when they are done with the data.
 */
export function releaseFaceCrop(opened: OpenedDataset): void {
  const detector = detectors.get(opened);
  if (!detector) return;
  detectors.delete(opened);
  detector.dispose();
}

/**
 * Applies `--crop` / `--align` to `opened.dataset` (in place) and says what it did; a no-op
 * without them. `modelSize` picks the default template (dlib's chip for 150 px models).
 * Returns the detector, if one was loaded; `releaseFaceCrop(opened)` disposes it.
 */
export async function applyFaceCrop(
  command: string,
  v: Values,
  opened: OpenedDataset,
  modelSize: number,
  log: (line: string) => void,
): Promise<FaceDetector | null> {
  const crop = stringFlag(command, v, 'crop');
  const align = v.align === true;
  if (!crop && !align) return null;
  if (crop && align)
    throw new UsageError(`face ${command}: flags --crop and --align exclude each other; pass one`);
  if (opened.sized)
    throw new UsageError(
      `face ${command}: flag --${crop ? 'crop' : 'align'} applies to pictures in files, not to --data synthetic`,
    );
  const inner = opened.dataset;
  if (crop) {
    const px = cropSize(command, crop);
    const step = centerCrop(px);
    opened.dataset = withLoad(inner, async (i) => centerCropImage(await inner.load(i), step));
    log(`crop: the central ${px} x ${px} pixels of each picture`);
    return null;
  }
  const s = detectorSettings(command, v);
  const template = s.template ?? defaultTemplate(modelSize);
  const detector = await loadFaceDetector(command, {
    detector: s.detector,
    minConfidence: s.minConfidence,
    // face-api's model/ folder holds the detector's weights beside dlib's.
    weights: stringFlag(command, v, 'weights'),
  });
  detectors.set(opened, detector);
  // Pictures without a face (or undecodable) are recorded as unreadable ones are.
  opened.dataset = recordingUnreadable(
    alignedDataset(inner, { detector, template, policy: s.policy }),
    opened.unreadable,
  );
  log(
    `align: face-api ${s.detector} detector (confidence >= ${s.minConfidence}), ${s.policy} face, ${template} template`,
  );
  return detector;
}
