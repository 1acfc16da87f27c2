import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendInfo } from './backend';
import { configFromQuery, type DemoConfig } from './demo/config';
import { makeData } from './demo/data';
import { embedDataset, embedRows, probeSet, verifyPairs } from './demo/evaluate';
import { buildBackbone, buildHead } from './demo/model';
import { downloadModel, indexedDbRoundTrip, type RoundTrip } from './demo/save';
import { trainDemo } from './demo/train';
import { enrolAndShow, showPreviousVisit, type GalleryDbState } from './gallery-db';
import { TrainingChart } from './ui/chart';
import { distinctPeople, faceCanvas } from './ui/faces';
import { renderGallery } from './ui/gallery';
import { headline, roundTripWords, trainingStatus } from './ui/words';
import { embedCrop, mountAlignSection } from './align';

/** Held-out images whose embeddings the page publishes (the test compares them with Node's). */
const PROBE_COUNT = 16;

/** What the page exposes for tests and the curious (`window.__faceDemo` in the console). */
export interface DemoState {
  phase: 'starting' | 'training' | 'evaluating' | 'saving' | 'done' | 'error';
  config?: DemoConfig;
  backend?: BackendInfo;
  /** Per update; `seconds` since training started. */
  steps: {
    step: number;
    epoch: number;
    loss: number;
    accuracy: number;
    lr: number;
    seconds: number;
  }[];
  trainSeconds?: number;
  /** Verification AUC of the untrained network, on the same pairs. */
  aucBefore?: number;
  verification?: {
    pairs: number;
    auc: number;
    eer: number;
    bestAccuracy: number;
    threshold: number;
    tarAtFar: { far: number; tar: number }[];
  };
  /** Points drawn on the ROC plot. */
  rocPoints?: number;
  gallery?: Record<string, number>;
  probe?: { count: number; embeddings: number[][] };
  indexedDb?: RoundTrip;
  /** The persistent gallery (PGlite + pgvector in IndexedDB): the last visit's and this run's. */
  galleryDb?: GalleryDbState;
  /** Tensors alive at the end, and how many of them are the backbone's weights. */
  tensors?: { alive: number; weights: number };
  error?: string;
  /** Saves the trained backbone with `downloads://` (model JSON + weights). */
  download?: () => Promise<void>;
}

declare global {
  interface Window {
    __faceDemo: DemoState;
  }
}

const state: DemoState = { phase: 'starting', steps: [] };
window.__faceDemo = state;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = (text: string) => ($('status').textContent = text);
/** Yields to the browser so it can paint (a timer, unlike a frame, also fires in hidden tabs). */
const yieldToPage = () => new Promise((resolve) => setTimeout(resolve, 0));

