/** Natural log of the gamma function (Lanczos approximation, g = 7). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61503916999185,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the regularized incomplete beta function (Lentz's method). */
function betaCf(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1, d = 1 - (a + b) * x / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-12) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? front * betaCf(a, b, x) / a : 1 - front * betaCf(b, a, 1 - x) / b;
}

/**
 * The cumulative distribution of Student's t.
 * @param t the value
 * @param df degrees of freedom (> 0)
 * @returns P(T <= t)
 */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * The quantile of Student's t, by bisection on {@linkcode tCdf}; infinite degrees of freedom give the normal's.
 * @param p the probability, in (0.5, 1)
 * @param df degrees of freedom (> 0)
 * @returns t with P(T <= t) = p
 */
export function tQuantile(p: number, df: number): number {
  if (!Number.isFinite(df)) df = 1e7;
  let lo = 0, hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The cumulative distribution of a binomial count, exact (through the incomplete beta function).
 * @param k the count
 * @param n trials
 * @param p probability of a success
 * @returns P(K <= k)
 */
export function binomCdf(k: number, trials: { n: number; p: number }): number {
  const { n, p } = trials;
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  return incompleteBeta(1 - p, n - k, k + 1);
}

/**
 * Whether a binomial count is consistent with `p`: inside the exact two-sided acceptance region at `coverage`
 * (each tail at most (1 - coverage) / 2), so small counts get the wide interval they deserve instead of a normal
 * approximation's.
 * @param k the count
 * @param n trials
 * @param p the expected probability
 * @param coverage the two-sided coverage @default THREE_SIGMA
 * @returns true when neither tail is below (1 - coverage) / 2
 */
export function binomConsistent(
  k: number,
  trials: { n: number; p: number; coverage?: number },
): boolean {
  const { n, p, coverage = THREE_SIGMA } = trials;
  const tail = (1 - coverage) / 2;
  return binomCdf(k, { n, p }) >= tail && 1 - binomCdf(k - 1, { n, p }) >= tail;
}

/**
 * The exact acceptance interval of a binomial share, as shares: the smallest and largest k / n that
 * {@linkcode binomConsistent} accepts at `coverage`.
 * @param n trials
 * @param p the expected probability
 * @param options the two-sided `coverage` (default THREE_SIGMA)
 * @returns [low, high] shares
 */
export function binomInterval(n: number, p: number, options: { coverage?: number } = {}): [number, number] {
  const { coverage = THREE_SIGMA } = options;
  if (n <= 0) return [0, 1];
  const tail = (1 - coverage) / 2;
  let lo = Math.floor(n * p), hi = Math.ceil(n * p);
  while (lo > 0 && binomCdf(lo - 1, { n, p }) >= tail) lo--;
  while (hi < n && 1 - binomCdf(hi, { n, p }) >= tail) hi++;
  return [lo / n, hi / n];
}

/** The two-sided coverage of ±3 standard deviations of a normal: the confidence used for every allowance. */
export const THREE_SIGMA = 0.9973002039367398;

/**
 * The multiple of a standard error that covers as much as ±3 sigma does, with `df` degrees of freedom (wider
 * when the error is itself estimated from few clusters).
 * @param df degrees of freedom
 * @returns the multiplier (3 for large df)
 */
export function threeSigmaMultiplier(df: number): number {
  return coverageMultiplier(df, THREE_SIGMA);
}

/**
 * The multiple of a standard error with two-sided `coverage` under Student's t with `df` degrees of freedom
 * (the normal's for infinite df).
 * @param df degrees of freedom
 * @param coverage the two-sided coverage, in (0, 1)
 * @returns the multiplier, Infinity below one degree of freedom
 */
export function coverageMultiplier(df: number, coverage: number): number {
  return df >= 1 ? tQuantile(0.5 + coverage / 2, df) : Infinity;
}

/**
 * The per-dataset chance of a false failure that the statistical checks of one validation share: with m statistical
 * checks each is judged at the two-sided level 0.001 / m (Bonferroni). A tenth of a percent, not the sweep's 0.5 %
 * target: the target bounds the rate observed over 200 runs, and a design rate of 0.5 % would expect one failed run
 * in 200 from chance alone (two or more in a quarter of sweeps), with no room for a model's residual bias.
 */
export const FAMILY_ALPHA = 0.001;

/** The level a dataset's statistical checks are judged at, given how many there are. */
export interface FamilyLevel {
  /** Statistical checks in the dataset (the family). */
  tests: number;
  /** Two-sided coverage of each check: 1 - min(1 - THREE_SIGMA, FAMILY_ALPHA / tests). */
  coverage: number;
  /** The normal multiplier at that coverage (3.3 for one check, 4.5 for 130). */
  sigmas: number;
}

/**
 * The family-wise level of a dataset with `tests` statistical checks: Bonferroni at {@linkcode FAMILY_ALPHA}, so
 * the chance that a valid dataset fails any of them is at most 0.1 % (never looser than ±3 sigma).
 * @param tests the number of statistical checks; 0 for a check judged alone, outside a dataset: ±3 sigma
 * @returns the level
 * @example
 * ```ts
 * import { familyLevel } from "@lib/validate/_stats.ts";
 * import assert from "node:assert/strict";
 * assert.equal(familyLevel(1).sigmas.toFixed(1), "3.3");
 * assert.equal(familyLevel(130).sigmas.toFixed(1), "4.5");
 * ```
 */
export function familyLevel(tests: number): FamilyLevel {
  if (tests === 0) return { tests: 0, coverage: THREE_SIGMA, sigmas: 3 };
  const m = Math.max(1, Math.floor(tests));
  const coverage = 1 - Math.min(1 - THREE_SIGMA, FAMILY_ALPHA / m);
  return { tests: m, coverage, sigmas: coverageMultiplier(Infinity, coverage) };
}

/**
 * A 32-bit integer hash of a number (murmur3's finalizer over both 32-bit halves): stable samples of instants.
 * @param x the number
 * @returns the hash, 0 to 2^32 - 1
 */
export function mix32(x: number): number {
  let h = (x % 4294967296) ^ Math.floor(x / 4294967296);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A 32-bit integer hash of a text (FNV-1a, then {@linkcode mix32}): stable samples of entities, whatever the
 * order or partitioning of the rows.
 * @param text the text
 * @returns the hash, 0 to 2^32 - 1
 */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h >>> 0);
}
