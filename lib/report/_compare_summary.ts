import pl from "nodejs-polars";
import { aggregateParts, collectParts, type TableFrame } from "@lib/lake/mod.ts";
import {
  categoryPsi,
  ksStatistic,
  lagCorrelation,
  psi,
  quantileSorted,
  wasserstein1Normalized,
} from "@lib/stats/mod.ts";
import { columnTypes, dtypeFamily, epochMs, numbers, strings, timeColumn, timeRangeOf } from "./_frame.ts";
import { sampleRows } from "./_sample.ts";

const HOUR = 3_600_000, DAY = 86_400_000;

/** One side of a comparison: a dataset of the lake or a data file, as loaded. */
export interface CompareSide {
  /** The name shown (dataset or file name). */
  name: string;
  /** The dataset kind (or what a file was read as). */
  kind: string;
  /** Where it was read from (a path). */
  source: string;
  /** The primary table's name. */
  primary: string;
  /** Every table, in memory or scanned. */
  tables: Record<string, TableFrame>;
}

/** How far a column drifted: from PSI (0.1 / 0.25) and the KS distance. */
export type DriftVerdict = "stable" | "moderate" | "drifted";

/** The drift of one numeric column present in both primary tables. */
export interface NumericDrift {
  column: string;
  /** Non-null values in the whole table, A and B. */
  nA: number;
  nB: number;
  /** Mean over the whole table. */
  meanA: number;
  meanB: number;
  /** Quantiles of the samples. */
  p50A: number;
  p50B: number;
  p95A: number;
  p95B: number;
  /** Values in the samples the statistics below are computed on. */
  sampleA: number;
  sampleB: number;
  ksD: number;
  ksP: number;
  psi: number;
  /** Wasserstein-1 in the column's unit, and over the reference's spread. */
  w1: number;
  w1Normalized: number;
  /** The spread W1 is divided by. */
  w1By: "iqr" | "std";
  /** Null when a side has no value to compare (a column all null). */
  verdict: DriftVerdict | null;
  /** Overlaid histogram: shares of each sample in common bins (values outside the range in the end bins). */
  histogram: { x0: number; x1: number; a: number; b: number }[];
}

/** One text or true/false column present in both primary tables. */
export interface CategoryDrift {
  column: string;
  /** Distinct values in the samples. */
  distinctA: number;
  distinctB: number;
  /** PSI over the categories; null when there are too many to compare. */
  psi: number | null;
  verdict: DriftVerdict | null;
  /** The most frequent values over both samples, with their shares on each side. */
  top: { value: string; a: number; b: number }[];
}

/** Pearson correlations of the shared metrics in A and in B (lower triangle, pairs `x` < `y` in metric order). */
export interface CorrelationDiff {
  metrics: string[];
  cells: { x: string; y: string; a: number; b: number }[];
}

/** Mean level by hour of day and day of week, and the autocorrelation at 24 h and 168 h, of one metric on each side. */
export interface MetricSeasonality {
  metric: string;
  /** Mean of the per-instant mean over entities, by UTC hour (0-23); empty unless both sides are hourly or finer. */
  hour: { side: "A" | "B"; key: number; value: number }[];
  /** By day of week (0 = Monday); empty unless both span two weeks. */
  dow: { side: "A" | "B"; key: number; value: number }[];
  /** r at 24 h and 168 h, null when too few pairs. */
  acf: { lag: number; a: number | null; b: number | null }[];
}

/** The seasonality comparison, or why there is none. */
export interface SeasonalityDiff {
  timeA: string | null;
  timeB: string | null;
  metrics: MetricSeasonality[];
  note: string | null;
}

/** What the compare page shows. */
export interface CompareSummary {
  a: SideCard;
  b: SideCard;
  /** Most rows sampled per table. */
  sampleRows: number;
  numeric: NumericDrift[];
  categorical: CategoryDrift[];
  correlation: CorrelationDiff | null;
  seasonality: SeasonalityDiff;
  onlyA: string[];
  onlyB: string[];
  /** Columns in both whose types differ (number in one, text in the other). */
  typeDiffers: { column: string; a: string; b: string }[];
}

/** One side's header figures. */
export interface SideCard {
  name: string;
  kind: string;
  source: string;
  primary: string;
  tables: { name: string; rows: number; columns: number }[];
  timeRange: { column: string; start: string; end: string } | null;
}

