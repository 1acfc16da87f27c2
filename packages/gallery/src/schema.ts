import type { Driver } from './driver';
import { GalleryDriverError, GalleryLocationError } from './errors';

/**
 * The schema, one entry per version: entry i takes a gallery from version i to i + 1. An entry is
 * never edited once released; a change is a new entry. Templates keep `vector` without a fixed
 * size, so one static schema fits every model; the HNSW index casts to the model's size
 * (pgvector's documented way of indexing an untyped column: `(embedding::vector(d))`).
 */
const MIGRATIONS: readonly ((s: string) => string)[] = [
  (s) => `
    CREATE TABLE ${s}.face_model (
      id smallint PRIMARY KEY CHECK (id = 1),
      fingerprint text NOT NULL,
      dim integer NOT NULL CHECK (dim > 0),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE ${s}.identities (
      id bigserial PRIMARY KEY,
      name text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE ${s}.templates (
      id bigserial PRIMARY KEY,
      identity_id bigint NOT NULL REFERENCES ${s}.identities (id) ON DELETE CASCADE,
      source text NOT NULL,
      embedding vector NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (identity_id, source)
    );
    CREATE TABLE ${s}.settings (key text PRIMARY KEY, value text NOT NULL);`,
];

/** The newest schema version this package writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the gallery in schema `s` to SCHEMA_VERSION: the missing migrations run in one
 * transaction, with the version table locked so that two processes opening a new gallery at
 * once apply them once. A gallery written by a newer version is refused, never downgraded.
 */
export async function migrate(db: Driver, s: string, display: string): Promise<number> {
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (err) {
    throw new GalleryDriverError(
      display,
      `the pgvector extension is not available (${(err as Error).message})`,
      {
        cause: err,
      },
    );
  }
  await db.exec(
    `CREATE SCHEMA IF NOT EXISTS ${s};
     CREATE TABLE IF NOT EXISTS ${s}.schema_version (
       version integer PRIMARY KEY,
       applied_at timestamptz NOT NULL DEFAULT now()
     );`,
  );
  return db.transaction(async (tx) => {
    await tx.exec(`LOCK TABLE ${s}.schema_version IN EXCLUSIVE MODE`);
    const [{ v }] = await tx.query<{ v: number }>(
      `SELECT coalesce(max(version), 0)::int AS v FROM ${s}.schema_version`,
    );
    if (v > SCHEMA_VERSION) {
      throw new GalleryLocationError(
        display,
        `schema version ${v} was written by a newer @face/gallery (this one reads up to ${SCHEMA_VERSION})`,
      );
    }
    for (let i = v; i < SCHEMA_VERSION; i++) {
      await tx.exec(MIGRATIONS[i](s));
      await tx.query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [i + 1]);
    }
    return SCHEMA_VERSION;
  });
}
