import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { ModelFileError } from '@face/core';
import { fileSystem, locate } from './file-system';

/** Saves a model to a directory (see {@link fileSystem}). */
export function saveModel(model: LayersModel, path: string): Promise<tf.io.SaveResult> {
  return model.save(fileSystem(path));
}

/**
 * Loads a model saved by {@link saveModel} (or by tfjs-node's file:// handler). Import the
 * packages whose layers it uses first (e.g. `@face/layers`), so their classes are registered.
 */
export async function loadModel(path: string): Promise<LayersModel> {
  const handler = fileSystem(path);
  try {
    return await loadLayersModel(handler);
  } catch (err) {
    // tfjs's strict load: the manifest's weights do not cover the topology's (or name others).
    if (err instanceof Error && /weights are not set|has no target variable/.test(err.message))
      throw new ModelFileError(
        locate('loadModel', path).modelFile,
        'weightsManifest',
        'manifest',
        `does not match the model's layers: ${err.message}`,
      );
    throw err;
  }
}

/**
 * Lets `model.save('file://dir')` and `loadLayersModel('file://dir/model.json')` use
 * {@link fileSystem}, unless a handler for file:// exists already (tfjs-node registers one).
 * Returns whether it registered.
 */
export function registerFileSystemRouter(): boolean {
  const probe = 'file://probe';
  if (tf.io.getSaveHandlers(probe).length > 0 || tf.io.getLoadHandlers(probe).length > 0) {
    return false;
  }
  // A router answers null for URLs it does not handle (tfjs's own routers do; the registry skips
  // nulls), which IORouter's type does not admit.
  const route = (url: string | string[]): tf.io.IOHandler =>
    typeof url === 'string' && url.startsWith('file://')
      ? fileSystem(url)
      : (null as unknown as tf.io.IOHandler);
  tf.io.registerSaveRouter(route);
  tf.io.registerLoadRouter(route);
  return true;
}
