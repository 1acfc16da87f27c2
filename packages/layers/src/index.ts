// Convolutions and their counts
export { Conv2d, type Conv2dArgs } from './conv/conv2d';
export { DepthwiseConv2d, type DepthwiseConv2dArgs } from './conv/depthwise-conv2d';
export { PointwiseConv2d, type PointwiseConv2dArgs } from './conv/pointwise-conv2d';
export { SeparableConv2d, type SeparableConv2dArgs } from './conv/separable-conv2d';
export { Convolution, type ConvolutionArgs, type KernelSpec } from './conv/convolution';
export { type Padding } from './conv/padding';
export { KERNEL_INITIALIZERS, type KernelInitializer } from './conv/initializers';
export { paramCount, multiplyCount, CONV_KINDS, type ConvKind, type ConvSpec } from './conv/count';

// Regularization
export {
  dropBlock2d,
  dropBlockMask,
  dropBlockGamma,
  dropBlockSchedule,
  effectiveBlockSize,
  type DropBlockOptions,
  type DropBlock2dOptions,
} from './regularization/drop-block';
export {
  DropBlock2D,
  setDropBlockStep,
  type DropBlock2DArgs,
  type DropBlock2DState,
} from './regularization/drop-block-2d';

// Blocks
export {
  ACTIVATION_KINDS,
  type ActivationKind,
  type BlockOptions,
  type DropBlockSpec,
} from './blocks/block-options';
export {
  convNormAct,
  convLayer,
  type ConvNormActOptions,
  type ConvOptions,
} from './blocks/conv-norm-act';
export { basicBlock, type ResidualBlockOptions, type ResidualVariant } from './blocks/basic-block';
export { bottleneckBlock, type BottleneckBlockOptions } from './blocks/bottleneck-block';
export { invertedResidual, type InvertedResidualOptions } from './blocks/inverted-residual';
export { depthwiseSeparable, type DepthwiseSeparableOptions } from './blocks/depthwise-separable';

// Heads and backbones
export { embeddingHead, type EmbeddingHeadOptions } from './heads/embedding-head';
export { gdcHead, type GdcHeadOptions } from './heads/gdc-head';
export {
  iresnet,
  iresnetTiny,
  IRESNET_STAGES,
  type IResNetDepth,
  type IResNetOptions,
} from './backbones/iresnet';
export {
  mobileFaceNet,
  MOBILEFACENET_STAGES,
  type MobileFaceNetOptions,
} from './backbones/mobilefacenet';
export { convnetTiny, type ConvnetTinyOptions } from './backbones/convnet-tiny';

// Backbones by name: the registry, and the built-ins registered into it
export {
  describeSizeRule,
  INSIGHTFACE_PREPROCESSING,
  type BackboneBuildArgs,
  type BackboneDefinition,
  type BackboneEntry,
  type BackboneFacts,
  type BackboneName,
  type BackboneOptions,
  type BackboneOptionsByName,
  type BackbonePreprocessing,
  type BuiltBackbone,
  type Rgb,
  type SizeRule,
} from './backbones/spec';
export { registerBackbone, backboneNames, getBackbone, buildBackbone } from './backbones/registry';
import './backbones/builtins';

// Saving and loading on Node
export { fileSystem } from './io/file-system';
export { saveModel, loadModel, registerFileSystemRouter } from './io/models';
