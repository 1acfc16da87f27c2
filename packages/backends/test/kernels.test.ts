import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@face/core';
import { bothBackends, randn, wasmVsCpu } from './compare';

// Every kernel @face/backends registers for wasm, against the cpu backend on random inputs.
// The worst relative error per kernel is printed at the end (reported in RESULTS.md).
const worst = new Map<string, number>();
const record = (kernel: string, err: number) => {
  worst.set(kernel, Math.max(worst.get(kernel) ?? 0, err));
  expect(err, kernel).toBeLessThan(1e-5);
};
beforeAll(bothBackends);
afterAll(() => {
  console.log([...worst].map(([k, e]) => `${k}: ${e.toExponential(1)}`).join('\n'));
});

type Pad =
  'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase {
  n: number;
  h: number;
  w: number;
  c: number;
  k: [number, number];
  s: [number, number];
  pad: Pad;
  out: number; // output channels (conv) or depth multiplier (depthwise)
}
const explicit: Pad = [
  [0, 0],
  [2, 1],
  [0, 2],
  [0, 0],
];
const convCases: ConvCase[] = [
  { n: 2, h: 7, w: 5, c: 3, k: [3, 3], s: [1, 1], pad: 'same', out: 4 },
  { n: 1, h: 8, w: 9, c: 2, k: [3, 3], s: [2, 2], pad: 'valid', out: 3 },
  { n: 3, h: 6, w: 6, c: 4, k: [1, 1], s: [2, 2], pad: 'same', out: 2 },
  { n: 2, h: 9, w: 7, c: 3, k: [5, 5], s: [3, 3], pad: 'same', out: 5 },
  { n: 2, h: 6, w: 7, c: 3, k: [2, 3], s: [1, 2], pad: 'valid', out: 2 },
  { n: 1, h: 10, w: 6, c: 5, k: [3, 2], s: [2, 1], pad: explicit, out: 3 },
  { n: 4, h: 4, w: 4, c: 8, k: [4, 4], s: [1, 1], pad: 'valid', out: 6 },
  { n: 3, h: 5, w: 3, c: 4, k: [5, 3], s: [2, 2], pad: 'valid', out: 1 }, // global, multiplier 1
  { n: 2, h: 11, w: 11, c: 3, k: [3, 3], s: [2, 2], pad: 'same', out: 1 },
];
const name = (c: ConvCase) =>
  `${c.n}x${c.h}x${c.w}x${c.c} k${c.k.join('x')} s${c.s.join('x')} ${typeof c.pad === 'string' ? c.pad : 'explicit'} ->${c.out}`;

function outSize(c: ConvCase): [number, number] {
  const o = tf.backend_util.computeConv2DInfo(
    [c.n, c.h, c.w, c.c],
    [c.k[0], c.k[1], c.c, c.out],
    c.s,
    1,
    c.pad,
  );
  return [o.outHeight, o.outWidth];
}

