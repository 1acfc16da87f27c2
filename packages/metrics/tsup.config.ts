import { packageConfig } from '../../tsup.base';

// Two entries: `@face/metrics` (plain arrays, no TF.js) and `@face/metrics/similarity` (backend).
export default packageConfig({ entry: ['src/index.ts', 'src/similarity.ts'] });
