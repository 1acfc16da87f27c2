import { main, type Io } from '@face/cli';

/** A line the commands print on stderr to inform, not to report a failure. */
const NOTICE = /^(warning|keep-best): /;

/**
 * Runs `face ...argv` in this process; returns the exit code and what it printed: `err` holds the
 * error lines, `notices` the `warning: ...` and `keep-best: ...` lines printed to stderr beside
 * them (e.g. the no-guard warning of a run without held-out identities).
 */
export async function face(
  ...argv: string[]
): Promise<{ code: number; out: string; err: string; notices: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const notices: string[] = [];
  const io: Io = {
    out: (l) => out.push(l),
    err: (l) => (NOTICE.test(l) ? notices : err).push(l),
  };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n'), notices };
}

/** The smallest model the commands train in tests: a tiny CNN on 16 px pictures, 8-d embeddings. */
export const TINY_MODEL = [
  '--backbone',
  'convnet-tiny',
  '--image-size',
  '16',
  '--embedding-size',
  '8',
] as const;
