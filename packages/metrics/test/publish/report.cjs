// Run by test/publish.test.ts in a scratch install: the CommonJS build draws a report, which
// loads the ESM-only Vega with import(), with or without @tensorflow/tfjs-core installed; without
// the optional plotting peers it rejects with PlottingUnavailableError.
/* global require */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the point is require()
const { evaluationReport, verificationMetrics } = require('@face/metrics');

const input = { verification: { scores: [0.9, 0.2, 0.7, 0.4], labels: [1, 0, 1, 0] } };
if (verificationMetrics(input.verification.scores, input.verification.labels).auc !== 1)
  throw new Error('auc');
import('vega')
  .then(
    () => true,
    () => false,
  )
  .then(async (plotting) => {
    if (!plotting) {
      const err = await evaluationReport(input).then(
        () => null,
        (e) => e,
      );
      if (err?.name !== 'PlottingUnavailableError') throw new Error(`without vega: ${err}`);
      return;
    }
    const { json, svg } = await evaluationReport(input);
    if (json.verification.auc !== 1) throw new Error(`auc ${json.verification.auc}`);
    if (!/^<svg[^>]*>[\s\S]*<path[\s\S]*<\/svg>$/.test(svg.roc)) throw new Error('no ROC svg');
    if (!svg.histogram.includes('mark-rect')) throw new Error('no histogram bars');
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
