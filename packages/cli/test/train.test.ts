import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'face-cli-train-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A smoke size: 12 drawn people at 16 px, the small CNN, 2 epochs.
const tiny = [
  '--data',
  'synthetic',
  '--identities',
  '12',
  '--images-per-identity',
  '6',
  '--difficulty',
  '0.3',
  '--backbone',
  'convnet-tiny',
  '--image-size',
  '16',
  '--embedding-size',
  '16',
  '--batch',
  '16',
  '--backend',
  'cpu',
  '--lr',
  '0.003',
];

describe('face train', () => {
  it('trains a recipe on synthetic faces, prints the backend, writes checkpoints, logs and the model', async () => {
    const out = join(root, 'cls');
    const r = await face('train', ...tiny, '--epochs', '2', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^backend: cpu/m);
    expect(r.out).toMatch(/data: synthetic faces: 12 identities x 6 images, 16 px/);
    expect(r.out).toMatch(/epoch 2\/2 .*val_accuracy/);
    expect(r.out).toMatch(/done in .* held-out accuracy .* verification AUC/);
    // Held-out identities: the keep-best guard scores the start and says which epoch it kept.
    expect(r.out).toMatch(/keep-best: val_auc \S+ at the start, best \S+ at epoch \d/);
    expect(r.notices.filter((l) => l.startsWith('warning:'))).toEqual([]);
    expect(
      readdirSync(join(out, 'checkpoints')).filter((n) => n.startsWith('step-')).length,
    ).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(existsSync(join(out, 'model', 'face-model.json'))).toBe(true);
  });

  it('--resume continues a run; a fresh run into it, or another backbone, is refused and nothing is overwritten', async () => {
    const out = join(root, 'resume');
    expect((await face('train', ...tiny, '--epochs', '1', '--out', out)).code).toBe(0);
    const log = readFileSync(join(out, 'log.jsonl'), 'utf8');
    const fresh = await face('train', ...tiny, '--epochs', '2', '--out', out);
    expect(fresh.code).toBe(2);
    expect(fresh.err).toMatch(/already holds a run .*Nothing was overwritten/);
    // Another backbone (wider embedding): the checkpoint does not match.
    const other = await face(
      'train',
      ...tiny,
      '--embedding-size',
      '8',
      '--epochs',
      '2',
      '--out',
      out,
      '--resume',
    );
    expect(other.code).toBe(1);
    expect(other.err).toMatch(
      /does not match this model and configuration \(nothing was loaded or overwritten\)/,
    );
    expect(readFileSync(join(out, 'log.jsonl'), 'utf8')).toBe(log);
    // Two epochs after a one-epoch run stretch the learning-rate schedule: refused unless said.
    const stretched = await face('train', ...tiny, '--epochs', '2', '--out', out, '--resume');
    expect(stretched.code).toBe(2);
    expect(stretched.err).toMatch(/--allow-schedule-change/);
    const resumed = await face(
      'train',
      ...tiny,
      '--epochs',
      '2',
      '--out',
      out,
      '--resume',
      '--allow-schedule-change',
    );
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toMatch(/resumed from step \d+ \(end of epoch 1\/2\)/);
    expect(readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('joint, sequential and metric recipes run from the command line', async () => {
    for (const recipe of ['joint', 'sequential', 'metric']) {
      const out = join(root, recipe);
      const extra =
        recipe === 'sequential'
          ? ['--classification-epochs', '1', '--head', 'cosface']
          : recipe === 'metric'
            ? ['--loss', 'triplet+center']
            : ['--k', '3'];
      const r = await face(
        'train',
        ...tiny,
        '--recipe',
        recipe,
        '--epochs',
        '1',
        '--out',
        out,
        ...extra,
      );
      expect(r.err, recipe).toBe('');
      expect(r.code, recipe).toBe(0);
      expect(existsSync(join(out, 'model', 'face-model.json')), recipe).toBe(true);
    }
    const manifest = JSON.parse(
      readFileSync(join(root, 'sequential', 'model', 'face-model.json'), 'utf8'),
    );
    expect(manifest.head.className).toBe('CosFace');
    expect(existsSync(join(root, 'sequential', 'phase1', 'log.jsonl'))).toBe(true);
  });

  it('a missing dataset path, an empty folder and an identity of one picture are clear errors', async () => {
    const missing = await face(
      'train',
      '--data',
      join(root, 'nope'),
      '--out',
      join(root, 'x'),
      '--backend',
      'cpu',
      '--backbone',
      'convnet-tiny',
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/face train: flag --data names '.*nope', which does not exist/);
    const empty = join(root, 'empty');
    mkdirSync(join(empty, 'alice'), { recursive: true });
    const none = await face(
      'train',
      '--data',
      empty,
      '--out',
      join(root, 'y'),
      '--backend',
      'cpu',
      '--backbone',
      'convnet-tiny',
    );
    expect(none.code).toBe(2);
    expect(none.err).toMatch(
      /face train: flag --data names '.*empty', which holds no images \(expected one sub-folder of images per identity\)/,
    );
    const single = await face(
      'train',
      ...tiny,
      '--images-per-identity',
      '1',
      '--val-identities',
      '0',
      '--val-images',
      '0',
      '--recipe',
      'joint',
      '--out',
      join(root, 'z'),
    );
    expect(single.code).toBe(1);
    expect(single.err).toMatch(/jointRecipe: train must be at least 2 images per identity/);
  });
});

describe('face train --backbone dlib-resnet', () => {
  it('fine-tunes the pretrained dlib ResNet with a margin head (sequential recipe, early blocks frozen)', async () => {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const weights = join(require.resolve('@vladmandic/face-api/package.json'), '..', 'model');
    const out = join(root, 'dlib');
    const r = await face(
      'train',
      '--data',
      'synthetic',
      '--identities',
      '2',
      '--images-per-identity',
      '2',
      '--backbone',
      'dlib-resnet',
      '--weights',
      weights,
      '--trainable-from',
      'fc',
      '--recipe',
      'sequential',
      '--epochs',
      '1',
      '--batch',
      '4',
      '--val-identities',
      '0',
      '--val-images',
      '0',
      '--backend',
      'cpu',
      '--out',
      out,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // No held-out identities: the run says that nothing guards the model against getting worse.
    expect(r.notices.join('\n')).toMatch(/^warning: .*no validation/m);
    expect(r.out).toMatch(/model: dlib-resnet \(5,614,592 parameters, 150 px\)/);
    const manifest = JSON.parse(readFileSync(join(out, 'model', 'face-model.json'), 'utf8'));
    expect(manifest).toMatchObject({
      imageSize: 150,
      embeddingDim: 128,
      head: { className: 'ArcFace' },
      meta: { backbone: 'dlib-resnet' },
    });
    // Centred by default: a frozen 'centre' layer (minus the training people's mean embedding)
    // saved with the backbone.
    expect(centreLayers(join(out, 'model'))).toEqual([{ name: 'centre', trainable: false }]);
    // A pretrained backbone fine-tunes safely: a linear probe of the new head on the frozen
    // backbone, then the tune phase; no softmax phase.
    expect(existsSync(join(out, 'phase1'))).toBe(false);
    expect(existsSync(join(out, 'probe', 'checkpoints'))).toBe(true);
    // Frozen blocks are not trained: only the projection and the head are variables of the run.
    const checkpoints = join(out, 'tune', 'checkpoints');
    const latest = readdirSync(checkpoints)
      .filter((n) => n.startsWith('step-'))
      .sort()
      .at(-1)!;
    const tensors = JSON.parse(readFileSync(join(checkpoints, latest, 'manifest.json'), 'utf8'))
      .tensors as { role: string; name: string }[];
    expect(
      tensors
        .filter((t) => t.role === 'variable')
        .map((t) => t.name)
        .sort(),
    ).toEqual(['fc/kernel', 'head/weight']);
  }, 120_000);

  it('--no-centre keeps the embedding as it is; elsewhere it is a usage error', async () => {
    const out = join(root, 'dlib-raw');
    const args = ['--data', 'synthetic', '--identities', '2', '--images-per-identity', '2'];
    const r = await face(
      'train',
      ...args,
      '--backbone',
      'dlib-resnet',
      '--trainable-from',
      'fc',
      '--recipe',
      'sequential',
      '--probe-epochs',
      '0',
      '--epochs',
      '1',
      '--batch',
      '4',
      '--val-identities',
      '0',
      '--val-images',
      '0',
      '--backend',
      'cpu',
      '--no-centre',
      '--out',
      out,
    );
    expect(r.code, r.err).toBe(0);
    expect(centreLayers(join(out, 'model'))).toEqual([]);
    const joint = await face(
      'train',
      ...tiny,
      '--recipe',
      'joint',
      '--no-centre',
      '--out',
      join(root, 'joint-raw'),
    );
    expect(joint.code).toBe(2);
    expect(joint.err).toMatch(/flag --no-centre only applies to --recipe sequential/);
    const scratch = await face(
      'train',
      ...tiny,
      '--recipe',
      'sequential',
      '--no-centre',
      '--out',
      join(root, 'scratch-raw'),
    );
    expect(scratch.code).toBe(2);
    expect(scratch.err).toMatch(/--no-centre only applies when fine-tuning a pretrained backbone/);
  }, 120_000);
});

/** The layers named 'centre' in a saved model's backbone topology, with their trainable flag. */
function centreLayers(modelDir: string): { name: string; trainable: boolean }[] {
  const json = JSON.parse(readFileSync(join(modelDir, 'backbone', 'model.json'), 'utf8'));
  const found: { name: string; trainable: boolean }[] = [];
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (x !== null && typeof x === 'object') {
      const o = x as { config?: { name?: unknown; trainable?: unknown } };
      if (o.config?.name === 'centre')
        found.push({ name: 'centre', trainable: o.config.trainable === true });
      Object.values(x).forEach(visit);
    }
  };
  visit(json.modelTopology);
  return found;
}
