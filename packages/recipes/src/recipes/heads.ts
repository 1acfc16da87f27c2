import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, Rng, checkInteger, checkNumber, type Stateful } from '@face/core';
import {
  MARGIN_HEAD_KEYS,
  MarginHead,
  crossEntropy,
  getMarginHead,
  marginHeadFromConfig,
  serializeMarginHead,
  watchMarginHeads,
  type MarginHeadName,
  type SerializedMarginHead,
} from '@face/losses';
import type { JsonValue, NamedVariable } from '@face/train';

/**
 * The classifier on top of the embedding: class scores for training (with a margin, for margin
 * heads) and for inference (plain scores: argmax is the predicted identity). Variables carry
 * stable names (`head/...`), whatever the process, so checkpoints match across runs.
 */
export interface ClassifierHead extends Stateful {
  /** `'linear'`, or a margin head's serialized class name (`'ArcFace'`, `'NormalizedSoftmax'`, ...). */
  readonly kind: string;
  readonly embeddingDim: number;
  readonly numClasses: number;
  readonly variables: readonly NamedVariable[];
  /** Cross-entropy (label smoothing as PyTorch) of the training logits. */
  loss(
    embeddings: tf.Tensor2D,
    labels: Int32Array,
    options?: { labelSmoothing?: number },
  ): tf.Scalar;
  /** Training logits (margin on the target class for margin heads); what online label smoothing sees. */
  trainingLogits(embeddings: tf.Tensor2D, labels: Int32Array): tf.Tensor2D;
  /** Inference scores [n, numClasses]: `xW + b`, or the scaled cosines without margin. */
  logits(embeddings: tf.Tensor2D): tf.Tensor2D;
  /** JSON that rebuilds the head (with {@link classifierHeadFromJson}); weights travel apart. */
  toJson(): JsonValue;
  // getState/setState (Stateful): JSON state that changes while training (SphereFace's
  // iteration), for checkpoints and the saved model.
  dispose(): void;
}

/** A head's name: `'linear'` or a registered margin head's (`'arcface'`, `'cosine'`, ...). */
export type HeadKind = 'linear' | MarginHeadName;

const kinds: HeadKind[] = ['linear'];
watchMarginHeads((name) => kinds.push(name));

/**
 * Names of the heads the recipes build from a string (CLI `--head`): `'linear'`, then every margin
 * head of @face/losses's registry. A live array: a head registered later (`registerMarginHead`)
 * appears in it.
 */
export const HEAD_KINDS: readonly HeadKind[] = kinds;

/** Options of {@link classifierHead}: sizes, plus the margin head's own settings. */
export interface ClassifierHeadOptions {
  embeddingDim: number;
  numClasses: number;
  /** Seed of the initial weights. Default 0. */
  seed?: number;
  /** Scale s of cosine and margin heads (each head's own default otherwise: 64). */
  scale?: number;
  /** Margin m of ArcFace / CosFace / SphereFace. */
  margin?: number;
}

/**
 * A linear classifier `logits = x W + b` (W [d, C] initialised as PyTorch's `nn.Linear`:
 * U(-1/sqrt(d), 1/sqrt(d)) for W and b).
 */
export class LinearClassifier implements ClassifierHead {
  readonly kind = 'linear';
  readonly kernel: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R1>;
  readonly seed: number;

  constructor(
    readonly embeddingDim: number,
    readonly numClasses: number,
    seed = 0,
  ) {
    const fn = 'LinearClassifier';
    checkInteger(fn, 'embeddingDim', embeddingDim, { min: 1 });
    checkInteger(fn, 'numClasses', numClasses, { min: 2 });
    this.seed = checkInteger(fn, 'seed', seed);
    const rng = new Rng(seed);
    const bound = 1 / Math.sqrt(embeddingDim);
    const draw = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-bound, bound));
    // In a tidy: a variable holds its initial tensor's data, and that tensor would otherwise
    // stay counted (and allocated) after dispose() -- two head-sized tensors per head built.
    [this.kernel, this.bias] = tf.tidy(() => [
      tf.variable(tf.tensor2d(draw(embeddingDim * numClasses), [embeddingDim, numClasses])),
      tf.variable(tf.tensor1d(draw(numClasses))),
    ]);
  }

  get variables(): NamedVariable[] {
    return [
      { name: 'head/kernel', variable: this.kernel },
      { name: 'head/bias', variable: this.bias },
    ];
  }

  logits(embeddings: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.add(tf.matMul(embeddings, this.kernel), this.bias));
  }

  trainingLogits(embeddings: tf.Tensor2D): tf.Tensor2D {
    return this.logits(embeddings);
  }

  loss(
    embeddings: tf.Tensor2D,
    labels: Int32Array,
    options: { labelSmoothing?: number } = {},
  ): tf.Scalar {
    return tf.tidy(() =>
      crossEntropy(this.logits(embeddings), labels, {
        labelSmoothing: options.labelSmoothing ?? 0,
      }),
    ) as tf.Scalar;
  }

  toJson(): JsonValue {
    return {
      kind: 'linear',
      embeddingDim: this.embeddingDim,
      numClasses: this.numClasses,
      seed: this.seed,
    };
  }

  getState(): JsonValue {
    return {};
  }

  setState(): void {}

  dispose(): void {
    tf.dispose([this.kernel, this.bias]);
  }
}

