import { niceTicks, tickLabel } from '@face/metrics';

const LOSS = '#c0392b';
const ACCURACY = '#2471a3';

/**
 * A live chart of the training loss (left axis, from 0 to its maximum, round ticks) and the
 * batch accuracy (right axis, 0 to 1) against the step (bottom axis). The legend sits in a band
 * above the plot, so it never covers the curves.
 */
export class TrainingChart {
  private readonly loss: number[] = [];
  private readonly accuracy: number[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly totalSteps: number,
  ) {}

  push(loss: number, accuracy: number): void {
    this.loss.push(loss);
    this.accuracy.push(accuracy);
    this.draw();
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width, height } = this.canvas;
    const [left, right, top, bottom] = [48, width - 44, 30, height - 36];
    ctx.clearRect(0, 0, width, height);
    ctx.font = '11px sans-serif';

    const lossTicks = niceTicks(0, Math.max(...this.loss.filter(Number.isFinite), 1e-6));
    const lossMax = lossTicks[lossTicks.length - 1];
    const stepTicks = niceTicks(1, Math.max(2, this.totalSteps), 8).filter(
      (s) => s >= 1 && s <= this.totalSteps && Number.isInteger(s),
    );
    const x = (step: number) =>
      left + ((right - left) * (step - 1)) / Math.max(1, this.totalSteps - 1);
    const y = (fraction: number) => bottom - (bottom - top) * fraction;

    // Grid and ticks: loss on the left, accuracy on the right (the same grid lines), steps below.
    ctx.textBaseline = 'middle';
    for (const t of lossTicks) {
      const ty = y(t / lossMax);
      ctx.strokeStyle = '#e5e5e5';
      ctx.beginPath();
      ctx.moveTo(left, ty);
      ctx.lineTo(right, ty);
      ctx.stroke();
      ctx.fillStyle = LOSS;
      ctx.textAlign = 'right';
      ctx.fillText(tickLabel(t, lossTicks[1] - lossTicks[0]), left - 6, ty);
    }
    ctx.fillStyle = ACCURACY;
    ctx.textAlign = 'left';
    for (const a of [0, 0.25, 0.5, 0.75, 1]) ctx.fillText(a.toFixed(2), right + 6, y(a));
    ctx.fillStyle = '#333';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const s of stepTicks) ctx.fillText(String(s), x(s), bottom + 5);
    ctx.fillText('step', (left + right) / 2, bottom + 20);
    ctx.strokeStyle = '#999';
    ctx.strokeRect(left, top, right - left, bottom - top);

    const line = (values: number[], scale: number, colour: string) => {
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.beginPath();
      values.forEach((v, i) =>
        i ? ctx.lineTo(x(i + 1), y(v / scale)) : ctx.moveTo(x(i + 1), y(v / scale)),
      );
      ctx.stroke();
      ctx.lineWidth = 1;
    };
    line(this.loss, lossMax, LOSS);
    line(this.accuracy, 1, ACCURACY);

    // Legend, above the plot.
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    let lx = left;
    for (const [label, colour] of [
      ['loss (left axis)', LOSS],
      ['batch accuracy (right axis)', ACCURACY],
    ]) {
      ctx.fillStyle = colour;
      ctx.fillRect(lx, 11, 16, 3);
      ctx.fillStyle = '#333';
      ctx.fillText(label, lx + 22, 13);
      lx += 22 + ctx.measureText(label).width + 24;
    }
    ctx.textAlign = 'right';
    ctx.fillText(`step ${this.loss.length} / ${this.totalSteps}`, right, 13);
  }
}