describe('convolution gradients match the cpu backend', () => {
  const rng = new Rng(11);
  it.each(convCases.map((c) => [name(c), c] as const))('Conv2D %s', async (_, c) => {
    const [oh, ow] = outSize(c);
    const x = randn(rng, [c.n, c.h, c.w, c.c]);
    const f = randn(rng, [c.k[0], c.k[1], c.c, c.out]);
    const dy = randn(rng, [c.n, oh, ow, c.out]);
    const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
    record(
      'Conv2DBackpropFilter',
      await wasmVsCpu(
        () =>
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropFilter',
              { x: tf.tensor(x, [c.n, c.h, c.w, c.c]), dy: tf.tensor(dy, [c.n, oh, ow, c.out]) },
              { ...attrs, filterShape: [c.k[0], c.k[1], c.c, c.out] } as never,
            ) as tf.Tensor,
      ),
    );
    record(
      'Conv2DBackpropInput',
      await wasmVsCpu(
        () =>
          tf.engine().runKernel(
            'Conv2DBackpropInput',
            {
              dy: tf.tensor(dy, [c.n, oh, ow, c.out]),
              filter: tf.tensor(f, [c.k[0], c.k[1], c.c, c.out]),
            },
            { ...attrs, inputShape: [c.n, c.h, c.w, c.c] } as never,
          ) as tf.Tensor,
      ),
    );
  });

  it.each(convCases.map((c) => [name(c), c] as const))('DepthwiseConv2dNative %s', async (_, c) => {
    const m = Math.min(c.out, 3);
    const d: ConvCase = { ...c, out: c.c * m };
    const [oh, ow] = outSize(d);
    const x = randn(rng, [c.n, c.h, c.w, c.c]);
    const f = randn(rng, [c.k[0], c.k[1], c.c, m]);
    const dy = randn(rng, [c.n, oh, ow, c.c * m]);
    const attrs = { strides: c.s, pad: c.pad, dilations: [1, 1], dimRoundingMode: undefined };
    record(
      'DepthwiseConv2dNativeBackpropFilter',
      await wasmVsCpu(
        () =>
          tf
            .engine()
            .runKernel(
              'DepthwiseConv2dNativeBackpropFilter',
              { x: tf.tensor(x, [c.n, c.h, c.w, c.c]), dy: tf.tensor(dy, [c.n, oh, ow, c.c * m]) },
              { ...attrs, filterShape: [c.k[0], c.k[1], c.c, m] } as never,
            ) as tf.Tensor,
      ),
    );
    record(
      'DepthwiseConv2dNativeBackpropInput',
      await wasmVsCpu(
        () =>
          tf.engine().runKernel(
            'DepthwiseConv2dNativeBackpropInput',
            {
              dy: tf.tensor(dy, [c.n, oh, ow, c.c * m]),
              filter: tf.tensor(f, [c.k[0], c.k[1], c.c, m]),
            },
            { ...attrs, inputShape: [c.n, c.h, c.w, c.c] } as never,
          ) as tf.Tensor,
      ),
    );
  });

  it('gradients of conv2d and depthwiseConv2d through tf.grads', async () => {
    const x = randn(rng, [2, 9, 8, 3]);
    const w = randn(rng, [3, 3, 3, 4]);
    const dw = randn(rng, [3, 3, 4, 2]);
    const err = await wasmVsCpu(() =>
      tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(
          tf.square(
            tf.depthwiseConv2d(
              tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'),
              c as tf.Tensor4D,
              1,
              'valid',
            ),
          ),
        ),
      )([tf.tensor(x, [2, 9, 8, 3]), tf.tensor(w, [3, 3, 3, 4]), tf.tensor(dw, [3, 3, 4, 2])]),
    );
    record('conv chain gradient', err);
  });
});

