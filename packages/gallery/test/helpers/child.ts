// Runs a child entry of this folder in a separate Node process (the crash test kills it). Like
// @face/test-support's childRunner, but PGlite and pg stay external: PGlite finds its wasm and
// pgvector files next to its own module, which a bundle would move. The bundle is written under
// this package's node_modules so that those imports resolve as the tests' do.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const packages = join(here, '..', '..', '..');
// esbuild is @face/test-support's dependency (its childRunner bundles with it), not this
// package's: loaded from there, with the little of its API used here typed by hand.
interface EsbuildPluginBuild {
  onResolve(
    options: { filter: RegExp },
    callback: (args: { path: string }) => { path: string },
  ): void;
}
const { build } = createRequire(join(packages, 'test-support', 'package.json'))('esbuild') as {
  build(
    options: Record<string, unknown> & {
      plugins: { name: string; setup(b: EsbuildPluginBuild): void }[];
    },
  ): Promise<unknown>;
};

export interface Child {
  child: ChildProcess;
  /** Resolves with the first stdout line starting with `marker` (rejects if the child exits). */
  waitFor(marker: string): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export async function runChild(entry: string, env: Record<string, string>): Promise<Child> {
  const dir = join(packages, 'gallery', 'node_modules', '.face-child');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `${entry.replace(/\W/g, '_')}-${process.pid}.mjs`);
  await build({
    entryPoints: [join(here, entry)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    packages: 'external',
    plugins: [
      {
        name: 'face-sources',
        setup(b) {
          b.onResolve({ filter: /^@face\/[a-z-]+$/ }, (args) => ({
            path: join(packages, args.path.slice('@face/'.length), 'src', 'index.ts'),
          }));
        },
      },
    ],
  });
  const child = spawn(process.execPath, [outfile], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
  }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  const waitFor = (marker: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = stdout.split('\n').find((l) => l.startsWith(marker));
        if (line !== undefined) {
          child.stdout!.off('data', check);
          resolve(line);
        }
      };
      child.stdout!.on('data', check);
      check();
      void exited.then(({ code }) =>
        reject(new Error(`child exited (${code}) before ${marker}:\n${stdout}\n${stderr}`)),
      );
    });
  return { child, waitFor, exited };
}
