import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  basicBlock,
  bottleneckBlock,
  convNormAct,
  depthwiseSeparable,
  invertedResidual,
  multiplyCount,
  paramCount,
} from '@face/layers';

const input = (shape: number[]) => tfl.input({ shape });
const namesOf = (x: tfl.SymbolicTensor, y: tfl.SymbolicTensor) =>
  tfl
    .model({ inputs: x, outputs: y })
    .layers.slice(1)
    .map((l) => `${l.name}:${l.getClassName()}`);

describe('blocks', () => {
  it('convNormAct: conv -> norm -> act, bias only without a norm, each conv kind', () => {
    const x = input([8, 8, 4]);
    const y = convNormAct(x, { name: 'u', filters: 6, strides: 2, activation: 'prelu' });
    expect(y.shape).toEqual([null, 4, 4, 6]);
    expect(namesOf(x, y)).toEqual(['u.conv:Conv2d', 'u.norm:BatchNorm', 'u.act:PReLU']);
    const model = tfl.model({ inputs: x, outputs: y });
    // No bias before a norm: the conv holds exactly the seed's N*M*k^2.
    expect(model.getLayer('u.conv').countParams()).toBe(
      paramCount({ kind: 'conventional', inChannels: 4, outChannels: 6, kernelSize: 3 }),
    );
    const bare = convNormAct(x, {
      name: 'v',
      conv: 'separable',
      filters: 5,
      norm: 'none',
      activation: 'linear',
    });
    expect(namesOf(x, bare)).toEqual(['v.conv:SeparableConv2d']);
    const sep = tfl.model({ inputs: x, outputs: bare }).getLayer('v.conv');
    expect(sep.countParams()).toBe(
      paramCount({ kind: 'separable', inChannels: 4, outChannels: 5, kernelSize: 3, bias: true }),
    );
    const dw = convNormAct(x, {
      name: 'w',
      conv: 'depthwise',
      depthMultiplier: 2,
      norm: { kind: 'group', groups: 4 },
    });
    expect(dw.shape).toEqual([null, 8, 8, 8]);
    expect(namesOf(x, dw)).toEqual(['w.conv:DepthwiseConv2d', 'w.norm:GroupNorm', 'w.act:ReLU']);
    expect(() => convNormAct(x, { name: 'z' })).toThrow(/filters must be a channel count/);
  });

  it('basicBlock: improved (IResNet) and original (He et al.) orderings, shortcut only when needed', () => {
    const x = input([8, 8, 4]);
    const improved = basicBlock(x, { name: 'b', filters: 8, strides: 2 });
    expect(improved.shape).toEqual([null, 4, 4, 8]);
    // Layer order in a model is topological; compare as sets.
    expect(namesOf(x, improved).sort()).toEqual(
      [
        'b.norm1:BatchNorm',
        'b.conv1:Conv2d',
        'b.norm2:BatchNorm',
        'b.act:PReLU',
        'b.conv2:Conv2d',
        'b.norm3:BatchNorm',
        'b.downsample.conv:PointwiseConv2d',
        'b.downsample.norm:BatchNorm',
        'b.add:Add',
      ].sort(),
    );
    const original = basicBlock(x, {
      name: 'o',
      filters: 4,
      variant: 'original',
      dropBlock: { p: 0.1, blockSize: 3 },
    });
    expect(namesOf(x, original)).toEqual([
      'o.conv1:Conv2d',
      'o.norm1:BatchNorm',
      'o.act1:ReLU',
      'o.conv2:Conv2d',
      'o.norm2:BatchNorm',
      'o.add:Add',
      'o.act2:ReLU',
      'o.dropblock:DropBlock2D',
    ]);
  });

  it('bottleneckBlock expands by 4 and strides on the 3x3', () => {
    const x = input([8, 8, 16]);
    const y = bottleneckBlock(x, { name: 'n', filters: 4, strides: 2, variant: 'original' });
    expect(y.shape).toEqual([null, 4, 4, 16]);
    const model = tfl.model({ inputs: x, outputs: y });
    expect(model.getLayer('n.conv2').outputShape).toEqual([null, 4, 4, 4]);
    expect(model.getLayer('n.conv3').outputShape).toEqual([null, 4, 4, 16]);
    const z = bottleneckBlock(x, { name: 'i', filters: 4 });
    expect(namesOf(x, z)[0]).toBe('i.norm0:BatchNorm');
    // Identity shortcut: 16 -> 4 * 4 at stride 1 adds the input itself.
    expect(namesOf(x, z).some((n) => n.startsWith('i.downsample'))).toBe(false);
  });

  it('invertedResidual: expand, depthwise, linear projection, residual when shapes allow', () => {
    const x = input([8, 8, 8]);
    const same = invertedResidual(x, { name: 'r', filters: 8, expansion: 2, activation: 'prelu' });
    expect(namesOf(x, same).sort()).toEqual(
      [
        'r.expand.conv:PointwiseConv2d',
        'r.expand.norm:BatchNorm',
        'r.expand.act:PReLU',
        'r.depthwise.conv:DepthwiseConv2d',
        'r.depthwise.norm:BatchNorm',
        'r.depthwise.act:PReLU',
        'r.project.conv:PointwiseConv2d',
        'r.project.norm:BatchNorm',
        'r.add:Add',
      ].sort(),
    );
    const model = tfl.model({ inputs: x, outputs: same });
    expect(model.getLayer('r.expand.conv').outputShape).toEqual([null, 8, 8, 16]);
    const down = invertedResidual(x, { name: 's', filters: 12, strides: 2, expansion: 1 });
    expect(down.shape).toEqual([null, 4, 4, 12]);
    expect(namesOf(x, down).some((n) => n.includes('expand') || n.includes('add'))).toBe(false);
  });

  it("depthwiseSeparable: depthwise-norm-act then pointwise-norm-act, with the seed's MACs", () => {
    const x = input([8, 8, 3]);
    const y = depthwiseSeparable(x, { name: 'd', filters: 256, kernelSize: 5 });
    expect(y.shape).toEqual([null, 8, 8, 256]);
    const model = tfl.model({ inputs: x, outputs: y });
    const macs = multiplyCount(
      { kind: 'separable', inChannels: 3, outChannels: 256, kernelSize: 5, padding: 2 },
      8,
    );
    expect(macs).toBe(53_952);
    expect(
      model.getLayer('d.depthwise.conv').countParams() +
        model.getLayer('d.pointwise.conv').countParams(),
    ).toBe(843);
    tf.dispose(model.predict(tf.zeros([1, 8, 8, 3])) as tf.Tensor);
  });
});
