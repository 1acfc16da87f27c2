import { GalleryDriverError } from './errors';
import type { GalleryLocation } from './location';

/** What the gallery's SQL runs on; both drivers run the same statements. */
export interface SqlSession {
  /** One statement with `$1..$n` parameters (strings and numbers); returns its rows. */
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements, no parameters. */
  exec(sql: string): Promise<void>;
}

export interface Driver extends SqlSession {
  readonly kind: 'pglite' | 'postgres';
  /** Everything `fn` runs commits together, or nothing does. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PGlite with pgvector, in memory, in a Node folder or in IndexedDB. Its wasm runs in this thread. */
export async function openPglite(location: GalleryLocation): Promise<Driver> {
  if (location.kind === 'postgres') throw new Error('openPglite: a postgres URL');
  if (location.kind === 'folder') {
    const { prepareFolder } = await import('./folder-node');
    await prepareFolder(location.path);
  }
  const [{ PGlite }, { vector }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-pgvector'),
  ]);
  const dataDir =
    location.kind === 'memory'
      ? undefined
      : location.kind === 'idb'
        ? `idb://${location.name}`
        : location.path;
  let db;
  try {
    db = await PGlite.create(dataDir, { extensions: { vector } });
  } catch (err) {
    throw new GalleryDriverError(
      location.display,
      `PGlite could not open the database (${String(err)})`,
      { cause: err },
    );
  }
  const session = (q: Pick<typeof db, 'query' | 'exec'>): SqlSession => ({
    query: async <T>(sql: string, params?: readonly unknown[]) =>
      (await q.query<T>(sql, params as unknown[])).rows,
    exec: async (sql) => {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...session(db),
    transaction: (fn) => db.transaction((tx) => fn(session(tx))),
    close: () => db.close(),
  };
}
