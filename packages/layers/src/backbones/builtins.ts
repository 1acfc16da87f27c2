// Registers the backbones of this package by name (imported for its effect by the package index).
import { convnetTiny } from './convnet-tiny';
import { iresnet, iresnetTiny, type IResNetDepth } from './iresnet';
import { mobileFaceNet } from './mobilefacenet';
import { registerBackbone } from './registry';

// Four stride-2 stages: any multiple of 16 works (64 included).
const STRIDE_16 = { multipleOf: 16, min: 16 };

registerBackbone('iresnet-tiny', {
  description: 'IResNet with one block per stage at width 0.25 (0.57 M parameters), for CPU runs',
  inputSize: 64,
  inputSizeRule: STRIDE_16,
  embeddingSize: 128,
  build: ({ inputSize, embeddingSize, seed }) => iresnetTiny({ inputSize, embeddingSize, seed }),
});

for (const depth of [18, 34, 50, 100] as const satisfies readonly IResNetDepth[]) {
  registerBackbone(`iresnet${depth}`, {
    description: `IResNet-${depth} (ArcFace / InsightFace)`,
    inputSize: 112,
    inputSizeRule: STRIDE_16,
    embeddingSize: 512,
    build: ({ inputSize, embeddingSize, seed }) =>
      iresnet({ depth, inputSize, embeddingSize, seed }),
  });
}

registerBackbone('mobilefacenet', {
  description: 'MobileFaceNet (Chen et al. 2018): inverted residuals and a GDC head',
  inputSize: 112,
  inputSizeRule: STRIDE_16,
  embeddingSize: 128,
  build: ({ inputSize, embeddingSize, seed }) => mobileFaceNet({ inputSize, embeddingSize, seed }),
});

registerBackbone('convnet-tiny', {
  description: 'A plain CNN of three stride-2 conv-BN-PReLU blocks, for smoke runs and tests',
  inputSize: 32,
  inputSizeRule: { multipleOf: 8, min: 8 },
  embeddingSize: 64,
  build: ({ inputSize, embeddingSize, seed }) => convnetTiny({ inputSize, embeddingSize, seed }),
});
