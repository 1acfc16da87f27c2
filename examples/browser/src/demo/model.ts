import type * as tfl from '@tensorflow/tfjs-layers';
import { iresnet } from '@face/layers';
import { ArcFace } from '@face/losses';
import type { DemoConfig } from './config';

/** An IResNet with one improved basic block per stage: the smallest of the family. */
export function buildBackbone(config: DemoConfig): tfl.LayersModel {
  return iresnet({
    stages: [1, 1, 1, 1],
    width: config.width,
    inputSize: config.size,
    embeddingSize: config.embeddingSize,
    seed: config.seed,
    name: 'backbone',
  });
}

/** ArcFace's class centres on the embedding; verification uses the embedding alone. */
export function buildHead(config: DemoConfig, numClasses: number): ArcFace {
  return new ArcFace({
    embeddingDim: config.embeddingSize,
    numClasses,
    scale: config.scale,
    margin: config.margin,
    seed: config.seed,
  });
}
