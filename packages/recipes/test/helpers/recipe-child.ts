// Child process of the recipe crash tests (bundled by run-child.ts):
// FACE_CHILD_MODE=train: train, hang after update FACE_HANG_AT_STEP of the last phase.
// FACE_CHILD_MODE=write: hang halfway through writing the FACE_HANG_AT_SAVE-th checkpoint.
import { useBackend } from '@face/backends';
import { nodeStorage, type Callback, type CheckpointStorage } from '@face/train';
import { makeRecipeProblem, type RecipeName } from './recipe-problem';

const hang = (what: string) => {
  process.stdout.write(`${what}\n`);
  return new Promise<never>(() => {});
};

await useBackend('cpu'); // gradients and the cpu backend, as the tests' setup does
const dir = process.env.FACE_DIR!;
const recipe = process.env.FACE_RECIPE as RecipeName;

if (process.env.FACE_CHILD_MODE === 'train') {
  const hangAt = Number(process.env.FACE_HANG_AT_STEP);
  const phase = process.env.FACE_HANG_PHASE ?? '';
  const hangCallback: Callback = {
    name: 'hang',
    order: 100,
    onBatchEnd: (logs, trainer) =>
      logs.step === hangAt && JSON.stringify(trainer.fingerprint).includes(phase)
        ? hang(`HANG ${logs.step}`)
        : undefined,
  };
  const p = makeRecipeProblem(recipe, dir, { callbacks: [hangCallback] });
  await p.fit();
  process.stdout.write('FINISHED\n');
} else {
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
  const p = makeRecipeProblem(recipe, dir, { storage });
  await p.fit();
  process.stdout.write('FINISHED\n');
}
