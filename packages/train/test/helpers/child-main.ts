// Entry of the child process the crash tests kill with SIGKILL (bundled by run-child.ts).
// FACE_CHILD_MODE=train: train, hang after update FACE_HANG_AT_STEP (after its checkpoint, if any).
// FACE_CHILD_MODE=write: hang halfway through writing a checkpoint's weights.
import { useBackend } from '@face/backends';
import { nodeStorage, type Callback, type CheckpointStorage } from '@face/train';
import { EPOCHS, makeProblem } from './problem';

const hang = (what: string) => {
  process.stdout.write(`${what}\n`);
  return new Promise<never>(() => {});
};

await useBackend('cpu'); // gradients and the cpu backend, as the tests' setup does
const dir = process.env.FACE_DIR!;
const mode = process.env.FACE_CHILD_MODE;

if (mode === 'train') {
  const hangAt = Number(process.env.FACE_HANG_AT_STEP);
  const hangCallback: Callback = {
    name: 'hang',
    order: 100,
    onBatchEnd: (logs) => (logs.step === hangAt ? hang(`HANG ${logs.step}`) : undefined),
  };
  const p = makeProblem(dir, { extraCallbacks: [hangCallback] });
  await p.trainer.fit(p.source, { epochs: EPOCHS });
  process.stdout.write('FINISHED\n');
} else if (mode === 'write') {
  const base = nodeStorage();
  let saves = 0;
  const storage: CheckpointStorage = {
    ...base,
    async writeFile(path, data) {
      if (path.endsWith('weights.bin') && ++saves === Number(process.env.FACE_HANG_AT_SAVE)) {
        await base.writeFile(path, data.subarray(0, data.length >> 1));
        await hang('MIDWRITE');
      }
      await base.writeFile(path, data);
    },
  };
  const p = makeProblem(dir, { storage });
  await p.trainer.fit(p.source, { epochs: EPOCHS });
  process.stdout.write('FINISHED\n');
}
