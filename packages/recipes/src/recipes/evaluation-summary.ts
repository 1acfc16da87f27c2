import { kFoldAccuracy, type ReportInput } from '@face/metrics';
import type { ClassificationResult } from '../evaluate/classification';
import type { IdentificationResult } from '../evaluate/identification';
import type { VerificationResult } from '../evaluate/verification';

/** What was evaluated: any of the three tasks' results (absent or null: not evaluated). */
export interface EvaluationResults {
  classification?: ClassificationResult | null;
  /** Images the classification left out (identities the model was not trained on), if any. */
  leftOutImages?: number;
  verification?: VerificationResult | null;
  identification?: IdentificationResult | null;
}

export interface EvaluationSummaryOptions {
  /** The report's title (its plots show it). */
  title?: string;
  /**
   * The LFW protocol's k-fold accuracy when the pairs come in several folds (`kfold_accuracy`).
   * Default true.
   */
  kFold?: boolean;
}

/** One line of a summary table: a metric (a number) or a count (text such as `6 / 6`). */
export interface SummaryRow {
  /** The metric's key in `metrics`, or the count's name. */
  key: string;
  label: string;
  value: number | string;
}

export interface EvaluationSummary {
  /**
   * The numbers by key: `accuracy`, `top5`; `auc`, `eer`, `tar@far=<f>`, `pair_accuracy`,
   * `kfold_accuracy`; `rank1`, `rank5`, `dir@far=<f>` (those the results have). The training
   * logs' `val_` metrics are these keys. A rate the data cannot measure (a FAR of f with fewer
   * than 1/f impostor pairs or unknown queries) is NaN here, and its row says why.
   */
  metrics: Record<string, number>;
  /** Metrics and counts (left-out images, pairs, queries) in reading order, with their labels. */
  rows: SummaryRow[];
  /** The input of @face/metrics' `evaluationReport` (report.json and plots) for these results. */
  report: ReportInput;
}

/**
 * The one summary of an evaluation, shared by `face eval`, `face demo` and a recipe's per-epoch
 * validation: the metrics by key, table rows with their labels, and the report's input, in the
 * order classification, verification, identification. Counts what was left out (unreadable
 * images, dropped pairs) only when there was some.
 */
export function evaluationSummary(
  results: EvaluationResults,
  { title, kFold = true }: EvaluationSummaryOptions = {},
): EvaluationSummary {
  const summary: EvaluationSummary = {
    metrics: {},
    rows: [],
    report: title === undefined ? {} : { title },
  };
  const { classification: c, verification: v, identification: i } = results;
  if (c) addClassification(summary, c, results.leftOutImages ?? 0);
  if (v) addVerification(summary, v, kFold);
  if (i) addIdentification(summary, i);
  return summary;
}

function metric(s: EvaluationSummary, key: string, label: string, value: number): void {
  s.metrics[key] = value;
  s.rows.push({ key, label, value });
}

function count(s: EvaluationSummary, key: string, label: string, value: string): void {
  s.rows.push({ key, label, value });
}

/**
 * A rate at a FAR target: a number when the data can measure it, else NaN in `metrics` (null in
 * JSON) and "n/a (needs >= N impostor pairs)" in the table, never a number that reads as one.
 */
function rate(
  s: EvaluationSummary,
  key: string,
  label: string,
  value: number,
  m: { measurable?: boolean; needed?: number },
  negatives: string,
): void {
  // Results built without the measurability (older callers, hand-made ones) count as measured.
  if (m.measurable !== false) return metric(s, key, label, value);
  s.metrics[key] = NaN;
  const needs = Number.isFinite(m.needed) ? `>= ${m.needed}` : 'more';
  s.rows.push({ key, label, value: `n/a (needs ${needs} ${negatives})` });
}

function addClassification(s: EvaluationSummary, c: ClassificationResult, leftOut: number): void {
  metric(s, 'accuracy', 'closed-set top-1 accuracy', c.accuracy);
  if (c.topK[5] !== undefined) metric(s, 'top5', 'closed-set top-5 accuracy', c.topK[5]);
  if (leftOut) count(s, 'left_out', '(images of unknown identities, left out)', String(leftOut));
  if (c.skipped.length)
    count(s, 'unreadable', '(unreadable images, left out)', String(c.skipped.length));
  if (c.scores) s.report.classification = { scores: c.scores, labels: c.labels };
}

function addVerification(s: EvaluationSummary, v: VerificationResult, kFold: boolean): void {
  count(s, 'pairs', 'verification pairs (same / different)', `${v.positives} / ${v.negatives}`);
  metric(s, 'auc', 'verification AUC', v.auc);
  metric(s, 'eer', 'verification EER', v.eer.eer);
  for (const p of v.tarAtFar)
    rate(s, `tar@far=${p.far}`, `TAR @ FAR=${p.far}`, p.tar, p, 'impostor pairs');
  metric(s, 'pair_accuracy', 'best-threshold accuracy', v.bestAccuracy.accuracy);
  const folds = new Set(v.pairs.map((p) => p.fold)).size;
  if (kFold && folds > 1)
    metric(
      s,
      'kfold_accuracy',
      'k-fold accuracy (LFW protocol)',
      kFoldAccuracy(v.scores, v.labels, { folds }).mean,
    );
  if (v.droppedPairs)
    count(s, 'dropped_pairs', '(pairs with an unreadable image, left out)', String(v.droppedPairs));
  s.report.verification = { scores: v.scores, labels: v.labels, far: v.tarAtFar.map((p) => p.far) };
}

function addIdentification(s: EvaluationSummary, i: IdentificationResult): void {
  const known = i.split.queryIsKnown.filter(Boolean).length;
  count(
    s,
    'queries',
    '1:N queries (known / unknown)',
    `${known} / ${i.split.query.length - known}`,
  );
  metric(s, 'rank1', '1:N rank-1 (known queries)', i.cmc[0]);
  if (i.cmc[4] !== undefined) metric(s, 'rank5', '1:N rank-5 (known queries)', i.cmc[4]);
  for (const p of i.dirAtFar)
    rate(s, `dir@far=${p.far}`, `open-set DIR @ FAR=${p.far}`, p.dir, p, 'unknown queries');
  const { gallery, queries } = i.dropped;
  if (gallery + queries)
    count(
      s,
      'dropped_images',
      '(unreadable gallery images / queries, left out)',
      `${gallery} / ${queries}`,
    );
  s.report.identification = {
    neighbors: i.neighbors,
    queryLabels: i.queryLabels,
    galleryLabels: i.galleryLabels,
    far: i.dirAtFar.map((p) => p.far),
  };
}
