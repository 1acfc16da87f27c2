// Does dlib's pretrained embedding need centring before cosine scoring? Verification AUC of the
// shipped dlib ResNet on held-out drawn people, scored (a) by cosine, (b) by Euclidean distance,
// (c) by cosine after subtracting the training people's mean embedding; no training, embeddings
// once. Usage: node bench/run-ts.mjs bench/fine-tune-centre.ts [--identities 40] [--images 10]
//   [--held-out 8] [--seeds 0] [--difficulty 0.5] [--backend wasm]
// The split is the recipes' (splitByIdentity, --val-identities of `face train`), the pictures
// `face train --data synthetic`'s (150 px, seed 0).
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@face/backends';
import { SyntheticFaces, splitByIdentity } from '@face/data';
import { rocAuc } from '@face/metrics';
import { dlibPreprocess, faceApiModelDir, pretrainedModel } from '@face/pretrained';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .flatMap((a, i, all) => (a.startsWith('--') ? [[a.slice(2), all[i + 1]]] : [])),
);
const identities = Number(args.identities ?? 40);
const images = Number(args.images ?? 10);
const heldOut = Number(args['held-out'] ?? 8);
const seeds = String(args.seeds ?? '0')
  .split(',')
  .map(Number);
const difficulty = Number(args.difficulty ?? 0.5);
await useBackend((args.backend ?? 'wasm') as 'wasm');

// face-api is a dependency of @face/pretrained, not of the workspace root.
const weights = await faceApiModelDir('packages/pretrained');
const model = await pretrainedModel('dlib-resnet').load(weights);
const faces = new SyntheticFaces({
  identities,
  imagesPerIdentity: images,
  size: 150,
  seed: 0,
  difficulty,
});
const n = faces.labels.length;
const t0 = Date.now();
const rows: Float32Array[] = [];
for (let i = 0; i < n; i += 16) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(16, n - i) }, (_, j) => faces.load(i + j)),
  );
  const out = tf.tidy(() => {
    const x = tf.stack(batch.map((b) => tf.tensor3d(b.data, [b.height, b.width, 3], 'float32')));
    return model.predict(dlibPreprocess(x as tf.Tensor4D)) as tf.Tensor2D;
  });
  const v = (await out.data()) as Float32Array;
  out.dispose();
  for (let j = 0; j < v.length / 128; j++) rows.push(v.slice(j * 128, (j + 1) * 128));
}
const seconds = (Date.now() - t0) / 1000;

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, k) => s + x * b[k], 0);
const cos = (a: Float32Array, b: Float32Array) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
const dist = (a: Float32Array, b: Float32Array) =>
  Math.sqrt(a.reduce((s, x, k) => s + (x - b[k]) ** 2, 0));
const minus = (a: Float32Array, m: Float32Array) => a.map((x, k) => x - m[k]);
const mean = (idx: number[]) => {
  const m = new Float32Array(128);
  for (const i of idx) rows[i].forEach((x, k) => (m[k] += x / idx.length));
  return m;
};

console.log(
  `dlib-resnet, ${identities} drawn people x ${images} pictures (difficulty ${difficulty}), ` +
    `${heldOut} held out; embeddings ${seconds.toFixed(0)} s on ${tf.getBackend()}, load ${loadavg()[0].toFixed(1)}`,
);
console.log(
  'split seed | pairs (same/diff) | AUC cosine | AUC Euclidean | AUC centred cosine | ' +
    'mean cos diff: raw -> centred (same: raw -> centred)',
);
for (const seed of seeds) {
  const split = splitByIdentity(faces, { testIdentities: heldOut, seed });
  const m = mean(split.train);
  const test = split.test;
  const centred = new Map(test.map((i) => [i, minus(rows[i], m)]));
  const labels: number[] = [];
  const [sc, se, scc] = [[], [], []] as number[][];
  const diff = { raw: 0, c: 0, n: 0 };
  const same = { raw: 0, c: 0, n: 0 };
  for (let a = 0; a < test.length; a++)
    for (let b = a + 1; b < test.length; b++) {
      const [i, j] = [test[a], test[b]];
      const s = faces.labels[i] === faces.labels[j];
      const [r, c] = [cos(rows[i], rows[j]), cos(centred.get(i)!, centred.get(j)!)];
      labels.push(s ? 1 : 0);
      sc.push(r);
      se.push(-dist(rows[i], rows[j]));
      scc.push(c);
      const acc = s ? same : diff;
      acc.raw += r;
      acc.c += c;
      acc.n++;
    }
  const f = (x: number) => x.toFixed(3);
  console.log(
    `${seed} | ${same.n}/${diff.n} | ${f(rocAuc(sc, labels))} | ${f(rocAuc(se, labels))} | ` +
      `${f(rocAuc(scc, labels))} | ${f(diff.raw / diff.n)} -> ${f(diff.c / diff.n)} ` +
      `(${f(same.raw / same.n)} -> ${f(same.c / same.n)})`,
  );
}
model.dispose();
