/** Small text-file helpers for log callbacks; Node's `fs` is imported on first use (browser-safe entry). */
const fs = () => import('node:fs/promises');

function parentOf(path: string): string | null {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i > 0 ? path.slice(0, i) : null;
}

export async function readText(path: string): Promise<string | null> {
  try {
    return await (await fs()).readFile(path, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw err;
  }
}

/** Replaces a file's content atomically (temp file, then rename). */
export async function writeText(path: string, text: string): Promise<void> {
  const f = await fs();
  const parent = parentOf(path);
  if (parent) await f.mkdir(parent, { recursive: true });
  const temp = `${path}.tmp-${Math.random().toString(36).slice(2, 10)}`;
  try {
    await f.writeFile(temp, text);
    await f.rename(temp, path);
  } catch (err) {
    // A full disk must not keep the partial copy (the next run needs that space back).
    await f.rm(temp, { force: true }).catch(() => {});
    throw err;
  }
}

export async function appendText(path: string, text: string): Promise<void> {
  const f = await fs();
  const parent = parentOf(path);
  if (parent) await f.mkdir(parent, { recursive: true });
  await f.appendFile(path, text);
}
