import * as tf from '@tensorflow/tfjs-core';
import {
  InvalidArgumentError,
  ModelFileError,
  checkWeightsManifest,
  describeValue,
  openModelFolder,
  readWeightShards,
  requireObject,
  writeFileAtomic,
} from '@face/core';

// The file system handler needs Node (its reads and writes go through @face/core's Node helpers,
// which load node:fs on first use): a browser gets a typed error instead of a failed import.
function requireNode(fn: string): void {
  if (typeof process === 'undefined' || process.versions?.node === undefined) {
    throw new InvalidArgumentError(
      fn,
      'environment',
      'a browser',
      'Node.js (the file system handler needs node:fs)',
    );
  }
}

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** A directory from a path or a `file://` URL; a path ending in .json names the model file. */
export function locate(fn: string, path: string): { dir: string; modelFile: string; name: string } {
  if (typeof path !== 'string' || path.length === 0) {
    throw new InvalidArgumentError(fn, 'path', path, 'a directory path or file:// URL');
  }
  let p = path.startsWith('file://') ? decodeURIComponent(path.slice('file://'.length)) : path;
  if (p.endsWith('.json')) {
    const cut = p.lastIndexOf('/');
    return { dir: cut < 0 ? '.' : p.slice(0, cut) || '/', modelFile: p, name: p.slice(cut + 1) };
  }
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return { dir: p, modelFile: `${p}/${MODEL_JSON}`, name: MODEL_JSON };
}

/** Keras layer classes that hold no weights (a topology of only these needs no weights file). */
const WEIGHTLESS = new Set([
  'InputLayer',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'Softmax',
  'ThresholdedReLU',
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'AlphaDropout',
  'GaussianDropout',
  'GaussianNoise',
  'Flatten',
  'Reshape',
  'Permute',
  'RepeatVector',
  'Masking',
  'Add',
  'Subtract',
  'Multiply',
  'Average',
  'Maximum',
  'Minimum',
  'Concatenate',
  'Dot',
  'ZeroPadding2D',
  'Cropping2D',
  'UpSampling2D',
  'MaxPooling1D',
  'MaxPooling2D',
  'MaxPooling3D',
  'AveragePooling1D',
  'AveragePooling2D',
  'AveragePooling3D',
  'GlobalMaxPooling1D',
  'GlobalMaxPooling2D',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
]);
const CONTAINERS = new Set(['Sequential', 'Model', 'Functional']);

/**
 * Names of the layers of a Keras topology (`modelTopology`) that may hold weights: every layer
 * whose class is not known to be weightless (custom layers count), nested models included.
 */
function weightedLayers(topology: unknown, depth = 0): string[] {
  const t = topology as { model_config?: unknown; config?: unknown; class_name?: unknown };
  const model = (t?.model_config ?? t) as { class_name?: unknown; config?: unknown };
  const config = model?.config as { layers?: unknown } | unknown[] | undefined;
  const layers = Array.isArray(config) ? config : (config as { layers?: unknown })?.layers;
  if (!Array.isArray(layers) || depth > 8) return ['(unreadable topology)'];
  return layers.flatMap((l: { class_name?: unknown; config?: { name?: unknown } }) => {
    const cls = String(l?.class_name);
    if (CONTAINERS.has(cls)) return weightedLayers(l, depth + 1);
    return WEIGHTLESS.has(cls) ? [] : [`${String(l?.config?.name ?? '?')} (${cls})`];
  });
}

/** The first three names of a list, for messages. */
const firstNames = (names: string[]) =>
  names.slice(0, 3).join(', ') + (names.length > 3 ? ', ...' : '');

function joinWeights(data: tf.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const buffer = Array.isArray(data) ? tf.io.CompositeArrayBuffer.join(data) : data;
  return new Uint8Array(buffer);
}

/**
 * A tf.io handler that saves to and loads from a directory on the local file system, in the
 * layout of tfjs-node's `file://` handler (`model.json` + `weights.bin`), so either can read what
 * the other wrote. Writes are atomic per file (temporary file, then rename; the weights first,
 * so a reader never sees a model.json whose weights are missing). Node only; `node:fs` is loaded
 * on first use, so importing this package in a browser is harmless.
 *
 * `path`: a directory (created if needed) or `file://` URL; for loading, also a path to a
 * model.json.
 */
export function fileSystem(path: string): tf.io.IOHandler {
  const fn = 'fileSystem';
  const { dir, modelFile, name } = locate(fn, path);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new InvalidArgumentError(fn, 'modelTopology', 'binary', 'a JSON model topology');
      }
      requireNode(fn); // writeFileAtomic creates `dir` if needed
      const weights = joinWeights(artifacts.weightData);
      const manifest: tf.io.WeightsManifestConfig = [
        { paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] },
      ];
      const modelJSON: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        weightsManifest: manifest,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.signature ? { signature: artifacts.signature } : {}),
        ...(artifacts.userDefinedMetadata
          ? { userDefinedMetadata: artifacts.userDefinedMetadata }
          : {}),
        ...(artifacts.modelInitializer ? { modelInitializer: artifacts.modelInitializer } : {}),
      };
      await writeFileAtomic(`${dir}/${WEIGHTS_BIN}`, weights);
      await writeFileAtomic(modelFile, JSON.stringify(modelJSON));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      requireNode(fn);
      // model.json and every shard it names must be regular files inside `dir`, of the sizes the
      // manifest declares; nothing is read before that is known.
      let json: Record<string, unknown>;
      let folder;
      try {
        folder = await openModelFolder(dir);
        json = requireObject(modelFile, null, await folder.readJson(name, null));
      } catch (err) {
        if (err instanceof ModelFileError && err.problem === 'missing') {
          throw new InvalidArgumentError(
            fn,
            'path',
            path,
            `a saved model (cannot read ${modelFile}: ${err.reason})`,
          );
        }
        throw err;
      }
      requireObject(modelFile, 'modelTopology', json.modelTopology);
      const modelJSON = json as unknown as tf.io.ModelJSON;
      // Without weights the model would load with random ones: only a topology whose layers
      // all hold no weights may declare none.
      if (!Array.isArray(json.weightsManifest)) {
        const weighted = weightedLayers(json.modelTopology);
        if (json.weightsManifest !== undefined || weighted.length)
          throw new ModelFileError(
            modelFile,
            'weightsManifest',
            'manifest',
            `must be an array of weight groups, got ${describeValue(json.weightsManifest)} ` +
              `(the topology has layers with weights: ${firstNames(weighted)})`,
          );
      }
      const declared = (json.weightsManifest ?? []) as tf.io.WeightsManifestConfig;
      const groups = checkWeightsManifest(modelFile, 'weightsManifest', declared);
      if (declared.every((g) => g.weights.length === 0)) {
        const weighted = weightedLayers(json.modelTopology);
        if (weighted.length)
          throw new ModelFileError(
            modelFile,
            'weightsManifest',
            'manifest',
            `declares no weights, but the topology has layers with weights: ${firstNames(weighted)}`,
          );
      }
      const shards = await readWeightShards(folder, modelFile, groups);
      // Always with a manifest: tfjs then loads strictly (every weight of the model set).
      return tf.io.getModelArtifactsForJSON(
        { ...modelJSON, weightsManifest: declared },
        async (manifest) => [
          manifest.flatMap((group) => group.weights),
          tf.io.CompositeArrayBuffer.join(shards.map((s) => s.buffer as ArrayBuffer)),
        ],
      );
    },
  };
}
