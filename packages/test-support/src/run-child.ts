// Runs a test's child entry in a separate Node process (crash and resume tests kill it): bundled
// with esbuild (sources of @face/* inlined, with @face/backends' bundled tfjs-core gradients;
// TensorFlow.js packages left external and resolved as the owning package's tests resolve them).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { tfjsGradientsEsbuildPlugin } from '../../backends/bundler/tfjs-gradients';

const packages = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
/** Marks esbuild's own resolution of an external package, so that its hook lets it through. */
const SKIP = Symbol('face-child-external');

const bundled = new Map<string, Promise<string>>();

export interface ChildRunnerOptions {
  /**
   * Packages (and their subpaths) left out of the bundle, imported from where package `owner`'s
   * tests import them: for packages that find files next to their own modules (PGlite's wasm and
   * extension archives) or that a bundle would copy (a second instance of a singleton).
   */
  external?: readonly string[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `entry` bundled once per test process; TF.js resolved from package `owner` (its tests' copy). */
function bundle(owner: string, entry: string, external: readonly string[]): Promise<string> {
  let done = bundled.get(entry);
  done ??= (async () => {
    const requireOwn = createRequire(join(packages, owner, 'package.json'));
    const outfile = join(mkdtempSync(join(tmpdir(), `face-${owner}-child-`)), 'child.mjs');
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'error',
      plugins: [
        tfjsGradientsEsbuildPlugin(),
        {
          name: 'face-sources-and-shared-tfjs',
          setup(b) {
            b.onResolve({ filter: /^@face\/[a-z-]+(\/[a-z-]+)?$/ }, (args) => {
              const [name, sub] = args.path.slice('@face/'.length).split('/');
              return { path: join(packages, name, 'src', `${sub ?? 'index'}.ts`) };
            });
            b.onResolve({ filter: /^@tensorflow\// }, (args) => {
              return { path: requireOwn.resolve(args.path), external: true };
            });
            if (external.length === 0) return;
            const names = external.map(escapeRegExp).join('|');
            b.onResolve({ filter: new RegExp(`^(${names})(/.*)?$`) }, async (args) => {
              if (args.pluginData === SKIP) return undefined;
              // Resolved as an ESM import from the owner's folder (its `exports`, `import`
              // condition), then imported by URL: the child finds the very files the tests do.
              const found = await b.resolve(args.path, {
                kind: args.kind,
                resolveDir: join(packages, owner),
                pluginData: SKIP,
              });
              if (found.errors.length > 0) return { errors: found.errors };
              return { path: pathToFileURL(found.path).href, external: true };
            });
          },
        },
      ],
    });
    return outfile;
  })();
  bundled.set(entry, done);
  return done;
}

export interface ChildRun {
  child: ChildProcess;
  /** Resolves with the first stdout line that starts with one of `markers`. */
  waitFor(markers: string[]): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/**
 * A `runChild(env, entry)` for package `owner`'s tests: `entry` is a file name in `helpersDir`
 * (default `defaultEntry`), run with `env` added to this process's environment.
 */
export function childRunner(
  owner: string,
  helpersDir: string,
  defaultEntry?: string,
  options: ChildRunnerOptions = {},
): (env: Record<string, string>, entry?: string) => Promise<ChildRun> {
  return (env, entry = defaultEntry) => {
    if (entry === undefined) throw new Error(`runChild: name a child entry of ${helpersDir}`);
    return runChild(owner, join(helpersDir, entry), env, options.external ?? []);
  };
}

async function runChild(
  owner: string,
  entry: string,
  env: Record<string, string>,
  external: readonly string[],
): Promise<ChildRun> {
  const script = await bundle(owner, entry, external);
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { markers: string[]; resolve: (line: string) => void }[] = [];
  const check = () => {
    for (const line of stdout.split('\n')) {
      for (const w of [...waiters]) {
        if (w.markers.some((m) => line.startsWith(m))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  };
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    check();
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
  }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  return {
    child,
    exited,
    waitFor: (markers) =>
      new Promise((resolve, reject) => {
        waiters.push({ markers, resolve });
        check();
        void exited.then(({ code, stderr: err }) =>
          reject(
            new Error(`child exited (${code}) before ${markers.join('/')}:\n${stdout}\n${err}`),
          ),
        );
      }),
  };
}
