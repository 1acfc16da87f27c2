// Run by test/publish.test.ts in a scratch install: the CommonJS build draws a report, which
// loads the ESM-only Vega with import(), with or without @tensorflow/tfjs-core installed.
/* global require */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the point is require()
const { evaluationReport } = require('@face/metrics');

evaluationReport({ verification: { scores: [0.9, 0.2, 0.7, 0.4], labels: [1, 0, 1, 0] } })
  .then(({ json, svg }) => {
    if (json.verification.auc !== 1) throw new Error(`auc ${json.verification.auc}`);
    if (!/^<svg[^>]*>[\s\S]*<path[\s\S]*<\/svg>$/.test(svg.roc)) throw new Error('no ROC svg');
    if (!svg.histogram.includes('mark-rect')) throw new Error('no histogram bars');
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
