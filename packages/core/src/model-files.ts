import { FaceError, describeValue } from './errors';

/**
 * Rules for reading model files that someone else wrote (model.json, weights manifests,
 * face-model.json, checkpoint manifests): every path a file names stays inside its own folder or
 * URL prefix, and sizes are checked against what the manifest declares before anything is read
 * or allocated. Pure checks here (browser-safe); the Node file reading is in `model-files-node`.
 */

/** JSON model files are small (a ResNet-100 topology is ~100 KB; 2M class names ~40 MB). */
export const MODEL_JSON_MAX_BYTES = 64 * 1024 * 1024;
/** Nesting of a JSON model file: tfjs topologies nest ~4 levels per sub-model; readers recurse. */
export const MODEL_JSON_MAX_DEPTH = 100;
/** Total weights one manifest may declare (about the largest ArrayBuffer engines allocate). */
export const MODEL_WEIGHTS_MAX_BYTES = 4 * 1024 ** 3;
const MAX_PATH_LENGTH = 1024;

/** What is wrong with a model file (for callers that map some cases to their own errors). */
export type ModelFileProblem =
  'missing' | 'unsafe-path' | 'outside' | 'not-a-file' | 'size' | 'json' | 'manifest' | 'io';

/**
 * A model, weights manifest or checkpoint file that cannot be trusted or read: a path that leaves
 * its folder, a file that is not a regular file or not the size declared, JSON that is not a
 * manifest. Names the file, the entry inside it (e.g. `weightsManifest[0].paths[1]`) and why.
 */
export class ModelFileError extends FaceError {
  override name = 'ModelFileError';
  constructor(
    readonly file: string,
    readonly entry: string | null,
    readonly problem: ModelFileProblem,
    readonly reason: string,
  ) {
    super(`model file ${file}${entry ? `, ${entry}` : ''}: ${reason}`);
  }
}

/**
 * Checks a path a manifest names (relative, `/`-separated) and returns it. Refused: empty,
 * absolute (`/x`, `C:x`), a scheme (`http:`), `..` or empty segments, backslashes, NUL and
 * control characters, and `%`, `?`, `#` (which a URL would decode or cut). `plain`: a single name,
 * no `/` at all.
 */
export function checkModelPath(
  file: string,
  entry: string,
  name: unknown,
  { plain = false }: { plain?: boolean } = {},
): string {
  const refuse = (why: string): never => {
    throw new ModelFileError(file, entry, 'unsafe-path', `${describeValue(name)} ${why}`);
  };
  if (typeof name !== 'string' || name === '') return refuse('is not a non-empty path');
  if (name.length > MAX_PATH_LENGTH) refuse(`is longer than ${MAX_PATH_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) refuse('holds a NUL or control character');
  if (/[\\:%?#]/.test(name)) {
    refuse("holds '\\', ':', '%', '?' or '#' (no drive letters, schemes, or escapes)");
  }
  if (name.startsWith('/')) refuse('is absolute; paths must be relative to the model folder');
  // `.` segments stay where they are (tfjs's downloads:// writes `./name.weights.bin`): dropped.
  const segments = name.split('/').filter((s) => s !== '.');
  if (segments.length === 0) refuse('names the folder itself, not a file');
  if (plain && segments.length > 1) refuse('is not a plain file name');
  for (const s of segments) {
    if (s === '..') refuse('climbs out of the model folder');
    if (s === '') refuse('holds an empty segment');
  }
  return segments.join('/');
}

/**
 * Resolves `name` against the manifest's URL, refusing anything that leaves the manifest's
 * directory (other origin or scheme, or a path outside the prefix).
 */
export function resolveModelUrl(manifestUrl: URL, entry: string, name: unknown): URL {
  const file = manifestUrl.href;
  const relative = checkModelPath(file, entry, name);
  const dir = new URL('./', manifestUrl);
  const url = new URL(relative, manifestUrl);
  if (url.origin !== dir.origin || !url.pathname.startsWith(dir.pathname)) {
    throw new ModelFileError(
      file,
      entry,
      'outside',
      `${describeValue(name)} resolves to ${url.href}, outside ${dir.href}`,
    );
  }
  return url;
}

/** Deepest nesting of objects and arrays in JSON text, scanned without recursion. */
function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/**
 * Parses a JSON model file, refusing text nested deeper than `maxDepth` before parsing (so neither
 * the parser nor the readers after it recurse without bound). Check the top value with
 * {@link requireObject} (or `Array.isArray`).
 */
export function parseModelJson(
  file: string,
  text: string,
  { maxDepth = MODEL_JSON_MAX_DEPTH }: { maxDepth?: number } = {},
): unknown {
  if (jsonDepth(text, maxDepth) > maxDepth) {
    throw new ModelFileError(file, null, 'json', `nests deeper than ${maxDepth} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = (err as Error).message.slice(0, 120);
    throw new ModelFileError(file, null, 'json', `is not JSON (${why})`);
  }
  return value;
}

