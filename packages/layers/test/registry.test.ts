import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, ShapeError } from '@face/core';
import {
  backboneNames,
  buildBackbone,
  convnetTiny,
  getBackbone,
  iresnet,
  iresnetTiny,
  IRESNET_STAGES,
  mobileFaceNet,
  registerBackbone,
  type BackboneBuildArgs,
  type BackboneOptions,
} from '@face/layers';

// A custom backbone's options, typed for buildBackbone by declaration merging.
declare module '@face/layers' {
  interface BackboneOptionsByName {
    'test-dense': BackboneOptions & { hidden?: number };
  }
}

/** A flatten-dense network: the model a user brings. */
const dense = ({
  inputSize,
  embeddingSize,
  seed,
  hidden = 4,
}: BackboneBuildArgs<{ hidden?: number }>) => {
  const input = tfl.input({ shape: [inputSize, inputSize, 3] });
  const flat = tfl.layers.flatten().apply(input);
  const mid = tfl.layers
    .dense({ units: hidden, kernelInitializer: tfl.initializers.glorotUniform({ seed }) })
    .apply(flat);
  const out = tfl.layers.dense({ units: embeddingSize }).apply(mid) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
};

// The one line a user writes to add a backbone.
registerBackbone('test-dense', {
  inputSize: 8,
  embeddingSize: 4,
  options: { hidden: 'units of the hidden layer' },
  build: dense,
});

const BUILT_INS = [
  'iresnet-tiny',
  'iresnet18',
  'iresnet34',
  'iresnet50',
  'iresnet100',
  'mobilefacenet',
  'convnet-tiny',
];

/** The weights' bytes, one string per variable: equal strings, bit-identical weights. */
const weightsOf = (m: tfl.LayersModel) =>
  m.getWeights().map((w) => {
    const a = w.dataSync() as Float32Array;
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  });
const INSIGHTFACE = { normalization: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] } };

