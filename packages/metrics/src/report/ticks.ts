/**
 * Ticks on round values covering [lo, hi]: the smallest step of 1, 2, 2.5 or 5 times a power of
 * ten that needs at most `n + 2` ticks, the first at or below lo and the last at or above hi (the
 * axis is widened to them).
 */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) [lo, hi] = [lo - 0.5, lo + 0.5]; // one value: a unit span around it
  const power = Math.pow(10, Math.floor(Math.log10((hi - lo) / Math.max(1, n - 1))));
  const span = (step: number) => [Math.floor(lo / step + 1e-9), Math.ceil(hi / step - 1e-9)];
  const steps = [0.1, 1, 10].flatMap((p) => [1, 2, 2.5, 5].map((m) => m * p * power));
  const step =
    steps.find((st) => {
      const [a, b] = span(st);
      return b - a + 1 <= n + 2;
    }) ?? 100 * power;
  const [first, last] = span(step);
  // Multiples of the step, rounded so 0.1 * 3 prints as 0.3, not 0.30000000000000004.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Array.from({ length: last - first + 1 }, (_, i) => +((first + i) * step).toFixed(digits));
}

/** A tick label with as many decimals as the ticks' step has (0.25 -> 2, 0.5 -> 1, 2 -> 0). */
export function tickLabel(value: number, step: number): string {
  let digits = 0;
  while (digits < 6 && Math.abs(Math.round(step * 10 ** digits) - step * 10 ** digits) > 1e-6)
    digits++;
  return value.toFixed(digits);
}
