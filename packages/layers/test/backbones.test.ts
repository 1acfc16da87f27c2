import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { expectClose, loadFixture, maxRelativeError } from '@face/test-support';
import { InvalidArgumentError } from '@face/core';
import {
  iresnet,
  iresnetTiny,
  mobileFaceNet,
  type IResNetOptions,
  type MobileFaceNetOptions,
} from '@face/layers';
import { loadTorchPattern, nchwToNhwc } from './support';

interface Count {
  trainable: number;
  fixed: number;
  buffers: number;
}
interface BackboneFixture {
  cases: {
    name: 'iresnet' | 'mobilefacenet';
    options: IResNetOptions & MobileFaceNetOptions;
    x: number[];
    x_shape: number[];
    y_eval: number[];
    y_train: number[];
    running_mean_after_train: Record<string, number[]>;
    count: Count;
  }[];
  counts: {
    name: 'iresnet' | 'mobilefacenet';
    options: IResNetOptions & MobileFaceNetOptions;
    count: Count;
  }[];
}
const fixture = loadFixture<BackboneFixture>(import.meta.url, 'backbones');

const build = (name: string, options: IResNetOptions & MobileFaceNetOptions): LayersModel =>
  name === 'iresnet' ? iresnet(options) : mobileFaceNet(options);

function countOf(model: LayersModel) {
  const size = (ws: { shape: (number | null)[] }[]) =>
    ws.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);
  return { trainable: size(model.trainableWeights), nonTrainable: size(model.nonTrainableWeights) };
}

describe('backbones against their PyTorch twins (scripts/torch_reference.py)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))(
    '%s: same outputs in inference and training',
    (_, c) => {
      const model = build(c.name, c.options);
      loadTorchPattern(model);
      const x = nchwToNhwc(c.x, c.x_shape);
      const yEval = model.predict(x) as tf.Tensor;
      expect(yEval.shape).toEqual([c.x_shape[0], c.options.embeddingSize]);
      // ~50 float32 layers deep: agreement relative to the output's scale (measured ~1e-5).
      const evalError = maxRelativeError(yEval, c.y_eval);
      expect(evalError).toBeLessThan(1e-4);
      const yTrain = model.apply(x, { training: true }) as tf.Tensor;
      const trainError = maxRelativeError(yTrain, c.y_train);
      expect(trainError).toBeLessThan(1e-4);
      console.log(
        `${c.name}: max relative error ${evalError.toExponential(2)} (inference), ${trainError.toExponential(2)} (training)`,
      );
      for (const [name, expected] of Object.entries(c.running_mean_after_train)) {
        const layer = model.getLayer(name.replace(/\.running_mean$/, ''));
        const mean = layer.weights.find((w) => w.originalName.endsWith('running_mean'))!.read();
        expectClose(mean, expected, { rtol: 1e-4, atol: 1e-6, what: name });
      }
      const { trainable, nonTrainable } = countOf(model);
      expect(trainable).toBe(c.count.trainable);
      expect(nonTrainable).toBe(c.count.buffers);
      tf.dispose([x, yEval, yTrain]);
      model.dispose();
    },
  );
});

describe('parameter counts equal PyTorch numel', () => {
  it.each(fixture.counts.map((c) => [`${c.name} ${JSON.stringify(c.options)}`, c] as const))(
    '%s',
    (_, c) => {
      // Zero kernels: counting needs the weights allocated, not drawn.
      const model = build(c.name, { ...c.options, kernelInitializer: 'zeros' });
      const { trainable, nonTrainable } = countOf(model);
      // PyTorch's frozen embedding-BN scale (fixed at 1) is simply absent here.
      expect(trainable).toBe(c.count.trainable);
      expect(nonTrainable).toBe(c.count.buffers);
      model.dispose();
    },
  );

  it('iresnetTiny is the configuration the fixture counts', () => {
    const tiny = fixture.counts.find((c) => c.options.stages)!;
    const model = iresnetTiny({ kernelInitializer: 'zeros' });
    expect(countOf(model).trainable).toBe(tiny.count.trainable);
    expect(model.outputs[0].shape).toEqual([null, 128]);
    expect(model.inputs[0].shape).toEqual([null, 64, 64, 3]);
    model.dispose();
  });
});

describe('backbone options', () => {
  it('rejects what cannot be built, naming the option', () => {
    expect(() => iresnet({ depth: 42 as never })).toThrow(InvalidArgumentError);
    expect(() => iresnet({ depth: 42 as never })).toThrow(
      /depth must be one of '18', '34', '50', '100'/,
    );
    expect(() => iresnet({ inputSize: 100 })).toThrow(/inputSize must be a multiple of 16/);
    expect(() => iresnet({ stages: [1, 1] })).toThrow(/stages must be four block counts/);
    expect(() => mobileFaceNet({ width: 0 })).toThrow(/width must be a finite number > 0/);
  });

  it('swaps normalization and adds DropBlock by configuration', () => {
    const model = iresnet({
      stages: [1, 1, 1, 1],
      width: 0.125,
      inputSize: 32,
      norm: { kind: 'group', groups: 4 },
      dropBlock: { p: 0.1, blockSize: 3, stages: [4] },
      kernelInitializer: 'zeros',
    });
    const classes = model.layers.map((l) => l.getClassName());
    expect(classes).toContain('GroupNorm');
    // The embedding BN stays a BatchNorm; every other norm is a GroupNorm.
    expect(classes.filter((c) => c === 'BatchNorm')).toHaveLength(1);
    expect(
      model.layers.filter((l) => l.getClassName() === 'DropBlock2D').map((l) => l.name),
    ).toEqual(['stage4.0.dropblock']);
    model.dispose();
  });
});
