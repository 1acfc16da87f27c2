// face train, eval and demo are flags over library calls: --loss names any registered metric
// losses (the first spellings keep their run config, so old runs resume), the splits' refusal
// keeps its usage line, and the help text shows the library's defaults and fine-tune preset.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHT_DECAY, FINE_TUNE_PRESET, METRIC_CENTER_LAMBDA } from '@face/recipes';
import { TINY_MODEL, face } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'face-cli-thin-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tiny = [
  '--data',
  'synthetic',
  '--identities',
  '10',
  '--images-per-identity',
  '4',
  ...TINY_MODEL,
  '--backend',
  'cpu',
  '--recipe',
  'metric',
  '--p',
  '4',
  '--k',
  '2',
  '--epochs',
  '1',
];

/** The run config of the first checkpoint's fingerprint under `out`. */
function runConfig(out: string): Record<string, unknown> {
  const dir = join(out, 'checkpoints');
  const ckpt = readdirSync(dir)
    .map((n) => join(dir, n))
    .find((p) => statSync(p).isDirectory())!;
  return JSON.parse(readFileSync(join(ckpt, 'manifest.json'), 'utf8')).fingerprint.config;
}

describe('thin commands', () => {
  it('--loss triplet+center keeps the config its runs were written with', async () => {
    const out = join(root, 'tc');
    const r = await face('train', ...tiny, '--loss', 'triplet+center', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const config = runConfig(out);
    expect(config.triplet).toEqual({ margin: 0.2, weight: 1, miner: 'batch-hard' });
    expect(config.center).toEqual({ lambda: METRIC_CENTER_LAMBDA, alpha: 0.5, learnable: false });
    expect(config.losses).toBeUndefined();
  });

  it('--loss takes other registered metric losses joined by +, and refuses unknown ones', async () => {
    const out = join(root, 'cc');
    const r = await face('train', ...tiny, '--loss', 'contrastive+center', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const losses = runConfig(out).losses as { kind: string; lambda?: number }[];
    expect(losses.map((l) => l.kind)).toEqual(['contrastive', 'center']);
    expect(losses[1].lambda).toBe(METRIC_CENTER_LAMBDA);
    const log = JSON.parse(readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n')[0]);
    expect(log.contrastive).toBeGreaterThanOrEqual(0);

    const bad = await face(
      'train',
      ...tiny,
      '--loss',
      'triplet+tripplet',
      '--out',
      join(root, 'b'),
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(
      /^face train: flag --loss must be registered metric losses joined by '\+', each once \(triplet, contrastive, center.*\), got 'triplet\+tripplet'/,
    );
  });

  it('the unseen split refused by the library is the usage line it was', async () => {
    const r = await face('train', ...tiny, '--val-identities', '0.05', '--out', join(root, 'u'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'face train: flag --val-identities 0.05 leaves 1 of 10 identities for verification and 9 for training; each needs at least 2 (or pass --val-identities 0)',
    );
  });

  it("help shows the library's defaults and fine-tune preset", async () => {
    const r = await face('train', '--help');
    expect(r.out).toContain(`default: ${DEFAULT_WEIGHT_DECAY.toExponential()}`);
    expect(r.out).toContain(`${FINE_TUNE_PRESET.lr.toExponential()} with dlib-resnet`);
    expect(r.out).toContain(`head learns at ${FINE_TUNE_PRESET.headLrScale}x`);
  });
});
