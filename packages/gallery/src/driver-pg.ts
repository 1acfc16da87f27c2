import type { Driver, SqlSession } from './driver';
import { GalleryDriverError } from './errors';
import type { GalleryLocation } from './location';

interface PgClient {
  connect(): Promise<unknown>;
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * A PostgreSQL server with pgvector through `pg` (an optional peer dependency, imported only
 * here). One connection; calls are queued on it so that a transaction never interleaves with
 * another call's statements.
 */
export async function openPostgres(
  location: GalleryLocation & { kind: 'postgres' },
): Promise<Driver> {
  let pg: { Client: new (config: { connectionString: string }) => PgClient };
  try {
    // A name in a variable, not a literal: bundlers (Vite, webpack) then leave it alone, so a
    // browser app, which never opens a postgres:// gallery, neither needs pg nor ships it.
    const name = 'pg';
    const mod = (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as {
      default?: typeof pg;
    } & typeof pg;
    pg = mod.default ?? mod;
  } catch (err) {
    throw new GalleryDriverError(
      location.display,
      "a postgres:// gallery needs the package 'pg' (npm install pg), which could not be imported",
      { cause: err },
    );
  }
  const client = new pg.Client({ connectionString: location.url });
  // A dropped connection surfaces on the next query; without a listener it would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw new GalleryDriverError(location.display, `cannot connect (${(err as Error).message})`, {
      cause: err,
    });
  }
  const session: SqlSession = {
    query: async <T>(sql: string, params?: readonly unknown[]) =>
      (await client.query(sql, params as unknown[])).rows as T[],
    exec: async (sql) => {
      await client.query(sql);
    },
  };
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    kind: 'postgres',
    query: (sql, params) => serial(() => session.query(sql, params)),
    exec: (sql) => serial(() => session.exec(sql)),
    transaction: (fn) =>
      serial(async () => {
        await client.query('BEGIN');
        try {
          const result = await fn(session);
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }),
    close: () => serial(() => client.end()),
  };
}
