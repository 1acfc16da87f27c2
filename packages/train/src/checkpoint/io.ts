import { MODEL_JSON_MAX_BYTES, ModelFileError } from '@face/core';
import { CheckpointCorruptError } from '../errors';
import type { Checkpoint } from './checkpoint';
import {
  MANIFEST_FILE,
  WEIGHTS_FILE,
  decodeCheckpoint,
  encodeCheckpoint,
  parseManifest,
  type CheckpointManifest,
} from './format';
import { joinPath, nodeStorage, type CheckpointStorage } from './storage';

/** Prefixes of the work directories a writer leaves behind only when it crashed. */
export const TEMP_PREFIX = '.tmp-';
export const TRASH_PREFIX = '.trash-';

function parentAndBase(path: string): [string, string] {
  const clean = path.replace(/[\\/]+$/, '');
  const i = Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\'));
  return i < 0 ? ['.', clean] : [clean.slice(0, i) || '/', clean.slice(i + 1)];
}

const unique = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * Writes a checkpoint directory atomically: everything goes to a sibling temp directory, each file
 * is fsynced, the directory is renamed into place (an existing one is first moved aside), and the
 * parent directory is fsynced. A crash at any point leaves either the old directory or the new
 * complete one under `path`, plus temp leftovers that readers ignore and {@link CheckpointManager}
 * removes.
 */
export async function writeCheckpoint(
  path: string,
  checkpoint: Checkpoint,
  { storage = nodeStorage() }: { storage?: CheckpointStorage } = {},
): Promise<CheckpointManifest> {
  const { manifest, weights } = await encodeCheckpoint(checkpoint);
  const [parent, base] = parentAndBase(path);
  await storage.mkdir(parent);
  const temp = joinPath(parent, `${TEMP_PREFIX}${base}-${unique()}`);
  await storage.mkdir(temp);
  await storage.writeFile(joinPath(temp, WEIGHTS_FILE), weights);
  await storage.writeFile(
    joinPath(temp, MANIFEST_FILE),
    new TextEncoder().encode(JSON.stringify(manifest)),
  );
  await storage.syncDir(temp);
  let aside: string | undefined;
  if (await storage.exists(path)) {
    aside = joinPath(parent, `${TRASH_PREFIX}${base}-${unique()}`);
    await storage.rename(path, aside);
  }
  await storage.rename(temp, path);
  await storage.syncDir(parent);
  if (aside) await storage.removeTree(aside);
  return manifest;
}

/** Why a file could not be read: a model-file check's reason, or the I/O error. */
const reasonOf = (err: unknown) =>
  err instanceof ModelFileError ? err.reason : (err as Error).message;

function corrupt(path: string, reason: string, cause?: unknown): CheckpointCorruptError {
  const e = new CheckpointCorruptError(path, reason);
  if (cause !== undefined) e.cause = cause;
  return e;
}

/**
 * Reads only a checkpoint's manifest (cheap: for listing and ranking). With a storage that knows
 * sizes, a manifest larger than {@link MODEL_JSON_MAX_BYTES} (or not a regular file inside the
 * folder) is refused before it is read.
 */
export async function readManifest(
  path: string,
  { storage = nodeStorage() }: { storage?: CheckpointStorage } = {},
): Promise<CheckpointManifest> {
  let bytes: Uint8Array;
  try {
    const size = await storage.fileSize?.(path, MANIFEST_FILE);
    if (size !== undefined && size > MODEL_JSON_MAX_BYTES) {
      throw corrupt(path, `${MANIFEST_FILE} has ${size} bytes (at most ${MODEL_JSON_MAX_BYTES})`);
    }
    bytes = await storage.readFile(joinPath(path, MANIFEST_FILE));
  } catch (err) {
    if (err instanceof CheckpointCorruptError) throw err;
    throw corrupt(path, `cannot read ${MANIFEST_FILE} (${reasonOf(err)})`, err);
  }
  if (bytes.byteLength > MODEL_JSON_MAX_BYTES) {
    throw corrupt(
      path,
      `${MANIFEST_FILE} has ${bytes.byteLength} bytes (at most ${MODEL_JSON_MAX_BYTES})`,
    );
  }
  return parseManifest(path, new TextDecoder().decode(bytes));
}

/**
 * Reads a checkpoint directory, checking the format, the weight file's size (before reading it,
 * when the storage knows sizes) and CRC-32, and every tensor record. The weight file must be a
 * regular file directly inside `path`. Throws {@link CheckpointCorruptError}; the returned tensors
 * are the caller's.
 */
export async function readCheckpoint(
  path: string,
  { storage = nodeStorage() }: { storage?: CheckpointStorage } = {},
): Promise<Checkpoint> {
  const manifest = await readManifest(path, { storage });
  const { file, byteLength } = manifest.weights;
  let weights: Uint8Array;
  try {
    const size = await storage.fileSize?.(path, file);
    if (size !== undefined && size !== byteLength) {
      throw corrupt(path, `${file} has ${size} bytes, the manifest says ${byteLength}`);
    }
    weights = await storage.readFile(joinPath(path, file));
  } catch (err) {
    if (err instanceof CheckpointCorruptError) throw err;
    throw corrupt(path, `cannot read ${file} (${reasonOf(err)})`, err);
  }
  return decodeCheckpoint(path, manifest, weights);
}