/** Options of {@linkcode summarizeCompare}. */
export interface SummarizeCompareOptions {
  /** Most rows sampled per table for the drift statistics and correlations. @default 200,000 */
  sampleRows?: number;
  /** Seed of the samples. @default 42 */
  seed?: number;
  /** Bins of the overlaid histograms. @default 24 */
  bins?: number;
  /** Most metrics in the correlation and seasonality comparison. @default 8 */
  maxMetrics?: number;
  /** Most distinct values (in a sample) for a text column to be compared by category. @default 50 */
  maxCategories?: number;
}

/** A comparison the data does not allow: the primary tables share no column. */
export class CompareInputError extends Error {
  /** @param message what is wrong */
  constructor(message: string) {
    super(message);
    this.name = "CompareInputError";
  }
}

/**
 * The verdict of a drift: `drifted` at PSI ≥ 0.25 or a KS distance ≥ 0.2, `moderate` at PSI ≥ 0.1 or D ≥ 0.1,
 * else `stable`; a KS distance counts only when its p-value is below 0.01 (not noise).
 * @param stats the PSI, KS distance and p-value
 * @returns the verdict
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { driftVerdict } from "@lib/report/compare.ts";
 * assert.equal(driftVerdict({ psi: 0.02, ksD: 0.01, ksP: 0.3 }), "stable");
 * assert.equal(driftVerdict({ psi: 0.15, ksD: 0.05, ksP: 0 }), "moderate");
 * assert.equal(driftVerdict({ psi: 0.05, ksD: 0.3, ksP: 0 }), "drifted");
 * ```
 */
export function driftVerdict(stats: { psi: number; ksD: number; ksP: number }): DriftVerdict {
  const { psi, ksD, ksP } = stats;
  const d = ksP < 0.01 ? ksD : 0;
  if (psi >= 0.25 || d >= 0.2) return "drifted";
  if (psi >= 0.1 || d >= 0.1) return "moderate";
  return "stable";
}

function sideCard(side: CompareSide): SideCard {
  const timeRange = timeRangeOf(side.tables[side.primary]);
  return {
    name: side.name,
    kind: side.kind,
    source: side.source,
    primary: side.primary,
    tables: Object.entries(side.tables).map(([name, t]) => ({ name, rows: t.height, columns: t.columns.length })),
    timeRange,
  };
}

/**
 * Sample columns as sorted values (nulls and NaN left out): sorted by Polars, all columns in one parallel query, each
 * read as one typed array.
 */
function sortedColumns(df: pl.DataFrame, columns: string[]): Map<string, Float64Array> {
  if (columns.length === 0) return new Map();
  // Null as NaN, which Polars sorts after every number: the values end where the first NaN is.
  const sorted = df.select(...columns.map((c) => pl.col(c).cast(pl.Float64).fillNull(NaN).sort().alias(c)));
  return new Map(columns.map((c) => {
    const all = sorted.getColumn(c).toTypedArray() as Float64Array;
    let end = all.length;
    while (end > 0 && Number.isNaN(all[end - 1])) end--;
    return [c, Float64Array.from(all.subarray(0, end))];
  }));
}

/** A sample column in row order, NaN for null. */
function rowColumn(df: pl.DataFrame, column: string): Float64Array {
  const s = df.select(pl.col(column).cast(pl.Float64).fillNull(NaN).alias("x")).getColumn("x");
  return Float64Array.from(s.toTypedArray() as Float64Array);
}

function histogram(sa: Float64Array, sb: Float64Array, bins: number): NumericDrift["histogram"] {
  if (sa.length === 0 || sb.length === 0) return [];
  let lo = Math.min(quantileSorted(sa, 0.005), quantileSorted(sb, 0.005));
  let hi = Math.max(quantileSorted(sa, 0.995), quantileSorted(sb, 0.995));
  if (!(hi > lo)) {
    lo = Math.min(sa[0], sb[0]);
    hi = Math.max(sa[sa.length - 1], sb[sb.length - 1]);
  }
  if (!(hi > lo)) {
    hi = lo + 1;
    lo = lo - 1;
  }
  const width = (hi - lo) / bins;
  const count = (s: Float64Array) => {
    const out = new Array<number>(bins).fill(0);
    for (const v of s) out[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]++;
    return out.map((c) => c / s.length);
  };
  const ca = count(sa), cb = count(sb);
  return ca.map((a, i) => ({ x0: lo + i * width, x1: lo + (i + 1) * width, a, b: cb[i] }));
}

