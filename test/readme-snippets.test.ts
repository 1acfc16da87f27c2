/**
 * The READMEs' code runs verbatim. Every ```ts / ```js block of the package READMEs listed below is
 * written unchanged to its own module under out/readme-snippets/, type-checked in one `tsc
 * --strict` run (the packages' sources through the workspace paths), then imported and run from
 * an empty working directory, in README order. A block opts out only with a marker just above
 * its fence (blank lines between are fine), which names the reason:
 *
 *   <!-- snippet: typecheck-only (reason) -->   type-checked, not run (needs a browser, files...)
 *   <!-- snippet: skip (reason) -->             neither (a fragment such as a class outline)
 *
 * The opted-out blocks are listed below, so adding one shows up in review.
 *
 * The `face` command lines the docs show (sh blocks and code spans, see ./readme-cli.ts) name
 * commands and flags that @face/cli's COMMANDS define, so the CLI docs cannot rot either.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cliMentions, sectionFlags } from './readme-cli';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'out', 'readme-snippets');

/** The READMEs held to this rule (the other packages' READMEs are still to be brought under it). */
const READMES = [
  'core',
  'norms',
  'layers',
  'losses',
  'data',
  'metrics',
  'train',
  'recipes',
  'backends',
  'pretrained',
  'align',
  'gallery',
];

/**
 * Packages the READMEs' install lines name that the workspace root does not depend on, linked
 * into out/readme-snippets/node_modules from a package that does: the blocks and their working
 * directories sit in that folder, as in a user's project where they are installed.
 */
const INSTALLED = { '@vladmandic/face-api': 'packages/pretrained' };

/** Every opted-out block, `<package>#<block number>: <mode>`: a new one must be added here. */
const EXPECTED_OPT_OUTS = ['data#2: typecheck-only', 'data#3: typecheck-only'];

/** Flags every `face` command takes besides its own (packages/cli/src/args.ts). */
const COMMON_FLAGS = ['help', 'version'];

type Mode = 'run' | 'typecheck-only' | 'skip';

interface Snippet {
  id: string;
  file: string;
  mode: Mode;
  reason: string;
  code: string;
}

/** The fenced ts/js blocks of a markdown text, with the opt-out marker above each, if any. */
function extractSnippets(markdown: string, pkg: string): Omit<Snippet, 'file'>[] {
  const lines = markdown.split('\n');
  const found: Omit<Snippet, 'file'>[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript|js|javascript)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`${pkg}/README.md: the block at line ${i + 1} is not closed`);
    let above = i - 1;
    while (above >= 0 && lines[above].trim() === '') above--; // Prettier puts a blank line between
    const marker = /^<!-- snippet: (typecheck-only|skip) \((.+)\) -->$/.exec(lines[above] ?? '');
    const id = `${pkg}#${found.length + 1}`;
    found.push({
      id,
      mode: (marker?.[1] as Mode | undefined) ?? 'run',
      reason: marker?.[2] ?? '',
      code: lines.slice(i + 1, end).join('\n') + '\n',
    });
    i = end;
  }
  return found;
}

