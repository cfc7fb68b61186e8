/**
 * Two reference detectors that show every anomaly type still carries a findable signal (issue 14, item 4), and
 * the per-type share each finds at a fixed false-alarm budget:
 *
 * - `zscore`: |z| of each point against the mean and standard deviation of the 60 observed points before it (the
 *   baseline of the fidelity row "anomalies caught by a 60-point rolling z-score").
 * - `robust`: the median of the last 3 points against the median of the 60 points before them, in robust standard
 *   deviations (IQR / 1.349): single-point bursts and heavy-tailed noise barely move it, a change that lasts 2
 *   points or more does; plus two rules a monitoring system has: a missing value and a value repeated exactly for
 *   8 points or more (a stuck sensor) score as certain alarms.
 *
 * A point's score is the largest over the metrics; the threshold is the 99.9th percentile of normal points'
 * scores (<= 0.1 % false alarms); an event is found when a point of its span reaches the threshold.
 * Per-series typed arrays, running sums and a sorted window (no per-row objects).
 * @module
 */

/** Points of the trailing baseline. */
export const DETECT_WINDOW = 60;
/** Largest share of normal points a detector may flag. */
export const DETECT_FALSE_ALARMS = 0.001;
/** Recent points the robust detector takes the median of (and leaves out of its baseline). */
export const RECENT = 3;
/** Identical consecutive values that count as a stuck sensor. */
export const STUCK_RUN = 8;

/**
 * |z| against the trailing window's mean and sample standard deviation (missing values skipped); NaN where the
 * window holds fewer than `window / 2` values or the point is missing.
 * @param v one series
 * @param window the trailing window
 * @returns the scores
 */
export function rollingZScores(v: Float64Array, window = DETECT_WINDOW): Float64Array {
  const out = new Float64Array(v.length).fill(NaN);
  let n = 0, s = 0, s2 = 0;
  for (let i = 0; i < v.length; i++) {
    if (i > window) {
      const old = v[i - window - 1];
      if (old === old) {
        n--;
        s -= old;
        s2 -= old * old;
      }
    }
    if (i > 0) {
      const add = v[i - 1];
      if (add === add) {
        n++;
        s += add;
        s2 += add * add;
      }
    }
    const x = v[i];
    if (n >= window / 2 && x === x) {
      const mu = s / n;
      const sd = Math.sqrt(Math.max(0, (s2 - n * mu * mu) / (n - 1)));
      if (sd > 0) out[i] = Math.abs(x - mu) / sd;
    }
  }
  return out;
}

/**
 * The robust score: |median of the last 3 points - median| / (IQR / 1.349) over the `window` points before them
 * (a sorted copy kept by insertion), and
 * +Infinity for a missing value or the end of a run of `STUCK_RUN` identical values; NaN before the window fills.
 * @param v one series
 * @param window the trailing window
 * @returns the scores
 */
export function robustScores(v: Float64Array, window = DETECT_WINDOW): Float64Array {
  const out = new Float64Array(v.length).fill(NaN);
  const sorted = new Float64Array(window);
  let n = 0, run = 1;
  const remove = (x: number) => {
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    sorted.copyWithin(lo, lo + 1, n);
    n--;
  };
  const insert = (x: number) => {
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    sorted.copyWithin(lo + 1, lo, n);
    sorted[lo] = x;
    n++;
  };
  const q = (p: number) => {
    const h = (n - 1) * p, i = Math.floor(h);
    return i + 1 < n ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
  };
  const lag = RECENT; // the baseline ends before the recent points, so a sustained change does not hide itself
  for (let i = 0; i < v.length; i++) {
    if (i > window + lag - 1) {
      const old = v[i - window - lag];
      if (old === old) remove(old);
    }
    if (i >= lag) {
      const add = v[i - lag];
      if (add === add) insert(add);
    }
    const x = v[i];
    run = i > 0 && x === v[i - 1] ? run + 1 : 1;
    if (x !== x) {
      out[i] = Infinity;
      continue;
    }
    if (run >= STUCK_RUN) {
      out[i] = Infinity;
      continue;
    }
    if (n < window / 2) continue;
    const spread = (q(0.75) - q(0.25)) / 1.349;
    if (!(spread > 0) || i < 2) continue;
    const a = v[i - 2], b = v[i - 1];
    // Median of the last three points (a missing neighbour leaves the point itself).
    const recent = a !== a || b !== b ? x : Math.max(Math.min(a, b), Math.min(Math.max(a, b), x));
    out[i] = Math.abs(recent - q(0.5)) / spread;
  }
  return out;
}

