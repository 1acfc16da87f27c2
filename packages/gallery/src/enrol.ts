import { checkInteger, InvalidArgumentError } from '@face/core';
import type { GalleryContext } from './context';
import { GalleryError } from './errors';
import { sha256Hex } from './fingerprint';
import { checkName, MAX_SOURCE_LENGTH, textArray, vectorLiteral } from './vectors';

/** One embedding to enrol: whose it is and where it came from. */
export interface Template {
  identity: string;
  embedding: ArrayLike<number>;
  /**
   * The image (or any key) it was computed from; unique per identity. Enrolling the same
   * (identity, source) again is a no-op, which is what makes an interrupted enrolment resumable.
   * Default: a SHA-256 of the embedding's float32 bytes.
   */
  source?: string;
}

export interface EnrolResult {
  /** Templates written. */
  added: number;
  /** Templates already in the gallery under the same (identity, source), left as they were. */
  skipped: number;
}

export interface EnrolStreamOptions {
  /** Templates per transaction (default 500). */
  batchSize?: number;
  /** Called after each committed batch with the running totals. */
  onProgress?: (done: EnrolResult) => void;
}

/** The model's embedding size, or a typed error when the gallery was opened without one. */
export function requireModel(ctx: GalleryContext, fn: string) {
  if (!ctx.model) {
    throw new GalleryError(
      `${fn}: gallery ${ctx.display} has no model yet: open it with options.model ({ fingerprint, dim })`,
    );
  }
  return ctx.model;
}

/**
 * Writes one batch in one transaction: new identities, then templates; a (identity, source)
 * already present is skipped by the unique constraint, so a batch that committed before a crash
 * and is sent again adds nothing, and one that did not commit left nothing behind.
 */
export async function insertTemplates(
  ctx: GalleryContext,
  fn: string,
  items: readonly Template[],
  offset = 0,
): Promise<EnrolResult> {
  const { dim } = requireModel(ctx, fn);
  const names: string[] = [];
  const sources: string[] = [];
  const vectors: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const at = `templates[${offset + i}]`;
    if (item === null || typeof item !== 'object') {
      throw new InvalidArgumentError(fn, at, item, '{ identity, embedding, source? }');
    }
    names.push(checkName(fn, `${at}.identity`, item.identity));
    vectors.push(vectorLiteral(fn, `${at}.embedding`, item.embedding, dim));
    sources.push(
      item.source === undefined
        ? await embeddingSource(item.embedding, dim)
        : checkName(fn, `${at}.source`, item.source, MAX_SOURCE_LENGTH),
    );
  }
  if (items.length === 0) return { added: 0, skipped: 0 };
  const s = ctx.schema;
  const added = await ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO ${s}.identities (name) SELECT DISTINCT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`,
      [textArray(names)],
    );
    const [{ n }] = await tx.query<{ n: number }>(
      `WITH t AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS t(name, source, embedding)),
       ins AS (
         INSERT INTO ${s}.templates (identity_id, source, embedding)
         SELECT i.id, t.source, t.embedding::vector FROM t JOIN ${s}.identities i ON i.name = t.name
         ON CONFLICT (identity_id, source) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [textArray(names), textArray(sources), textArray(vectors)],
    );
    return n;
  });
  return { added, skipped: items.length - added };
}

/** Enrols templates from any (async) iterable, `batchSize` per transaction. */
export async function enrolStream(
  ctx: GalleryContext,
  items: Iterable<Template> | AsyncIterable<Template>,
  options: EnrolStreamOptions = {},
): Promise<EnrolResult> {
  const fn = 'enrolStream';
  const { batchSize = 500, onProgress } = options;
  checkInteger(fn, 'batchSize', batchSize, { min: 1 });
  requireModel(ctx, fn);
  const total: EnrolResult = { added: 0, skipped: 0 };
  let batch: Template[] = [];
  let seen = 0;
  const flush = async () => {
    const r = await insertTemplates(ctx, fn, batch, seen - batch.length);
    total.added += r.added;
    total.skipped += r.skipped;
    batch = [];
    onProgress?.({ ...total });
  };
  for await (const item of items) {
    batch.push(item);
    seen++;
    if (batch.length === batchSize) await flush();
  }
  if (batch.length) await flush();
  return total;
}

/** `sha256:<hex>` of the embedding's float32 bytes: the same embedding enrols once. */
async function embeddingSource(embedding: ArrayLike<number>, dim: number): Promise<string> {
  const bytes = new Float32Array(dim);
  for (let j = 0; j < dim; j++) bytes[j] = embedding[j];
  return sha256Hex(new Uint8Array(bytes.buffer));
}
