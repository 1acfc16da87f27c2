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

/** Reads only a checkpoint's manifest (cheap: for listing and ranking). */
export async function readManifest(
  path: string,
  { storage = nodeStorage() }: { storage?: CheckpointStorage } = {},
): Promise<CheckpointManifest> {
  let bytes: Uint8Array;
  try {
    bytes = await storage.readFile(joinPath(path, MANIFEST_FILE));
  } catch (err) {
    throw new CheckpointCorruptError(
      path,
      `cannot read ${MANIFEST_FILE} (${(err as Error).message})`,
    );
  }
  return parseManifest(path, new TextDecoder().decode(bytes));
}

/**
 * Reads a checkpoint directory, checking the format, the weight file's size and CRC-32, and every
 * tensor record. Throws {@link CheckpointCorruptError}; the returned tensors are the caller's.
 */
export async function readCheckpoint(
  path: string,
  { storage = nodeStorage() }: { storage?: CheckpointStorage } = {},
): Promise<Checkpoint> {
  const manifest = await readManifest(path, { storage });
  let weights: Uint8Array;
  try {
    weights = await storage.readFile(joinPath(path, manifest.weights.file));
  } catch (err) {
    throw new CheckpointCorruptError(
      path,
      `cannot read ${manifest.weights.file} (${(err as Error).message})`,
    );
  }
  return decodeCheckpoint(path, manifest, weights);
}