/** What {@linkcode detectability} finds for one type. */
export interface TypeDetection {
  /** Events of the type. */
  events: number;
  /** Found by the rolling z-score. */
  zscore: number;
  /** Found by the robust detector. */
  robust: number;
  /** Found by either (the two alarm streams together: <= 0.2 % false alarms). */
  either: number;
}

/** The result of {@linkcode detectability}. */
export interface Detectability {
  /** Thresholds at <= 0.1 % false alarms on normal points. */
  threshold: { zscore: number; robust: number };
  /** Per type, in first-seen order. */
  per_type: Record<string, TypeDetection>;
  /** Over every event. */
  all: TypeDetection;
}

/**
 * Runs both detectors over a dataset held as per-metric columns of `series * points` values (series after series)
 * with per-point labels, and counts per type the events each finds.
 * @param columns one array per metric, `series * points` long
 * @param dataset `label`: 1 on labelled points; `points`: points per series; `events`: the events (series index,
 *   first point, length, type); `warmup`: points at the start of each series left out of the false-alarm budget
 *   (default the detectors' window)
 * @returns the thresholds and per-type counts
 */
export function detectability(columns: readonly Float64Array[], dataset: {
  label: Uint8Array;
  points: number;
  events: readonly { series: number; start: number; length: number; type: string }[];
  warmup?: number;
}): Detectability {
  const { label, points, events, warmup = DETECT_WINDOW } = dataset;
  const total = label.length, seriesCount = total / points;
  const score = { zscore: new Float64Array(total).fill(NaN), robust: new Float64Array(total).fill(NaN) };
  for (let s = 0; s < seriesCount; s++) {
    for (const col of columns) {
      const v = col.subarray(s * points, (s + 1) * points);
      for (const [name, f] of [["zscore", rollingZScores], ["robust", robustScores]] as const) {
        const sc = f(v), out = score[name];
        for (let i = 0; i < points; i++) {
          const x = sc[i], o = out[s * points + i];
          if (x === x && !(o >= x)) out[s * points + i] = x;
        }
      }
    }
  }
  const budget = (sc: Float64Array) => {
    const normal: number[] = [];
    for (let i = 0; i < total; i++) if (label[i] === 0 && i % points >= warmup && sc[i] === sc[i]) normal.push(sc[i]);
    const sorted = Float64Array.from(normal).sort();
    return sorted[Math.min(sorted.length - 1, Math.ceil((1 - DETECT_FALSE_ALARMS) * sorted.length))];
  };
  const threshold = { zscore: budget(score.zscore), robust: budget(score.robust) };
  const perType: Record<string, TypeDetection> = {};
  const all: TypeDetection = { events: 0, zscore: 0, robust: 0, either: 0 };
  for (const e of events) {
    const t = perType[e.type] ??= { events: 0, zscore: 0, robust: 0, either: 0 };
    t.events++;
    all.events++;
    let any = false;
    for (const name of ["zscore", "robust"] as const) {
      let found = false;
      for (let i = e.start; i < e.start + e.length && !found; i++) {
        found = score[name][e.series * points + i] >= threshold[name];
      }
      if (found) {
        t[name]++;
        all[name]++;
        any = true;
      }
    }
    if (any) {
      t.either++;
      all.either++;
    }
  }
  return { threshold, per_type: perType, all };
}
