import { describe, expect, it } from 'vitest';
import { COMMANDS } from '@face/cli';
import { face } from './helpers';

describe('face: flags and help', () => {
  it("lists the commands, and prints each command's help", async () => {
    const overview = await face('--help');
    expect(overview.code).toBe(0);
    for (const { name } of COMMANDS) expect(overview.out).toContain(`  ${name}`);
    for (const command of COMMANDS) {
      const help = await face(command.name, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toContain(`Usage: face ${command.name}`);
      for (const flag of Object.keys(command.flags)) expect(help.out).toContain(`--${flag}`);
    }
    expect((await face('train', '-h')).out).toContain('--recipe <name>');
  });

  it('no command, or an unknown one, is a usage error (exit 2)', async () => {
    expect((await face()).code).toBe(2);
    const r = await face('fit');
    expect(r.code).toBe(2);
    const names = COMMANDS.map((c) => c.name).join(', ');
    expect(r.err).toMatch(new RegExp(`^face: unknown command 'fit'.*\\(commands: ${names}\\)`));
  });

  it('a bad flag is named', async () => {
    const cases: [string[], string][] = [
      [
        ['train', '--epoch', '3'],
        "face train: unknown flag --epoch; did you mean --epochs? (see 'face train --help')",
      ],
      [['train', '--data'], "face train: flag --data needs a value (see 'face train --help')"],
      [
        ['train', '--data', 'synthetic', '--out', 'x', '--recipe', 'arcface'],
        "face train: flag --recipe must be one of classification, joint, sequential, metric, got 'arcface'",
      ],
      [
        ['train', '--data', 'synthetic', '--out', 'x', '--epochs', 'ten'],
        "face train: flag --epochs must be an integer >= 1, got 'ten'",
      ],
      [
        ['train', '--data', 'synthetic', '--out', 'x', '--epochs', '0'],
        "face train: flag --epochs must be an integer >= 1, got '0'",
      ],
      [
        ['train', '--data', 'synthetic', '--out', 'x', '--lr=-1'],
        "face train: flag --lr must be a number >= 0, got '-1'",
      ],
      [
        ['train', '--data', 'synthetic', '--out', 'x', '--lr', '-1'],
        "face train: flag --lr has a value starting with '-': write it as --flag=<value> (see 'face train --help')",
      ],
      [['train', '--out', 'x'], "face train: flag --data is required (see 'face train --help')"],
      [
        ['train', '--data', 'synthetic'],
        "face train: flag --out is required (see 'face train --help')",
      ],
      [
        ['train', 'synthetic'],
        "face train: unexpected argument 'synthetic' (flags start with --; see 'face train --help')",
      ],
      [
        ['train', '--resume=yes', '--data', 'synthetic', '--out', 'x'],
        "face train: flag --resume takes no value (see 'face train --help')",
      ],
      [
        ['eval', '--model', 'm', '--data', 'synthetic', '--far', '2'],
        "face eval: flag --far must be numbers in (0, 1], got '2'",
      ],
      [
        ['embed', '--model', 'm', '--data', 'synthetic', '--out', 'e.txt'],
        "face embed: flag --out must end in .json or .npy, got 'e.txt'",
      ],
      [['demo', '--threads', '0'], "face demo: flag --threads must be an integer >= 1, got '0'"],
      [
        ['demo', '--backend', 'gpu'],
        "face demo: flag --backend must be one of auto, tensorflow, webgpu, webgl, wasm, cpu, got 'gpu' (did you mean 'cpu'?)",
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await face(...argv);
      expect(r.err, argv.join(' ')).toBe(message);
      expect(r.code, argv.join(' ')).toBe(2);
    }
  });
});

describe('face: backend selection', () => {
  it('an explicit backend that cannot load is a usage error that says how to install it', async () => {
    // tfjs-node is not a dependency of this repository, so it cannot load here.
    const r = await face(
      'embed',
      '--backend',
      'tensorflow',
      '--model',
      'm',
      '--data',
      'synthetic',
      '--out',
      'e.json',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^face: .*tensorflow.*not installed.*tfjs-node/s);
  });
});
