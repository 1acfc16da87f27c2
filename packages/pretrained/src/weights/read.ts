import type * as tf from '@tensorflow/tfjs-core';
import {
  InvalidArgumentError,
  ModelFileError,
  checkWeightsManifest,
  fetchModelJson,
  fetchWeightShards,
  openModelFolder,
  readWeightShards,
} from '@face/core';
import type { WeightsArtifacts } from './manifest';
import { nodePath, nodeUrl } from './node';

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

/** A top-level file that is not there is a bad `source` argument; anything else a bad model file. */
function missingAsArgument(fn: string, source: string, expected: (reason: string) => string) {
  return (err: unknown): never => {
    if (err instanceof ModelFileError && err.problem === 'missing') {
      throw new InvalidArgumentError(fn, 'source', source, expected(err.reason));
    }
    throw err;
  };
}

async function readFromUrl(fn: string, url: URL, manifestName: string): Promise<WeightsArtifacts> {
  if (url.protocol === 'file:' && isNode()) {
    const { fileURLToPath } = await nodeUrl();
    return readFromDisk(fn, fileURLToPath(url), manifestName);
  }
  const manifestUrl = url.pathname.endsWith('.json')
    ? url
    : new URL(manifestName, url.href.endsWith('/') ? url : new URL(`${url.href}/`));
  // The manifest may name only shards under its own URL directory, each no longer than declared.
  const json = await fetchModelJson(manifestUrl).catch(
    missingAsArgument(fn, manifestUrl.href, (why) => `a URL that answers 200 (${why})`),
  );
  const groups = checkWeightsManifest(manifestUrl.href, 'manifest', json);
  const shards = await fetchWeightShards(manifestUrl, groups);
  return { manifest: json as tf.io.WeightsManifestConfig, weightData: shards.map(asBuffer) };
}

const asBuffer = (bytes: Uint8Array) => bytes.buffer as ArrayBuffer;

async function readFromDisk(
  fn: string,
  path: string,
  manifestName: string,
): Promise<WeightsArtifacts> {
  const { basename, dirname, join } = await nodePath();
  const manifestPath = path.endsWith('.json') ? path : join(path, manifestName);
  // The manifest and its shards must be regular files inside the manifest's folder, the shards
  // of exactly the sizes the manifest declares.
  const missing = missingAsArgument(
    fn,
    path,
    (why) => `a readable weights manifest and shards (${manifestPath} ${why})`,
  );
  const folder = await openModelFolder(dirname(manifestPath)).catch(missing);
  const json = await folder.readJson(basename(manifestPath), null).catch(missing);
  const groups = checkWeightsManifest(manifestPath, 'manifest', json);
  const shards = await readWeightShards(folder, manifestPath, groups);
  return { manifest: json as tf.io.WeightsManifestConfig, weightData: shards.map(asBuffer) };
}
