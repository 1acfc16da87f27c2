import { packageConfig } from '../../tsup.base';

// Keep `node:` on the lazily imported built-ins (src/weights/node.ts): bundlers recognise them.
export default packageConfig({ removeNodeProtocol: false });
