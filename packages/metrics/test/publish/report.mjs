// Run by test/publish.test.ts in a scratch install: the ESM build draws a report when the
// optional plotting peers are installed, and says what to install when they are not.
import { evaluationReport, tarAtFar } from '@face/metrics';

if (tarAtFar([0.9, 0.1], [1, 0], 0).tar !== 1) throw new Error('tarAtFar');
const plotting = await import('vega').then(
  () => true,
  () => false,
);
const input = {
  identification: {
    neighbors: {
      queries: 2,
      k: 1,
      indices: Int32Array.of(0, 1),
      scores: Float32Array.of(0.9, 0.3),
    },
    queryLabels: [0, 5],
    galleryLabels: [0, 1],
  },
};
if (plotting) {
  const { json, svg } = await evaluationReport(input);
  if (json.identification.cmc[0] !== 1) throw new Error(`cmc ${json.identification.cmc}`);
  if (!svg.cmc.includes('mark-line')) throw new Error('no CMC line');
} else {
  const err = await evaluationReport(input).then(
    () => null,
    (e) => e,
  );
  if (err?.name !== 'PlottingUnavailableError' || !err.message.includes('npm install vega'))
    throw new Error(`without vega: ${err}`);
}
