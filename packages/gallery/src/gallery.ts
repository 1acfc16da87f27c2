import { checkInteger, checkNumber, InvalidArgumentError } from '@face/core';
import type { GalleryContext, GalleryModel } from './context';
import { openPglite, type Driver } from './driver';
import {
  enrolStream,
  insertTemplates,
  requireModel,
  type EnrolResult,
  type EnrolStreamOptions,
  type Template,
} from './enrol';
import { GalleryModelError } from './errors';
import {
  identifyPlan,
  identifyQueries,
  type IdentifyOptions,
  type Identification,
} from './identify';
import { parseLocation } from './location';
import { migrate } from './schema';
import { checkName, MAX_SOURCE_LENGTH, textArray, vectorLiterals } from './vectors';

export interface OpenGalleryOptions {
  /**
   * The model whose embeddings are enrolled and searched. A new gallery is bound to it; an
   * existing one must hold the same fingerprint and size (else GalleryModelError). Leave it out
   * only to read stats or remove identities.
   */
  model?: GalleryModel;
  /** SQL schema of the tables (default `face_gallery`): several galleries can share a database. */
  schema?: string;
}

export interface HnswOptions {
  /** Neighbors per graph node (pgvector's `m`, default 16). */
  m?: number;
  /** Candidates kept while building (pgvector's `ef_construction`, default 64). */
  efConstruction?: number;
  /**
   * PostgreSQL's `maintenance_work_mem` for the build (default the server's): the build is much
   * faster while the graph fits in it (about 100k x 512-d needs ~300MB).
   */
  memoryMB?: number;
}

