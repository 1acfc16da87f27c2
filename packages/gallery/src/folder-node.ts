import { GalleryLocationError } from './errors';

/**
 * Makes sure `path` can hold a gallery before PGlite writes into it: a missing folder is created;
 * an existing one must be a directory that is empty or already a PostgreSQL data folder
 * (`PG_VERSION`), so that a typo never scatters database files through someone's folder.
 * node:fs is imported here only, when a folder is used: the browser never loads it.
 */
export async function prepareFolder(path: string): Promise<void> {
  const fs = await import('node:fs/promises');
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw folderError(path, err);
    try {
      await fs.mkdir(path, { recursive: true });
      return;
    } catch (e) {
      throw folderError(path, e);
    }
  }
  if (!stat.isDirectory()) {
    throw new GalleryLocationError(
      path,
      'is not a folder (a gallery is a folder PGlite writes its database into)',
    );
  }
  const entries = await fs.readdir(path);
  if (entries.length > 0 && !entries.includes('PG_VERSION')) {
    throw new GalleryLocationError(
      path,
      `holds ${entries.length} entries and no PG_VERSION: not a gallery folder (give an empty or new folder)`,
    );
  }
}

function folderError(path: string, err: unknown): GalleryLocationError {
  const e = err as { code?: string; message?: string };
  return new GalleryLocationError(
    path,
    `cannot be used as a folder (${e.code ?? e.message ?? String(err)})`,
  );
}
