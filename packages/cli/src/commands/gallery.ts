import {
  calibrate,
  openGallery,
  type Gallery,
  type Identification,
  type Template,
} from '@face/gallery';
import { numberFlag, stringFlag, UsageError, type Command, type Io, type Values } from '../args';
import { skippedFilesLine, type BadImagePolicy } from '../datasets';
import { embedTemplates, galleryIdentity, galleryModelOf } from '../gallery-embed';
import {
  BACKEND_FLAG,
  BATCH_FLAG,
  DATA_FLAG,
  fmt,
  MODEL_FLAG,
  ON_BAD_IMAGE_FLAG,
  SEED_FLAG,
  SYNTHETIC_FLAGS,
  THREADS_FLAG,
  modelAndData,
} from './common';

const name = 'gallery';
const ACTIONS = ['enrol', 'identify', 'stats'] as const;

export const galleryCommand: Command = {
  name,
  summary:
    'A persistent face gallery (@face/gallery): enrol the people of a folder, identify the pictures ' +
    'of another (or say unknown), print what a gallery holds. --db is a folder (PGlite + pgvector, ' +
    'embedded) or a postgres:// URL (PostgreSQL with pgvector).',
  usage:
    '<enrol|identify|stats> --db <folder|postgres://...> [--model <dir> --data <path>] [flags]',
  flags: {
    db: {
      type: 'string',
      description: 'the gallery: a folder or a postgres:// URL',
      value: 'path|url',
    },
    model: MODEL_FLAG,
    data: DATA_FLAG,
    weights: { type: 'string', description: "dlib-resnet: face-api's model/ folder", value: 'dir' },
    k: {
      type: 'string',
      description: 'identify: candidates printed per picture',
      default: '1',
      value: 'n',
    },
    threshold: {
      type: 'string',
      description: 'identify: cosine below which a picture is unknown',
      value: 'x',
    },
    far: {
      type: 'string',
      description:
        'identify: choose the threshold for this false alarm rate from --data (people not enrolled are the unknowns) and store it',
      value: 'rate',
    },
    aggregate: {
      type: 'string',
      description: "identify: an identity's score from its templates",
      default: 'max',
      choices: ['max', 'mean'],
    },
    hnsw: {
      type: 'boolean',
      description: 'enrol: build the HNSW index afterwards (approximate, faster search)',
    },
    batch: BATCH_FLAG,
    'on-bad-image': ON_BAD_IMAGE_FLAG,
    backend: BACKEND_FLAG,
    threads: THREADS_FLAG,
    seed: SEED_FLAG,
    ...SYNTHETIC_FLAGS,
  },
  details:
    'Examples:\n  face gallery enrol --model runs/seq/model --data ~/staff --db staff.gallery\n' +
    '  face gallery identify --model runs/seq/model --data ~/door-camera --db staff.gallery --far 0.01\n' +
    '  face gallery stats --db staff.gallery\n' +
    'An interrupted enrol resumes where it stopped: run it again (pictures already enrolled are skipped).',
  run: gallery,
};

