import { clamp } from './math';
import { stroke, strokeBox } from './painter';
import { scale } from './palette';
import type { Scene } from './scene';

/** Mouth: lips between curves that bend up with a smile; an open mouth shows its dark inside. */
export function drawMouth({ p, id, view, cosYaw, project, shaded, hairShader }: Scene): void {
  const [mx, my] = project(0, id.mouthY, 0.06);
  const w = id.mouthWidth * (1 + 0.15 * view.smile) * cosYaw;
  const bend = 0.07 * view.smile;
  const open = 0.1 * view.mouthOpen;
  const centre = (t: number) => my + bend * 0.3 - bend * t * t;
  const profile = (t: number) => Math.sqrt(Math.max(0, 1 - t * t));
  const mbox: [number, number, number, number] = [
    mx - w - 0.02,
    my - 0.2,
    mx + w + 0.02,
    my + 0.25,
  ];
  const lipsShape = (x: number, y: number) => {
    const t = clamp((x - mx) / w, -1, 1);
    const c = centre(t);
    // Upper lip: flat with a small dip at the middle (the cupid's bow); lower lip: fuller, round.
    const bow = Math.max(0, 1 - (t / 0.2) * (t / 0.2));
    const top = c - open / 2 - id.lipThickness * (0.7 * Math.sqrt(profile(t)) - 0.2 * bow);
    const bottom = c + open / 2 + id.lipThickness * profile(t);
    return Math.max(Math.abs(x - mx) - w, top - y, y - bottom);
  };
  p.paint(mbox, lipsShape, shaded(id.lips));
  if (open > 0) {
    p.paint(
      mbox,
      (x, y) => {
        const t = clamp((x - mx) / (w * 0.9), -1, 1);
        const c = centre(t);
        const h = (open / 2) * profile(t);
        return Math.max(Math.abs(x - mx) - w * 0.9, c - h - y, y - c - h);
      },
      [60, 22, 26],
    );
  } else {
    // A closed mouth: the line where the lips meet.
    const line: number[][] = [];
    for (let i = 0; i <= 6; i++) {
      const t = i / 3 - 1;
      line.push([mx + t * w, centre(t)]);
    }
    p.paint(strokeBox(line, 0.008), (x, y) => stroke(x, y, line, 0.008), scale(id.lips, 0.55));
  }
  // The moustache is drawn over the upper lip, so it comes with the mouth rather than the hair.
  if (id.moustache) {
    const pts = [
      [mx - w * 1.05, my + 0.01],
      [mx - w * 0.5, my - id.lipThickness - 0.05],
      [mx + w * 0.5, my - id.lipThickness - 0.05],
      [mx + w * 1.05, my + 0.01],
    ];
    p.paint(strokeBox(pts, 0.035), (x, y) => stroke(x, y, pts, 0.03), hairShader(id.hair, 0.8));
  }
}
