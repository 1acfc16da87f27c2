/** A live chart of the training loss (left axis, from 0 to its maximum) and accuracy (0 to 1). */
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
    const pad = 28;
    ctx.clearRect(0, 0, width, height);
    ctx.strokeStyle = '#999';
    ctx.strokeRect(pad, 8, width - 2 * pad, height - pad - 8);
    const maxLoss = Math.max(...this.loss.filter(Number.isFinite), 1e-6);
    const x = (i: number) => pad + ((width - 2 * pad) * i) / Math.max(1, this.totalSteps - 1);
    const y = (v: number) => height - pad - (height - pad - 8) * v;
    const line = (values: number[], scale: number, colour: string) => {
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.beginPath();
      values.forEach((v, i) =>
        i ? ctx.lineTo(x(i), y(v / scale)) : ctx.moveTo(x(i), y(v / scale)),
      );
      ctx.stroke();
    };
    line(this.loss, maxLoss, '#c0392b');
    line(this.accuracy, 1, '#2471a3');
    ctx.fillStyle = '#333';
    ctx.font = '11px sans-serif';
    ctx.fillText(`loss (max ${maxLoss.toFixed(2)})`, pad + 4, 20);
    ctx.fillStyle = '#2471a3';
    ctx.fillText('accuracy (0-1)', pad + 4, 34);
    ctx.fillStyle = '#333';
    ctx.fillText(`step ${this.loss.length} / ${this.totalSteps}`, width - pad - 90, height - 10);
  }
}