mkdirSync(out, { recursive: true });
for (const [name, from] of Object.entries(INSTALLED)) {
  const link = join(out, 'node_modules', name);
  if (existsSync(link)) continue;
  rmSync(link, { force: true }); // a dangling link from an older checkout
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(realpathSync(join(root, from, 'node_modules', name)), link, 'dir');
}
const snippets: Snippet[] = READMES.flatMap((pkg) =>
  extractSnippets(readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8'), pkg).map((s) => {
    const file = join(out, `${s.id.replace('#', '-')}.ts`);
    // `export {}` keeps a block without imports a module, so blocks share no globals.
    writeFileSync(file, `${s.code}export {};\n`);
    return { ...s, file };
  }),
);
// Inside out/readme-snippets, so that a block's working directory is in the "project" (face-api's
// model/ folder is found from it, as @face/pretrained's loaders look for it).
const work = mkdtempSync(join(out, 'work-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('README code blocks', () => {
  it('opt out only with a marker, and only those listed here', () => {
    const optedOut = snippets.filter((s) => s.mode !== 'run').map((s) => `${s.id}: ${s.mode}`);
    // The count and the list, in the test log: what the docs do not prove.
    console.info(
      `${snippets.length} README blocks, ${optedOut.length} opted out:\n` +
        snippets
          .filter((s) => s.mode !== 'run')
          .map((s) => `  ${s.id} ${s.mode}: ${s.reason}`)
          .join('\n'),
    );
    expect(optedOut).toEqual(EXPECTED_OPT_OUTS);
    expect(snippets.filter((s) => s.mode === 'run').length).toBeGreaterThan(10);
  });

  it('link outside their package only by absolute URL (a README ships in its tarball)', () => {
    const relative = READMES.flatMap((pkg) =>
      [...readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8').matchAll(/\]\(([^)]+)\)/g)]
        .map((m) => m[1])
        .filter((target) => !/^(https?:\/\/|#)/.test(target))
        .map((target) => `${pkg}/README.md: ${target}`),
    );
    expect(relative).toEqual([]);
  });

  it('have tables whose cells close their code spans (an unescaped | inside one splits the cell)', () => {
    const broken: string[] = [];
    for (const pkg of READMES) {
      const lines = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!line.startsWith('|')) return;
        const cells = line.split(/(?<!\\)\|/).slice(1, -1);
        cells.forEach((cell, c) => {
          if ((cell.match(/`/g) ?? []).length % 2)
            broken.push(`${pkg}/README.md:${i + 1}, cell ${c + 1}: ${cell.trim()}`);
        });
      });
    }
    expect(broken).toEqual([]);
  });

  it("name only `face` commands and flags that exist (the cli README's and the others')", async () => {
    const { COMMANDS } = await import('@face/cli');
    // Where `face` command lines are shown: the packages' READMEs, the repository's, the examples'.
    const files = [
      ...[...READMES, 'cli'].map((pkg) => `packages/${pkg}/README.md`),
      'README.md',
      ...['', 'browser/', 'classification-node/', 'verification-node/'].map(
        (e) => `examples/${e}README.md`,
      ),
    ];
    const mentions = files.flatMap((file) =>
      cliMentions(readFileSync(join(root, file), 'utf8'), file),
    );
    const flags = mentions.flatMap((m) => m.flags).length;
    console.info(
      `${mentions.length} face command lines with ${flags} flags in ${files.length} files`,
    );
    expect(mentions.length).toBeGreaterThan(40); // the extractor still finds them
    const wrong = mentions.flatMap((m) =>
      m.commands.flatMap((name) => {
        const command = COMMANDS.find((c) => c.name === name);
        if (!command) return [`${m.where}: no command '${name}' in \`${m.text}\``];
        return m.flags
          .filter((f) => !(f in command.flags) && !COMMON_FLAGS.includes(f))
          .map((f) => `${m.where}: face ${name} has no flag --${f} (in \`${m.text}\`)`);
      }),
    );
    // A flag named alone in a command's section of the cli README is one of that command's, or
    // of a command its paragraph names.
    const cli = 'packages/cli/README.md';
    const alone = sectionFlags(readFileSync(join(root, cli), 'utf8'), cli);
    console.info(`${alone.length} flags named alone in the cli README's command sections`);
    expect(alone.length).toBeGreaterThan(40);
    for (const { where, flag, commands } of alone) {
      const owners = COMMANDS.filter((c) => commands.includes(c.name) && flag in c.flags);
      if (!owners.length && !COMMON_FLAGS.includes(flag))
        wrong.push(`${where}: --${flag}, named in the section of face ${commands.join('|')}`);
    }
    expect(wrong).toEqual([]);
  });

  it('type-check under tsc --strict', () => {
    const checked = snippets.filter((s) => s.mode !== 'skip');
    writeFileSync(
      join(out, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.json',
        compilerOptions: { noEmit: true, strict: true },
        include: checked.map((s) => s.file.slice(out.length + 1)),
      }),
    );
    try {
      execFileSync(
        process.execPath,
        [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', out],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (err) {
      const e = err as { stdout?: string };
      // tsc names the generated file (e.g. out/readme-snippets/train-1.ts): block 1 of train's README.
      throw new Error(`README blocks fail to type-check:\n${e.stdout ?? String(err)}`);
    }
  });

  const cwd = process.cwd();
  // The blocks share this process's TF.js engine, as separate programs would not: each one's
  // variables go with it, so two blocks may both name a variable 'w'.
  afterEach(() => tf.disposeVariables());
  for (const s of snippets.filter((x) => x.mode === 'run')) {
    it(`${s.id} runs verbatim`, async () => {
      const dir = join(work, s.id.replace('#', '-'));
      mkdirSync(dir);
      // Relative paths in a block (./runs/...) land in a scratch folder, not the repository.
      process.chdir(dir);
      try {
        await import(/* @vite-ignore */ pathToFileURL(s.file).href);
      } finally {
        process.chdir(cwd);
      }
    });
  }
});
