/**
 * dst[c * rows + r] = src[r * cols + c] on the heap, in 32 x 32 blocks so both sides stay in
 * cache (~2-3 ns per element here; the wasm Transpose kernel took 5-6 for large 2-D cases).
 */
export function transpose2d(
  heap: Float32Array,
  src: number,
  rows: number,
  cols: number,
  dst: number,
): void {
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let c = c0; c < c1; c++) {
        const d = dst + c * rows;
        for (let r = r0; r < r1; r++) heap[d + r] = heap[src + r * cols + c];
      }
    }
  }
}
