// Issue 18's browser proof: the demo page enrols the people it trained on in a gallery kept in
// IndexedDB (@face/gallery on PGlite + pgvector, `idb://`), identifies pictures, and after a
// reload the saved model identifies them again against what the first visit enrolled.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GALLERY_IDB_DATABASE, type GalleryDbState } from '../src/gallery-db/gallery-db';
import type { DemoState } from '../src/main';
import { artifacts, launchChromium } from './chromium';
import { outDir } from './global-setup';

/** A run of seconds on the cpu backend: 6 people to train on (3 pictures enrolled each), 2 unseen. */
const QUERY =
  '?size=16&width=0.0625&embeddingSize=16&identities=8&testIdentities=2&imagesPerIdentity=4' +
  '&p=2&k=2&epochs=1&pairs=4&backend=cpu';

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const demoState = () =>
  page.evaluate(() => {
    const { download: _, ...rest } = window.__faceDemo;
    return rest as DemoState;
  });

beforeAll(async () => {
  browser = await launchChromium();
  // A fresh context: IndexedDB starts empty, and survives the page's reloads.
  const context = await browser.newContext();
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(String(err)));
});

afterAll(async () => {
  await browser?.close();
});

describe('the built site', () => {
  it('ships PGlite’s and pgvector’s files, and not pg (imported only for postgres://)', () => {
    const assets = join(outDir, 'dist', 'assets');
    const files = readdirSync(assets);
    for (const name of [/^pglite-.*\.wasm$/, /^pglite-.*\.data$/, /^vector\.tar-.*\.gz$/])
      expect(files.some((f) => name.test(f))).toBe(true);
    // pg's connection code reads these names; a build that bundled pg has them in a chunk.
    const withPg = files.filter(
      (f) =>
        f.endsWith('.js') &&
        /PGSSLMODE|SCRAM-SERVER-FIRST-MESSAGE/.test(readFileSync(join(assets, f), 'utf8')),
    );
    expect(withPg).toEqual([]);
  });
});

describe('the demo page’s gallery (Chromium, PGlite in IndexedDB)', () => {
  let first: DemoState;

  it('enrols the people it trained on and identifies pictures', async () => {
    await page.goto(`${inject('baseUrl')}${QUERY}`);
    await page.waitForFunction(
      () => window.__faceDemo && ['done', 'error'].includes(window.__faceDemo.phase),
      undefined,
      { timeout: 240_000, polling: 500 },
    );
    first = await demoState();
    expect(first.error).toBeUndefined();
    expect(pageErrors).toEqual([]);
    // The gallery's embeddings and fingerprint leave no tensor behind: only the weights remain.
    expect(first.tensors?.alive).toBe(first.tensors?.weights);
    const gallery = first.galleryDb as GalleryDbState;
    expect(gallery.error).toBeUndefined();
    expect(gallery.previous).toBeNull();
    const run = gallery.current!;
    expect(run.location).toBe('idb://face-demo-gallery');
    expect(run.identities).toBe(6);
    expect(run.templates).toBe(6 * 3);
    expect(run.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.threshold).toBeCloseTo(first.verification!.threshold, 6);
    const [enrolled, heldOut, stranger] = run.queries;
    // A picture that was enrolled comes back as its person, at cosine 1 (the same embedding).
    expect(enrolled.identity).toBe(enrolled.expected);
    expect(enrolled.score).toBeGreaterThan(0.9999);
    expect(heldOut.expected).toBe(enrolled.expected);
    expect(stranger.expected).toBeNull();
    for (const q of run.queries) {
      expect(q.candidates.length).toBe(3);
      expect(q.unknown).toBe(q.score < run.threshold!);
    }
    // PGlite's files are in the IndexedDB database the page names.
    const databases = await page.evaluate(async () =>
      (await indexedDB.databases()).map((d) => d.name),
    );
    expect(databases).toContain(GALLERY_IDB_DATABASE);
    expect(await page.locator('#gallery-db figure canvas').count()).toBe(3);
    await page.locator('#gallery-db').screenshot({ path: join(artifacts, 'gallery-db.png') });
  });

  it('after a reload, the saved model finds the enrolled people in the persisted gallery', async () => {
    expect(first?.galleryDb?.current).toBeDefined();
    await page.reload();
    // The check runs before training starts again; nothing after it is needed.
    await page.waitForFunction(
      () => window.__faceDemo?.galleryDb !== undefined || window.__faceDemo?.phase === 'error',
      undefined,
      { timeout: 120_000, polling: 500 },
    );
    const again = (await demoState()).galleryDb!;
    expect(again.previousNote).toBeUndefined();
    const before = first.galleryDb!.current!;
    const after = again.previous!;
    expect(after).not.toBeNull();
    expect(after.fingerprint).toBe(before.fingerprint);
    expect([after.identities, after.templates, after.threshold]).toEqual([
      before.identities,
      before.templates,
      before.threshold,
    ]);
    expect(after.queries[0].identity).toBe(after.queries[0].expected);
    expect(after.queries[0].score).toBeGreaterThan(0.9999);
    // Same model, same pictures, same cpu backend: the same answers and scores.
    after.queries.forEach((q, i) => {
      const b = before.queries[i];
      expect([q.source, q.identity, q.unknown]).toEqual([b.source, b.identity, b.unknown]);
      expect(q.candidates.map((c) => c.identity)).toEqual(b.candidates.map((c) => c.identity));
      q.candidates.forEach((c, j) => expect(c.score).toBeCloseTo(b.candidates[j].score, 5));
    });
    expect(await page.locator('#gallery-db figure canvas').count()).toBe(3);
    expect(pageErrors).toEqual([]);
  });
});
