import type { Rng } from "@lib/random/mod.ts";

/**
 * Walker's alias table: draws an index with probability proportional to its weight in O(1), one uniform draw
 * each, for the hot loops of the log generators.
 */
export class AliasTable {
  readonly #prob: Float64Array;
  readonly #alias: Int32Array;
  readonly size: number;

  /**
   * @param weights non-negative weights, not all zero
   * @throws {RangeError} for an empty list or a zero sum
   */
  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i];
    if (n === 0 || !(total > 0)) {
      throw new RangeError(`Cannot build an alias table: weights must sum to > 0, got ${total}`);
    }
    this.size = n;
    this.#prob = new Float64Array(n);
    this.#alias = new Int32Array(n);
    const scaled = Float64Array.from({ length: n }, (_, i) => weights[i] * n / total);
    const small: number[] = [], large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length && large.length) {
      const s = small.pop()!, l = large.pop()!;
      this.#prob[s] = scaled[s];
      this.#alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) {
      this.#prob[i] = 1;
      this.#alias[i] = i;
    }
  }

  /**
   * Draws an index.
   * @param rng the stream
   * @returns an index in [0, size)
   */
  draw(rng: Rng): number {
    const u = rng.next() * this.size;
    const i = Math.floor(u);
    return u - i < this.#prob[i] ? i : this.#alias[i];
  }
}
