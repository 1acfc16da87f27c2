import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, InvalidArgumentError, checkOptions } from '@face/core';

/** One weighted term of a {@link jointLoss}: `loss` maps the shared input to a scalar. */
export interface LossTerm<I> {
  loss: (input: I) => tf.Scalar;
  weight: number;
  /** Key of the term in `evaluate()`'s breakdown. Default `term<index>`. */
  name?: string;
}

/** A weighted sum of losses: call it for the total, or `evaluate` for the total and each term. */
export interface JointLoss<I> {
  (input: I): tf.Scalar;
  readonly terms: readonly { name: string; weight: number }[];
  /** Total and the unweighted value of every term (all tensors are the caller's to dispose). */
  evaluate(input: I): { total: tf.Scalar; terms: Record<string, tf.Scalar> };
}

/**
 * L = sum_k w_k L_k(input): the seed's joint objective `w1 * CE + w2 * Triplet`, e.g.
 * `jointLoss([{ name: 'ce', weight: 0.7, loss: (b) => crossEntropy(b.logits, b.labels) },
 *             { name: 'triplet', weight: 0.3, loss: (b) => tripletLoss(b.embeddings, b.labels) }])`.
 * Every term sees the same input, so both can come from one forward pass.
 */
export function jointLoss<I>(terms: readonly LossTerm<I>[]): JointLoss<I> {
  const fn = 'jointLoss';
  if (!Array.isArray(terms) || terms.length === 0) {
    throw new InvalidArgumentError(fn, 'terms', terms, 'a non-empty array of { loss, weight }');
  }
  const names = new Set<string>();
  const checked = terms.map((term, i) => {
    const t = checkOptions(`${fn}`, term, ['loss', 'weight', 'name']);
    if (typeof t.loss !== 'function') {
      throw new InvalidArgumentError(
        fn,
        `terms[${i}].loss`,
        t.loss,
        'a function returning a scalar',
      );
    }
    const weight = checkNumber(fn, `terms[${i}].weight`, t.weight, { min: 0 });
    const name = t.name ?? `term${i}`;
    if (typeof name !== 'string' || names.has(name)) {
      throw new InvalidArgumentError(
        fn,
        `terms[${i}].name`,
        name,
        'a string unique among the terms',
      );
    }
    names.add(name);
    return { loss: t.loss, weight, name };
  });

  const weightedSum = (input: I, keep?: Record<string, tf.Scalar>): tf.Scalar =>
    tf.tidy(() => {
      const weighted = checked.map(({ loss, weight, name }, i) => {
        const value = loss(input);
        if (!(value instanceof tf.Tensor) || value.rank !== 0) {
          throw new InvalidArgumentError(fn, `terms[${i}].loss(input)`, value, 'a scalar tensor');
        }
        if (keep) keep[name] = tf.keep(value);
        return tf.mul(value, weight);
      });
      return tf.addN(weighted) as tf.Scalar;
    });

  const joint = ((input: I): tf.Scalar => weightedSum(input)) as JointLoss<I>;
  Object.defineProperty(joint, 'terms', {
    value: checked.map(({ name, weight }) => ({ name, weight })),
  });
  Object.defineProperty(joint, 'evaluate', {
    value: (input: I) => {
      const terms: Record<string, tf.Scalar> = {};
      return { total: weightedSum(input, terms), terms };
    },
  });
  return joint;
}
