import type { FaceDataset, Pair } from '@face/data';
import { faceCanvas } from './faces';

type Outcome = 'true match' | 'true non-match' | 'false non-match' | 'false match';

const OUTCOMES: { outcome: Outcome; same: boolean; accepted: boolean; colour: string }[] = [
  { outcome: 'true match', same: true, accepted: true, colour: '#1e8449' },
  { outcome: 'true non-match', same: false, accepted: false, colour: '#1e8449' },
  { outcome: 'false non-match', same: true, accepted: false, colour: '#c0392b' },
  { outcome: 'false match', same: false, accepted: true, colour: '#c0392b' },
];

/**
 * Pairs of unseen people under the decision `score >= threshold`, grouped by outcome: the
 * `perGroup` most confident of each (highest scores for accepted pairs, lowest for rejected).
 */
export async function renderGallery(
  root: HTMLElement,
  dataset: FaceDataset,
  pairs: Pair[],
  scores: ArrayLike<number>,
  threshold: number,
  perGroup = 4,
): Promise<Record<Outcome, number>> {
  root.replaceChildren();
  const counts = {} as Record<Outcome, number>;
  for (const { outcome, same, accepted, colour } of OUTCOMES) {
    const members = pairs
      .map((pair, i) => ({ pair, score: scores[i] }))
      .filter(({ pair, score }) => pair.same === same && score >= threshold === accepted)
      .sort((a, b) => (accepted ? b.score - a.score : a.score - b.score));
    counts[outcome] = members.length;
    const group = document.createElement('section');
    group.className = 'pair-group';
    const title = document.createElement('h3');
    title.textContent = `${outcome} (${members.length})`;
    title.style.color = colour;
    group.append(title);
    for (const { pair, score } of members.slice(0, perGroup)) {
      const figure = document.createElement('figure');
      figure.className = 'pair';
      figure.style.borderColor = colour;
      const [a, b] = await Promise.all([dataset.load(pair.first), dataset.load(pair.second)]);
      const caption = document.createElement('figcaption');
      caption.textContent = `cos ${score.toFixed(3)}`;
      figure.append(faceCanvas(a), faceCanvas(b), caption);
      group.append(figure);
    }
    root.append(group);
  }
  return counts;
}
