import type { KernelFunc } from '@tensorflow/tfjs-core';
import { batchMatMul } from './batch-mat-mul';
import { fusedBatchNorm } from './batch-norm';
import { conv2DBackpropFilter } from './conv/conv2d-backprop-filter';
import { conv2DBackpropInput } from './conv/conv2d-backprop-input';
import { depthwiseConv2dNativeBackpropFilter } from './conv/depthwise-backprop-filter';
import { depthwiseConv2dNativeBackpropInput } from './conv/depthwise-backprop-input';
import { cast, identity, tile } from './memory-ops';
import { mean, sum } from './reduce';
import { slice } from './slice';
import { unsortedSegmentSum } from './unsorted-segment-sum';

export interface WasmKernel {
  kernelName: string;
  kernelFunc: KernelFunc;
  /** Replaces a kernel tfjs-backend-wasm has (and calls it where not faster). */
  replaces: boolean;
}

const added = (kernelName: string, kernelFunc: KernelFunc): WasmKernel => ({
  kernelName,
  kernelFunc,
  replaces: false,
});
const replaced = (kernelName: string, kernelFunc: KernelFunc): WasmKernel => ({
  kernelName,
  kernelFunc,
  replaces: true,
});

/** Our wasm kernels: the missing ones, then the faster replacements. */
export const wasmKernels: WasmKernel[] = [
  added('Conv2DBackpropFilter', conv2DBackpropFilter),
  added('DepthwiseConv2dNativeBackpropFilter', depthwiseConv2dNativeBackpropFilter),
  added('DepthwiseConv2dNativeBackpropInput', depthwiseConv2dNativeBackpropInput),
  added('UnsortedSegmentSum', unsortedSegmentSum),
  replaced('Conv2DBackpropInput', conv2DBackpropInput),
  replaced('Identity', identity),
  replaced('Cast', cast),
  replaced('Tile', tile),
  replaced('Sum', sum),
  replaced('Mean', mean),
  replaced('BatchMatMul', batchMatMul),
  replaced('Slice', slice),
  replaced('FusedBatchNorm', fusedBatchNorm),
];
