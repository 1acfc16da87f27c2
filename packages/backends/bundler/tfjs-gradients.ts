/**
 * Build-time bundling of tfjs-core's own gradient functions (`dist/gradients/*.js`) against the
 * PUBLIC `@tensorflow/tfjs-core` API, so `registerGradients()` works with only tfjs-core
 * installed, from Node ESM, Node CJS and browsers.
 *
 * Why: tfjs-core's Node bundle registers no gradients, and its ESM `register_all_gradients` uses
 * extensionless relative imports (Node cannot load them). Bundling those files naively copies
 * tfjs-core's engine/tensor modules: a second `Tensor` class without chained ops. Here every
 * import a gradient file makes of a tfjs-core internal is rewritten to the public namespace
 * (`tf.mul`, `tf.util`, `tf.backend_util.*`, `tf.engine()`); only op wrappers that tfjs-core does
 * not export (e.g. `conv2DBackpropFilter`, built from public `tf.op` and `tf.engine().runKernel`)
 * and gradient helpers are bundled. Anything else fails the build, naming the import.
 *
 * Used by `tsup.config.ts` (the published build) and by the root vitest config (tests run
 * against src), through the virtual module id `virtual:face-tfjs-gradients`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin as EsbuildPlugin } from 'esbuild';

export const GRADIENTS_MODULE_ID = 'virtual:face-tfjs-gradients';

const here = dirname(fileURLToPath(import.meta.url));
const requireHere = createRequire(join(here, 'package.json'));
const coreDist = dirname(requireHere.resolve('@tensorflow/tfjs-core/package.json')) + '/dist';
// The public API as a user's `import * as tf from '@tensorflow/tfjs-core'` sees it.
const publicTf = requireHere('@tensorflow/tfjs-core') as Record<string, unknown>;

/** tfjs-core internal modules whose functions are public under a namespace of `tf`. */
const NAMESPACE_OF: Record<string, string[]> = {
  util: ['util'],
  'ops/broadcast_util': ['broadcast_util', 'backend_util'],
  'ops/conv_util': ['backend_util'],
  'ops/axis_util': ['backend_util'],
  'ops/slice_util': ['slice_util'],
  'ops/selu_util': ['backend_util'],
};

/** Stateful internals: never bundled, only reached through the public engine. */
const STATEFUL = new Set([
  'engine',
  'tensor',
  'environment',
  'kernel_registry',
  'globals',
  'global_util',
  'tape',
  'tensor_util_env',
  'ops/operation',
  'base',
  'index',
]);

/** Internal names with no public alias, and their public equivalents. */
const SHIMS: Record<string, Record<string, string>> = {
  engine: { ENGINE: '__tf.engine()' },
  // The bundled op wrappers receive tensors from gradient functions; a TensorLike is converted
  // the way tf.tensor does (the internal convertToTensor also checks dtype, which `tf.op` ops
  // downstream check again).
  tensor_util_env: {
    convertToTensor: '((x) => (x instanceof __tf.Tensor ? x : __tf.tensor(x)))',
  },
};

function moduleIdOf(file: string): string {
  return relative(coreDist, file).replace(/\\/g, '/').replace(/\.js$/, '');
}

function namespaceHas(ns: string, name: string): boolean {
  const value = publicTf[ns] as Record<string, unknown> | undefined;
  return value != null && name in value;
}

/** Rewrites one tfjs-core dist file's imports; returns the new source. */
function rewriteImports(file: string, source: string, bundled: Set<string>): string {
  const self = moduleIdOf(file);
  bundled.add(self);
  const head = ['import * as __tf from "@tensorflow/tfjs-core";'];
  const body = source.replace(
    /^import\s+([\s\S]*?)\s+from\s+'([^']+)';$/gm,
    (statement, clause: string, spec: string) => {
      if (!spec.startsWith('.')) {
        throw new Error(`tfjs-gradients: ${self} imports a package '${spec}'`);
      }
      const target = moduleIdOf(resolve(dirname(file), spec));
      const fail = (what: string): never => {
        throw new Error(
          `tfjs-gradients: ${self} imports ${what} from tfjs-core's '${target}', which has no ` +
            'public equivalent; add a mapping in bundler/tfjs-gradients.ts',
        );
      };
      const star = /^\*\s+as\s+(\w+)$/.exec(clause.trim());
      if (star) {
        const local = star[1];
        const candidates = NAMESPACE_OF[target] ?? fail(`* as ${local}`);
        // Every member the file reads must exist on the public namespace it is mapped to.
        const members = new Set(
          [...source.matchAll(new RegExp(`\\b${local}\\.(\\w+)`, 'g'))].map((m) => m[1]),
        );
        const ns = candidates.find((c) => [...members].every((m) => namespaceHas(c, m)));
        if (!ns) fail(`${local}.{${[...members].join(', ')}}`);
        return `const ${local} = __tf.${ns};`;
      }
      const named = /^\{([^}]*)\}$/.exec(clause.trim());
      if (!named) fail(`'${clause}'`);
      const keep: string[] = [];
      const consts: string[] = [];
      for (const part of named![1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const [name, local = name] = part.split(/\s+as\s+/);
        const shim = SHIMS[target]?.[name];
        const ns = NAMESPACE_OF[target]?.find((c) => namespaceHas(c, name));
        if (shim) consts.push(`const ${local} = ${shim};`);
        else if (ns) consts.push(`const ${local} = __tf.${ns}.${name};`);
        else if (target.startsWith('gradients/'))
          keep.push(part); // helpers: bundled, rewritten
        else if (name in publicTf) consts.push(`const ${local} = __tf.${name};`);
        else if (target.startsWith('ops/') && !STATEFUL.has(target) && !(target in NAMESPACE_OF)) {
          keep.push(part); // an op wrapper tfjs-core does not export: bundled, rewritten
        } else fail(name);
      }
      const kept = keep.length ? `import { ${keep.join(', ')} } from '${spec}';` : '';
      return [kept, ...consts].filter(Boolean).join('\n') || `/* ${statement.length} */`;
    },
  );
  return `${head.join('\n')}\n${body}`;
}

