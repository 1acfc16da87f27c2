import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { expect, it } from 'vitest';
import { openGallery } from '@face/gallery';
import { runChild } from './helpers/child';
import { CRASH_MODEL, CRASH_TEMPLATES, crashTemplate, crashTemplates } from './helpers/crash-data';

/** Starts the child enrolment and kills it with SIGKILL after `batch <n>`, plus `delayMs`. */
async function enrolAndKill(dir: string, batch: number, delayMs: number) {
  const run = await runChild({ GALLERY_DIR: dir });
  await run.waitFor([`batch ${batch} `]);
  await new Promise((r) => setTimeout(r, delayMs));
  run.child.kill('SIGKILL');
  const { signal } = await run.exited;
  return signal;
}

it('kill -9 during an enrolment, then resume: every template once, none missing, none changed', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'face-gallery-crash-')), 'gallery');
  // Two kills at different moments (the second one during a resumed run), then a full resume.
  expect(await enrolAndKill(dir, 3, 0)).toBe('SIGKILL');
  expect(await enrolAndKill(dir, 2, 35)).toBe('SIGKILL');
  const gallery = await openGallery(dir, { model: CRASH_MODEL });
  const partial = (await gallery.stats()).templates;
  expect(partial).toBeGreaterThan(0);
  expect(partial).toBeLessThan(CRASH_TEMPLATES);
  const resumed = await gallery.enrolStream(crashTemplates(), { batchSize: 500 });
  expect(resumed).toEqual({ added: CRASH_TEMPLATES - partial, skipped: partial });
  await gallery.close();

  // Read the tables directly: one row per (identity, source), each with its own embedding.
  const db = await PGlite.create(dir, { extensions: { vector } });
  const rows = (
    await db.query<{ name: string; source: string; embedding: string }>(
      `SELECT i.name, t.source, t.embedding::text AS embedding
       FROM face_gallery.templates t JOIN face_gallery.identities i ON i.id = t.identity_id`,
    )
  ).rows;
  await db.close();
  expect(rows.length).toBe(CRASH_TEMPLATES);
  const seen = new Set<number>();
  for (const r of rows) {
    const i = Number(/^img-(\d+)\.jpg$/.exec(r.source)![1]);
    expect(seen.has(i)).toBe(false);
    seen.add(i);
    const expected = crashTemplate(i);
    expect(r.name).toBe(expected.identity);
    const stored = JSON.parse(r.embedding) as number[];
    expect(Float32Array.from(stored)).toEqual(Float32Array.from(expected.embedding));
  }
  expect(seen.size).toBe(CRASH_TEMPLATES);
}, 180_000);
