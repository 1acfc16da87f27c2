// A CPU-sized setting for recipe tests: drawn faces at 16 px and a 2-conv backbone with BatchNorm.
// (The cpu backend's convolution gradients are ~75x slower than its forward pass, so the
// backbones of @face/layers at 64 px are out of reach of a unit test.)
import * as tfl from '@tensorflow/tfjs-layers';
import { DropBlock2D, convNormAct } from '@face/layers';
import {
  SyntheticFaces,
  splitByIdentity,
  splitByImage,
  subset,
  type FaceDataset,
} from '@face/data';
import { verificationSet, type VerificationSet } from '@face/recipes';

export function tinyBackbone({
  size = 16,
  filters = [8, 16],
  embeddingDim = 16,
  seed = 1,
  dropBlock = false,
}: {
  size?: number;
  filters?: number[];
  embeddingDim?: number;
  seed?: number;
  /** A DropBlock layer (p 0.3 reached over 4 steps, 3x3 blocks) after the first block. */
  dropBlock?: boolean;
} = {}): tfl.LayersModel {
  const input = tfl.input({ shape: [size, size, 3], name: 'tiny.input' });
  let x: tfl.SymbolicTensor = input;
  filters.forEach((f, i) => {
    x = convNormAct(x, {
      filters: f,
      strides: 2,
      activation: 'prelu',
      name: `tiny.conv${i + 1}`,
      seed,
    });
    if (dropBlock && i === 0)
      x = new DropBlock2D({
        p: 0.3,
        blockSize: 3,
        scheduleSteps: 4,
        seed: 7,
        name: 'tiny.dropblock',
      }).apply(x) as tfl.SymbolicTensor;
  });
  x = tfl.layers.flatten({ name: 'tiny.flatten' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .dense({
      units: embeddingDim,
      name: 'tiny.fc',
      kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: x, name: 'tiny' });
}

export interface TinyData {
  all: FaceDataset;
  /** Training images of the training identities (labels 0..C-1). */
  train: FaceDataset;
  /** Held-out images of the training identities (same labels). */
  heldOut: FaceDataset;
  /** Identities never trained on. */
  unseen: FaceDataset;
  pairs: VerificationSet;
}

export function tinyData({
  identities = 12,
  unseen = 4,
  images = 10,
  size = 16,
  seed = 3,
  difficulty = 0.3,
  pairs = 60,
}: {
  identities?: number;
  unseen?: number;
  images?: number;
  size?: number;
  seed?: number;
  difficulty?: number;
  pairs?: number;
} = {}): TinyData {
  const all = new SyntheticFaces({ identities, imagesPerIdentity: images, size, seed, difficulty });
  const byId = splitByIdentity(all, { testIdentities: unseen, seed });
  const known = subset(all, byId.train, { relabel: true });
  const byImage = splitByImage(known, { testFraction: 0.2, seed });
  const unseenSet = subset(all, byId.test);
  return {
    all,
    train: subset(known, byImage.train),
    heldOut: subset(known, byImage.test),
    unseen: unseenSet,
    pairs: verificationSet(unseenSet, { pairs, seed }),
  };
}