/** The esbuild plugin that applies `rewriteImports` to every tfjs-core file it bundles. */
function rewritePlugin(bundled: Set<string>): EsbuildPlugin {
  return {
    name: 'face-tfjs-gradients-rewrite',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, (args) => {
        if (!args.path.startsWith(coreDist)) return undefined;
        const id = moduleIdOf(args.path);
        if (STATEFUL.has(id) || !(id.startsWith('gradients/') || id.startsWith('ops/'))) {
          throw new Error(`tfjs-gradients: refusing to bundle tfjs-core's stateful '${id}'`);
        }
        return { contents: rewriteImports(args.path, readFileSync(args.path, 'utf8'), bundled) };
      });
    },
  };
}

/** The list of gradient configs tfjs-core itself registers, read from its register_all_gradients. */
function gradientEntry(): string {
  const source = readFileSync(join(coreDist, 'register_all_gradients.js'), 'utf8');
  const imports = [
    ...source.matchAll(/^import \{ (\w+GradConfig) \} from '(\.\/gradients\/\w+)';$/gm),
  ];
  if (imports.length < 100) {
    throw new Error(`tfjs-gradients: found only ${imports.length} gradient configs in tfjs-core`);
  }
  return [
    ...imports.map(
      ([, name, spec]) => `import { ${name} } from ${JSON.stringify(join(coreDist, spec))};`,
    ),
    `export const gradConfigs = [${imports.map(([, name]) => name).join(', ')}];`,
  ].join('\n');
}

/**
 * ESM source exporting `gradConfigs` (tfjs-core's GradConfig objects) that imports only
 * `@tensorflow/tfjs-core`. Also returns the tfjs-core modules it bundled, for checks.
 */
export async function bundleTfjsGradients(): Promise<{ code: string; bundled: string[] }> {
  const bundled = new Set<string>();
  const result = await build({
    stdin: { contents: gradientEntry(), resolveDir: coreDist, sourcefile: 'gradients-entry.js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['@tensorflow/tfjs-core'],
    legalComments: 'eof', // tfjs-core's Apache-2.0 notice, once
    plugins: [rewritePlugin(bundled)],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  // Belt and braces: the engine and tensor classes must come from the public package only.
  for (const marker of [/class Engine\b/, /class Tensor\b/, /new Engine\(/, /_tfengine/]) {
    if (marker.test(code)) throw new Error(`tfjs-gradients: bundle contains ${marker}`);
  }
  return { code, bundled: [...bundled].sort() };
}

/** esbuild plugin (tsup's `esbuildPlugins`) serving the virtual module. */
export function tfjsGradientsEsbuildPlugin(): EsbuildPlugin {
  return {
    name: 'face-tfjs-gradients',
    setup(b) {
      b.onResolve({ filter: /^virtual:face-tfjs-gradients$/ }, () => ({
        path: GRADIENTS_MODULE_ID,
        namespace: 'face-tfjs-gradients',
      }));
      b.onLoad({ filter: /.*/, namespace: 'face-tfjs-gradients' }, async () => ({
        contents: (await bundleTfjsGradients()).code,
        loader: 'js',
        resolveDir: here,
      }));
    },
  };
}

/** Vite / vitest plugin serving the same virtual module (tests run against src). */
export function tfjsGradientsVitePlugin() {
  const resolved = `\0${GRADIENTS_MODULE_ID}`;
  let code: Promise<string> | undefined;
  return {
    name: 'face-tfjs-gradients',
    resolveId(id: string) {
      return id === GRADIENTS_MODULE_ID ? resolved : undefined;
    },
    load(id: string) {
      if (id !== resolved) return undefined;
      code ??= bundleTfjsGradients().then((r) => r.code);
      return code;
    },
  };
}