async function run(): Promise<void> {
  const config = configFromQuery(location.search);
  state.config = config;
  state.backend = await selectBackend(config.backend);
  $('backend').textContent =
    `${state.backend.backend}` +
    (state.backend.renderer
      ? ` (${state.backend.renderer}${state.backend.float32 == null ? '' : `, float32 ${state.backend.float32}`})`
      : '') +
    (state.backend.backend === 'wasm' ? `, ${state.backend.threads} thread(s)` : '') +
    `; crossOriginIsolated: ${state.backend.crossOriginIsolated}`;
  $('headline').textContent = headline(state.backend);
  // A picture of your own, aligned and embedded (src/align): usable while the demo trains.
  const align = mountAlignSection($('align'));

  const data = makeData(config);
  $('dataset').textContent =
    `${data.train.size} pictures of ${data.numClasses} people to train on; ` +
    `${data.test.size} pictures of ${config.testIdentities} people never seen, ${data.pairs.length} pairs`;
  const samples = $('samples');
  for (const i of distinctPeople(data.faces.labels, 12)) {
    const canvas = faceCanvas(data.faces.loadSync(i));
    canvas.dataset.person = String(data.faces.labels[i]);
    samples.append(canvas);
  }

  status('identifying with the gallery of the last visit, if any');
  state.galleryDb = await showPreviousVisit($('gallery-db'), config, data);

  const backbone = buildBackbone(config);
  align.setEmbedder((crop) => embedCrop(backbone, crop, config.size));
  const head = buildHead(config, data.numClasses);
  status('verifying unseen people with the untrained network');
  const untrained = await embedDataset(backbone, data.test);
  state.aucBefore = (await verifyPairs(untrained, data.pairs, { report: false })).metrics.auc;
  untrained.dispose();
  state.phase = 'training';
  let chart: TrainingChart | undefined;
  const start = performance.now();
  await trainDemo(backbone, head, data, config, {
    onStep: async (logs, totalSteps) => {
      chart ??= new TrainingChart($('chart'), totalSteps);
      const accuracy = logs.metrics.accuracy;
      const seconds = (performance.now() - start) / 1000;
      const { step, epoch, loss, lr } = logs;
      state.steps.push({ step, epoch, loss, accuracy, lr, seconds });
      chart.push(logs.loss, accuracy);
      status(trainingStatus({ step, totalSteps, loss, accuracy, seconds }));
      await yieldToPage();
    },
  });
  state.trainSeconds = (performance.now() - start) / 1000;

  state.phase = 'evaluating';
  status('verifying unseen people');
  const embeddings = await embedDataset(backbone, data.test);
  const v = await verifyPairs(embeddings, data.pairs);
  embeddings.dispose();
  const m = v.metrics;
  state.verification = {
    pairs: data.pairs.length,
    auc: m.auc,
    eer: m.eer.eer,
    bestAccuracy: m.bestAccuracy.accuracy,
    threshold: m.bestAccuracy.threshold,
    tarAtFar: m.tarAtFar.map(({ far, tar }) => ({ far, tar })),
  };
  $('metrics').textContent =
    `AUC ${m.auc.toFixed(3)} (untrained: ${state.aucBefore.toFixed(3)}), EER ${(100 * m.eer.eer).toFixed(1)} %, ` +
    `best accuracy ${(100 * m.bestAccuracy.accuracy).toFixed(1)} % at cos >= ${m.bestAccuracy.threshold.toFixed(3)}, ` +
    m.tarAtFar.map(({ far, tar }) => `TAR ${(100 * tar).toFixed(1)} % @ FAR ${far}`).join(', ');
  const roc = $('roc');
  roc.innerHTML = v.report?.svg.roc ?? '';
  state.rocPoints = v.report?.json.verification?.roc.length ?? 0;
  state.gallery = await renderGallery(
    $('gallery'),
    data.test,
    data.pairs,
    v.scores,
    m.bestAccuracy.threshold,
  );

  state.phase = 'saving';
  const probe = probeSet(data.test, PROBE_COUNT);
  state.probe = { count: probe.size, embeddings: await embedRows(backbone, probe) };
  state.indexedDb = await indexedDbRoundTrip(backbone, (model) => embedRows(model, probe));
  const trip = state.indexedDb;
  $('saved').textContent = roundTripWords(trip);
  status('enrolling the people trained on in the gallery (IndexedDB)');
  state.galleryDb ??= {};
  await enrolAndShow($('gallery-db'), state.galleryDb, backbone, data, m.bestAccuracy.threshold);
  state.download = () => downloadModel(backbone);
  const button = $<HTMLButtonElement>('download');
  button.disabled = false;
  button.onclick = () => {
    state.download?.().then(
      () => ($('saved').textContent += '; downloaded face-demo.json + face-demo.weights.bin'),
      (err: unknown) => ($('saved').textContent += `; download failed: ${String(err)}`),
    );
  };
  head.dispose();
  // What is left on the backend: the backbone's weights, and nothing else.
  state.tensors = { alive: tf.memory().numTensors, weights: backbone.weights.length };
  state.phase = 'done';
  status(
    `done: trained ${state.steps.length} steps in ${state.trainSeconds.toFixed(1)} s on ${tf.getBackend()}`,
  );
}

run().catch((err: unknown) => {
  state.phase = 'error';
  state.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  status(`error: ${state.error}`);
  console.error(err);
});
