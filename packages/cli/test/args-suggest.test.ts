// `face --version`, and "did you mean" for misspelt flags, flag values and commands.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../src/args';
import { COMMANDS } from '../src/main';
import { face } from './helpers';

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe('face --version', () => {
  it("prints @face/cli's version, alone or after a command", async () => {
    for (const argv of [['--version'], ['train', '--version'], ['eval', '--version']]) {
      const r = await face(...argv);
      expect([r.code, r.out, r.err], argv.join(' ')).toEqual([0, `face ${version}`, '']);
    }
    expect((await face('train', '--help')).out).toMatch(/--version +print face's version/);
  });
});

describe('did you mean', () => {
  it('edit distance counts a swap of neighbours as one edit', () => {
    expect(editDistance('epochs', 'epochs')).toBe(0);
    expect(editDistance('epoch', 'epochs')).toBe(1);
    expect(editDistance('epcohs', 'epochs')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the one nearest name, nothing when far or tied', () => {
    const flags = ['epochs', 'data', 'out', 'batch', 'backbone', 'backend'];
    expect(didYouMean('epoch', flags)).toBe('epochs');
    expect(didYouMean('EPOCHS', flags)).toBe('epochs');
    expect(didYouMean('bakcend', flags)).toBe('backend');
    expect(didYouMean('zzz', flags)).toBeUndefined();
    expect(didYouMean('dat', ['data', 'date'])).toBeUndefined(); // a tie
    expect(didYouMean('back', flags)).toBeUndefined(); // starts two
    expect(didYouMean('backb', flags)).toBe('backbone');
  });

  it('misspelt flags, values and commands: a usage error with the suggestion', async () => {
    const flag = await face('train', '--epcohs', '3');
    expect([flag.code, flag.err]).toEqual([
      2,
      "face train: unknown flag --epcohs; did you mean --epochs? (see 'face train --help')",
    ]);
    const value = await face(
      'train',
      '--data',
      'synthetic',
      '--out',
      'x',
      '--recipe',
      'clasification',
    );
    expect(value.code).toBe(2);
    expect(value.err).toMatch(/got 'clasification' \(did you mean 'classification'\?\)$/);
    const command = await face('trian', '--epochs', '3');
    expect([command.code, command.err]).toEqual([
      2,
      `face: unknown command 'trian'; did you mean 'train'? (commands: ${COMMANDS.map((c) => c.name).join(', ')})`,
    ]);
    const far = await face('train', '--wibble');
    expect(far.err).toBe("face train: unknown flag --wibble (see 'face train --help')");
  });
});
