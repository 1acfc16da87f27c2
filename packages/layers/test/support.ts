import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';

/** [N, C, H, W] flat values as an NHWC tensor. */
export function nchwToNhwc(values: number[], shape: number[]): tf.Tensor4D {
  return tf.tidy(
    () => tf.transpose<tf.Tensor>(tf.tensor(values, shape), [0, 2, 3, 1]) as tf.Tensor4D,
  );
}

/** PyTorch conv weight [O, I, k, k] -> tfjs [k, k, I, O]. */
export function convKernel(values: number[], shape: number[]): tf.Tensor4D {
  return tf.tidy(
    () => tf.transpose<tf.Tensor>(tf.tensor(values, shape), [2, 3, 1, 0]) as tf.Tensor4D,
  );
}

/** PyTorch depthwise weight [C*K, 1, k, k] -> tfjs [k, k, C, K] (output channel c*K + j in both). */
export function depthwiseKernel(values: number[], shape: number[], channels: number): tf.Tensor4D {
  const [out, , kh, kw] = shape;
  return tf.tidy(
    () =>
      tf.transpose(
        tf.reshape(tf.tensor(values, shape), [channels, out / channels, kh, kw]),
        [2, 3, 0, 1],
      ) as tf.Tensor4D,
  );
}

/** FNV-1a, 32 bits, of a name's UTF-8 bytes (ASCII here). As scripts/torch_reference.py. */
function fnv1a(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** scripts/torch_reference.py `pattern`: exact integer arithmetic, then one division. */
export function pattern(name: string, n: number): Float64Array {
  const h = fnv1a(name) % 9973;
  return Float64Array.from({ length: n }, (_, i) => ((h + i * 7919) % 9973) / 9973 - 0.5);
}

/** The value torch_reference.deterministic_weights gives the state_dict entry `name`. */
function torchValue(name: string, shape: number[]): number[] {
  const size = shape.reduce((a, b) => a * b, 1);
  const v = Array.from(pattern(name, size));
  const [module, leaf] = name.split('.').slice(-2);
  if (shape.length >= 2) {
    const fanIn = size / shape[0];
    return v.map((x) => x * 2 * Math.sqrt(3 / fanIn));
  }
  if (leaf === 'running_var') return v.map((x) => 1 + 0.5 * (x + 0.5));
  if (leaf === 'weight' && module === 'act') return v.map((x) => 0.25 + 0.2 * x);
  if (leaf === 'weight') return v.map((x) => 1 + 0.2 * x);
  return v.map((x) => 0.2 * x);
}

/**
 * Gives a backbone the weights its PyTorch twin gets from `deterministic_weights`, converting
 * layouts: conv OIHW -> HWIO, depthwise [C*K,1,k,k] -> [k,k,C,K], linear [out,in] -> [in,out]
 * with the input permuted from PyTorch's C,H,W flattening to our H,W,C one.
 */
export function loadTorchPattern(model: LayersModel): void {
  for (const layer of model.layers) {
    const name = layer.name;
    const shapes = layer.weights.map((w) => w.shape);
    if (shapes.length === 0) continue;
    const className = layer.getClassName();
    const values: tf.Tensor[] = tf.tidy(() => {
      switch (className) {
        case 'Conv2d':
        case 'PointwiseConv2d': {
          const [kh, kw, i, o] = shapes[0] as number[];
          const torchShape = [o, i, kh, kw];
          return [convKernel(torchValue(`${name}.weight`, torchShape), torchShape)];
        }
        case 'DepthwiseConv2d': {
          const [kh, kw, c, k] = shapes[0] as number[];
          const torchShape = [c * k, 1, kh, kw];
          return [depthwiseKernel(torchValue(`${name}.weight`, torchShape), torchShape, c)];
        }
        case 'BatchNorm': {
          const leaves = layer.weights.map((w) => w.originalName.split('/').pop()!);
          const torchLeaf: Record<string, string> = {
            gamma: 'weight',
            beta: 'bias',
            running_mean: 'running_mean',
            running_var: 'running_var',
          };
          return leaves.map((leaf, i) =>
            tf.tensor(
              torchValue(`${name}.${torchLeaf[leaf]}`, shapes[i] as number[]),
              shapes[i] as number[],
            ),
          );
        }
        case 'PReLU': {
          const c = (shapes[0] as number[])[2];
          return [tf.tensor(torchValue(`${name}.weight`, [c]), shapes[0] as number[])];
        }
        case 'Dense': {
          const [inputs, units] = shapes[0] as number[];
          // The flatten before it saw [H, W, C]; PyTorch flattened [C, H, W].
          const flatten = layer.inboundNodes[0].inboundLayers[0];
          const [, h, w, c] = (flatten.input as SymbolicTensor).shape as number[];
          const torchShape = [units, inputs];
          const kernel = tf.reshape(
            tf.transpose(
              tf.reshape(tf.tensor(torchValue(`${name}.weight`, torchShape), torchShape), [
                units,
                c,
                h,
                w,
              ]),
              [2, 3, 1, 0],
            ),
            [inputs, units],
          );
          const bias = shapes.length > 1 ? [tf.tensor(torchValue(`${name}.bias`, [units]))] : [];
          return [kernel, ...bias];
        }
        default:
          throw new Error(`loadTorchPattern: no mapping for ${className} ${name}`);
      }
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}