/** Asserts a plain JSON object (not null, not an array); returns it. */
export function requireObject(
  file: string,
  entry: string | null,
  value: unknown,
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new ModelFileError(file, entry, 'manifest', `must be a JSON object, got ${got}`);
  }
  return value as Record<string, unknown>;
}

const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** One group of a tfjs weights manifest, checked: its shard paths and the bytes its entries take. */
export interface CheckedWeightsGroup {
  paths: string[];
  /** Entry labels of the paths, e.g. `weightsManifest[0].paths[1]`. */
  entries: string[];
  byteLength: number;
}

/**
 * Checks a tfjs weights manifest (`[{ paths, weights }]`) and adds up the bytes each group's
 * entries declare, so the shards can be sized before they are read. `prefix` names the manifest
 * inside `file` (`weightsManifest` in a model.json, `manifest` for a manifest file).
 */
export function checkWeightsManifest(
  file: string,
  prefix: string,
  manifest: unknown,
  { maxBytes = MODEL_WEIGHTS_MAX_BYTES }: { maxBytes?: number } = {},
): CheckedWeightsGroup[] {
  const bad = (entry: string, why: string): never => {
    throw new ModelFileError(file, entry, 'manifest', why);
  };
  if (!Array.isArray(manifest)) bad(prefix, 'must be an array of weight groups');
  let total = 0;
  return (manifest as unknown[]).map((raw, g) => {
    const at = `${prefix}[${g}]`;
    const group = requireObject(file, at, raw);
    if (!Array.isArray(group.paths) || group.paths.length === 0) {
      bad(`${at}.paths`, 'must be a non-empty array of shard paths');
    }
    if (!Array.isArray(group.weights)) bad(`${at}.weights`, 'must be an array of weight entries');
    const entries = (group.paths as unknown[]).map((_, i) => `${at}.paths[${i}]`);
    const paths = (group.paths as unknown[]).map((p, i) => checkModelPath(file, entries[i], p));
    let byteLength = 0;
    (group.weights as unknown[]).forEach((rawEntry, i) => {
      const here = `${at}.weights[${i}]`;
      const e = requireObject(file, here, rawEntry);
      if (typeof e.name !== 'string') bad(`${here}.name`, 'must be a string');
      const q = e.quantization as Record<string, unknown> | undefined;
      if (q !== undefined) requireObject(file, `${here}.quantization`, q);
      const dtype = (q?.dtype ?? e.dtype) as string;
      if (!Object.hasOwn(DTYPE_BYTES, e.dtype as string) || !Object.hasOwn(DTYPE_BYTES, dtype)) {
        bad(`${here}.dtype`, `must be one of ${Object.keys(DTYPE_BYTES).join(', ')}`);
      }
      const shape = e.shape;
      if (!Array.isArray(shape) || shape.length > 8) {
        bad(`${here}.shape`, 'must be an array of at most 8 dimensions');
      }
      let count = 1;
      for (const d of shape as unknown[]) {
        if (!Number.isSafeInteger(d) || (d as number) < 0) {
          bad(`${here}.shape`, `must hold integers >= 0, got ${describeValue(shape)}`);
        }
        count *= d as number;
        if (count * DTYPE_BYTES[dtype] > maxBytes) {
          bad(`${here}.shape`, `declares more than ${maxBytes} bytes: ${describeValue(shape)}`);
        }
      }
      byteLength += count * DTYPE_BYTES[dtype];
      total += count * DTYPE_BYTES[dtype];
      if (total > maxBytes) bad(here, `the manifest declares more than ${maxBytes} bytes`);
    });
    return { paths, entries, byteLength };
  });
}

