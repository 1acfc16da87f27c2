import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { HEAD_KINDS, classifierHead, classifierHeadFromJson } from '@face/recipes';

const options = { embeddingDim: 8, numClasses: 5, seed: 3 };

describe('classifier heads leave no tensor behind', () => {
  it.each(HEAD_KINDS)('%s: built then disposed', (kind) => {
    const before = tf.memory();
    classifierHead(kind, options).dispose();
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  });

  it.each(HEAD_KINDS)('%s: loaded from JSON then disposed, same weights as built', (kind) => {
    const built = classifierHead(kind, options);
    const json = built.toJson();
    const before = tf.memory().numTensors;
    const loaded = classifierHeadFromJson(json);
    // the seed rebuilds the same initial weights, so the fix keeps runs reproducible
    loaded.variables.forEach(({ variable }, i) =>
      expect(variable.dataSync()).toEqual(built.variables[i].variable.dataSync()),
    );
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    built.dispose();
  });
});
