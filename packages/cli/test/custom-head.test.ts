// A margin head added in this one file, registered in one line, trained by `face train --head`:
// no other file of @face knows about it.
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkNumber, checkOptions } from '@face/core';
import {
  MARGIN_HEAD_KEYS,
  MarginHead,
  registerMarginHead,
  type MarginHeadConfig,
  type TargetAngle,
} from '@face/losses';
import { loadFaceModel } from '@face/recipes';
import { face } from './helpers';

interface AdditiveAngularConfig extends MarginHeadConfig {
  scale?: number;
  margin?: number;
}

/** s cos(theta_y + m) with m = 0.3 by default and no fallback past pi: a lighter ArcFace. */
class AdditiveAngular extends MarginHead<AdditiveAngularConfig> {
  static override readonly className: string = 'AdditiveAngular';
  static override readonly configKeys: readonly string[] = [...MARGIN_HEAD_KEYS, 'scale', 'margin'];
  readonly scale: number;
  readonly margin: number;

  constructor(config: AdditiveAngularConfig) {
    const c = checkOptions('AdditiveAngular', config, [
      'embeddingDim',
      'numClasses',
      'seed',
      'name',
      'scale',
      'margin',
    ]);
    super('AdditiveAngular', c);
    this.scale = checkNumber('AdditiveAngular', 'config.scale', c.scale ?? 16, { min: 0 });
    this.margin = checkNumber('AdditiveAngular', 'config.margin', c.margin ?? 0.3, { min: 0 });
  }

  protected marginCosine({ theta }: TargetAngle): tf.Tensor1D {
    return tf.cos(tf.add(theta, this.margin)) as tf.Tensor1D;
  }

  protected scaleLogits(cosine: tf.Tensor2D): tf.Tensor2D {
    return tf.mul(cosine, this.scale);
  }

  getConfig(): Required<AdditiveAngularConfig> {
    return { ...this.baseConfig(), scale: this.scale, margin: this.margin };
  }
}

registerMarginHead('additive-angular', AdditiveAngular);

const root = mkdtempSync(join(tmpdir(), 'face-cli-custom-head-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const small = [
  '--data',
  'synthetic',
  '--backbone',
  'convnet-tiny',
  '--image-size',
  '32',
  '--identities',
  '6',
  '--images-per-identity',
  '4',
  '--epochs',
  '1',
  '--backend',
  'cpu',
  '--quiet',
  // 6 identities: all of them train (verification would need 2 of each side)
  '--val-identities',
  '0',
];

describe('a margin head registered in one line', () => {
  it('is listed by face train --help', async () => {
    const r = await face('train', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /--head <name>.*one of: linear, cosine, arcface, cosface, sphereface, combined, additive-angular/,
    );
  });

  it('trains through face train --head, and its saved model loads back with it', async () => {
    const out = join(root, 'run');
    const r = await face(
      'train',
      ...small,
      '--head',
      'additive-angular',
      '--margin',
      '0.25',
      '--out',
      out,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'model', 'face-model.json'), 'utf8'));
    expect(manifest.head).toMatchObject({
      kind: 'margin',
      className: 'AdditiveAngular',
      config: { scale: 16, margin: 0.25 },
    });
    const model = await loadFaceModel(join(out, 'model'));
    expect(model.head?.kind).toBe('AdditiveAngular');
    expect(model.head?.toJson()).toEqual(manifest.head);
    model.backbone.dispose();
    model.head?.dispose();
  });

  it('a misspelt name is a usage error listing the registered heads', async () => {
    const r = await face(
      'train',
      ...small,
      '--head',
      'additive_angular',
      '--out',
      join(root, 'bad'),
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(
      /--head must be one of linear, .*, additive-angular, got 'additive_angular'/,
    );
  });
});
