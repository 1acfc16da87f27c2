/**
 * The `face` command lines a README shows: in its sh blocks (continuation lines joined, comments
 * dropped) and in its inline code spans, every `face <command> ... --flag` (or `node
 * .../bin.js <command> ...`), with the flags that follow it. Error messages quoted in the docs
 * (`face train: unknown flag --epoch`) are not command lines: a colon follows their command.
 */
export interface CliMention {
  /** Where it is, `<file>:<line>`. */
  where: string;
  /** The command word(s): `train|eval|embed` names three. */
  commands: string[];
  /** `--name` flags after the command, without the dashes (a `--flag=value` gives `flag`). */
  flags: string[];
  text: string;
}

const INVOCATION = /(?:^|[\s(;&|`/])(?:face|bin\.js)[ \t]+([a-z][a-z|-]*)(?=[ \t]|$)/g;

/** The command lines in one stretch of text (a shell line or a code span). */
function mentionsIn(text: string, where: string): CliMention[] {
  const starts = [...text.matchAll(INVOCATION)];
  return starts.map((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].index : text.length;
    const rest = text.slice(m.index + m[0].length, end);
    return {
      where,
      commands: m[1].split('|'),
      // A flag is a word of its own: `--` after a space, a `[`, a `(` or a `|` (`[--a x | --b y]`).
      flags: [...rest.matchAll(/(?:^|[\s[(|])--([a-z][a-z0-9-]*)/g)].map((f) => f[1]),
      text: text.slice(m.index, end).trim(),
    };
  });
}

/** Every `face` command line of a markdown file. */
export function cliMentions(markdown: string, file: string): CliMention[] {
  const lines = markdown.split('\n');
  const found: CliMention[] = [];
  const prose: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```(\w*)\s*$/.exec(lines[i]);
    if (!fence) {
      prose.push(lines[i]);
      continue;
    }
    let end = i + 1;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    // `text` blocks show what the command prints, such as the command that resumes a run.
    if (['sh', 'bash', 'shell', 'console', 'text'].includes(fence[2])) {
      // Join `\` continuations and a synopsis' indented `[--flag ...]` lines, keeping the first
      // line's number; drop comments.
      for (let j = i + 1; j < end; j++) {
        const first = j;
        let line = lines[j].replace(/(^|\s)#.*$/, '');
        for (;;) {
          const next = lines[j + 1]?.replace(/(^|\s)#.*$/, '');
          if (j + 1 >= end || next === undefined) break;
          if (/\\\s*$/.test(line)) line = line.replace(/\\\s*$/, ' ') + next;
          else if (/^\s+[[-]/.test(next)) line += ` ${next}`;
          else break;
          j++;
        }
        found.push(...mentionsIn(line, `${file}:${first + 1}`));
      }
    }
    // Other blocks are not prose; a blank line stands for each, keeping line numbers.
    for (let j = i; j <= end; j++) prose.push('');
    i = end;
  }
  // Code spans may wrap across lines: search the prose as one text, numbering by offset.
  const text = prose.join('\n');
  for (const span of text.matchAll(/`([^`]+)`/g)) {
    const line = text.slice(0, span.index).split('\n').length;
    found.push(...mentionsIn(span[1].replace(/\s*\n\s*/g, ' '), `${file}:${line}`));
  }
  return found;
}

/** A flag named alone (`--flip-tta`) in a `### \`face <command>\`` section of the docs. */
export interface SectionFlag {
  where: string;
  flag: string;
  /** The section's command and those its paragraph names (`--report` of `face eval`). */
  commands: string[];
}

/** Every code span that starts with `--flag` inside a command's section, outside code blocks. */
export function sectionFlags(markdown: string, file: string): SectionFlag[] {
  const found: SectionFlag[] = [];
  let section: string | undefined;
  let paragraph: { line: number; text: string }[] = [];
  const flush = () => {
    const text = paragraph.map((p) => p.text).join('\n');
    if (section && text) {
      const named = cliMentions(text, file).flatMap((m) => m.commands);
      for (const span of text.matchAll(/`--([a-z][a-z0-9-]*)[^`]*`/g)) {
        const line = paragraph[0].line + text.slice(0, span.index).split('\n').length - 1;
        found.push({ where: `${file}:${line}`, flag: span[1], commands: [section, ...named] });
      }
    }
    paragraph = [];
  };
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heading = /^(#{1,6})\s/.exec(lines[i]);
    if (heading) {
      flush();
      const command = /`face ([a-z]+)`/.exec(lines[i])?.[1];
      if (command) section = command;
      else if (heading[1].length <= 3) section = undefined;
    } else if (/^\s*```/.test(lines[i])) {
      flush();
      while (++i < lines.length && !/^\s*```\s*$/.test(lines[i]));
    } else if (lines[i].trim() === '') flush();
    else paragraph.push({ line: i + 1, text: lines[i] });
  }
  flush();
  return found;
}
