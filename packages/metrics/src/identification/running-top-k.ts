/**
 * The best k matches of each query seen so far, updated one block of candidates at a time, so a
 * search never holds more than one block of the similarity matrix. Candidates arrive per block
 * sorted best first; blocks arrive in increasing gallery order, so keeping the older entry on a
 * tie breaks ties by the lower gallery index.
 */
export class RunningTopK {
  readonly scores: Float32Array;
  readonly indices: Int32Array;
  private readonly labels?: Float64Array;
  private readonly tmpScores: Float32Array;
  private readonly tmpIndices: Int32Array;

  /**
   * @param galleryLabels with labels, keep the best match per identity (at most one entry per
   *   label, the best-scoring item of that identity); without, the best k items.
   */
  constructor(
    readonly queries: number,
    readonly k: number,
    private readonly galleryLabels?: ArrayLike<number>,
  ) {
    this.scores = new Float32Array(queries * k).fill(-Infinity);
    this.indices = new Int32Array(queries * k).fill(-1);
    if (galleryLabels) this.labels = new Float64Array(queries * k).fill(NaN);
    this.tmpScores = new Float32Array(k);
    this.tmpIndices = new Int32Array(k);
  }

  /**
   * Offers `count` candidates of query `q`, best first: `scores[offset + j]`, gallery index
   * `indexBase + indices[offset + j]`; the candidate with gallery index `skip` is ignored.
   */
  offer(
    q: number,
    scores: ArrayLike<number>,
    indices: ArrayLike<number>,
    offset: number,
    count: number,
    indexBase: number,
    skip = -1,
  ): void {
    if (this.labels) this.offerDistinct(q, scores, indices, offset, count, indexBase, skip);
    else this.offerItems(q, scores, indices, offset, count, indexBase, skip);
  }

  /** Merge of two lists sorted best first; the kept list wins ties. */
  private offerItems(
    q: number,
    scores: ArrayLike<number>,
    indices: ArrayLike<number>,
    offset: number,
    count: number,
    indexBase: number,
    skip: number,
  ): void {
    const { k, tmpScores, tmpIndices } = this;
    const row = q * k;
    let a = 0; // into the kept list
    let b = 0; // into the candidates
    for (let o = 0; o < k; o++) {
      while (b < count && indexBase + indices[offset + b] === skip) b++;
      const takeKept = b >= count || (a < k && this.scores[row + a] >= scores[offset + b]);
      if (takeKept) {
        tmpScores[o] = this.scores[row + a];
        tmpIndices[o] = this.indices[row + a];
        a++;
      } else {
        tmpScores[o] = scores[offset + b];
        tmpIndices[o] = indexBase + indices[offset + b];
        b++;
      }
    }
    this.scores.set(tmpScores, row);
    this.indices.set(tmpIndices, row);
  }

  /** One entry per identity: a better item of a kept identity replaces it. */
  private offerDistinct(
    q: number,
    scores: ArrayLike<number>,
    indices: ArrayLike<number>,
    offset: number,
    count: number,
    indexBase: number,
    skip: number,
  ): void {
    const { k } = this;
    const labels = this.labels as Float64Array;
    const galleryLabels = this.galleryLabels as ArrayLike<number>;
    const row = q * k;
    for (let j = 0; j < count; j++) {
      const s = scores[offset + j];
      const g = indexBase + indices[offset + j];
      // Candidates come best first: once the list is full and this one cannot beat its worst,
      // no later candidate can enter or improve an entry (an entry's score >= the worst).
      if (this.indices[row + k - 1] !== -1 && !(s > this.scores[row + k - 1])) return;
      if (g === skip) continue;
      const label = galleryLabels[g];
      let p = 0;
      while (p < k && this.indices[row + p] !== -1 && labels[row + p] !== label) p++;
      if (p < k && this.indices[row + p] !== -1) {
        if (!(s > this.scores[row + p])) continue; // identity already kept with a better item
      } else if (p === k) {
        p = k - 1; // full: replace the worst
      }
      this.scores[row + p] = s;
      this.indices[row + p] = g;
      labels[row + p] = label;
      // bubble up past strictly worse entries (empty slots hold -Infinity)
      while (p > 0 && (this.indices[row + p - 1] === -1 || s > this.scores[row + p - 1])) {
        this.swap(row + p, row + p - 1);
        p--;
      }
    }
  }

  private swap(i: number, j: number): void {
    const labels = this.labels as Float64Array;
    [this.scores[i], this.scores[j]] = [this.scores[j], this.scores[i]];
    [this.indices[i], this.indices[j]] = [this.indices[j], this.indices[i]];
    [labels[i], labels[j]] = [labels[j], labels[i]];
  }
}