/** Pearson r over the rows where both are present. */
function pearson(x: Float64Array, y: Float64Array): number {
  let n = 0, sx = 0, sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    n++;
    sx += x[i];
    sy += y[i];
  }
  if (n < 3) return NaN;
  const mx = sx / n, my = sy / n;
  let cxy = 0, cxx = 0, cyy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    const dx = x[i] - mx, dy = y[i] - my;
    cxy += dx * dy;
    cxx += dx * dx;
    cyy += dy * dy;
  }
  return cxx > 0 && cyy > 0 ? cxy / Math.sqrt(cxx * cyy) : NaN;
}

/** Counts of each value of a sample column (null as "(null)"). */
function valueCounts(df: pl.DataFrame, column: string): Record<string, number> {
  const counts = df.select(pl.col(column).cast(pl.String).fillNull("(null)").alias("v"))
    .groupBy("v").agg(pl.len().alias("n")).sort("v");
  const values = strings(counts, "v"), ns = numbers(counts, "n");
  return Object.fromEntries(values.map((v, i) => [v, ns[i]]));
}

/** The per-instant mean over entities of each metric (file by file), as a frame `t` (epoch ms), metrics. */
function meanSeries(table: TableFrame, time: string, metrics: string[]): pl.DataFrame {
  const parts = collectParts(
    table,
    (p) =>
      p.select(epochMs(time).alias("t"), ...metrics.map((m) => pl.col(m).cast(pl.Float64).fillNan(null).alias(m)))
        .filter(pl.col("t").isNotNull())
        .groupBy("t").agg(
          ...metrics.flatMap((
            m,
          ) => [pl.col(m).sum().alias(`s:${m}`), pl.col(m).count().cast(pl.Float64).alias(`n:${m}`)]),
        ),
  );
  return parts.groupBy("t").agg(
    ...metrics.map((m) => pl.col(`s:${m}`).sum().div(pl.col(`n:${m}`).sum()).alias(m)),
  ).sort("t");
}

/** Median step and span of a sorted time column (ms). */
function cadence(series: pl.DataFrame): { step: number; span: number } {
  const t = numbers(series, "t");
  if (t.length < 2) return { step: NaN, span: 0 };
  const steps = t.slice(1).map((v, i) => v - t[i]).sort((a, b) => a - b);
  return { step: steps[Math.floor(steps.length / 2)], span: t[t.length - 1] - t[0] };
}

function profileOf(series: pl.DataFrame, metric: string, key: "hour" | "dow"): { key: number; value: number }[] {
  const keyed = series.lazy().select(
    (key === "hour"
      ? pl.col("t").cast(pl.Datetime("ms")).dt.hour().cast(pl.Int32)
      : pl.col("t").cast(pl.Datetime("ms")).dt.weekday().cast(pl.Int32).sub(1)).alias("key"),
    pl.col(metric).alias("x"),
  ).filter(pl.col("x").isNotNull()).groupBy("key").agg(pl.col("x").mean().alias("v")).sort("key").collectSync();
  const v = numbers(keyed, "v");
  return numbers(keyed, "key").map((k, i) => ({ key: k, value: v[i] }));
}

function acfAt(series: pl.DataFrame, metric: string, lagsMs: number[]): (number | null)[] {
  const frame = series.filter(pl.col(metric).isNotNull()).select(
    pl.lit("all").alias("g"),
    pl.col("t").cast(pl.Int64),
    pl.col(metric).alias("x"),
  );
  if (frame.height < 3) return lagsMs.map(() => null);
  const rows = lagCorrelation(frame, lagsMs);
  return lagsMs.map((lag) => {
    const r = rows.find((x) => x.lag === lag);
    return r !== undefined && r.n >= 10 ? r.r : null;
  });
}

