// Run by test/publish.test.ts in a scratch install: the ESM build draws a report.
import { evaluationReport, tarAtFar } from '@face/metrics';

const { json, svg } = await evaluationReport({
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
});
if (json.identification.cmc[0] !== 1) throw new Error(`cmc ${json.identification.cmc}`);
if (!svg.cmc.includes('mark-line')) throw new Error('no CMC line');
if (tarAtFar([0.9, 0.1], [1, 0], 0).tar !== 1) throw new Error('tarAtFar');
