/**
 * Small numeric helpers on typed arrays: quantile summaries of per-entity statistics, the autocorrelation of a
 * gap-aware dense series, and the two-sample Kolmogorov-Smirnov distance between two quantile summaries.
 */

/** The quantile levels a distribution keeps: 0, 0.01, ..., 1. */
export const LEVELS = Array.from({ length: 101 }, (_, i) => i / 100);

/** A distribution of values (one per entity, or pooled), kept as a few moments and 101 quantiles. */
export interface Dist {
  /** Values summarised (non-finite ones left out). */
  n: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  median: number | null;
  max: number | null;
  /** Quantiles at 0, 0.01, ..., 1 (linear interpolation), rounded to 6 significant digits; empty when n = 0. */
  q: number[];
}

/**
 * Rounds to significant digits, so profiles stay small and stable across platforms.
 * @param x the number
 * @param digits significant digits @default 6
 * @returns the rounded number (non-finite numbers as they are)
 */
export function round(x: number, digits = 6): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(digits));
}

/**
 * The quantile of sorted values, linear interpolation between closest ranks (type 7).
 * @param sorted ascending finite values
 * @param p the level in [0, 1]
 * @returns the quantile, NaN for no values
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p, lo = Math.floor(h), hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function isSorted(x: Float64Array): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] < x[i - 1]) return false;
  return true;
}

/**
 * Summarises values as a {@linkcode Dist}.
 * @param values any numbers; null, NaN and infinities are left out
 * @returns the distribution
 */
export function dist(values: ArrayLike<number | null | undefined>): Dist {
  let sorted: Float64Array;
  if (values instanceof Float64Array) {
    let k = 0;
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out[k++] = values[i];
    sorted = out.subarray(0, k);
    if (!isSorted(sorted)) sorted.sort();
  } else {
    const xs: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v === "number" && Number.isFinite(v)) xs.push(v);
    }
    sorted = Float64Array.from(xs).sort();
  }
  const n = sorted.length;
  if (n === 0) return { n: 0, mean: null, sd: null, min: null, median: null, max: null, q: [] };
  let s = 0;
  for (const v of sorted) s += v;
  const mean = s / n;
  let ss = 0;
  for (const v of sorted) ss += (v - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  return {
    n,
    mean: round(mean),
    sd: round(sd),
    min: round(sorted[0]),
    median: round(quantileSorted(sorted, 0.5)),
    max: round(sorted[n - 1]),
    q: LEVELS.map((p) => round(quantileSorted(sorted, p))),
  };
}

/**
 * The quantile of a {@linkcode Dist} at a level, interpolated between its stored quantiles.
 * @param d the distribution
 * @param p the level in [0, 1]
 * @returns the quantile, or null for an empty distribution
 */
export function distQuantile(d: Dist, p: number): number | null {
  if (d.q.length === 0) return null;
  return quantileSorted(d.q, p);
}

/** The ECDF of a quantile summary at x: the share of levels whose quantile is <= x, interpolated. */
function cdfAt(q: readonly number[], x: number): number {
  const n = q.length;
  if (x < q[0]) return 0;
  if (x >= q[n - 1]) return 1;
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (q[mid] <= x) lo = mid;
    else hi = mid;
  }
  const span = q[hi] - q[lo];
  const f = span > 0 ? (x - q[lo]) / span : 0;
  return (lo + f) / (n - 1);
}

/**
 * The two-sample Kolmogorov-Smirnov distance between two distributions given by their quantiles: the largest
 * gap between the two ECDFs, evaluated at every stored quantile of both (exact to the 1 % quantile grid).
 * @param a one distribution
 * @param b the other
 * @returns the distance in [0, 1], or null when either is empty
 * @example
 * ```ts
 * import { dist, ksDistance } from "@lib/fidelity/_stats.ts";
 * ksDistance(dist([1, 2, 3]), dist([101, 102, 103])); // 1
 * ```
 */
export function ksDistance(a: Dist, b: Dist): number | null {
  if (a.q.length === 0 || b.q.length === 0) return null;
  let d = 0;
  for (const x of [...a.q, ...b.q]) {
    const gap = Math.abs(cdfAt(a.q, x) - cdfAt(b.q, x));
    if (gap > d) d = gap;
  }
  return round(d, 4);
}

/**
 * The 5 % critical value of the two-sample KS distance for samples of n and m values, c(0.05) * sqrt((n+m)/(nm)).
 * @param n size of one sample
 * @param m size of the other
 * @returns the distance above which the two differ at the 5 % level
 */
export function ksCritical(n: number, m: number): number {
  if (n <= 0 || m <= 0) return 1;
  return round(1.358 * Math.sqrt((n + m) / (n * m)), 4);
}

/**
 * The median of finite values.
 * @param values numbers
 * @returns the median, or NaN when there are none
 */
export function median(values: ArrayLike<number>): number {
  const xs = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  return quantileSorted(xs, 0.5);
}
