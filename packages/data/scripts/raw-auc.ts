// Quick difficulty probe: verification AUC of raw-pixel cosine similarity on all pairs.
import { SyntheticFaces } from '@face/data';

const [, , dArg = '0.5', sizeArg = '32', idsArg = '40', viewsArg = '8'] = process.argv;
const faces = new SyntheticFaces({
  identities: Number(idsArg),
  imagesPerIdentity: Number(viewsArg),
  size: Number(sizeArg),
  difficulty: Number(dArg),
  seed: 123,
});
function feats(crop: number) {
  const s = faces.imageSize;
  const m = Math.round((s * (1 - crop)) / 2);
  return Array.from({ length: faces.size }, (_, i) => {
    const img = faces.loadSync(i);
    const v: number[] = [];
    for (let y = m; y < s - m; y++)
      for (let x = m; x < s - m; x++)
        for (let c = 0; c < 3; c++) v.push(img.data[(y * s + x) * 3 + c]);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const f = v.map((x) => x - mean);
    const n = Math.sqrt(f.reduce((a, b) => a + b * b, 0)) || 1;
    return f.map((x) => x / n);
  });
}
function auc(f: number[][]) {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < f.length; i++)
    for (let j = i + 1; j < f.length; j++) {
      let s = 0;
      for (let k = 0; k < f[i].length; k++) s += f[i][k] * f[j][k];
      (faces.labels[i] === faces.labels[j] ? pos : neg).push(s);
    }
  const all = [...pos.map((s) => [s, 1]), ...neg.map((s) => [s, 0])].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  all.forEach(([, p], r) => {
    if (p) rankSum += r + 1;
  });
  return (rankSum - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length);
}
const t = Date.now();
console.log(
  `d=${dArg} size=${sizeArg}: full ${auc(feats(1)).toFixed(3)}, centre-60% ${auc(feats(0.6)).toFixed(3)} (${Date.now() - t} ms)`,
);
