import type * as NodeFsPromises from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';

/**
 * Runs `body` with `fs/promises.writeFile` failing as a full disk does for the writes `fails`
 * picks (by path, and by the 1-based count of writes so far): half the bytes land, then ENOSPC
 * with no path, as Node reports a failed write on an open file. Everything else writes normally.
 */
export async function diskFull<T>(
  fails: string | ((path: string, call: number) => boolean),
  body: () => Promise<T>,
): Promise<T> {
  const pick = typeof fails === 'string' ? (path: string) => path.includes(fails) : fails;
  const fsp = createRequire(import.meta.url)('node:fs/promises') as typeof NodeFsPromises;
  const writeFile = fsp.writeFile;
  let calls = 0;
  (fsp as { writeFile: unknown }).writeFile = async (
    path: Parameters<typeof writeFile>[0],
    data: string | Uint8Array,
    options?: Parameters<typeof writeFile>[2],
  ) => {
    if (!pick(String(path), ++calls)) return writeFile(path, data, options);
    await writeFile(path, data.slice(0, data.length >> 1));
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      syscall: 'write',
      errno: -28,
    });
  };
  syncBuiltinESMExports();
  try {
    return await body();
  } finally {
    (fsp as { writeFile: unknown }).writeFile = writeFile;
    syncBuiltinESMExports();
  }
}
