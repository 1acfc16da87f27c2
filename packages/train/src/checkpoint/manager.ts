import { InvalidArgumentError, checkInteger, checkOneOf } from '@face/core';
import { CheckpointMismatchError, NoValidCheckpointError } from '../errors';
import type { Checkpoint } from './checkpoint';
import { fingerprintDifferences, type Fingerprint } from './fingerprint';
import type { CheckpointManifest } from './format';
import { TEMP_PREFIX, TRASH_PREFIX, readCheckpoint, readManifest, writeCheckpoint } from './io';
import { joinPath, nodeStorage, type CheckpointStorage } from './storage';

export interface KeepBestOptions {
  /** Metric of the checkpoint's logs to rank by (e.g. `val_accuracy`). */
  monitor: string;
  mode: 'min' | 'max';
  /** How many of the best to keep. */
  count?: number;
}

export interface CheckpointManagerOptions {
  /** Keep the newest N checkpoints (by step); 0 keeps only the best ones. */
  keepLast?: number;
  /** Also keep the best checkpoints by a metric, however old. */
  keepBest?: KeepBestOptions;
  storage?: CheckpointStorage;
}

/** A complete checkpoint in a manager's directory. */
export interface CheckpointInfo {
  path: string;
  /** Directory name: `step-<9-digit step>`. */
  name: string;
  step: number;
  epoch: number;
  metrics: Record<string, number>;
  fingerprint: Fingerprint;
}

const NAME = /^step-(\d+)$/;

/** What the manager lists about a checkpoint it has in memory. */
function infoOf(path: string, name: string, c: Checkpoint | CheckpointManifest): CheckpointInfo {
  const { step, epoch } = c.position;
  return { path, name, step, epoch, metrics: c.metrics, fingerprint: c.fingerprint };
}
/** `writeCheckpoint` moves a step folder it replaces to `.trash-<name>-<unique>`. */
const REPLACED = /^\.trash-(step-\d+)-.+$/;

/** A loaded checkpoint, where it came from, and the newer ones that could not be loaded. */
export interface LoadedCheckpoint {
  checkpoint: Checkpoint;
  info: CheckpointInfo;
  /** Checkpoints tried first and skipped, newest first, with why. */
  skipped: { path: string; reason: string }[];
}

/**
 * A directory of checkpoints `step-000000123/` (each written atomically, see
 * {@link writeCheckpoint}), with rotation: after each save it keeps the newest `keepLast` and the
 * `keepBest.count` best by a metric, and deletes the rest and any crash leftovers. It refuses to
 * write into a directory whose checkpoints belong to another model or configuration.
 */
export class CheckpointManager {
  readonly keepLast: number;
  readonly keepBest: Required<KeepBestOptions> | null;
  private readonly storage: CheckpointStorage;

  constructor(
    readonly directory: string,
    { keepLast = 3, keepBest, storage = nodeStorage() }: CheckpointManagerOptions = {},
  ) {
    const fn = 'CheckpointManager';
    if (typeof directory !== 'string' || directory === '') {
      throw new InvalidArgumentError(fn, 'directory', directory, 'a non-empty path');
    }
    this.keepLast = checkInteger(fn, 'keepLast', keepLast, { min: 0 });
    if (keepBest) {
      if (typeof keepBest.monitor !== 'string' || !keepBest.monitor) {
        throw new InvalidArgumentError(fn, 'keepBest.monitor', keepBest.monitor, 'a metric name');
      }
      checkOneOf(fn, 'keepBest.mode', keepBest.mode, ['min', 'max'] as const);
      const count = checkInteger(fn, 'keepBest.count', keepBest.count ?? 1, { min: 1 });
      this.keepBest = { ...keepBest, count };
    } else this.keepBest = null;
    if (this.keepLast === 0 && !this.keepBest) {
      throw new InvalidArgumentError(
        fn,
        'keepLast',
        keepLast,
        '>= 1 when keepBest is not set (nothing would be kept)',
      );
    }
    this.storage = storage;
  }

  pathOf(step: number): string {
    return joinPath(this.directory, `step-${String(step).padStart(9, '0')}`);
  }

  /** Complete checkpoints, oldest first. Directories without a readable manifest are skipped. */
  async list(): Promise<CheckpointInfo[]> {
    const names = await this.stepFolders();
    const infos = await Promise.all(
      names.map(async (name): Promise<CheckpointInfo | null> => {
        const path = joinPath(this.directory, name);
        let m: CheckpointManifest;
        try {
          m = await readManifest(path, { storage: this.storage });
        } catch {
          return null;
        }
        return infoOf(path, name, m);
      }),
    );
    return infos.filter((i): i is CheckpointInfo => i !== null).sort((a, b) => a.step - b.step);
  }

  /** Names of every `step-*` folder, readable or not, oldest first. */
  async stepFolders(): Promise<string[]> {
    const names = (await this.storage.list(this.directory)).filter((n) => NAME.test(n));
    return names.sort((a, b) => Number(NAME.exec(a)![1]) - Number(NAME.exec(b)![1]));
  }