describe('other kernels match the cpu backend', () => {
  const rng = new Rng(12);

  it('UnsortedSegmentSum (float32 and int32; ids out of range are dropped)', async () => {
    const data = randn(rng, [7, 3, 2]);
    const ids = [0, 4, 4, 2, -1, 0, 9];
    record(
      'UnsortedSegmentSum',
      await wasmVsCpu(() =>
        tf.unsortedSegmentSum(tf.tensor(data, [7, 3, 2]), tf.tensor1d(ids, 'int32'), 5),
      ),
    );
    const ints = Int32Array.from(data, (v) => Math.round(v * 10));
    record(
      'UnsortedSegmentSum',
      await wasmVsCpu(() =>
        tf.unsortedSegmentSum(tf.tensor(ints, [7, 3, 2], 'int32'), tf.tensor1d(ids, 'int32'), 5),
      ),
    );
    record(
      'UnsortedSegmentSum',
      await wasmVsCpu(() =>
        tf.grad((w: tf.Tensor) =>
          tf.sum(tf.square(tf.gather(w, tf.tensor1d([1, 3, 1, 0], 'int32')))),
        )(tf.tensor(data.slice(0, 12), [4, 3])),
      ),
    );
  });

  it.each([
    [[1, 5, 7], [1, 7, 4], false, false],
    [[1, 7, 5], [1, 7, 4], true, false],
    [[1, 5, 7], [1, 4, 7], false, true],
    [[3, 7, 5], [3, 4, 7], true, true],
    [[3, 5, 7], [1, 7, 4], false, false],
    [[2, 2, 5, 7], [7, 3], false, false],
    [[1, 6], [6, 1], false, false],
  ] as const)('BatchMatMul %j x %j transposeA=%s transposeB=%s', async (sa, sb, ta, tb) => {
    const a = randn(rng, [...sa]);
    const b = randn(rng, [...sb]);
    record(
      'BatchMatMul',
      await wasmVsCpu(() => tf.matMul(tf.tensor(a, [...sa]), tf.tensor(b, [...sb]), ta, tb)),
    );
  });

  it.each([
    [[4, 5, 6, 3], [0, 1, 2], false],
    [[4, 5, 6, 3], [1, 2], true],
    [[4, 5, 6, 3], [0], false],
    [[4, 1, 6, 3], [0, 1, 2], true],
    [[4, 5, 6, 3], [3], false],
    [[4, 5, 6, 3], [0, 2], false],
    [[6, 7], [0], true],
    [[5], [0], false],
    [[3, 2, 9000], [0, 1], false], // wider than XNNPACK's pool handles: summed in JS
    [[4, 20000], [0], true],
  ] as const)('Sum and Mean of %j over %j keepDims=%s', async (shape, axes, keep) => {
    const x = randn(rng, [...shape]);
    record('Sum', await wasmVsCpu(() => tf.sum(tf.tensor(x, [...shape]), [...axes], keep)));
    record('Mean', await wasmVsCpu(() => tf.mean(tf.tensor(x, [...shape]), [...axes], keep)));
  });

  it('Tile, Slice, Identity and Cast are exact', async () => {
    const x = randn(rng, [2, 3, 4]);
    const flags = Uint8Array.from(x, (v) => (v > 0 ? 1 : 0));
    const t = (s = [2, 3, 4]) => tf.tensor(x, s);
    const cases: [string, () => tf.Tensor][] = [
      ['Tile', () => tf.tile(t(), [3, 1, 2])],
      ['Tile', () => tf.tile(t([24]), [2])],
      ['Tile', () => tf.tile(tf.tensor(flags, [2, 3, 4], 'bool'), [1, 2, 1])],
      ['Tile', () => tf.broadcastTo(tf.tensor(x.slice(0, 4), [1, 1, 4]), [2, 3, 4])],
      ['Slice', () => tf.slice(t(), [1, 1, 1], [1, 2, 3])],
      ['Slice', () => tf.slice(t(), [0, 1, 0], [2, 1, 4])],
      ['Slice', () => tf.slice(t([24]), [5], [7])],
      ['Slice', () => tf.slice(tf.tensor(flags, [2, 3, 4], 'bool'), [0, 1, 2], [2, 2, 2])],
      ['Identity', () => tf.clone(t())],
      ['Cast', () => tf.cast(t(), 'float32')],
      ['Cast', () => tf.cast(t(), 'int32')],
    ];
    for (const [kernel, fn] of cases) {
      const err = await wasmVsCpu(fn);
      expect(err, kernel).toBe(0);
      worst.set(kernel, Math.max(worst.get(kernel) ?? 0, err));
    }
  });
});

describe('FusedBatchNorm matches the cpu backend', () => {
  const rng = new Rng(13);
  it.each([
    [[2, 3, 4, 5], true, true],
    [[2, 3, 4, 5], false, true],
    [[2, 3, 4, 5], true, false],
    [[6, 5], true, true],
  ] as const)(
    'x %j, scale %s, offset %s (mean far from 0)',
    async (shape, withScale, withOffset) => {
      const C = shape[shape.length - 1];
      const x = randn(rng, [...shape]).map((v) => 100 + v);
      const mean = randn(rng, [C]).map((v) => 100 + v * 0.1);
      const variance = randn(rng, [C]).map((v) => 1 + v * v);
      const scale = randn(rng, [C]);
      const offset = randn(rng, [C]);
      record(
        'FusedBatchNorm',
        await wasmVsCpu(() =>
          tf.batchNorm(
            tf.tensor(x, [...shape]),
            tf.tensor(mean),
            tf.tensor(variance),
            withOffset ? tf.tensor(offset) : undefined,
            withScale ? tf.tensor(scale) : undefined,
            1e-3,
          ),
        ),
      );
    },
  );
});
