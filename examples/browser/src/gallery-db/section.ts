// The page's "Gallery" section, in two steps main.ts calls: what the last visit left (before
// training) and this run's enrolment (after it). Failures are reported here and in the state, and
// do not stop the demo: a browser without IndexedDB (some private modes) still trains.
import type * as tfl from '@tensorflow/tfjs-layers';
import type { DemoConfig } from '../demo/config';
import type { DemoData } from '../demo/data';
import { enrolTrainedPeople, previousVisit, type GalleryDbState } from './gallery-db';
import { renderGalleryRun } from './view';

const message = (err: unknown) =>
  err instanceof Error ? `${err.name}: ${err.message}` : String(err);

function note(root: HTMLElement, text: string): void {
  const p = document.createElement('p');
  p.textContent = text;
  root.append(p);
}

/** Identifies this visit's pictures against the gallery the last visit enrolled, if any. */
export async function showPreviousVisit(
  root: HTMLElement,
  config: DemoConfig,
  data: DemoData,
): Promise<GalleryDbState> {
  try {
    const previous = await previousVisit(config, data);
    if (previous === null) {
      note(
        root,
        'No gallery from an earlier visit: the people trained on are enrolled after training.',
      );
      return { previous: null };
    }
    if (typeof previous === 'string') {
      note(root, `The last visit's gallery was not used: ${previous}`);
      return { previous: null, previousNote: previous };
    }
    await renderGalleryRun(root, 'From your last visit, reloaded from IndexedDB', previous, data);
    return { previous };
  } catch (err) {
    note(root, `The last visit's gallery could not be read: ${message(err)}`);
    return { previous: null, previousNote: message(err) };
  }
}

/** Enrols the people `backbone` trained on (replacing the last visit's gallery) and identifies. */
export async function enrolAndShow(
  root: HTMLElement,
  state: GalleryDbState,
  backbone: tfl.LayersModel,
  data: DemoData,
  threshold: number,
): Promise<void> {
  try {
    state.current = await enrolTrainedPeople(backbone, data, threshold);
    await renderGalleryRun(root, 'This run, enrolled in IndexedDB', state.current, data);
  } catch (err) {
    state.error = message(err);
    note(root, `The gallery failed: ${state.error}`);
  }
}
