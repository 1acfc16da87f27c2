import { packageConfig } from '../../tsup.base';

// Keep `node:` in the lazy `import('node:fs/promises')`: browser bundlers recognise it as a Node
// built-in to leave out, rather than trying to resolve an `fs` package.
export default packageConfig({ removeNodeProtocol: false });
