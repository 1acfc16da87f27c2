import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, loadFixture } from '@face/test-support';
import {
  Conv2d,
  type ConvKind,
  DepthwiseConv2d,
  type Convolution,
  PointwiseConv2d,
  SeparableConv2d,
  paramCount,
} from '@face/layers';
import { convKernel, depthwiseKernel, nchwToNhwc } from './support';

interface ConvCase {
  kind: ConvKind;
  m: number;
  n: number;
  k: number;
  d?: number;
  bias: boolean;
  stride: number;
  padding: number;
  size: number;
  x: number[];
  w: number[];
  y: number[];
  y_shape: number[];
  dx: number[];
  weights: { shape: number[]; value: number[]; grad: number[] }[];
}
const fixture = loadFixture<{ cases: ConvCase[] }>(import.meta.url, 'convs');

function layerFor(c: ConvCase): Convolution {
  const common = { strides: c.stride, useBias: c.bias };
  switch (c.kind) {
    case 'conventional':
      return new Conv2d({ ...common, filters: c.n, kernelSize: c.k, padding: c.padding });
    case 'depthwise':
      return new DepthwiseConv2d({
        ...common,
        kernelSize: c.k,
        padding: c.padding,
        depthMultiplier: c.n / c.m,
      });
    case 'pointwise':
      return new PointwiseConv2d({ ...common, filters: c.n });
    case 'separable':
      return new SeparableConv2d({
        ...common,
        filters: c.n,
        kernelSize: c.k,
        padding: c.padding,
        depthMultiplier: c.d,
      });
  }
}

/** PyTorch parameters (in .parameters() order) in the layer's layout, and back for gradients. */
function torchToLayer(c: ConvCase, which: 'value' | 'grad'): tf.Tensor[] {
  const [first, second] = c.weights;
  const bias = (p: (typeof c.weights)[number]) => tf.tensor1d(p[which]);
  switch (c.kind) {
    case 'conventional':
    case 'pointwise':
      return [convKernel(first[which], first.shape), ...(c.bias ? [bias(second)] : [])];
    case 'depthwise':
      return [depthwiseKernel(first[which], first.shape, c.m), ...(c.bias ? [bias(second)] : [])];
    case 'separable': {
      const third = c.weights[2];
      return [
        depthwiseKernel(first[which], first.shape, c.m),
        convKernel(second[which], second.shape),
        ...(c.bias ? [bias(third)] : []),
      ];
    }
  }
}

const label = (c: ConvCase) =>
  `${c.kind} ${c.m}->${c.n} k${c.k} s${c.stride} p${c.padding}${c.bias ? ' bias' : ''} on ${c.size}x${c.size}`;

describe('convolution layers against torch.nn.Conv2d', () => {
  it.each(fixture.cases.map((c) => [label(c), c] as const))('%s', (_, c) => {
    const layer = layerFor(c);
    const x = nchwToNhwc(c.x, [2, c.m, c.size, c.size]);
    const w = nchwToNhwc(c.w, c.y_shape);
    const y = layer.apply(x) as tf.Tensor;
    layer.setWeights(torchToLayer(c, 'value'));
    // Shape inference agrees with the computed shape, and with PyTorch's.
    expect(layer.computeOutputShape(x.shape)).toEqual(w.shape);
    const out = layer.apply(x) as tf.Tensor;
    expectClose(out, nchwToNhwc(c.y, c.y_shape), { rtol: 1e-5, atol: 1e-5, what: 'y' });
    // Gradients through tfjs's kernels (explicit symmetric padding included).
    const loss = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, w));
    const dx = tf.grad(loss)(x);
    expectClose(dx, nchwToNhwc(c.dx, [2, c.m, c.size, c.size]), {
      rtol: 1e-4,
      atol: 1e-4,
      what: 'dx',
    });
    const variables = layer.trainableWeights.map((v) => v.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => loss(x) as tf.Scalar, variables);
    torchToLayer(c, 'grad').forEach((g, i) =>
      expectClose(grads[variables[i].name], g, { rtol: 1e-4, atol: 1e-4, what: `d weight ${i}` }),
    );
    // The built weights are exactly what paramCount says, and PyTorch's numel.
    const numel = c.weights.reduce((s, p) => s + p.value.length, 0);
    expect(layer.countParams()).toBe(numel);
    expect(
      paramCount({
        kind: c.kind,
        inChannels: c.m,
        outChannels: c.n,
        kernelSize: c.k,
        depthMultiplier: c.d,
        bias: c.bias,
      }),
    ).toBe(numel);
    tf.dispose([x, w, y, out, dx, grads]);
  });
});
