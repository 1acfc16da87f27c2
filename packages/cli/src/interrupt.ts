/** The signals a long command stops on, and the exit code of each (128 + the signal's number). */
export const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

/** What the handlers are installed on (the process; an EventEmitter in tests). */
export interface SignalTarget {
  on(event: StopSignal, listener: () => void): unknown;
  off(event: StopSignal, listener: () => void): unknown;
}

/** A run that stops gracefully on the first SIGINT/SIGTERM and at once on the second. */
export interface Interruption {
  /** Aborted on the first signal; its `reason` is the signal's name. */
  readonly signal: AbortSignal;
  /** The first signal received, or null. */
  readonly received: StopSignal | null;
  /** Removes the handlers (the signals' default action returns). */
  dispose(): void;
}

/**
 * Installs SIGINT and SIGTERM handlers: the first signal aborts `signal` (the trainer finishes
 * the update in progress, checkpoints, and the command exits 130 or 143) and `onFirst` says so;
 * a second one, of either kind, calls `exit` with the first one's code at once, since a person
 * pressing Ctrl-C twice means it.
 */
export function interruptOnSignals({
  onFirst,
  onSecond,
  target = process,
  exit = (code: number) => process.exit(code),
}: {
  onFirst: (signal: StopSignal) => void;
  onSecond?: (signal: StopSignal) => void;
  target?: SignalTarget;
  exit?: (code: number) => void;
}): Interruption {
  const controller = new AbortController();
  let received: StopSignal | null = null;
  const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((name) => {
    const handler = () => {
      if (received === null) {
        received = name;
        controller.abort(name);
        onFirst(name);
        return;
      }
      onSecond?.(name);
      exit(STOP_SIGNALS[received]);
    };
    target.on(name, handler);
    return { name, handler };
  });
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose() {
      for (const { name, handler } of handlers) target.off(name, handler);
    },
  };
}

/** `argv` as one line a POSIX shell reads back to the same words (quoted where needed). */
export function shellLine(argv: readonly string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
