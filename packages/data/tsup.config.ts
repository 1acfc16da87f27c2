import { packageConfig } from '../../tsup.base';

// Two doors: '@face/data' (browser-safe) and '@face/data/node' (file system, sharp). The node
// door imports shared classes from '@face/data' itself (kept external), so ESM and CJS builds
// have one copy of each class and `instanceof` holds across the doors.
export default packageConfig({ entry: ['src/index.ts', 'src/node.ts'], external: ['@face/data'] });
