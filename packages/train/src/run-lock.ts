import { RunLockedError, type RunLockOwner } from './errors';

/** The name of a run directory's lock file. */
export const LOCK_FILE = '.lock';

/** A held run lock; `release()` removes the file if it is still this holder's. */
export interface RunLock {
  readonly path: string;
  readonly owner: RunLockOwner;
  release(): void;
}

/** The synchronous calls an exit handler can make (node:fs, loaded lazily: browser-safe entry). */
type FsSync = {
  readFileSync(path: string, encoding: 'utf8'): string;
  unlinkSync(path: string): void;
};

/** Locks this process holds, by path, with their token; released at exit as well. */
const held = new Map<string, string>();
let fsSync: FsSync | undefined;
let exitHooked = false;

/** An unparsable lock older than this is a crash between creating and filling it. */
const UNREADABLE_STALE_MS = 10_000;

function parseOwner(text: string | null): (RunLockOwner & { token?: string }) | null {
  try {
    const o = JSON.parse(text ?? '') as RunLockOwner & { token?: string };
    return o && typeof o.pid === 'number' && typeof o.hostname === 'string' ? o : null;
  } catch {
    return null;
  }
}

function releaseSync(path: string): void {
  const token = held.get(path);
  if (token === undefined || !fsSync) return;
  held.delete(path);
  try {
    // Only our own lock: a stale-lock takeover by another run may have replaced it.
    if (parseOwner(fsSync.readFileSync(path, 'utf8'))?.token === token) fsSync.unlinkSync(path);
  } catch {
    /* already gone */
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM'; // exists, owned by another user
  }
}

/**
 * Takes the exclusive lock of run directory `dir` (`<dir>/.lock`, created with `wx`, holding pid,
 * hostname and start time), so that two runs never write one directory's checkpoints, logs and
 * model at once. A live holder gets {@link RunLockedError}; a lock left by a dead process of this
 * host (or by an earlier process that had this pid) is taken over and `onNotice` says so. Node only.
 */
export async function acquireRunLock(
  dir: string,
  { onNotice = (m: string) => console.warn(m) }: { onNotice?: (message: string) => void } = {},
): Promise<RunLock> {
  const fs = await import('node:fs/promises');
  const os = await import('node:os');
  fsSync ??= await import('node:fs');
  const path = `${dir.replace(/[\\/]+$/, '')}/${LOCK_FILE}`;
  const token = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  const owner: RunLockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
  };
  await fs.mkdir(dir, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(path, `${JSON.stringify({ ...owner, token })}\n`, { flag: 'wx' });
      held.set(path, token);
      if (!exitHooked) {
        exitHooked = true;
        process.on('exit', () => [...held.keys()].forEach(releaseSync));
      }
      return { path, owner, release: () => releaseSync(path) };
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
    let text: string;
    let ageMs: number;
    try {
      text = await fs.readFile(path, 'utf8');
      ageMs = Date.now() - (await fs.stat(path)).mtimeMs;
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') continue; // released meanwhile
      throw err;
    }
    const other = parseOwner(text);
    let why: string;
    if (!other) {
      if (ageMs < UNREADABLE_STALE_MS) throw new RunLockedError(path, null, 'being written');
      why = 'an unreadable lock file left by a crash';
    } else if (other.hostname !== owner.hostname) {
      throw new RunLockedError(
        path,
        other,
        `another host: delete ${path} yourself if that run is over`,
      );
    } else if (other.pid === process.pid && held.has(path)) {
      throw new RunLockedError(path, other, 'another run of this process');
    } else if (other.pid !== process.pid && alive(other.pid)) {
      throw new RunLockedError(path, other);
    } else {
      why = `process ${other.pid} on ${other.hostname} (started ${other.startedAt}) is no longer running`;
    }
    // Move it aside, then check it is the lock we judged stale: a concurrent takeover may have
    // put a live one in its place, which goes back.
    const aside = `${path}.stale-${process.pid}-${token}`;
    try {
      await fs.rename(path, aside);
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') continue;
      throw err;
    }
    const moved = await fs.readFile(aside, 'utf8').catch(() => null);
    if (moved !== text) {
      await fs.link(aside, path).catch(() => {});
      await fs.rm(aside, { force: true });
      throw new RunLockedError(path, parseOwner(moved), 'taken by another run just now');
    }
    await fs.rm(aside, { force: true });
    onNotice(`took over the stale run lock ${path}: ${why}`);
  }
  throw new RunLockedError(path, null, 'it kept changing while this run tried to take it');
}