describe('backbone registry', () => {
  it('registers the built-ins first, in order, then the custom one', () => {
    expect(backboneNames()).toEqual([...BUILT_INS, 'test-dense']);
  });

  it('states each built-in as JSON: sizes, rules, pretrained and preprocessing', () => {
    const facts = Object.fromEntries(
      BUILT_INS.map((n) => [n, JSON.parse(JSON.stringify(getBackbone(n)))]),
    );
    const stride16 = { multipleOf: 16, min: 16 };
    for (const n of BUILT_INS) {
      expect(facts[n], n).toMatchObject({
        pretrained: false,
        preprocessing: INSIGHTFACE,
        embeddingSizeRule: { multipleOf: 1, min: 1 },
        options: {},
      });
      expect(facts[n].description, n).toEqual(expect.any(String));
      expect(facts[n].build, n).toBeUndefined(); // functions are not part of the JSON
    }
    expect(facts['iresnet-tiny']).toMatchObject({
      inputSize: 64,
      inputSizeRule: stride16,
      embeddingSize: 128,
    });
    for (const d of [18, 34, 50, 100])
      expect(facts[`iresnet${d}`]).toMatchObject({
        inputSize: 112,
        inputSizeRule: stride16,
        embeddingSize: 512,
      });
    expect(facts.mobilefacenet).toMatchObject({
      inputSize: 112,
      inputSizeRule: stride16,
      embeddingSize: 128,
    });
    expect(facts['convnet-tiny']).toMatchObject({
      inputSize: 32,
      inputSizeRule: { multipleOf: 8, min: 8 },
      embeddingSize: 64,
    });
    const frozen = getBackbone('iresnet18');
    expect(
      Object.isFrozen(frozen) && Object.isFrozen(frozen.preprocessing.normalization.mean),
    ).toBe(true);
    expect(Object.isFrozen(frozen.inputSizeRule) && Object.isFrozen(frozen.options)).toBe(true);
  });

  it('builds the small built-ins by name with their default sizes, as their own builders do', async () => {
    const before = tf.memory().numTensors;
    const cases = [
      ['iresnet-tiny', () => iresnetTiny({ seed: 5 })],
      ['mobilefacenet', () => mobileFaceNet({ seed: 5 })],
      ['convnet-tiny', () => convnetTiny({ seed: 5 })],
    ] as const;
    for (const [name, direct] of cases) {
      const built = await buildBackbone(name, { seed: 5 });
      const info = getBackbone(name);
      expect(built, name).toMatchObject({
        name,
        inputSize: info.inputSize,
        embeddingSize: info.embeddingSize,
        pretrained: false,
        preprocessing: INSIGHTFACE,
      });
      expect(built.model.inputs[0].shape).toEqual([null, info.inputSize, info.inputSize, 3]);
      expect(built.model.outputs[0].shape).toEqual([null, info.embeddingSize]);
      const reference = direct();
      expect(built.model.layers.map((l) => l.name)).toEqual(reference.layers.map((l) => l.name));
      expect(weightsOf(built.model)).toEqual(weightsOf(reference));
      built.model.dispose();
      reference.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('builds every IResNet depth by name, at a small input and embedding', async () => {
    for (const depth of [18, 34, 50, 100] as const) {
      const built = await buildBackbone(`iresnet${depth}`, {
        inputSize: 16,
        embeddingSize: 8,
        seed: 1,
      });
      expect(built.inputSize).toBe(16);
      expect(built.model.outputs[0].shape).toEqual([null, 8]);
      // One `stage<i>.<j>` prefix per block: the depth's blocks, not another's.
      const blocks = new Set(
        built.model.layers.map((l) => l.name.match(/^stage\d\.\d+/)?.[0]).filter(Boolean),
      );
      expect(blocks.size, `iresnet${depth}`).toBe(
        IRESNET_STAGES[depth].reduce((a: number, b: number) => a + b, 0),
      );
      if (depth === 18) {
        const reference = iresnet({ depth, inputSize: 16, embeddingSize: 8, seed: 1 });
        expect(weightsOf(built.model)).toEqual(weightsOf(reference));
        reference.dispose();
      }
      built.model.dispose();
    }
  });

  it('builds a backbone registered in one line by name, with its own option', async () => {
    const built = await buildBackbone('test-dense', { hidden: 3, seed: 2 });
    expect(built).toMatchObject({
      name: 'test-dense',
      inputSize: 8,
      embeddingSize: 4,
      pretrained: false,
      preprocessing: INSIGHTFACE,
    });
    expect(built.model.layers[2].getWeights()[0].shape).toEqual([8 * 8 * 3, 3]);
    const out = built.model.predict(tf.zeros([2, 8, 8, 3])) as tf.Tensor;
    expect(out.shape).toEqual([2, 4]);
    out.dispose();
    built.model.dispose();
  });
});

describe('backbone registry errors', () => {
  it('an unknown name lists the registered ones', async () => {
    await expect(buildBackbone('resnet9000')).rejects.toThrow(InvalidArgumentError);
    await expect(buildBackbone('resnet9000')).rejects.toThrow(
      /buildBackbone: name must be a registered backbone: one of 'iresnet-tiny', .*'convnet-tiny', 'test-dense', got "resnet9000"/,
    );
    expect(() => getBackbone('nope')).toThrow(/getBackbone: name must be .*'mobilefacenet'/);
  });

  it('a wrong size names the backbone and the option and states the rule', async () => {
    await expect(buildBackbone('iresnet50', { inputSize: 100 })).rejects.toThrow(
      `buildBackbone('iresnet50'): options.inputSize must be a multiple of 16 from 16, got 100`,
    );
    await expect(buildBackbone('convnet-tiny', { inputSize: 0 })).rejects.toThrow(
      `buildBackbone('convnet-tiny'): options.inputSize must be a multiple of 8 from 8, got 0`,
    );
    await expect(buildBackbone('mobilefacenet', { embeddingSize: 2.5 })).rejects.toThrow(
      `buildBackbone('mobilefacenet'): options.embeddingSize must be an integer >= 1, got 2.5`,
    );
    await expect(buildBackbone('iresnet18', { seed: 0.5 })).rejects.toThrow(
      `buildBackbone('iresnet18'): options.seed must be an integer, got 0.5`,
    );
  });

  it('an option the backbone does not take is refused, naming those it takes', async () => {
    // Typed names refuse it at compile time too (never called).
    void (() =>
      // @ts-expect-error iresnet18 takes no trainableFrom
      buildBackbone('iresnet18', { trainableFrom: 'fc' }));
    await expect(buildBackbone('iresnet18' as string, { trainableFrom: 'fc' })).rejects.toThrow(
      `buildBackbone('iresnet18'): options.trainableFrom must be unset: it takes inputSize, embeddingSize, seed, got "fc"`,
    );
  });

  it('registerBackbone refuses a taken name, a missing build, sizes off their rule and bad preprocessing', () => {
    const build = () => convnetTiny();
    expect(() =>
      registerBackbone('convnet-tiny', { inputSize: 32, embeddingSize: 64, build }),
    ).toThrow(/registerBackbone: name must be a name not registered yet, got "convnet-tiny"/);
    expect(() =>
      registerBackbone('x1', { inputSize: 32, embeddingSize: 64 } as unknown as Parameters<
        typeof registerBackbone
      >[1]),
    ).toThrow(/definition.build must be a function/);
    expect(() =>
      registerBackbone('x2', {
        inputSize: 150,
        inputSizeRule: { multipleOf: 16, min: 16 },
        embeddingSize: 4,
        build,
      }),
    ).toThrow(/definition.inputSize must be a multiple of 16 from 16, got 150/);
    expect(() =>
      registerBackbone('x3', {
        inputSize: 32,
        embeddingSize: 4,
        preprocessing: { normalization: { mean: [0, 0, 0], std: [1, 0, 1] } },
        build,
      }),
    ).toThrow(/definition.preprocessing must be .* positive stds/);
    expect(() =>
      registerBackbone('x4', {
        inputSize: 32,
        embeddingSize: 4,
        options: { seed: 'twice' },
        build,
      }),
    ).toThrow(/definition.options must be names other than the common ones, got "seed"/);
    expect(backboneNames()).not.toContain('x1');
  });

  it('a build whose model breaks the stated sizes is refused and disposed', async () => {
    registerBackbone('test-liar', {
      inputSize: 16,
      embeddingSize: 8,
      build: () => convnetTiny({ inputSize: 16 }),
    });
    const before = tf.memory().numTensors;
    const err = await buildBackbone('test-liar').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShapeError);
    expect(String((err as Error).message)).toBe(
      "buildBackbone('test-liar'): the built model must have output shape [batch, 8], got shape [-1, 64]",
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