export interface GalleryStats {
  location: string;
  driver: 'pglite' | 'postgres';
  schemaVersion: number;
  model: GalleryModel | null;
  identities: number;
  templates: number;
  /** The HNSW index's parameters, or null without one. */
  index: { m: number; efConstruction: number } | null;
  /** The stored open-set threshold, or null. */
  threshold: number | null;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens (creating if needed) a gallery: `undefined` / `memory://` in memory, a folder path in
 * Node, `idb://<name>` in a browser (PGlite + pgvector, embedded), or `postgres://...`
 * (a PostgreSQL server with pgvector, through the optional peer `pg`).
 */
export async function openGallery(
  location?: string,
  options: OpenGalleryOptions = {},
): Promise<Gallery> {
  const fn = 'openGallery';
  const { model, schema = 'face_gallery' } = options;
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new InvalidArgumentError(
      fn,
      'options.schema',
      schema,
      'a lower-case SQL identifier ([a-z_][a-z0-9_]*)',
    );
  }
  if (model !== undefined) {
    if (model === null || typeof model !== 'object') {
      throw new InvalidArgumentError(fn, 'options.model', model, '{ fingerprint, dim }');
    }
    checkName(fn, 'options.model.fingerprint', model.fingerprint, 1024);
    checkInteger(fn, 'options.model.dim', model.dim, { min: 1, max: 16000 });
  }
  const where = parseLocation(location);
  const db =
    where.kind === 'postgres'
      ? await (await import('./driver-pg')).openPostgres(where)
      : await openPglite(where);
  try {
    const version = await migrate(db, schema, where.display);
    const bound = await bindModel(db, schema, where.display, model);
    return new Gallery({ db, schema, display: where.display, model: bound }, version);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

async function bindModel(db: Driver, s: string, display: string, model?: GalleryModel) {
  if (model) {
    await db.query(
      `INSERT INTO ${s}.face_model (id, fingerprint, dim) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING`,
      [model.fingerprint, model.dim],
    );
  }
  const [stored] = await db.query<GalleryModel>(
    `SELECT fingerprint, dim FROM ${s}.face_model WHERE id = 1`,
  );
  if (stored && model && (stored.fingerprint !== model.fingerprint || stored.dim !== model.dim)) {
    throw new GalleryModelError(display, stored, model);
  }
  return stored ? { fingerprint: stored.fingerprint, dim: stored.dim } : null;
}

/** A persistent 1:N gallery: identities, their templates, and the model that made them. */
export class Gallery {
  constructor(
    private readonly ctx: GalleryContext,
    readonly schemaVersion: number,
  ) {}

  /** Where the gallery lives (a postgres URL without its password). */
  get location(): string {
    return this.ctx.display;
  }

  get model(): GalleryModel | null {
    return this.ctx.model && { ...this.ctx.model };
  }

  /** Adds templates of one identity in one transaction; `sources[i]` names embedding i's image. */
  async enrol(
    identity: string,
    embeddings: readonly ArrayLike<number>[],
    sources?: readonly string[],
  ): Promise<EnrolResult> {
    const fn = 'enrol';
    checkName(fn, 'identity', identity);
    if (!Array.isArray(embeddings) || embeddings.length === 0) {
      throw new InvalidArgumentError(
        fn,
        'embeddings',
        embeddings,
        'a non-empty array of embedding rows',
      );
    }
    if (
      sources !== undefined &&
      (!Array.isArray(sources) || sources.length !== embeddings.length)
    ) {
      throw new InvalidArgumentError(
        fn,
        'sources',
        sources,
        `${embeddings.length} sources, one per embedding`,
      );
    }
    // Checked here too, for messages in this call's words (embeddings[i], sources[i]).
    vectorLiterals(fn, 'embeddings', embeddings, requireModel(this.ctx, fn).dim);
    sources?.forEach((x, i) => checkName(fn, `sources[${i}]`, x, MAX_SOURCE_LENGTH));
    const items = embeddings.map((embedding, i) => ({ identity, embedding, source: sources?.[i] }));
    return insertTemplates(this.ctx, fn, items);
  }

  /** Enrols a stream of templates in batches; resumable: rerun it after a crash. */
  enrolStream(
    items: Iterable<Template> | AsyncIterable<Template>,
    options?: EnrolStreamOptions,
  ): Promise<EnrolResult> {
    return enrolStream(this.ctx, items, options);
  }

  /** Sources already enrolled, by identity: what a resumed enrolment can skip embedding. */
  async enrolledSources(): Promise<Map<string, Set<string>>> {
    const s = this.ctx.schema;
    const rows = await this.ctx.db.query<{ name: string; source: string }>(
      `SELECT i.name, t.source FROM ${s}.templates t JOIN ${s}.identities i ON i.id = t.identity_id`,
    );
    const out = new Map<string, Set<string>>();
    for (const r of rows) {
      let set = out.get(r.name);
      if (!set) out.set(r.name, (set = new Set()));
      set.add(r.source);
    }
    return out;
  }

  /**
   * Removes an identity with all its templates, or only the templates of the given sources
   * (the identity stays, possibly with none). Returns the number of templates removed.
   */
  async remove(identity: string, sources?: readonly string[]): Promise<number> {
    const fn = 'remove';
    checkName(fn, 'identity', identity);
    const s = this.ctx.schema;
    if (sources === undefined) {
      return this.ctx.db.transaction(async (tx) => {
        const [{ n }] = await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${s}.templates t JOIN ${s}.identities i ON i.id = t.identity_id WHERE i.name = $1`,
          [identity],
        );
        await tx.query(`DELETE FROM ${s}.identities WHERE name = $1`, [identity]);
        return n;
      });
    }
    if (!Array.isArray(sources))
      throw new InvalidArgumentError(fn, 'sources', sources, 'an array of sources');
    sources.forEach((x, i) => checkName(fn, `sources[${i}]`, x, MAX_SOURCE_LENGTH));
    const [{ n }] = await this.ctx.db.query<{ n: number }>(
      `WITH d AS (DELETE FROM ${s}.templates t USING ${s}.identities i
         WHERE i.id = t.identity_id AND i.name = $1 AND t.source = ANY($2::text[]) RETURNING 1)
       SELECT count(*)::int AS n FROM d`,
      [identity, textArray(sources)],
    );
    return n;
  }

  /** Ranked identities for each query embedding, with the open-set decision. */
  async identify(
    queries: readonly ArrayLike<number>[],
    options: IdentifyOptions = {},
  ): Promise<Identification[]> {
    const stats = await this.stats();
    const plan = identifyPlan('identify', options, {
      threshold: stats.threshold,
      hnsw: stats.index !== null,
    });
    return identifyQueries(this.ctx, 'identify', queries, plan);
  }

  /**
   * Builds (or rebuilds) the HNSW index on cosine distance. Larger `m` and `efConstruction` give
   * better recall for a slower build and more memory; `efSearch` (per query) trades the same way.
   */
  async buildIndex(options: HnswOptions = {}): Promise<void> {
    const fn = 'buildIndex';
    const { m = 16, efConstruction = 64, memoryMB } = options;
    checkInteger(fn, 'm', m, { min: 2, max: 100 });
    if (memoryMB !== undefined) checkInteger(fn, 'memoryMB', memoryMB, { min: 1, max: 65536 });
    checkInteger(fn, 'efConstruction', efConstruction, { min: 2 * m, max: 1000 });
    const { dim } = requireModel(this.ctx, fn);
    const s = this.ctx.schema;
    await this.ctx.db.transaction(async (tx) => {
      if (memoryMB) await tx.exec(`SET LOCAL maintenance_work_mem = '${memoryMB}MB'`);
      await tx.exec(
        `DROP INDEX IF EXISTS ${s}.templates_hnsw;
         CREATE INDEX templates_hnsw ON ${s}.templates
           USING hnsw ((embedding::vector(${dim})) vector_cosine_ops)
           WITH (m = ${m}, ef_construction = ${efConstruction});`,
      );
      await setSetting(tx, s, 'hnsw', JSON.stringify({ m, efConstruction }));
    });
  }

  async dropIndex(): Promise<void> {
    const s = this.ctx.schema;
    await this.ctx.db.transaction(async (tx) => {
      await tx.exec(`DROP INDEX IF EXISTS ${s}.templates_hnsw`);
      await tx.query(`DELETE FROM ${s}.settings WHERE key = 'hnsw'`);
    });
  }

  /** Stores the open-set threshold `identify` uses by default (null clears it). */
  async setThreshold(threshold: number | null): Promise<void> {
    const s = this.ctx.schema;
    if (threshold === null) {
      await this.ctx.db.query(`DELETE FROM ${s}.settings WHERE key = 'threshold'`);
      return;
    }
    checkNumber('setThreshold', 'threshold', threshold, { min: -1, max: 1 });
    await setSetting(this.ctx.db, s, 'threshold', String(threshold));
  }

  async stats(): Promise<GalleryStats> {
    const s = this.ctx.schema;
    const [counts] = await this.ctx.db.query<{ identities: number; templates: number }>(
      `SELECT (SELECT count(*) FROM ${s}.identities)::int AS identities,
              (SELECT count(*) FROM ${s}.templates)::int AS templates`,
    );
    const settings = new Map(
      (
        await this.ctx.db.query<{ key: string; value: string }>(
          `SELECT key, value FROM ${s}.settings`,
        )
      ).map((r) => [r.key, r.value]),
    );
    const hnsw = settings.get('hnsw');
    const threshold = settings.get('threshold');
    return {
      location: this.ctx.display,
      driver: this.ctx.db.kind,
      schemaVersion: this.schemaVersion,
      model: this.model,
      identities: counts.identities,
      templates: counts.templates,
      index: hnsw ? (JSON.parse(hnsw) as GalleryStats['index']) : null,
      threshold: threshold === undefined ? null : Number(threshold),
    };
  }

  close(): Promise<void> {
    return this.ctx.db.close();
  }
}

async function setSetting(
  q: { query: Driver['query'] },
  s: string,
  key: string,
  value: string,
): Promise<void> {
  await q.query(
    `INSERT INTO ${s}.settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [key, value],
  );
}