function seasonality(a: CompareSide, b: CompareSide, metrics: string[]): SeasonalityDiff {
  const ta = a.tables[a.primary], tb = b.tables[b.primary];
  const timeA = timeColumn(ta), timeB = timeColumn(tb);
  const none = (note: string): SeasonalityDiff => ({ timeA, timeB, metrics: [], note });
  if (timeA === null || timeB === null) {
    return none(
      `No comparison: ${
        timeA === null && timeB === null
          ? "neither primary table has"
          : `the primary table of ${timeA === null ? "A" : "B"} has no`
      } time column.`,
    );
  }
  if (metrics.length === 0) return none("No comparison: no numeric metric in both primary tables.");
  const sa = meanSeries(ta, timeA, metrics), sb = meanSeries(tb, timeB, metrics);
  const ca = cadence(sa), cb = cadence(sb);
  const hourly = ca.step <= HOUR && cb.step <= HOUR && ca.span >= DAY && cb.span >= DAY;
  const weekly = ca.span >= 14 * DAY && cb.span >= 14 * DAY;
  const lags = [24 * HOUR, 168 * HOUR];
  const out = metrics.map((metric) => {
    const side = (s: "A" | "B", rows: { key: number; value: number }[]) => rows.map((r) => ({ side: s, ...r }));
    const ra = acfAt(sa, metric, lags), rb = acfAt(sb, metric, lags);
    return {
      metric,
      hour: hourly ? [...side("A", profileOf(sa, metric, "hour")), ...side("B", profileOf(sb, metric, "hour"))] : [],
      dow: weekly ? [...side("A", profileOf(sa, metric, "dow")), ...side("B", profileOf(sb, metric, "dow"))] : [],
      acf: lags.map((lag, i) => ({ lag: lag / HOUR, a: ra[i], b: rb[i] })),
    };
  });
  const notes = [
    hourly ? "" : "no hour-of-day profile: one side is not hourly or finer over at least a day",
    weekly ? "" : "no day-of-week profile: one side spans less than two weeks",
  ].filter((s) => s !== "");
  return { timeA, timeB, metrics: out, note: notes.length === 0 ? null : `${notes.join("; ")}.` };
}

/**
 * Compares two datasets' primary tables column by column: header figures of each side, the drift of every numeric
 * column they share (KS, PSI, Wasserstein-1, on seeded samples of at most `sampleRows` rows per table), category
 * shares of shared text columns, the Pearson matrices of the shared metrics on the same samples, and the hour-of-day
 * / day-of-week profiles and 24 h / 168 h autocorrelation of each metric's per-instant mean (over whole tables).
 * @param a the reference side
 * @param b the compared side
 * @param options sample size, seed, bins, caps
 * @returns the summary
 * @throws {CompareInputError} when the primary tables share no column
 */
