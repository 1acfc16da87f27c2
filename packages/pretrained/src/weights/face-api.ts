import { InvalidArgumentError } from '@face/core';
import { nodeModule, nodePath } from './node';

const INSTALL = 'npm install @vladmandic/face-api';

/**
 * The folder of the `@vladmandic/face-api` package Node resolves from the first of `from` that
 * has one (default: the working directory); a program passes its own location too, so that a
 * face-api installed beside it is found wherever it runs. Node only.
 */
export async function faceApiPackageDir(from?: string | readonly string[]): Promise<string> {
  const fn = 'faceApiPackageDir';
  if (typeof process === 'undefined' || typeof process.versions?.node !== 'string') {
    throw new InvalidArgumentError(
      fn,
      'from',
      from,
      "Node (in a browser, pass the URL of face-api's model/ folder)",
    );
  }
  const bases = from === undefined ? [process.cwd()] : typeof from === 'string' ? [from] : from;
  const { createRequire } = await nodeModule();
  const { dirname, join, resolve } = await nodePath();
  for (const base of bases) {
    try {
      // A file name inside `base`, so resolution starts in `base` itself.
      const require = createRequire(join(resolve(base), 'noop.js'));
      return dirname(require.resolve('@vladmandic/face-api/package.json'));
    } catch {
      // Not from this base: try the next.
    }
  }
  throw new InvalidArgumentError(
    fn,
    'from',
    bases.join(', '),
    `a folder from which @vladmandic/face-api resolves (${INSTALL})`,
  );
}

/**
 * The `model/` folder of the `@vladmandic/face-api` package installed where Node resolves it from
 * `from` (default: the working directory; several folders are tried in order). Node only: in a
 * browser, pass a URL to the loaders.
 */
export async function faceApiModelDir(from?: string | readonly string[]): Promise<string> {
  const { join } = await nodePath();
  try {
    return join(await faceApiPackageDir(from), 'model');
  } catch (err) {
    const e = err as InvalidArgumentError;
    if (!(err instanceof InvalidArgumentError) || e.argument !== 'from') throw err;
    throw new InvalidArgumentError('faceApiModelDir', 'from', e.value, e.expected);
  }
}
