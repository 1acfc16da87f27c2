import { GalleryLocationError } from './errors';

/** Where a gallery lives, parsed from the string a user gives. */
export type GalleryLocation =
  | { kind: 'memory'; display: string }
  | { kind: 'folder'; path: string; display: string }
  | { kind: 'idb'; name: string; display: string }
  | { kind: 'postgres'; url: string; display: string };

/**
 * `undefined` or `memory://`: an in-memory PGlite (gone on close); `idb://<name>`: PGlite in the
 * browser's IndexedDB; `postgres://` / `postgresql://`: a PostgreSQL server with pgvector through
 * `pg`; `file://<path>` or any other string: a folder in Node. Other schemes are refused.
 */
export function parseLocation(location: string | undefined): GalleryLocation {
  if (location === undefined || location === 'memory://')
    return { kind: 'memory', display: 'memory://' };
  if (typeof location !== 'string' || location.trim() === '' || location.includes('\0')) {
    throw new GalleryLocationError(
      JSON.stringify(String(location)),
      'expected a folder path, idb://<name>, postgres://... or memory://',
    );
  }
  if (/^postgres(ql)?:\/\//i.test(location)) {
    return { kind: 'postgres', url: location, display: redactUrl(location) };
  }
  if (location.startsWith('idb://')) {
    const name = location.slice('idb://'.length);
    if (!name)
      throw new GalleryLocationError(location, 'idb:// needs a database name: idb://<name>');
    return { kind: 'idb', name, display: location };
  }
  if (location.startsWith('file://')) {
    const path = decodeURIComponent(location.slice('file://'.length));
    return { kind: 'folder', path, display: path };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location);
  if (scheme) {
    throw new GalleryLocationError(
      location,
      `scheme ${scheme[1]}:// is not supported (folder path, file://, idb://, postgres://, memory://)`,
    );
  }
  return { kind: 'folder', path: location, display: location };
}

/** A postgres URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
