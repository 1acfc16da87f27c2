import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { tfjsGradientsEsbuildPlugin } from '../bundler/tfjs-gradients';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const packages = join(pkg, '..');

/**
 * Bundles the child as a user's bundler would, with the pthread worker copied next to the
 * bundle (where @face/backends looks for it), under node_modules so Node resolves TF.js.
 */
async function bundleChild(withWorker = true): Promise<string> {
  const dir = join(pkg, 'node_modules', '.cache', withWorker ? 'face-soak' : 'face-soak-no-worker');
  mkdirSync(dir, { recursive: true });
  const requireOwn = createRequire(join(pkg, 'package.json'));
  const outfile = join(dir, 'child.mjs');
  await build({
    entryPoints: [join(pkg, 'test', 'soak', 'child.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    plugins: [
      tfjsGradientsEsbuildPlugin(),
      {
        name: 'face-sources',
        setup(b) {
          b.onResolve({ filter: /^@face\/[a-z-]+$/ }, (args) => ({
            path: join(packages, args.path.slice('@face/'.length), 'src', 'index.ts'),
          }));
          b.onResolve({ filter: /^@tensorflow\// }, (args) => ({
            path: requireOwn.resolve(args.path),
            external: true,
          }));
        },
      },
    ],
  });
  const worker = join(dir, 'pthread-worker.cjs');
  if (withWorker) copyFileSync(join(pkg, 'src', 'wasm', 'pthread-worker.cjs'), worker);
  else rmSync(worker, { force: true });
  return outfile;
}

/** Runs the child; resolves with its output and how long it took to exit after its last line. */
function run(script: string, env: Record<string, string>, limitMs: number) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; exitLagMs: number }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [script], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let doneAt = 0;
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (!doneAt && stdout.includes('done ')) doneAt = performance.now();
      });
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        const where = doneAt ? 'finished its steps but did not exit' : 'hung before finishing';
        reject(new Error(`soak child ${where} in ${limitMs / 1000} s:\n${stdout}\n${stderr}`));
      }, limitMs);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, exitLagMs: doneAt ? performance.now() - doneAt : -1 });
      });
    },
  );
}

describe('wasm threads in Node: soak', () => {
  it('trains 1,000 steps on the default threads without a hang, and the process exits on its own', async () => {
    const script = await bundleChild();
    const r = await run(script, { SOAK_STEPS: '1000' }, 90_000);
    console.info(r.stdout.trim());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const threads = Number(/threads (\d+)/.exec(r.stdout)?.[1]);
    const { availableParallelism } = await import('node:os');
    expect(threads).toBe(availableParallelism());
    const m = /done 1000 steps .*loss ([\d.]+) -> ([\d.]+), tensors (\d+) -> (\d+)/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![2])).toBeLessThan(Number(m![1])); // it trained
    expect(Number(m![4])).toBe(Number(m![3])); // no tensor leaked per step
    // No stray worker keeps the event loop alive (a kept worker would hit the time limit).
    expect(r.exitLagMs).toBeLessThan(10_000);
  }, 120_000);

  it('falls back to one thread, saying why, when the worker file is not beside the bundle', async () => {
    const script = await bundleChild(false);
    const r = await run(script, { SOAK_STEPS: '3', SOAK_THREADS: '2' }, 60_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /threads 1 \(.*threads unavailable \(the worker script .*pthread-worker\.cjs is missing/,
    );
    expect(r.stdout).toMatch(/done 3 steps/);
  });
});
