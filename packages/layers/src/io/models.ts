import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { fileSystem } from './file-system';

/** Saves a model to a directory (see {@link fileSystem}). */
export function saveModel(model: LayersModel, path: string): Promise<tf.io.SaveResult> {
  return model.save(fileSystem(path));
}

/**
 * Loads a model saved by {@link saveModel} (or by tfjs-node's file:// handler). Import the
 * packages whose layers it uses first (e.g. `@face/layers`), so their classes are registered.
 */
export function loadModel(path: string): Promise<LayersModel> {
  return loadLayersModel(fileSystem(path));
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
