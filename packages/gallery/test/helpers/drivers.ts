// The two drivers every store test runs against: PGlite in this process, and `pg` talking to a
// PGlite served over the PostgreSQL wire protocol by pglite-socket on 127.0.0.1 (a free port).
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, beforeAll } from 'vitest';
import { openGallery, type Gallery, type GalleryModel } from '@face/gallery';

export interface DriverCase {
  name: 'pglite' | 'pg';
  /** A new gallery (its own schema) on this driver. */
  open(model?: GalleryModel, schema?: string): Promise<Gallery>;
}

let server: PGLiteSocketServer | null = null;
let serverDb: PGlite | null = null;
let url = '';
let schemas = 0;

/** Starts the socket server before the file's tests and stops it after. */
export function useDrivers(): DriverCase[] {
  beforeAll(async () => {
    serverDb = await PGlite.create({ extensions: { vector } });
    server = new PGLiteSocketServer({
      db: serverDb,
      host: '127.0.0.1',
      port: 0,
      maxConnections: 8,
    });
    await server.start();
    url = `postgres://postgres@${server.getServerConn()}/postgres`;
  });
  afterAll(async () => {
    await server?.stop();
    await serverDb?.close();
  });
  return [
    { name: 'pglite', open: (model, schema) => openGallery(undefined, { model, schema }) },
    {
      name: 'pg',
      open: (model, schema) => openGallery(url, { model, schema: schema ?? `g${++schemas}` }),
    },
  ];
}

/** Seeded unit-ish random rows (mulberry32): the same data in every run. */
export function randomRows(n: number, dim: number, seed: number): Float32Array[] {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, () => rand() * 2 - 1));
}

/** Rows near `center` (center + noise * random): templates and queries of one person. */
export function around(
  center: Float32Array,
  noise: number,
  n: number,
  seed: number,
): Float32Array[] {
  return randomRows(n, center.length, seed).map((r) => r.map((x, j) => center[j] + noise * x));
}
