// The demo's persistent gallery: after training, the people trained on are enrolled in a PGlite +
// pgvector database kept in IndexedDB (`idb://face-demo-gallery`), and three pictures are
// identified. On the next visit, before training again, the model saved in `indexeddb://face-demo`
// identifies the same pictures against what the last visit enrolled.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
// Registers the custom layers the saved backbone uses, before it loads.
import '@face/layers';
import { subset, type FaceDataset } from '@face/data';
import { GalleryModelError, openGallery, type Gallery } from '@face/gallery';
import type { DemoConfig } from '../demo/config';
import type { DemoData } from '../demo/data';
import { embedRows } from '../demo/evaluate';
import { galleryModelOf } from './fingerprint';

const NAME = 'face-demo-gallery';
export const GALLERY_LOCATION = `idb://${NAME}`;
/** The IndexedDB database PGlite keeps `idb://<name>` in (the test checks it exists). */
export const GALLERY_IDB_DATABASE = `/pglite/${NAME}`;
/** Where the demo saves its backbone (src/demo/save.ts). */
const SAVED_MODEL = 'indexeddb://face-demo';
/** Pictures enrolled per person (their last picture is held out as a query). */
const PER_PERSON = 5;

export interface Query {
  kind: 'enrolled picture' | 'held-out picture' | 'person never enrolled';
  /** The picture: its index in the demo's `train` (or, never enrolled, `test`) set, and source. */
  index: number;
  source: string;
  /** Who it shows, or null for a person never enrolled (the right answer is "unknown"). */
  expected: string | null;
  /** The gallery's answer: the best identity, or null when unknown. */
  identity: string | null;
  score: number;
  unknown: boolean;
  candidates: { identity: string; score: number }[];
}

export interface GalleryRun {
  location: string;
  fingerprint: string;
  identities: number;
  templates: number;
  threshold: number | null;
  queries: Query[];
  seconds: number;
}

export interface GalleryDbState {
  /** What this visit found from the last one (null: nothing saved; `note` says why not run). */
  previous?: GalleryRun | null;
  previousNote?: string;
  /** This visit's enrolment and identification. */
  current?: GalleryRun;
  error?: string;
}

/** Indices of the pictures the gallery uses, fixed by the data (so by the page's options). */
function pictures(data: DemoData) {
  const byPerson = new Map<number, number[]>();
  data.train.labels.forEach((label, i) => {
    const list = byPerson.get(label) ?? [];
    list.push(i);
    byPerson.set(label, list);
  });
  const enrol: number[] = [];
  // A person's last picture is held out (unless it is their only one).
  for (const list of byPerson.values())
    enrol.push(...(list.length > 1 ? list.slice(0, -1) : list).slice(0, PER_PERSON));
  const first = byPerson.get(0) ?? [];
  return { enrol, check: first[0], heldOut: first[first.length - 1], stranger: 0 };
}

const nameOf = (dataset: FaceDataset, index: number) => dataset.classNames[dataset.labels[index]];

/** Deletes the page's gallery database: the last run's model is gone, so are its templates. */
function deleteDatabase(): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(GALLERY_IDB_DATABASE);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('deleteDatabase failed'));
    request.onblocked = () =>
      reject(new Error(`${GALLERY_LOCATION} is open in another tab: close it and reload`));
  });
}

/** Enrols the people `backbone` was trained on in a new gallery, then identifies the queries. */
export async function enrolTrainedPeople(
  backbone: tfl.LayersModel,
  data: DemoData,
  threshold: number,
): Promise<GalleryRun> {
  const start = performance.now();
  const model = await galleryModelOf(backbone);
  await deleteDatabase();
  const gallery = await openGallery(GALLERY_LOCATION, { model });
  try {
    const { enrol } = pictures(data);
    const rows = await embedRows(backbone, subset(data.train, enrol));
    await gallery.enrolStream(
      enrol.map((index, i) => ({
        identity: nameOf(data.train, index),
        embedding: rows[i],
        source: data.train.source(index),
      })),
      { batchSize: 256 },
    );
    // The open-set threshold travels with the gallery: the next visit uses it too.
    await gallery.setThreshold(threshold);
    return await identifyQueries(gallery, backbone, data, start);
  } finally {
    await gallery.close();
  }
}

/**
 * Identifies this visit's queries with the saved model against the gallery the last visit
 * enrolled. Null when neither was saved; a string says why the check could not run.
 */
export async function previousVisit(
  config: DemoConfig,
  data: DemoData,
): Promise<GalleryRun | string | null> {
  const start = performance.now();
  const saved = SAVED_MODEL in (await tf.io.listModels());
  const databases = await indexedDB.databases();
  if (!saved || !databases.some((d) => d.name === GALLERY_IDB_DATABASE)) return null;
  const backbone = await tfl.loadLayersModel(SAVED_MODEL);
  try {
    const size = backbone.inputs[0].shape[1];
    if (size !== config.size) {
      return `the saved model takes ${size} px faces, this page draws ${config.size} px ones (?size=${size})`;
    }
    let gallery: Gallery;
    try {
      gallery = await openGallery(GALLERY_LOCATION, { model: await galleryModelOf(backbone) });
    } catch (err) {
      if (err instanceof GalleryModelError) return err.message;
      throw err;
    }
    try {
      return await identifyQueries(gallery, backbone, data, start);
    } finally {
      await gallery.close();
    }
  } finally {
    backbone.dispose();
  }
}

async function identifyQueries(
  gallery: Gallery,
  backbone: tfl.LayersModel,
  data: DemoData,
  start: number,
): Promise<GalleryRun> {
  const { check, heldOut, stranger } = pictures(data);
  const known = await embedRows(backbone, subset(data.train, [check, heldOut]));
  const [unseen] = await embedRows(backbone, subset(data.test, [stranger]));
  const found = await gallery.identify([...known, unseen], { k: 3 });
  const asked = [
    { kind: 'enrolled picture', dataset: data.train, index: check, expected: true },
    { kind: 'held-out picture', dataset: data.train, index: heldOut, expected: true },
    { kind: 'person never enrolled', dataset: data.test, index: stranger, expected: false },
  ] as const;
  const stats = await gallery.stats();
  return {
    location: gallery.location,
    fingerprint: stats.model?.fingerprint ?? '',
    identities: stats.identities,
    templates: stats.templates,
    threshold: stats.threshold,
    queries: asked.map(({ kind, dataset, index, expected }, i) => ({
      kind,
      index,
      source: dataset.source(index),
      expected: expected ? nameOf(dataset, index) : null,
      identity: found[i].identity,
      score: found[i].score,
      unknown: found[i].unknown,
      candidates: found[i].candidates,
    })),
    seconds: (performance.now() - start) / 1000,
  };
}
