import { main, type Io } from '@face/cli';

/** Runs `face ...argv` in this process; returns the exit code and what it printed. */
export async function face(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
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