/**
 * Fetches a model file with its size bounded: `exactBytes` when the manifest declares it, else at
 * most `maxBytes`. Checks Content-Length first (when the body is not compressed), then counts the
 * bytes while reading and stops past the bound.
 */
export async function fetchModelBytes(
  url: URL,
  {
    entry = null,
    exactBytes,
    maxBytes = exactBytes ?? MODEL_JSON_MAX_BYTES,
  }: { entry?: string | null; exactBytes?: number; maxBytes?: number },
): Promise<Uint8Array> {
  const file = url.href;
  const fail = (problem: ModelFileProblem, why: string): never => {
    throw new ModelFileError(file, entry, problem, why);
  };
  const expected = exactBytes !== undefined ? `${exactBytes} bytes` : `at most ${maxBytes} bytes`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    return fail('io', `cannot be fetched (${(err as Error).message})`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    return fail(response.status === 404 ? 'missing' : 'io', `got HTTP ${response.status}`);
  }
  const encoding = response.headers.get('content-encoding');
  const declared = response.headers.get('content-length');
  if (declared !== null && (encoding === null || encoding === 'identity')) {
    const n = Number(declared);
    if (n > maxBytes || (exactBytes !== undefined && n !== exactBytes)) {
      await response.body?.cancel();
      fail('size', `is ${declared} bytes (Content-Length), expected ${expected}`);
    }
  }
  const chunks: Uint8Array[] = [];
  let count = 0;
  const reader = response.body?.getReader();
  if (!reader) {
    const all = new Uint8Array(await response.arrayBuffer());
    chunks.push(all);
    count = all.byteLength;
  } else {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      count += value.byteLength;
      if (count > maxBytes) {
        await reader.cancel();
        fail('size', `sent more than ${expected}`);
      }
      chunks.push(value);
    }
  }
  if (count > maxBytes || (exactBytes !== undefined && count !== exactBytes)) {
    fail('size', `sent ${count} bytes, expected ${expected}`);
  }
  const out = new Uint8Array(count);
  chunks.reduce((at, c) => (out.set(c, at), at + c.byteLength), 0);
  return out;
}

/** Fetches and parses a JSON model file, bounded by {@link MODEL_JSON_MAX_BYTES}. */
export async function fetchModelJson(
  url: URL,
  { maxBytes = MODEL_JSON_MAX_BYTES }: { maxBytes?: number } = {},
): Promise<unknown> {
  const bytes = await fetchModelBytes(url, { maxBytes });
  return parseModelJson(url.href, decodeUtf8(url.href, bytes));
}

/** Strict UTF-8 decoding: bytes that are not text are a bad model file, not mojibake. */
export function decodeUtf8(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ModelFileError(file, null, 'json', 'is not UTF-8 text');
  }
}

/**
 * Fetches the shards of a checked weights manifest relative to its URL: each path must stay under
 * the manifest's directory, and each group's downloads are bounded by the bytes its entries
 * declare (and must add up to exactly that). One buffer per path, in order.
 */
export async function fetchWeightShards(
  manifestUrl: URL,
  groups: readonly CheckedWeightsGroup[],
): Promise<Uint8Array[]> {
  const urls = groups.map((g) =>
    g.paths.map((p, i) => resolveModelUrl(manifestUrl, g.entries[i], p)),
  );
  const out: Uint8Array[] = [];
  for (const [gi, g] of groups.entries()) {
    let left = g.byteLength;
    for (const [i, url] of urls[gi].entries()) {
      const last = i === urls[gi].length - 1;
      const bytes = await fetchModelBytes(url, {
        entry: g.entries[i],
        ...(last ? { exactBytes: left } : { maxBytes: left }),
      });
      left -= bytes.byteLength;
      out.push(bytes);
    }
  }
  return out;
}