export function summarizeCompare(
  a: CompareSide,
  b: CompareSide,
  options: SummarizeCompareOptions = {},
): CompareSummary {
  const { sampleRows: max = 200_000, seed = 42, bins = 24, maxMetrics = 8, maxCategories = 50 } = options;
  const ta = a.tables[a.primary], tb = b.tables[b.primary];
  const typesA = new Map(columnTypes(ta)), typesB = new Map(columnTypes(tb));
  const shared = [...typesA.keys()].filter((c) => typesB.has(c));
  if (shared.length === 0) {
    throw new CompareInputError(
      `Cannot compare "${a.name}" and "${b.name}": their primary tables ("${a.primary}", "${b.primary}") share no column name`,
    );
  }
  const fam = (types: Map<string, string>, c: string) => dtypeFamily(types.get(c)!);
  const numeric = shared.filter((c) => fam(typesA, c) === "number" && fam(typesB, c) === "number");
  const categorical = shared.filter((c) => {
    const fa = fam(typesA, c), fb = fam(typesB, c);
    return (fa === "text" || fa === "bool") && (fb === "text" || fb === "bool");
  });
  const typeDiffers = shared.filter((c) => {
    const fa = fam(typesA, c), fb = fam(typesB, c);
    const group = (f: string) => f === "bool" ? "text" : f;
    return group(fa) !== group(fb);
  }).map((c) => ({ column: c, a: typesA.get(c)!, b: typesB.get(c)! }));
  const sampled = [...numeric, ...categorical];
  const sa = sampleRows(ta, sampled, { max, seed, entity: `compare:${a.primary}` });
  const sb = sampleRows(tb, sampled, { max, seed, entity: `compare:${b.primary}` });
  const totals = (t: TableFrame) =>
    numeric.length === 0 ? {} : aggregateParts(
      t,
      numeric.flatMap((c) => [
        pl.col(c).cast(pl.Float64).fillNan(null).count().cast(pl.Float64).alias(`n:${c}`),
        pl.col(c).cast(pl.Float64).fillNan(null).sum().alias(`s:${c}`),
      ]),
    ).toRecords()[0] as Record<string, number>;
  const tota = totals(ta), totb = totals(tb);
  const sortedA = sortedColumns(sa, numeric), sortedB = sortedColumns(sb, numeric);
  const numericDrift = numeric.map((column): NumericDrift => {
    const xa = sortedA.get(column)!, xb = sortedB.get(column)!;
    const ks = ksStatistic(xa, xb);
    const p = psi(xa, xb);
    const w = wasserstein1Normalized(xa, xb);
    const nA = Number(tota[`n:${column}`]), nB = Number(totb[`n:${column}`]);
    return {
      column,
      nA,
      nB,
      meanA: nA > 0 ? Number(tota[`s:${column}`]) / nA : NaN,
      meanB: nB > 0 ? Number(totb[`s:${column}`]) / nB : NaN,
      p50A: quantileSorted(xa, 0.5),
      p50B: quantileSorted(xb, 0.5),
      p95A: quantileSorted(xa, 0.95),
      p95B: quantileSorted(xb, 0.95),
      sampleA: xa.length,
      sampleB: xb.length,
      ksD: ks.d,
      ksP: ks.pValue,
      psi: p,
      w1: w.w1,
      w1Normalized: w.normalized,
      w1By: w.by,
      verdict: xa.length === 0 || xb.length === 0 ? null : driftVerdict({ psi: p, ksD: ks.d, ksP: ks.pValue }),
      histogram: histogram(xa, xb, bins),
    };
  });
  const categoryDrift = categorical.map((column): CategoryDrift => {
    const ca = valueCounts(sa, column), cb = valueCounts(sb, column);
    const distinctA = Object.keys(ca).length, distinctB = Object.keys(cb).length;
    const na = Object.values(ca).reduce((s, v) => s + v, 0), nb = Object.values(cb).reduce((s, v) => s + v, 0);
    const keys = [...new Set([...Object.keys(ca), ...Object.keys(cb)])];
    const share = (c: Record<string, number>, n: number, k: string) => n > 0 ? (c[k] ?? 0) / n : 0;
    const top = keys.map((k) => ({ value: k, a: share(ca, na, k), b: share(cb, nb, k) }))
      .sort((x, y) => (y.a + y.b) - (x.a + x.b) || (x.value < y.value ? -1 : 1)).slice(0, 6);
    const comparable = distinctA <= maxCategories && distinctB <= maxCategories;
    const p = comparable ? categoryPsi(ca, cb) : null;
    return {
      column,
      distinctA,
      distinctB,
      psi: p,
      verdict: p === null || Number.isNaN(p) ? null : driftVerdict({ psi: p, ksD: 0, ksP: 1 }),
      top,
    };
  });
  // Metrics: the shared decimal columns (calendar integers such as year or month are no metric), else all numeric.
  const decimal = numeric.filter((c) => /^Float/.test(typesA.get(c)!) && /^Float/.test(typesB.get(c)!));
  const metrics = (decimal.length > 0 ? decimal : numeric).slice(0, maxMetrics);
  let correlation: CorrelationDiff | null = null;
  if (metrics.length >= 2) {
    const ra = new Map(metrics.map((m) => [m, rowColumn(sa, m)]));
    const rb = new Map(metrics.map((m) => [m, rowColumn(sb, m)]));
    const cells: CorrelationDiff["cells"] = [];
    for (let i = 0; i < metrics.length; i++) {
      for (let j = i + 1; j < metrics.length; j++) {
        const x = metrics[i], y = metrics[j];
        cells.push({ x, y, a: pearson(ra.get(x)!, ra.get(y)!), b: pearson(rb.get(x)!, rb.get(y)!) });
      }
    }
    correlation = { metrics, cells };
  }
  return {
    a: sideCard(a),
    b: sideCard(b),
    sampleRows: max,
    numeric: numericDrift,
    categorical: categoryDrift,
    correlation,
    seasonality: seasonality(a, b, metrics),
    onlyA: [...typesA.keys()].filter((c) => !typesB.has(c)),
    onlyB: [...typesB.keys()].filter((c) => !typesA.has(c)),
    typeDiffers,
  };
}
