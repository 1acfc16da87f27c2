export { channelAffine, ChannelAffine } from './layers/channel-affine';
export {
  channelZeroPad,
  ChannelZeroPadding,
  type ChannelZeroPaddingArgs,
} from './layers/channel-zero-padding';
export { decodeWeightsArtifacts, type WeightsArtifacts } from './weights/manifest';
export { readWeightsArtifacts, type WeightsSource } from './weights/read';
export { faceApiModelDir } from './weights/face-api';
export {
  dlibResNet,
  DLIB_RESNET_BLOCKS,
  DLIB_RESNET_INPUT_SIZE,
  DLIB_RESNET_EMBEDDING_SIZE,
  type DlibResNetBlock,
  type DlibResNetOptions,
} from './dlib-resnet/architecture';
export { dlibResNetBlockOf, setTrainableFrom } from './dlib-resnet/freeze';
export {
  dlibPreprocess,
  DLIB_MEAN_RGB,
  type DlibImages,
  type DlibPreprocessOptions,
} from './dlib-resnet/preprocess';
export { DLIB_RESNET_MANIFEST } from './dlib-resnet/weights';
export {
  loadDlibResNet,
  dlibFaceDescriptors,
  DLIB_DISTANCE_THRESHOLD,
  type LoadDlibResNetOptions,
} from './dlib-resnet/load';
export {
  pretrainedModel,
  PRETRAINED_MODELS,
  type PretrainedModel,
  type PretrainedModelName,
  type DlibBackboneOptions,
} from './registry';
