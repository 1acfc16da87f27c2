// What `face train` says about a run directory: where a run stands, how to continue it, and
// whether a resumed run would follow another learning-rate schedule than the one it started on.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RecipeRun } from '@face/recipes';
import { LOCK_FILE, acquireRunLock, type Callback, type JsonValue } from '@face/train';
import { UsageError } from '../args';
import { shellLine } from '../interrupt';

/** A recipe's run as the command drives it: one phase, or the sequential recipe's two. */
export interface Phase {
  /** '' for a one-phase recipe, else `phase 1 (softmax)` / `phase 2 (margin)`. */
  label: string;
  run: RecipeRun;
}

/** The phase a resumed or stopped run is in: the last one that has trained or resumed. */
export function currentPhase(phases: readonly Phase[]): Phase {
  const started = phases.filter((p) => p.run.trainer.step > 0);
  return started.at(-1) ?? phases[0];
}

/** `step 48 (end of epoch 4/6)` or, mid-epoch, `step 51 (epoch 5/6, batch 3/12)`. */
export function positionText({ label, run }: Phase): string {
  const { step, epoch, batchInEpoch } = run.trainer.position;
  const where =
    batchInEpoch === 0
      ? `end of epoch ${epoch}/${run.epochs}`
      : `epoch ${epoch + 1}/${run.epochs}, batch ${batchInEpoch}/${run.loader.batchesPerEpoch}`;
  return `${label ? `${label}: ` : ''}step ${step} (${where})`;
}

/** `face train <argv> --resume`, as one line a shell reads back (with --resume once). */
export function resumeCommand(argv: readonly string[]): string {
  const kept = argv.filter((a) => a !== '--resume' && a !== '--allow-schedule-change');
  return shellLine(['face', 'train', ...kept, '--resume']);
}

/**
 * Whether another live process holds the run lock of `dir`. A stale lock (a killed run's) is
 * taken over (`onNotice` says so) and let go again: the folder is then an ordinary earlier run.
 */
async function heldByAnother(dir: string, onNotice: (message: string) => void): Promise<boolean> {
  if (!existsSync(join(dir, LOCK_FILE))) return false;
  try {
    (await acquireRunLock(dir, { onNotice })).release();
    return false;
  } catch {
    // Held (RunLockedError), or the folder fails otherwise: the recipe's error says which.
    return true;
  }
}

/**
 * Refuses (a usage error, exit 2) a run without --resume into a directory holding a run's
 * checkpoints, saying what to type; a killed run's stale lock there too. A directory another
 * live process holds is left to the recipe, whose lock names that process.
 */
export async function refuseExistingRun(
  phases: readonly Phase[],
  out: string,
  argv: readonly string[],
  onNotice: (message: string) => void,
): Promise<void> {
  for (const { run } of phases) {
    if (!run.manager || (run.out && (await heldByAnother(run.out, onNotice)))) continue;
    // A folder that cannot be listed (a path through a file) is the recipe's to report.
    const folders = await run.manager.stepFolders().catch(() => []);
    if (!folders.length) continue;
    const latest = (await run.manager.list()).at(-1);
    const how = latest
      ? `(latest checkpoint at step ${latest.step}): continue it with '${resumeCommand(argv)}', or choose another --out`
      : `(${folders.length} checkpoint folder(s), none readable): choose another --out, or delete them to start over`;
    throw new UsageError(`face train: ${out} already holds a run ${how}. Nothing was overwritten.`);
  }
}

/** The flags that shape the learning-rate schedule, and nothing else of a run's checkpoints. */
export type ScheduleFlags = Record<
  'epochs' | 'classification-epochs' | 'schedule' | 'warmup-epochs' | 'lr',
  string | number | null
>;

/**
 * A callback that records the schedule's flags in each checkpoint (as callback state), so that
 * `--resume` can tell a changed schedule. `saved` is what the restored checkpoint recorded
 * (undefined: a checkpoint written before the CLI recorded them).
 */
export function scheduleRecord(flags: ScheduleFlags): Callback & {
  readonly saved: ScheduleFlags | undefined;
} {
  let saved: ScheduleFlags | undefined;
  return {
    name: 'face-cli:schedule',
    get saved() {
      return saved;
    },
    getState: () => ({ ...flags }) as JsonValue,
    setState(state: JsonValue) {
      saved = state as ScheduleFlags;
    },
  };
}

/** A schedule flag whose value differs between the checkpoint and this command. */
export interface ScheduleChange {
  flag: string;
  was: string;
  now: string;
}

/** The schedule flags that differ from the checkpoint's (none when it recorded none). */
export function scheduleChanges(
  saved: ScheduleFlags | undefined,
  now: ScheduleFlags,
): ScheduleChange[] {
  if (!saved) return [];
  const show = (v: string | number | null | undefined) =>
    v === null || v === undefined ? 'default' : String(v);
  return (Object.keys(now) as (keyof ScheduleFlags)[])
    .filter((k) => show(saved[k]) !== show(now[k]))
    .map((k) => ({ flag: `--${k}`, was: show(saved[k]), now: show(now[k]) }));
}

/**
 * Refuses `--resume` with schedule flags other than the run's (the learning rate would jump to
 * another curve at the restored step), unless `allowed` (--allow-schedule-change); then returns
 * the line that says what happens.
 */
export function checkScheduleChange(
  changes: readonly ScheduleChange[],
  allowed: boolean,
  where: string,
): string | null {
  if (!changes.length) return null;
  const list = changes.map((c) => `${c.flag} ${c.was} -> ${c.now}`).join(', ');
  const set = changes.filter((c) => c.was !== 'default').map((c) => `${c.flag} ${c.was}`);
  const unset = changes.filter((c) => c.was === 'default').map((c) => c.flag);
  const original = [
    set.length ? `with ${set.join(' ')}` : '',
    unset.length ? `without ${unset.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  if (!allowed)
    throw new UsageError(
      `face train: --resume with ${list} changes the run's learning-rate schedule: from ${where} ` +
        'the rate would jump to the new curve instead of finishing the planned one. To finish the ' +
        `run as planned, resume ${original}; to continue on the new schedule, add --allow-schedule-change.`,
    );
  return `schedule changed (${list}): from ${where} on, the learning rate follows the new schedule`;
}
