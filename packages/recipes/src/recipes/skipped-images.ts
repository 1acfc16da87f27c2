import type { DataLoader } from '@face/data';
import { writeFileAtomic } from '@face/core';
import type { Callback, JsonValue } from '@face/train';

/** The file a run directory lists its skipped training images in. */
export const SKIPPED_IMAGES_FILE = 'skipped-images.json';

type Skipped = { path: string; reason: string };

/**
 * Records the training images the loader skipped (undecodable, over the pixel cap), and `others`
 * (files left out while listing, validation images that did not decode): the epoch logs
 * get `skipped_images` (distinct files so far, once any was skipped) and, with `file`, the list is
 * written there atomically at each epoch end, sorted by path. The list travels in checkpoints, so
 * a resumed run counts and lists exactly what an uninterrupted one does (the loader of a resumed
 * process only knows the files it met itself).
 */
export function skippedImages(
  loader: DataLoader,
  file: string | null,
  others: () => Iterable<Skipped> = () => [],
): Callback {
  let restored: Skipped[] = [];
  const all = (): Skipped[] => {
    const byPath = new Map(restored.map((s) => [s.path, s]));
    for (const s of [...loader.skipped, ...others()])
      if (!byPath.has(s.path)) byPath.set(s.path, s);
    return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  };
  return {
    name: 'recipe:skipped-images',
    // Before the logs (5) and checkpoints (10), after evaluation (-10).
    order: 0,
    async onEpochEnd(logs) {
      // Every batch of the epoch has been loaded by now (the loader prefetches within an epoch).
      const files = all();
      if (files.length === 0) return;
      logs.skipped_images = files.length;
      if (file)
        await writeFileAtomic(file, `${JSON.stringify({ count: files.length, files }, null, 1)}\n`);
    },
    getState: () => all().map((s) => ({ path: s.path, reason: s.reason })) as JsonValue,
    setState(state) {
      restored = Array.isArray(state)
        ? (state as Skipped[]).filter((s) => s && typeof s.path === 'string')
        : [];
    },
  };
}
