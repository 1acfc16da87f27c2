// The `face` command's view of the library's backbone registry (@face/layers): flag names,
// the CLI's defaults, and its usage errors. What a backbone is lives in the library.
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@face/core';
import {
  backboneNames,
  buildBackbone as buildRegistered,
  describeSizeRule,
  getBackbone,
  type BackboneEntry,
  type BackboneName,
  type BackbonePreprocessing,
  type SizeRule,
} from '@face/layers';
// Registers 'dlib-resnet'.
import '@face/pretrained';
import { normalize, type Transform } from '@face/data';
import { UsageError } from './args';
import { findFaceApiModels } from './face-api';

export { convnetTiny } from '@face/layers';
export type { BackboneName };

/** The registered backbones (the `--backbone` choices), built-ins first. */
export const BACKBONES = backboneNames() as readonly BackboneName[];

export interface BackboneOptions {
  /** Input side; default per backbone (64 for the tiny ones, 112, 150 for dlib). */
  imageSize?: number;
  embeddingSize?: number;
  seed?: number;
  /** dlib-resnet: first trainable block (the earlier ones are frozen). */
  trainableFrom?: string;
  /** dlib-resnet: face-api's model folder (default: found from the working directory). */
  weights?: string;
}

export interface BuiltBackbone {
  model: tfl.LayersModel;
  name: BackboneName;
  imageSize: number;
  /** What images go through before the model (after resizing to `imageSize`). */
  normalization: Transform;
  pretrained: boolean;
}

/** The registry's preprocessing JSON as a @face/data transform. */
function normalizationOf({ normalization }: BackbonePreprocessing): Transform {
  return normalize({ mean: [...normalization.mean], std: [...normalization.std] });
}

const sizeText = (rule: SizeRule, name: string) =>
  'fixed' in rule
    ? `${rule.fixed} with --backbone ${name}`
    : `${rule.multipleOf > 1 ? `a multiple of ${rule.multipleOf}` : describeSizeRule(rule)} for --backbone ${name}`;

/** Builds (or, for a pretrained one, loads) a registered backbone by name. */
export async function buildBackbone(
  name: BackboneName,
  o: BackboneOptions = {},
): Promise<BuiltBackbone> {
  const entry = getBackbone(name);
  const takes = (option: string) => option in entry.options;
  if (o.trainableFrom !== undefined && !takes('trainableFrom')) {
    const which = BACKBONES.filter((n) => 'trainableFrom' in getBackbone(n).options);
    throw new UsageError(
      `face: flag --trainable-from only applies to --backbone ${which.join(', --backbone ')}`,
    );
  }
  const options: Record<string, unknown> = { seed: o.seed ?? 0 };
  if (o.imageSize !== undefined) options.inputSize = o.imageSize;
  if (o.embeddingSize !== undefined) options.embeddingSize = o.embeddingSize;
  if (o.trainableFrom !== undefined) options.trainableFrom = o.trainableFrom;
  // --weights is ignored by backbones built from scratch. Without it, face-api's weights are
  // looked for from the working directory, then from the CLI's own folder.
  if (o.weights !== undefined && takes('weights')) options.weights = o.weights;
  else if (takes('weights')) {
    const found = await findFaceApiModels();
    if (found) options.weights = found;
  }
  let built;
  try {
    built = await buildRegistered(name as string, options);
  } catch (err) {
    throw usageErrorOf(err, name, entry, o) ?? err;
  }
  return {
    model: built.model,
    name,
    imageSize: built.inputSize,
    normalization: normalizationOf(built.preprocessing),
    pretrained: built.pretrained,
  };
}

/** The registry's refusals of a flag's value, in the CLI's words; other errors stay as they are. */
function usageErrorOf(
  err: unknown,
  name: string,
  entry: BackboneEntry,
  o: BackboneOptions,
): UsageError | null {
  if (!(err instanceof InvalidArgumentError) || err.fn !== `buildBackbone('${name}')`) return null;
  switch (err.argument) {
    case 'options.inputSize':
      return new UsageError(
        `face: flag --image-size must be ${sizeText(entry.inputSizeRule, name)}, got '${o.imageSize}'`,
      );
    case 'options.embeddingSize':
      return new UsageError(
        `face: flag --embedding-size must be ${sizeText(entry.embeddingSizeRule, name)}, got '${o.embeddingSize}'`,
      );
    case 'options.weights':
      return o.weights === undefined
        ? new UsageError(
            `face: --backbone ${name} needs face-api's weights: npm install @vladmandic/face-api, or pass --weights <its model/ folder>`,
          )
        : null;
    default:
      return null;
  }
}
