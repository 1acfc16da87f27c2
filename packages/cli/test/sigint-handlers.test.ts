// The signal handlers of `face train`, on an EventEmitter in place of the process: the first
// signal asks for a graceful stop, a second one exits at once; and the resume line's quoting.
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { interruptOnSignals, shellLine, type StopSignal } from '../src/interrupt';

function harness() {
  const target = new EventEmitter();
  const said: string[] = [];
  const exits: number[] = [];
  const interruption = interruptOnSignals({
    target,
    onFirst: (s) => said.push(`first ${s}`),
    onSecond: (s) => said.push(`second ${s}`),
    exit: (code) => exits.push(code),
  });
  return { target, said, exits, interruption };
}

describe('interruptOnSignals', () => {
  it('the first SIGINT aborts the signal; a second exits 130 at once', () => {
    const h = harness();
    expect(h.interruption.signal.aborted).toBe(false);
    h.target.emit('SIGINT');
    expect(h.interruption.signal.aborted).toBe(true);
    expect(h.interruption.signal.reason).toBe('SIGINT');
    expect(h.interruption.received).toBe('SIGINT');
    expect(h.exits).toEqual([]);
    h.target.emit('SIGINT');
    expect(h.exits).toEqual([130]);
    expect(h.said).toEqual(['first SIGINT', 'second SIGINT']);
  });

  it('SIGTERM exits 143; a second signal of the other kind keeps the first one code', () => {
    const h = harness();
    h.target.emit('SIGTERM');
    h.target.emit('SIGINT');
    expect(h.exits).toEqual([143]);
  });

  it('dispose removes both handlers', () => {
    const h = harness();
    for (const s of ['SIGINT', 'SIGTERM'] as StopSignal[])
      expect(h.target.listenerCount(s)).toBe(1);
    h.interruption.dispose();
    for (const s of ['SIGINT', 'SIGTERM'] as StopSignal[])
      expect(h.target.listenerCount(s)).toBe(0);
    h.target.emit('SIGINT');
    expect(h.interruption.signal.aborted).toBe(false);
  });
});

describe('shellLine', () => {
  it('quotes what a shell would split or expand, and sh reads the words back', () => {
    const words = ['face', 'train', '--out', "runs/it's here", '--data', '$HOME/*.csv', 'a"b', ''];
    const line = shellLine(words);
    expect(line.startsWith('face train --out ')).toBe(true);
    const back = execFileSync('sh', ['-c', `for w in ${line}; do printf '%s\\n' "[$w]"; done`], {
      encoding: 'utf8',
    });
    expect(back.trim().split('\n')).toEqual(words.map((w) => `[${w}]`));
  });
});
