import { checkInteger, checkNumber, checkOneOf, InvalidArgumentError } from '@face/core';
import type { GalleryContext } from './context';
import { requireModel } from './enrol';
import { GalleryError } from './errors';
import { textArray, vectorLiterals } from './vectors';

export interface IdentifyOptions {
  /** Identities to return per query, best first (default 1). */
  k?: number;
  /**
   * A query is `unknown` when its best score is below this (cosine similarity). Default: the
   * gallery's stored threshold (`setThreshold`, or `face gallery identify --far`), else none:
   * every query is answered with its best identity.
   */
  threshold?: number;
  /** How an identity's templates make one score: the best (`max`, default) or the mean cosine. */
  aggregate?: 'max' | 'mean';
  /**
   * `exact` scans every template; `hnsw` asks the HNSW index (see `buildIndex`) for the
   * `efSearch` nearest templates, then scores their identities exactly over all their templates.
   * Default: `hnsw` when the index exists, else `exact`.
   */
  search?: 'exact' | 'hnsw';
  /** HNSW: candidates searched and returned (pgvector's `hnsw.ef_search`, default 40). */
  efSearch?: number;
  /** Queries per SQL statement (default 64). */
  batchSize?: number;
}

export interface Candidate {
  identity: string;
  /** Cosine similarity (aggregated over the identity's templates). */
  score: number;
}

export interface Identification {
  /** Up to k identities, best first (ties by name). */
  candidates: Candidate[];
  /** The best identity, or null when the query is unknown. */
  identity: string | null;
  /** Best score (-Infinity for an empty gallery). */
  score: number;
  /** The best score is below the threshold, or the gallery is empty. */
  unknown: boolean;
}

interface Plan {
  k: number;
  threshold: number;
  aggregate: 'max' | 'mean';
  search: 'exact' | 'hnsw';
  efSearch: number;
  batchSize: number;
}

export function identifyPlan(
  fn: string,
  options: IdentifyOptions,
  stored: { threshold: number | null; hnsw: boolean },
): Plan {
  const { k = 1, aggregate = 'max', efSearch = 40, batchSize = 64 } = options;
  checkInteger(fn, 'k', k, { min: 1 });
  checkOneOf(fn, 'aggregate', aggregate, ['max', 'mean'] as const);
  const search = options.search ?? (stored.hnsw ? 'hnsw' : 'exact');
  checkOneOf(fn, 'search', search, ['exact', 'hnsw'] as const);
  checkInteger(fn, 'efSearch', efSearch, { min: 1, max: 1000 });
  checkInteger(fn, 'batchSize', batchSize, { min: 1 });
  if (options.threshold !== undefined)
    checkNumber(fn, 'threshold', options.threshold, { min: -1, max: 1 });
  if (search === 'hnsw' && !stored.hnsw) {
    throw new GalleryError(
      `${fn}: search 'hnsw' needs an index: call buildIndex() first (or search 'exact')`,
    );
  }
  const threshold = options.threshold ?? stored.threshold ?? -Infinity;
  return { k, threshold, aggregate, search, efSearch, batchSize };
}

/**
 * Identities nearest to each query, by cosine similarity of L2-normalized embeddings
 * (1 - pgvector's `<=>`), the same score as @face/metrics' `searchGallery`.
 */
export async function identifyQueries(
  ctx: GalleryContext,
  fn: string,
  queries: readonly ArrayLike<number>[],
  plan: Plan,
): Promise<Identification[]> {
  const { dim } = requireModel(ctx, fn);
  const literals = vectorLiterals(fn, 'queries', queries, dim);
  const sql = identifySql(ctx.schema, dim, plan);
  const out: Identification[] = [];
  for (let q0 = 0; q0 < literals.length; q0 += plan.batchSize) {
    const batch = literals.slice(q0, q0 + plan.batchSize);
    const params = [textArray(batch), plan.k, ...(plan.search === 'hnsw' ? [plan.efSearch] : [])];
    const rows = await ctx.db.transaction(async (tx) => {
      // ef_search bounds how many rows an HNSW scan returns; SET LOCAL ends with the transaction.
      if (plan.search === 'hnsw') await tx.exec(`SET LOCAL hnsw.ef_search = ${plan.efSearch}`);
      return tx.query<{ q: number; name: string; score: number }>(sql, params);
    });
    const byQuery: Candidate[][] = batch.map(() => []);
    for (const r of rows)
      byQuery[Number(r.q) - 1].push({ identity: r.name, score: Number(r.score) });
    for (const candidates of byQuery) out.push(decide(candidates, plan.threshold));
  }
  return out;
}

function decide(candidates: Candidate[], threshold: number): Identification {
  const best = candidates[0];
  if (!best) return { candidates, identity: null, score: -Infinity, unknown: true };
  const unknown = best.score < threshold;
  return { candidates, identity: unknown ? null : best.identity, score: best.score, unknown };
}

/**
 * One statement per batch of queries: each query (a row of `unnest`) scores identities in a
 * LATERAL subquery. Exact search groups every template; HNSW first takes the nearest `$3`
 * templates through the index expression `embedding::vector(dim)` (the plain column has no
 * index, which is what keeps the exact search exact) and rescores only their identities.
 */
function identifySql(s: string, dim: number, plan: Plan): string {
  if (!Number.isInteger(dim)) throw new InvalidArgumentError('identify', 'dim', dim, 'an integer');
  const agg = plan.aggregate === 'max' ? 'max' : 'avg';
  const among =
    plan.search === 'hnsw'
      ? `WHERE t.identity_id IN (
           SELECT n.identity_id FROM ${s}.templates n
           ORDER BY n.embedding::vector(${dim}) <=> q.v::vector(${dim}) LIMIT $3)`
      : '';
  return `
    SELECT q.i::int AS q, c.name, c.score
    FROM unnest($1::vector[]) WITH ORDINALITY AS q(v, i)
    CROSS JOIN LATERAL (
      SELECT id.name, ${agg}(1 - (t.embedding <=> q.v))::float8 AS score
      FROM ${s}.templates t JOIN ${s}.identities id ON id.id = t.identity_id
      ${among}
      GROUP BY id.name
      ORDER BY score DESC, id.name
      LIMIT $2
    ) c
    ORDER BY q.i, c.score DESC, c.name`;
}