  /**
   * Loads the newest checkpoint that reads back whole (manifest, weight size, CRC), or for
   * `'best'` the best-ranked one, skipping corrupt ones (each is reported to `onSkip`). Null when
   * the directory has no `step-*` folder; {@link NoValidCheckpointError} when it has some but none
   * loads (a fresh start would overwrite them).
   */
  async loadValid(
    which: 'latest' | 'best' = 'latest',
    { onSkip }: { onSkip?: (path: string, reason: string) => void } = {},
  ): Promise<LoadedCheckpoint | null> {
    const folders = await this.stepFolders();
    if (!folders.length) return null;
    let candidates: string[];
    if (which === 'best') {
      if (!this.keepBest) await this.best(); // throws: no keepBest configured
      const ranked = this.rank(await this.list(), this.keepBest!).map((i) => i.name);
      candidates = ranked.length ? ranked : [...folders].reverse();
    } else candidates = [...folders].reverse();
    const skipped: LoadedCheckpoint['skipped'] = [];
    for (const name of candidates) {
      const path = joinPath(this.directory, name);
      try {
        const checkpoint = await readCheckpoint(path, { storage: this.storage });
        return { checkpoint, info: infoOf(path, name, checkpoint), skipped };
      } catch (err) {
        const reason = (err as Error)?.message ?? String(err);
        skipped.push({ path, reason });
        onSkip?.(path, reason);
      }
    }
    throw new NoValidCheckpointError(this.directory, skipped);
  }

  /**
   * Recovers from a crash or an I/O failure mid-write: a step folder that `writeCheckpoint` had
   * moved aside to replace it, whose replacement never arrived, goes back in place; then temp and
   * trash leftovers are removed (they can hold the space a full disk needs back). Call it only
   * while no other writer uses the directory (the run lock).
   */
  async cleanLeftovers(): Promise<void> {
    const names = await this.storage.list(this.directory);
    for (const name of names) {
      const replaced = REPLACED.exec(name)?.[1];
      if (replaced && !names.includes(replaced)) {
        await this.storage.rename(
          joinPath(this.directory, name),
          joinPath(this.directory, replaced),
        );
        names.push(replaced);
      } else if (name.startsWith(TEMP_PREFIX) || name.startsWith(TRASH_PREFIX)) {
        await this.storage.removeTree(joinPath(this.directory, name));
      }
    }
  }

  async latest(): Promise<CheckpointInfo | null> {
    return (await this.list()).at(-1) ?? null;
  }

  /** The best checkpoint by `keepBest` (or by the given monitor/mode); null if none has the metric. */
  async best(
    by: Omit<KeepBestOptions, 'count'> | null = this.keepBest,
  ): Promise<CheckpointInfo | null> {
    if (!by)
      throw new InvalidArgumentError(
        'CheckpointManager.best',
        'by',
        by,
        'a { monitor, mode } (no keepBest was configured)',
      );
    return this.rank(await this.list(), by)[0] ?? null;
  }

  /** Loads `'latest'`, `'best'`, or a checkpoint path; null when the directory has none. */
  async load(which: 'latest' | 'best' | string = 'latest'): Promise<Checkpoint | null> {
    const path =
      which === 'latest'
        ? (await this.latest())?.path
        : which === 'best'
          ? (await this.best())?.path
          : which;
    return path ? readCheckpoint(path, { storage: this.storage }) : null;
  }

  /**
   * Throws {@link CheckpointMismatchError} if the directory holds checkpoints written for another
   * fingerprint (so a run never rotates away another model's checkpoints).
   */
  async assertCompatible(fingerprint: Fingerprint): Promise<void> {
    const latest = await this.latest();
    if (!latest) return;
    const diff = fingerprintDifferences(latest.fingerprint, fingerprint);
    if (diff.length) throw new CheckpointMismatchError(latest.path, diff);
  }

  /** Writes `checkpoint` as `step-<step>` atomically, then rotates. Returns its info. */
  async save(checkpoint: Checkpoint): Promise<CheckpointInfo> {
    await this.assertCompatible(checkpoint.fingerprint);
    const path = this.pathOf(checkpoint.position.step);
    // A failed write (a full disk) leaves its temp folder; the next rotate() or cleanLeftovers()
    // (a recipe run calls it on resume, before writing anything) removes it.
    await writeCheckpoint(path, checkpoint, { storage: this.storage });
    await this.rotate();
    return infoOf(path, path.slice(path.lastIndexOf('/') + 1), checkpoint);
  }

  private rank(
    infos: CheckpointInfo[],
    { monitor, mode }: Omit<KeepBestOptions, 'count'>,
  ): CheckpointInfo[] {
    const sign = mode === 'min' ? 1 : -1;
    return infos
      .filter((i) => Number.isFinite(i.metrics[monitor]))
      .sort((a, b) => sign * (a.metrics[monitor] - b.metrics[monitor]) || b.step - a.step);
  }

  /** Deletes every checkpoint folder of the directory, readable or not (and crash leftovers). */
  async clear(): Promise<void> {
    for (const name of await this.stepFolders()) {
      const aside = joinPath(this.directory, `${TRASH_PREFIX}${name}`);
      await this.storage.rename(joinPath(this.directory, name), aside);
      await this.storage.removeTree(aside);
    }
    await this.rotate();
  }

  /** Deletes checkpoints outside keep-last-N and keep-best, and crash leftovers. */
  async rotate(): Promise<void> {
    await this.cleanLeftovers();
    const infos = await this.list();
    const keep = new Set(infos.slice(Math.max(0, infos.length - this.keepLast)).map((i) => i.name));
    if (this.keepBest)
      for (const i of this.rank(infos, this.keepBest).slice(0, this.keepBest.count))
        keep.add(i.name);
    // Leftovers went with cleanLeftovers(); only listed (readable) checkpoints are rotated away.
    for (const { name, path } of infos) {
      if (keep.has(name)) continue;
      // Move aside first: a crash mid-delete must not leave a half-deleted `step-*` directory.
      const aside = joinPath(this.directory, `${TRASH_PREFIX}${name}`);
      await this.storage.rename(path, aside);
      await this.storage.removeTree(aside);
    }
  }
}
