import type { FaceDataset } from '@face/data';
import type { DemoData } from '../demo/data';
import { faceCanvas } from '../ui/faces';
import type { GalleryRun, Query } from './gallery-db';

const answer = (q: Query) =>
  q.unknown
    ? `unknown (best ${q.candidates[0]?.identity ?? 'none'}, ${q.score.toFixed(3)})`
    : `${q.identity} (${q.score.toFixed(3)})`;

/** The gallery's answer is right: the person shown, or "unknown" for someone never enrolled. */
export const isRight = (q: Query) => (q.expected === null ? q.unknown : q.identity === q.expected);

/** Appends a titled block: what the gallery holds, and each query picture with its answer. */
export async function renderGalleryRun(
  root: HTMLElement,
  title: string,
  run: GalleryRun,
  data: DemoData,
): Promise<void> {
  const block = document.createElement('section');
  block.className = 'gallery-run';
  const head = document.createElement('p');
  head.textContent =
    `${title}: ${run.identities} people, ${run.templates} pictures in ${run.location} ` +
    `(model ${run.fingerprint.slice(0, 19)}...), unknown below cosine ` +
    `${run.threshold === null ? 'none' : run.threshold.toFixed(3)}; ${run.seconds.toFixed(1)} s`;
  block.append(head);
  for (const q of run.queries) {
    const dataset: FaceDataset = q.kind === 'person never enrolled' ? data.test : data.train;
    const figure = document.createElement('figure');
    figure.className = 'pair';
    figure.style.borderColor = isRight(q) ? '#1e8449' : '#c0392b';
    figure.append(faceCanvas(await dataset.load(q.index), 3));
    const caption = document.createElement('figcaption');
    caption.textContent =
      q.expected === null
        ? `someone never enrolled: ${answer(q)}`
        : `${q.kind} of ${q.expected}: ${answer(q)}`;
    figure.append(caption);
    block.append(figure);
  }
  root.append(block);
}
