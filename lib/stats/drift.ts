/**
 * Two-sample drift statistics on numeric samples: the Kolmogorov–Smirnov distance with its asymptotic p-value, the
 * population stability index on the reference's quantile bins (and on category counts), and the 1-D Wasserstein
 * (earth mover's) distance, raw and scaled by the reference's spread. Each takes the reference `a` first and the
 * sample compared with it `b` second; NaN values are left out. Inputs already sorted ascending (and free of NaN)
 * are used as they are, others are copied and sorted, so callers computing several statistics sort once.
 * @module
 */

/** A sorted copy of the finite-or-infinite (non-NaN) values, or the input itself when it is sorted and NaN-free. */
function sortedValues(x: Float64Array): Float64Array {
  let sorted = true;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || (i > 0 && x[i] < x[i - 1])) {
      sorted = false;
      break;
    }
  }
  if (sorted) return x;
  return x.filter((v) => !Number.isNaN(v)).sort();
}

/** Values of `s` (sorted) at most `v`. */
function countAtMost(s: Float64Array, v: number): number {
  let lo = 0, hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The quantile of a sorted sample at level `p`, linear between order statistics (Hyndman–Fan type 7, the default
 * of R, NumPy and Polars' "linear").
 * @param sorted values sorted ascending, no NaN
 * @param p the level, 0 to 1
 * @returns the quantile, NaN for an empty sample
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quantileSorted } from "@lib/stats/drift.ts";
 * const s = Float64Array.of(1, 2, 3, 4);
 * assert.equal(quantileSorted(s, 0.5), 2.5);
 * assert.equal(quantileSorted(s, 1), 4);
 * ```
 */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The survival function of the Kolmogorov distribution, Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}: the asymptotic
 * probability that √n·D exceeds λ.
 * @param lambda λ ≥ 0
 * @returns Q(λ), 1 at λ = 0
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kolmogorovQ } from "@lib/stats/drift.ts";
 * // The table's critical values: λ = 1.358 at 5 %, 1.628 at 1 %.
 * assert.ok(Math.abs(kolmogorovQ(1.358) - 0.05) < 5e-4);
 * assert.ok(Math.abs(kolmogorovQ(1.628) - 0.01) < 5e-4);
 * ```
 */
export function kolmogorovQ(lambda: number): number {
  if (!(lambda > 0)) return 1;
  // Below about 0.2 the alternating series converges too slowly and Q is 1 to 15 digits.
  if (lambda < 0.2) return 1;
  let sum = 0, sign = 1;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += sign * term;
    if (term < 1e-16) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** The result of {@linkcode ksStatistic}. */
export interface KsResult {
  /** The largest distance between the two empirical CDFs, 0 to 1. */
  d: number;
  /** The asymptotic p-value of "same distribution" (NaN when a sample is empty). */
  pValue: number;
  /** The effective sample size n·m / (n + m). */
  en: number;
}

/**
 * The two-sample Kolmogorov–Smirnov statistic: D = sup |F_a(x) − F_b(x)| over the empirical CDFs (ties on both
 * sides stepped together), and its asymptotic p-value Q((√nₑ + 0.12 + 0.11/√nₑ)·D) from the Kolmogorov distribution
 * with the effective size nₑ = n·m / (n + m) (Stephens' small-sample correction, as in Numerical Recipes'
 * `kstwo`). With 200,000 values a side, a D of 0.005 is already "significant": read D as the size of the drift and
 * the p-value only as whether it could be noise.
 * @param a the reference sample
 * @param b the compared sample
 * @returns D, the p-value and nₑ
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ksStatistic } from "@lib/stats/drift.ts";
 * const a = Float64Array.from({ length: 100 }, (_, i) => i);
 * assert.equal(ksStatistic(a, a).d, 0);
 * assert.equal(ksStatistic(a, a.map((v) => v + 1000)).d, 1);
 * assert.ok(ksStatistic(a, a.map((v) => v + 1000)).pValue < 1e-10);
 * ```
 */
export function ksStatistic(a: Float64Array, b: Float64Array): KsResult {
  const sa = sortedValues(a), sb = sortedValues(b);
  const n = sa.length, m = sb.length;
  if (n === 0 || m === 0) return { d: NaN, pValue: NaN, en: 0 };
  let i = 0, j = 0, d = 0;
  while (i < n && j < m) {
    const v = Math.min(sa[i], sb[j]);
    while (i < n && sa[i] <= v) i++;
    while (j < m && sb[j] <= v) j++;
    const gap = Math.abs(i / n - j / m);
    if (gap > d) d = gap;
  }
  const en = (n * m) / (n + m);
  const s = Math.sqrt(en);
  return { d, pValue: kolmogorovQ((s + 0.12 + 0.11 / s) * d), en };
}

/** Options of {@linkcode psi} and {@linkcode categoryPsi}. */
export interface PsiOptions {
  /** Bins, cut at the reference's quantiles k/bins (fewer when quantiles coincide). @default 10 */
  bins?: number;
  /** The share an empty bin counts as, so the logarithm stays finite. @default 1e-4 */
  epsilon?: number;
}

/** PSI = Σ (q − p)·ln(q / p) over bins with shares p (reference) and q (compared), empty shares as epsilon. */
function psiOfCounts(p: readonly number[], q: readonly number[], epsilon: number): number {
  const np = p.reduce((s, v) => s + v, 0), nq = q.reduce((s, v) => s + v, 0);
  if (np === 0 || nq === 0) return NaN;
  let sum = 0;
  for (let k = 0; k < p.length; k++) {
    const ps = Math.max(p[k] / np, epsilon), qs = Math.max(q[k] / nq, epsilon);
    sum += (qs - ps) * Math.log(qs / ps);
  }
  return sum;
}

/**
 * The population stability index of `b` against the reference `a`: the values are binned at the reference's
 * quantiles (10 bins by default, each holding a tenth of `a`; bins are right-closed and the outer ones open, so
 * values outside the reference's range fall in the end bins), and PSI = Σ (q − p)·ln(q / p) over the bins' shares
 * p in `a` and q in `b`, an empty bin counting as `epsilon`. Rule of thumb: below 0.1 stable, 0.1 to 0.25 a
 * moderate shift worth a look, 0.25 and above a significant shift.
 * @param a the reference sample
 * @param b the compared sample
 * @param options bins and epsilon
 * @returns the index, 0 for identical distributions; NaN when a sample is empty
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { psi } from "@lib/stats/drift.ts";
 * const a = Float64Array.from({ length: 1000 }, (_, i) => i);
 * assert.equal(psi(a, a), 0);
 * // Half of b beyond the reference's range: the top bin holds 0.55 of b against 0.1 of a.
 * const b = Float64Array.from({ length: 1000 }, (_, i) => i < 500 ? i * 2 : 5000 + i);
 * assert.ok(psi(a, b) > 0.25);
 * ```
 */
export function psi(a: Float64Array, b: Float64Array, options: PsiOptions = {}): number {
  const { bins = 10, epsilon = 1e-4 } = options;
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`Cannot compute PSI: bins must be >= 2, got ${bins}`);
  const sa = sortedValues(a), sb = sortedValues(b);
  if (sa.length === 0 || sb.length === 0) return NaN;
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const e = quantileSorted(sa, k / bins);
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  const counts = (s: Float64Array) => {
    const out: number[] = [];
    let below = 0;
    for (const e of edges) {
      const at = countAtMost(s, e);
      out.push(at - below);
      below = at;
    }
    out.push(s.length - below);
    return out;
  };
  return psiOfCounts(counts(sa), counts(sb), epsilon);
}

/**
 * The population stability index over categories: shares of each category in the reference's counts `a` and the
 * compared counts `b` (a category missing on one side counts as `epsilon`). Same rule of thumb as
 * {@linkcode psi}: below 0.1 stable, 0.1 to 0.25 moderate, 0.25 and above significant.
 * @param a counts per category in the reference
 * @param b counts per category in the compared sample
 * @param options epsilon (`bins` is not used)
 * @returns the index; NaN when either side has no counts
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { categoryPsi } from "@lib/stats/drift.ts";
 * assert.equal(categoryPsi({ x: 5, y: 5 }, { x: 50, y: 50 }), 0);
 * // Shares 0.5/0.5 against 0.9/0.1: 0.4·ln(1.8) + 0.4·ln(5) = 0.879
 * assert.ok(Math.abs(categoryPsi({ x: 5, y: 5 }, { x: 9, y: 1 }) - 0.8789) < 1e-3);
 * ```
 */
export function categoryPsi(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
  options: PsiOptions = {},
): number {
  const { epsilon = 1e-4 } = options;
  // Sorted, so the sum runs in one order whatever order the counts came in (the last digit stays put).
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return psiOfCounts(keys.map((k) => a[k] ?? 0), keys.map((k) => b[k] ?? 0), epsilon);
}

/**
 * The 1-D Wasserstein-1 (earth mover's) distance: the area between the two empirical CDFs, ∫ |F_a(x) − F_b(x)| dx,
 * in the data's unit; a sample shifted by c is at distance c.
 * @param a the reference sample
 * @param b the compared sample
 * @returns the distance; NaN when a sample is empty
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wasserstein1 } from "@lib/stats/drift.ts";
 * const a = Float64Array.from({ length: 100 }, (_, i) => i);
 * assert.equal(wasserstein1(a, a), 0);
 * assert.ok(Math.abs(wasserstein1(a, a.map((v) => v + 3)) - 3) < 1e-9);
 * ```
 */
export function wasserstein1(a: Float64Array, b: Float64Array): number {
  const sa = sortedValues(a), sb = sortedValues(b);
  const n = sa.length, m = sb.length;
  if (n === 0 || m === 0) return NaN;
  let i = 0, j = 0, sum = 0;
  let x = Math.min(sa[0], sb[0]);
  while (i < n || j < m) {
    const next = Math.min(i < n ? sa[i] : Infinity, j < m ? sb[j] : Infinity);
    if (next > x) sum += Math.abs(i / n - j / m) * (next - x);
    x = next;
    while (i < n && sa[i] <= x) i++;
    while (j < m && sb[j] <= x) j++;
  }
  return sum;
}

/** Options of {@linkcode wasserstein1Normalized}. */
export interface Wasserstein1NormalizedOptions {
  /** The reference's spread to divide by: interquartile range, or standard deviation. @default "iqr" */
  scale?: "iqr" | "std";
}

/** The result of {@linkcode wasserstein1Normalized}. */
export interface Wasserstein1Normalized {
  /** The raw distance, in the data's unit. */
  w1: number;
  /** The distance over the reference's spread: comparable across columns of different units. */
  normalized: number;
  /** The spread divided by. */
  scale: number;
  /** Which spread: the IQR, or the standard deviation when the IQR is 0 (a column piled on few values). */
  by: "iqr" | "std";
}

/**
 * The Wasserstein-1 distance divided by the reference's spread (interquartile range by default; the standard
 * deviation when asked or when the IQR is 0), so "0.5" means half a typical spread whatever the column's unit.
 * @param a the reference sample
 * @param b the compared sample
 * @param options which spread
 * @returns the raw and normalized distance and the spread used (normalized NaN when the reference is constant)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wasserstein1Normalized } from "@lib/stats/drift.ts";
 * const a = Float64Array.from({ length: 101 }, (_, i) => i); // IQR 50
 * const r = wasserstein1Normalized(a, a.map((v) => v + 25));
 * assert.equal(r.by, "iqr");
 * assert.ok(Math.abs(r.normalized - 0.5) < 1e-9);
 * ```
 */
export function wasserstein1Normalized(
  a: Float64Array,
  b: Float64Array,
  options: Wasserstein1NormalizedOptions = {},
): Wasserstein1Normalized {
  const { scale = "iqr" } = options;
  const sa = sortedValues(a), sb = sortedValues(b);
  const w1 = wasserstein1(sa, sb);
  const iqr = quantileSorted(sa, 0.75) - quantileSorted(sa, 0.25);
  if (scale === "iqr" && iqr > 0) return { w1, normalized: w1 / iqr, scale: iqr, by: "iqr" };
  let mean = 0;
  for (const v of sa) mean += v;
  mean /= sa.length;
  let ss = 0;
  for (const v of sa) ss += (v - mean) ** 2;
  const std = sa.length > 1 ? Math.sqrt(ss / (sa.length - 1)) : NaN;
  return { w1, normalized: std > 0 ? w1 / std : NaN, scale: std, by: "std" };
}
