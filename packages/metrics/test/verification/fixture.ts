import { loadFixture } from '@face/test-support';

type Num = number | null; // null stands for +Infinity (JSON has none)

export interface VerificationCase {
  name: string;
  float32: boolean;
  scores: number[];
  labels: number[];
  roc: { fpr: number[]; tpr: number[]; thresholds: Num[] };
  rocAll: { fpr: number[]; tpr: number[]; thresholds: Num[] };
  auc: number;
  eer: { eer: number; eerBrentq: number; threshold: Num; far: number; frr: number };
  tarAtFar: { far: number; tar: number; threshold: Num; actualFar: number }[];
  bestAccuracy: { accuracy: number; threshold: Num };
  kfold: Record<string, { mean: number; std: number; accuracies: number[]; thresholds: Num[] }>;
  grid?: number[];
  kfold10Grid?: { mean: number; std: number; accuracies: number[]; thresholds: Num[] };
}

/** Golden values from scripts/gen_metrics_fixtures.py (scikit-learn 1.2 + brute-force references). */
export const cases = loadFixture<{ cases: VerificationCase[] }>(
  new URL('../x', import.meta.url).href, // fixtures live in test/fixtures
  'verification',
).cases;

export const inf = (v: Num): number => (v === null ? Infinity : v);

/** The case's scores in the float type they were generated in. */
export function scoresOf(c: VerificationCase): Float32Array | Float64Array {
  return c.float32 ? Float32Array.from(c.scores) : Float64Array.from(c.scores);
}
