import { InvalidArgumentError } from '@face/core';
import { nodeModule, nodePath } from './node';

/**
 * The `model/` folder of the `@vladmandic/face-api` package installed where Node resolves it from
 * `from` (default: the working directory). Node only: in a browser, pass a URL to the loaders.
 */
export async function faceApiModelDir(from?: string): Promise<string> {
  const fn = 'faceApiModelDir';
  if (typeof process === 'undefined' || typeof process.versions?.node !== 'string') {
    throw new InvalidArgumentError(
      fn,
      'from',
      from,
      "Node (in a browser, pass the URL of face-api's model/ folder)",
    );
  }
  const base = from ?? process.cwd();
  const { createRequire } = await nodeModule();
  const { dirname, join, resolve } = await nodePath();
  try {
    // A file name inside `base`, so resolution starts in `base` itself.
    const require = createRequire(join(resolve(base), 'noop.js'));
    return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  } catch {
    throw new InvalidArgumentError(
      fn,
      'from',
      base,
      'a folder from which @vladmandic/face-api resolves (npm install @vladmandic/face-api)',
    );
  }
}