/** A margin head of @face/losses (ArcFace, CosFace, ...) as a {@link ClassifierHead}. */
export class MarginClassifier implements ClassifierHead {
  constructor(readonly head: MarginHead) {
    if (!(head instanceof MarginHead))
      throw new InvalidArgumentError(
        'MarginClassifier',
        'head',
        head,
        'a MarginHead of @face/losses',
      );
  }

  get kind(): string {
    return this.head.className;
  }
  get embeddingDim(): number {
    return this.head.embeddingDim;
  }
  get numClasses(): number {
    return this.head.numClasses;
  }
  get variables(): NamedVariable[] {
    return [{ name: 'head/weight', variable: this.head.weight }];
  }

  loss(
    embeddings: tf.Tensor2D,
    labels: Int32Array,
    options: { labelSmoothing?: number } = {},
  ): tf.Scalar {
    return this.head.loss(embeddings, labels, { labelSmoothing: options.labelSmoothing ?? 0 });
  }

  trainingLogits(embeddings: tf.Tensor2D, labels: Int32Array): tf.Tensor2D {
    return this.head.logits(embeddings, labels);
  }

  logits(embeddings: tf.Tensor2D): tf.Tensor2D {
    return this.head.logits(embeddings);
  }

  toJson(): JsonValue {
    const { className, config } = serializeMarginHead(this.head);
    // The variable-name prefix is unique per process, not part of what the head is.
    const { name: _name, ...rest } = config as unknown as Record<string, JsonValue>;
    return { kind: 'margin', className, config: rest };
  }

  getState(): JsonValue {
    return this.head.getState();
  }

  setState(state: JsonValue): void {
    this.head.setState(state);
  }

  dispose(): void {
    this.head.dispose();
  }
}

/**
 * A head by name: `'linear'`, or a margin head of @face/losses's registry (`'cosine'`: NormFace's
 * normalized softmax, `s cos(theta)`; `'arcface'`, `'cosface'`, `'sphereface'`, `'combined'`, and
 * any head registered with `registerMarginHead`). `scale` and `margin` go to the heads whose
 * options include them (the registered class's `configKeys`); given to another head they throw.
 */
export function classifierHead(kind: HeadKind, options: ClassifierHeadOptions): ClassifierHead {
  const fn = 'classifierHead';
  if (!HEAD_KINDS.includes(kind))
    throw new InvalidArgumentError(
      fn,
      'kind',
      kind,
      `one of ${HEAD_KINDS.map((k) => `'${k}'`).join(', ')}`,
    );
  const {
    embeddingDim,
    numClasses,
    seed = 0,
    scale,
    margin,
  } = options ?? ({} as ClassifierHeadOptions);
  if (scale !== undefined) checkNumber(fn, 'options.scale', scale, { min: 0, exclusiveMin: true });
  if (margin !== undefined) checkNumber(fn, 'options.margin', margin, { min: 0 });
  const entry = kind === 'linear' ? null : getMarginHead(kind);
  // Linear logits are unscaled and have no margin; a margin head says what it takes.
  const takes = entry?.configKeys ?? [];
  for (const [option, value] of [
    ['scale', scale],
    ['margin', margin],
  ] as const) {
    if (value !== undefined && !takes.includes(option)) {
      const own = takes.filter((k) => !(MARGIN_HEAD_KEYS as readonly string[]).includes(k));
      throw new InvalidArgumentError(
        fn,
        `options.${option}`,
        value,
        `undefined: '${kind}' has no ${option} (its options: ${own.join(', ') || 'none'})`,
      );
    }
  }
  if (!entry) return new LinearClassifier(embeddingDim, numClasses, seed);
  return new MarginClassifier(
    entry.create({
      embeddingDim,
      numClasses,
      seed,
      ...(scale !== undefined ? { scale } : {}),
      ...(margin !== undefined ? { margin } : {}),
    }),
  );
}

/** Rebuilds a head from {@link ClassifierHead.toJson} (fresh weights: assign them after). */
export function classifierHeadFromJson(json: JsonValue): ClassifierHead {
  const fn = 'classifierHeadFromJson';
  const j = json as Record<string, unknown> | null;
  if (!j || typeof j !== 'object')
    throw new InvalidArgumentError(fn, 'json', json, "{ kind: 'linear' | 'margin', ... }");
  if (j.kind === 'linear')
    return new LinearClassifier(j.embeddingDim as number, j.numClasses as number, j.seed as number);
  if (j.kind === 'margin')
    return new MarginClassifier(
      marginHeadFromConfig({ className: j.className, config: j.config } as SerializedMarginHead),
    );
  throw new InvalidArgumentError(fn, 'json.kind', j.kind, "'linear' or 'margin'");
}
