// Child of the crash tests (bundled by run-child.ts): resumes (or starts) the joint recipe problem
// in FACE_DIR and trains it to the end. Every file-system mutation (node:fs/promises, patched
// below) is a numbered event; FACE_KILL_MATCH (a regex on "<op> <path>") limits which ones count.
// At event FACE_KILL_AT (0: never) it prints `HANG <n> <op> <path>` and stops there, after writing
// half of the data when FACE_TEAR=1, for the parent to kill -9. At the end it prints
// `EVENTS <all> <matching>` and `FINISHED`; a typed refusal prints `REFUSED <name>: <message>`.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { useBackend } from '@face/backends';
import { makeRecipeProblem } from './recipe-problem';

type Fn = (...args: unknown[]) => Promise<unknown>;
const fsp = createRequire(import.meta.url)('node:fs/promises') as Record<string, Fn>;
const killAt = Number(process.env.FACE_KILL_AT ?? 0);
const match = new RegExp(process.env.FACE_KILL_MATCH ?? '.');
const tear = process.env.FACE_TEAR === '1';
let all = 0;
let matching = 0;

const half = (data: unknown) =>
  typeof data === 'string'
    ? data.slice(0, data.length >> 1)
    : (data as Uint8Array).subarray(0, (data as Uint8Array).byteLength >> 1);

/** Counts one event; at the kill point writes the torn half (if any) and never returns. */
async function event(desc: string, torn?: () => Promise<unknown>): Promise<void> {
  all++;
  if (!match.test(desc) || ++matching !== killAt) return;
  // A lock file is written in one small write: tearing it is not a crash we can time.
  if (torn && tear && !desc.endsWith('.lock')) await torn();
  process.stdout.write(`HANG ${matching} ${desc}\n`);
  setInterval(() => {}, 1 << 30); // a pending promise alone would let the process exit
  await new Promise<never>(() => {});
}

for (const name of ['mkdir', 'rename', 'rm', 'link', 'unlink', 'copyFile']) {
  const orig = fsp[name];
  fsp[name] = async (...args) => {
    await event(`${name} ${String(args[0])}`);
    return orig(...args);
  };
}
for (const name of ['writeFile', 'appendFile']) {
  const orig = fsp[name];
  fsp[name] = async (...args) => {
    await event(`${name} ${String(args[0])}`, () => orig(args[0], half(args[1])));
    return orig(...args);
  };
}
const open = fsp.open;
fsp.open = async (...args) => {
  const path = String(args[0]);
  if (args[1] === 'r') return open(...args); // a directory fsync
  await event(`open ${path}`);
  const handle = (await open(...args)) as { writeFile: Fn };
  const write = handle.writeFile.bind(handle);
  handle.writeFile = async (data, ...rest) => {
    await event(`write ${path}`, () => write(half(data)));
    return write(data, ...rest);
  };
  return handle;
};
syncBuiltinESMExports();

await useBackend('cpu');
const p = makeRecipeProblem('joint', process.env.FACE_DIR!);
try {
  await p.resume();
  await p.fit();
} catch (err) {
  process.stdout.write(`REFUSED ${(err as Error).name}: ${(err as Error).message}\n`);
  process.exit(1);
}
p.dispose();
process.stdout.write(`EVENTS ${all} ${matching}\nFINISHED\n`);