async function gallery(v: Values, io: Io): Promise<number> {
  const [action, ...extra] = v._;
  if (!ACTIONS.includes(action as (typeof ACTIONS)[number]) || extra.length) {
    throw new UsageError(
      `face ${name}: expected one of ${ACTIONS.join(', ')} as the first argument, got '${v._.join(' ')}' (see 'face ${name} --help')`,
    );
  }
  const db = stringFlag(name, v, 'db', true)!;
  if (action === 'stats') return stats(db, io);
  const modelSpec = stringFlag(name, v, 'model', true)!;
  const data = stringFlag(name, v, 'data', true)!;
  const seed = numberFlag(name, v, 'seed', { integer: true })!;
  const batchSize = numberFlag(name, v, 'batch', { integer: true, min: 1 })!;
  const { model, opened } = await modelAndData(name, v, io, { modelSpec, data, seed });
  const g = await openGallery(db, { model: await galleryModelOf(model) });
  try {
    const embed = { batchSize, onBadImage: stringFlag(name, v, 'on-bad-image') as BadImagePolicy };
    const all = Array.from({ length: opened.dataset.size }, (_, i) => i);
    if (action === 'enrol') {
      const done = await g.enrolledSources();
      const d = opened.dataset;
      const todo = all.filter((i) => !done.get(galleryIdentity(d, i))?.has(d.source(i)));
      io.out(
        `enrol: ${todo.length} pictures to embed (${all.length - todo.length} already enrolled)`,
      );
      const t0 = Date.now();
      const r = await g.enrolStream(embedTemplates(model, opened, todo, { ...embed, chunk: 256 }), {
        batchSize: 256,
        onProgress: (p) => io.out(`enrol: ${p.added + p.skipped}/${todo.length}`),
      });
      io.out(`enrolled ${r.added} templates in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (v.hnsw) await g.buildIndex();
    } else {
      const queries = [];
      for await (const q of embedTemplates(model, opened, all, { ...embed, chunk: 1024 }))
        queries.push(q);
      await identify(g, v, io, queries);
    }
    const skipped = skippedFilesLine(opened);
    if (skipped) io.err(skipped);
    await printStats(g, io);
  } finally {
    await g.close();
    model.head?.dispose();
    model.backbone.dispose();
  }
  return 0;
}

async function identify(g: Gallery, v: Values, io: Io, queries: Template[]): Promise<void> {
  const k = numberFlag(name, v, 'k', { integer: true, min: 1 })!;
  const far = numberFlag(name, v, 'far', { min: 0, max: 1 });
  let threshold = numberFlag(name, v, 'threshold', { min: -1, max: 1 });
  if (far !== undefined && threshold !== undefined) {
    throw new UsageError(`face ${name}: give --threshold or --far, not both`);
  }
  const aggregate = stringFlag(name, v, 'aggregate') as 'max' | 'mean';
  const embeddings = queries.map((q) => q.embedding);
  if (far !== undefined) {
    const c = await calibrate(
      g,
      { embeddings, identities: queries.map((q) => q.identity) },
      { far, aggregate },
    );
    io.out(
      `calibrated on ${c.known} known and ${c.unknown} unknown pictures: threshold ${fmt(c.threshold, 4)} ` +
        `(false alarm rate ${fmt(c.actualFar)} <= ${far}, DIR ${fmt(c.dir)}); stored in the gallery`,
    );
    await g.setThreshold(Number.isFinite(c.threshold) ? c.threshold : null);
    threshold = c.threshold;
  }
  const results: Identification[] = await g.identify(embeddings, { k, threshold, aggregate });
  let known = 0;
  results.forEach((r, i) => {
    if (!r.unknown) known++;
    const list = r.candidates.map((c) => `${c.identity} ${fmt(c.score, 4)}`).join(', ');
    io.out(
      `${queries[i].source}: ${r.unknown ? 'unknown' : r.identity} (${list || 'empty gallery'})`,
    );
  });
  io.out(`identified ${known} of ${results.length} pictures; ${results.length - known} unknown`);
}

async function stats(db: string, io: Io): Promise<number> {
  const g = await openGallery(db);
  try {
    await printStats(g, io);
  } finally {
    await g.close();
  }
  return 0;
}

async function printStats(g: Gallery, io: Io): Promise<void> {
  const s = await g.stats();
  io.out(
    `gallery ${s.location} (${s.driver}, schema ${s.schemaVersion}): ${s.identities} identities, ${s.templates} templates; ` +
      `model ${s.model ? `${s.model.fingerprint.slice(0, 19)}... (${s.model.dim}-d)` : 'none yet'}; ` +
      `index ${s.index ? `HNSW m ${s.index.m}, ef_construction ${s.index.efConstruction}` : 'none (exact search)'}; ` +
      `threshold ${s.threshold ?? 'none'}`,
  );
}
