import type * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@face/core';
import type { WeightsArtifacts } from './manifest';
import { nodeFs, nodePath, nodeUrl } from './node';

/**
 * Where weights come from: a directory or manifest path on disk (Node), an http(s)/file URL
 * (a string with a scheme, or a `URL`), or the manifest and bytes already in memory. In a browser
 * a string without a scheme is a URL relative to the page.
 */
export type WeightsSource = string | URL | WeightsArtifacts;

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function isArtifacts(source: unknown): source is WeightsArtifacts {
  return (
    typeof source === 'object' && source !== null && 'manifest' in source && 'weightData' in source
  );
}

/**
 * Reads a weights manifest and its shards. `manifestName` is the file looked for when the source
 * names a directory (or a URL not ending in `.json`), e.g. `face_recognition_model-weights_manifest.json`.
 */
export function readWeightsArtifacts(
  source: WeightsSource,
  manifestName: string,
): Promise<WeightsArtifacts> {
  return readWeightsFor('readWeightsArtifacts', source, manifestName);
}

/** {@link readWeightsArtifacts} with errors naming the public function `fn`. */
export async function readWeightsFor(
  fn: string,
  source: WeightsSource,
  manifestName: string,
): Promise<WeightsArtifacts> {
  if (isArtifacts(source)) return source;
  if (source instanceof URL) return readFromUrl(fn, source, manifestName);
  if (typeof source !== 'string' || source === '') {
    throw new InvalidArgumentError(
      fn,
      'source',
      source,
      'a directory or manifest path, a URL, or { manifest, weightData }',
    );
  }
  if (SCHEME.test(source) || !isNode()) {
    const base = typeof location !== 'undefined' ? location.href : undefined;
    return readFromUrl(fn, new URL(source, base), manifestName);
  }
  return readFromDisk(fn, source, manifestName);
}

async function readFromUrl(fn: string, url: URL, manifestName: string): Promise<WeightsArtifacts> {
  if (url.protocol === 'file:' && isNode()) {
    const { fileURLToPath } = await nodeUrl();
    return readFromDisk(fn, fileURLToPath(url), manifestName);
  }
  const manifestUrl = url.pathname.endsWith('.json')
    ? url
    : new URL(manifestName, url.href.endsWith('/') ? url : new URL(`${url.href}/`));
  const get = async (u: URL): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(u);
    } catch (err) {
      throw new InvalidArgumentError(
        fn,
        'source',
        u.href,
        `a reachable URL (${(err as Error).message})`,
      );
    }
    if (!response.ok) {
      throw new InvalidArgumentError(
        fn,
        'source',
        u.href,
        `a URL that answers 200 (got HTTP ${response.status})`,
      );
    }
    return response;
  };
  const manifest = (await (await get(manifestUrl)).json()) as tf.io.WeightsManifestConfig;
  const paths = shardPaths(fn, manifest);
  const weightData = await Promise.all(
    paths.map(async (p) => (await get(new URL(p, manifestUrl))).arrayBuffer()),
  );
  return { manifest, weightData };
}

async function readFromDisk(
  fn: string,
  path: string,
  manifestName: string,
): Promise<WeightsArtifacts> {
  const { readFile } = await nodeFs();
  const { dirname, join } = await nodePath();
  const manifestPath = path.endsWith('.json') ? path : join(path, manifestName);
  const read = async (file: string): Promise<Uint8Array> => {
    try {
      return await readFile(file);
    } catch (err) {
      throw new InvalidArgumentError(
        fn,
        'source',
        path,
        `a readable weights manifest and shards (${(err as Error).message})`,
      );
    }
  };
  let manifest: tf.io.WeightsManifestConfig;
  try {
    manifest = JSON.parse(
      new TextDecoder().decode(await read(manifestPath)),
    ) as tf.io.WeightsManifestConfig;
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    throw new InvalidArgumentError(
      fn,
      'source',
      manifestPath,
      `a JSON weights manifest (${(err as Error).message})`,
    );
  }
  const dir = dirname(manifestPath);
  const weightData = await Promise.all(
    shardPaths(fn, manifest).map(async (p) => {
      const bytes = await read(join(dir, p));
      return bytes.buffer.slice(
        bytes.byteOffset,
        bytes.byteOffset + bytes.byteLength,
      ) as ArrayBuffer;
    }),
  );
  return { manifest, weightData };
}

function shardPaths(fn: string, manifest: tf.io.WeightsManifestConfig): string[] {
  if (!Array.isArray(manifest)) {
    throw new InvalidArgumentError(fn, 'manifest', manifest, 'an array of weight groups');
  }
  return manifest.flatMap((group, g) => {
    if (!group || !Array.isArray(group.paths) || !group.paths.every((p) => typeof p === 'string')) {
      throw new InvalidArgumentError(
        fn,
        `manifest[${g}].paths`,
        group?.paths,
        'an array of shard file names',
      );
    }
    return group.paths;
  });
}
