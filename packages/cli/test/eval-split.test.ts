import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticFaces, formatLfwPairs, type LfwPair } from '@face/data';
import { TINY_MODEL, face } from './helpers';

// `face eval` keeps to people the model never trained on (issue 20): a tiny model trained on
// synthetic people and one trained on a folder, both recording their training people.
const root = mkdtempSync(join(tmpdir(), 'face-cli-eval-split-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const cpu = ['--backend', 'cpu'];
const train = (data: string, out: string, ...more: string[]) =>
  face(
    'train',
    '--data',
    data,
    '--out',
    out,
    ...TINY_MODEL,
    '--epochs',
    '1',
    '--batch',
    '8',
    '--val-images',
    '0',
    ...cpu,
    ...more,
  );
const synthetic = ['--data', 'synthetic', '--identities', '8', '--images-per-identity', '4'];
const people = ['Ada', 'Alan', 'Grace', 'Edsger'];
const syntheticModel = join(root, 'syn', 'model');
const folderModel = join(root, 'folder', 'model');

beforeAll(async () => {
  const faces = new SyntheticFaces({ identities: 4, imagesPerIdentity: 3, size: 16, seed: 5 });
  for (let i = 0; i < faces.size; i++) {
    const name = people[faces.labels[i]];
    mkdirSync(join(root, 'faces', name), { recursive: true });
    const img = await faces.load(i);
    await sharp(Buffer.from(img.data), { raw: { width: 16, height: 16, channels: 3 } })
      .jpeg({ quality: 95 })
      .toFile(
        join(root, 'faces', name, `${name}_${String(faces.views[i] + 1).padStart(4, '0')}.jpg`),
      );
  }
  for (const [data, out, more] of [
    [
      'synthetic',
      join(root, 'syn'),
      ['--identities', '8', '--images-per-identity', '4', '--val-identities', '0.25'],
    ],
    [join(root, 'faces'), join(root, 'folder'), ['--val-identities', '0.5']],
  ] as const) {
    const r = await train(data, out, ...more);
    expect(r.code, r.err).toBe(0);
  }
});

const record = (model: string) =>
  JSON.parse(readFileSync(join(model, 'face-model.json'), 'utf8')).training as {
    identities: string[];
    heldOut: string[];
    synthetic: { seed: number } | null;
  };

describe('face eval --split', () => {
  it('the saved model records the people it trained on', () => {
    const syn = record(syntheticModel);
    expect(syn.identities).toHaveLength(6);
    expect(syn.heldOut).toHaveLength(2);
    expect(syn.synthetic).toEqual({ seed: 0 });
    const folder = record(folderModel);
    expect([...folder.identities, ...folder.heldOut].sort()).toEqual([...people].sort());
    expect(folder.synthetic).toBeNull();
  });

  it('--data synthetic draws people the model never trained on, and says so', async () => {
    const r = await face(
      'eval',
      '--model',
      syntheticModel,
      ...synthetic,
      ...cpu,
      '--task',
      'pairs',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    // 8 new people: numbers 0..13 less the 6 trained ones.
    expect(r.out).toMatch(
      /split: 8 identities of --data never seen in training \(synthetic people drawn past the 6 it trained on\), 6 others left out/,
    );
    const all = await face(
      'eval',
      '--model',
      syntheticModel,
      ...synthetic,
      ...cpu,
      '--task',
      'pairs',
      '--split',
      'all',
    );
    expect(all.code, all.err).toBe(0);
    expect(all.out).toMatch(/split: all 8 identities of --data, 6 of them seen in training/);
    // Different people, different numbers.
    const auc = (text: string) => /verification AUC\s+([\d.]+)/.exec(text)![1];
    expect(auc(all.out)).not.toBe(auc(r.out));
  });

  it('classification needs --split seen: refused by default, run with it', async () => {
    const refused = await face(
      'eval',
      '--model',
      syntheticModel,
      ...synthetic,
      ...cpu,
      '--task',
      'classification',
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(
      /--task classification scores the identities the model trained on.*pass --split seen/,
    );
    const seen = await face(
      'eval',
      '--model',
      syntheticModel,
      ...synthetic,
      ...cpu,
      '--task',
      'classification',
      '--split',
      'seen',
    );
    expect(seen.code, seen.err).toBe(0);
    expect(seen.out).toMatch(/split: 6 identities of --data seen in training, 2 others left out/);
    expect(seen.out).toMatch(/closed-set top-1 accuracy\s+[\d.]+/);
    const skipped = await face('eval', '--model', syntheticModel, ...synthetic, ...cpu);
    expect(skipped.code, skipped.err).toBe(0);
    expect(skipped.out).toContain('classification: skipped');
    expect(skipped.out).not.toContain('closed-set top-1 accuracy');
  });

  it('refuses a pairs file over people the model trained on, naming them', async () => {
    const { identities, heldOut } = record(folderModel);
    const pair = (a: string, b: string, same: boolean): LfwPair => ({
      first: { name: a, number: 1 },
      second: { name: b, number: same ? 2 : 3 },
      same,
      fold: 0,
    });
    const mixed = join(root, 'mixed.txt');
    writeFileSync(
      mixed,
      formatLfwPairs([
        pair(people[0], people[0], true),
        pair(people[1], people[2], false),
        pair(people[3], people[3], true),
        pair(people[0], people[3], false),
      ]),
    );
    const data = ['--data', join(root, 'faces'), ...cpu, '--task', 'pairs'];
    const r = await face('eval', '--model', folderModel, ...data, '--pairs', mixed);
    expect(r.code).toBe(2);
    const seen = [...identities].sort().join(', ');
    expect(r.err).toContain(
      `flag --pairs: 2 of 4 identities in the pairs were seen in training: ${seen}`,
    );
    expect(r.err).toContain('--split all');
    expect(
      (await face('eval', '--model', folderModel, ...data, '--pairs', mixed, '--split', 'all'))
        .code,
    ).toBe(0);
    const [a, b] = heldOut;
    const clean = join(root, 'unseen.txt');
    writeFileSync(
      clean,
      formatLfwPairs([pair(a, a, true), pair(a, b, false), pair(b, b, true), pair(b, a, false)]),
    );
    const ok = await face('eval', '--model', folderModel, ...data, '--pairs', clean);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/verification pairs \(same \/ different\)\s+2 \/ 2/);
  });

  it("the help's first example evaluates people the model never trained on", async () => {
    const help = await face('eval', '--help');
    const examples = help.out.slice(help.out.indexOf('Examples:')).split('\n');
    expect(examples[1]).toMatch(/^\s+face eval --model \S+ --data synthetic/);
    expect(examples[1]).not.toContain('--split');
    expect(examples[2]).toMatch(/never trained on: --split unseen is the default/);
    expect(help.out).toMatch(/--split <which> .*one of: unseen, seen, all; default: unseen\)/);
  });

  it('warns when the model records no training people, and evaluates them all', async () => {
    const old = join(root, 'old');
    mkdirSync(old);
    for (const f of ['face-model.json', 'head.bin'])
      writeFileSync(join(old, f), readFileSync(join(syntheticModel, f)));
    const json = JSON.parse(readFileSync(join(old, 'face-model.json'), 'utf8'));
    delete json.training;
    writeFileSync(join(old, 'face-model.json'), JSON.stringify(json));
    mkdirSync(join(old, 'backbone'));
    for (const f of ['model.json', 'weights.bin'])
      writeFileSync(join(old, 'backbone', f), readFileSync(join(syntheticModel, 'backbone', f)));
    const r = await face('eval', '--model', old, ...synthetic, ...cpu, '--task', 'pairs');
    expect(r.code, r.err).toBe(0);
    expect(r.notices.join('\n')).toMatch(
      /warning: '.*old' does not record the identities it trained on/,
    );
    expect(r.out).not.toContain('split:');
    const seen = await face('eval', '--model', old, ...synthetic, ...cpu, '--split', 'seen');
    expect(seen.code).toBe(2);
    expect(seen.err).toMatch(/--split seen needs a model that records its training identities/);
  });
});
