import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import {
  applyTransform,
  compose,
  normalize,
  registerTransformKind,
  transformFromSpec,
  transformKinds,
  type Transform,
} from '../src';

/** A registered kind of the test's own: pixels times `factor`. */
function scale(factor: number): Transform {
  return {
    name: `scale(${factor})`,
    spec: { kind: 'test.scale', factor },
    apply: (images) => tf.mul(images, factor),
  };
}
registerTransformKind('test.scale', (spec, at) => {
  if (!Number.isFinite(spec.factor))
    throw new InvalidArgumentError('transformFromSpec', `${at}.factor`, spec.factor, 'a number');
  return scale(spec.factor as number);
});

describe('registered transform kinds', () => {
  it('round-trip through JSON inside a compose, with the same numbers', () => {
    const saved = compose([scale(0.5), normalize()]);
    const json = JSON.parse(JSON.stringify(saved.spec));
    expect(json.transforms[0]).toEqual({ kind: 'test.scale', factor: 0.5 });
    const rebuilt = transformFromSpec(json);
    expect(rebuilt.spec).toEqual(saved.spec);
    const images = tf.randomUniform([2, 4, 4, 3], 0, 255, 'float32', 1) as tf.Tensor4D;
    const a = applyTransform(saved, images);
    const b = applyTransform(rebuilt, images);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBe(0);
    // Not the identity: the step did something.
    const plain = applyTransform(normalize(), images);
    expect(tf.max(tf.abs(tf.sub(a, plain))).dataSync()[0]).toBeGreaterThan(0.1);
    tf.dispose([images, a, b, plain]);
  });

  it("hand the entry's path to the builder, whose errors name it", () => {
    expect(() =>
      transformFromSpec({ kind: 'compose', transforms: [{ kind: 'test.scale', factor: 'x' }] }),
    ).toThrow(/spec\.transforms\[0\]\.factor/);
  });

  it('are listed in the refusal of an unknown kind, which says to import a package', () => {
    expect(transformKinds.names).toContain('test.scale');
    expect(() => transformFromSpec({ kind: 'nope' })).toThrow(/'test\.scale'/);
    expect(() => transformFromSpec({ kind: 'other.warp' })).toThrow(
      /import the package that registers 'other\.warp' first/,
    );
  });

  it('refuses kinds without a package prefix, built-in names and a second registration', () => {
    const build = () => normalize();
    expect(() => registerTransformKind('scale' as 'a.b', build)).toThrow(InvalidArgumentError);
    expect(() => registerTransformKind('resize' as 'a.b', build)).toThrow(/prefixed/);
    expect(() => registerTransformKind('test.scale', build)).toThrow(/not registered yet/);
    expect(() => registerTransformKind('test.bad', 3 as never)).toThrow(/build/);
  });
});
