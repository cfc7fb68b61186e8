/**
 * Injects the same anomaly types into an existing dataset (a capacity dataset, an ingested NAB series, ...):
 * per entity (a server, a series), over chosen numeric metric columns, with the same placement rules and the same
 * labels as generated data. Existing labels are kept; an injected anomaly that would overlap one is not injected
 * and is reported as a conflict. Pure: frame in, frame out.
 * @module
 */
import pl from "nodejs-polars";
import { dtypeName } from "@lib/lake/mod.ts";
import { entityStream } from "@lib/random/mod.ts";
import { type AnomaliesConfig, checkFit, DIFFICULTY_SIGMAS, enabledTypes } from "./config.ts";
import { applySized } from "./series.ts";
import type { AnomalyEvent } from "./series.ts";
import { placeAnomalies } from "./place.ts";
import { StatsAccumulator } from "./stats.ts";
import type { AnomalyStats } from "./stats.ts";
import { ANOMALY_TYPE_NAMES, type MetricKind, type SeriesContext, type Track } from "./types/mod.ts";

/** Options of {@linkcode injectAnomalies}. */
export interface InjectOptions {
  /** The entity column (one series per value), e.g. `server_id`. */
  entity: string;
  /** The time column (Datetime or Date). */
  time: string;
  /** The numeric metric columns to inject into. */
  metrics: string[];
  /** Valid range per metric. @default inferred: >= 0 when the data is, <= 100 for percentages (see `inferBounds`) */
  bounds?: Record<string, [number, number]>;
  /** An existing label column (Boolean or 0/1) to keep and avoid. @default `is_anomaly` when present, else none */
  label?: string | null;
}

/** One injected anomaly that was not injected because it overlaps existing labels. */
export interface InjectConflict {
  /** The entity. */
  entity: string;
  /** The type that was drawn. */
  type: string;
  /** Its span (row offsets within the entity). */
  start_index: number;
  /** Its length. */
  length: number;
  /** Existing labeled points inside the span. */
  labeled_points: number;
}

/** One row of the injected dataset's series table. */
export interface InjectedSeries {
  /** The entity. */
  series_id: string;
  /** Rows of the entity. */
  points: number;
  /** Whether it got anomalies. */
  has_anomaly: boolean;
  /** Distinct injected types, comma-separated. */
  anomaly_types: string;
  /** Injected anomalies. */
  anomaly_count: number;
  /** Points they label. */
  anomaly_points: number;
  /** Existing labeled points. */
  existing_labeled_points: number;
  /** Anomalies skipped for overlapping existing labels. */
  conflicts: number;
  /** Why it got none though chosen (too short), or empty. */
  note: string;
}

/** What {@linkcode injectAnomalies} returns. */
export interface InjectResult {
  /** The source rows in their order, metrics edited, with the label columns added. */
  data: pl.DataFrame;
  /** The injected anomalies. */
  events: AnomalyEvent[];
  /** One row per entity. */
  series: InjectedSeries[];
  /** Anomalies not injected because they overlap existing labels. */
  conflicts: InjectConflict[];
  /** Achieved rates (over the rows of the entities). */
  stats: AnomalyStats & { conflicts: number; existing_labeled_points: number; entities_too_short: number };
  /** The bounds used per metric. */
  bounds: Record<string, [number, number]>;
}

/**
 * The role of a metric from its name: latency, errors, throughput, or generic.
 * @param name the column name
 * @returns the kind
 */
export function metricKind(name: string): MetricKind {
  if (/latency|duration|response_time|_ms$/i.test(name)) return "latency";
  if (/error|fail/i.test(name)) return "errors";
  if (/throughput|rps|qps|requests/i.test(name)) return "throughput";
  return "generic";
}

/**
 * Valid range of a metric from its name and values: 0-100 for percentages (names with pct, percent, util, cpu,
 * mem or disk whose values lie in 0-100), >= 0 for non-negative data (> 0 for latency), otherwise unbounded.
 * @param name the column name
 * @param seen `min`, `max`: the smallest and largest value seen
 * @returns `[lower, upper]`
 */
export function inferBounds(name: string, { min, max }: { min: number; max: number }): [number, number] {
  const lower = min >= 0 ? (metricKind(name) === "latency" && min > 0 ? 1e-6 : 0) : -Infinity;
  const pct = /pct|percent|util|cpu|mem|disk|error_rate/i.test(name) && min >= 0 && max <= 100;
  return [lower, pct ? 100 : Infinity];
}

/** Centered moving average over `w` points (odd), missing values skipped, windows shrinking at the edges. */
function movingAverage(x: Float64Array, w: number): Float64Array {
  const half = Math.floor(w / 2);
  const out = new Float64Array(x.length);
  let sum = 0, n = 0;
  const add = (i: number, sign: number) => {
    if (i < 0 || i >= x.length || Number.isNaN(x[i])) return;
    sum += sign * x[i];
    n += sign;
  };
  for (let i = -half; i < half; i++) add(i, 1);
  for (let i = 0; i < x.length; i++) {
    add(i + half, 1);
    add(i - half - 1, -1);
    out[i] = n > 0 ? sum / n : NaN;
  }
  return out;
}

/**
 * Classical decomposition of one series: trend (centered moving average over one period), seasonal profile (mean
 * detrended value at each phase of the period); `expected = trend + seasonal`.
 * @param clean the values (`NaN` missing)
 * @param period points per seasonal period
 * @returns the expected level and the seasonal part
 */
export function decompose(clean: Float64Array, period: number): { expected: Float64Array; seasonal: Float64Array } {
  const p = Math.max(2, Math.min(period, Math.floor(clean.length / 2)));
  const trend = movingAverage(clean, p % 2 === 1 ? p : p + 1);
  const sums = new Float64Array(p), counts = new Float64Array(p);
  // Only rows with a whole window count towards the profile: a shrunken edge window leaves cycle in the trend.
  const half = Math.floor((p % 2 === 1 ? p : p + 1) / 2);
  for (let i = half; i < clean.length - half; i++) {
    const d = clean[i] - trend[i];
    if (Number.isNaN(d)) continue;
    sums[i % p] += d;
    counts[i % p]++;
  }
  const profile = sums.map((s, k) => (counts[k] > 0 ? s / counts[k] : 0));
  const mean = profile.reduce((a, b) => a + b, 0) / p;
  const seasonal = new Float64Array(clean.length);
  const expected = new Float64Array(clean.length);
  for (let i = 0; i < clean.length; i++) {
    seasonal[i] = profile[i % p] - mean;
    expected[i] = (Number.isNaN(trend[i]) ? 0 : trend[i]) + seasonal[i];
  }
  return { expected, seasonal };
}

function floats(df: pl.DataFrame, name: string): Float64Array {
  const s = df.select(pl.col(name).cast(pl.Float64).fillNull(pl.lit(NaN)).alias(name)).getColumn(name);
  return Float64Array.from(s.toArray() as number[]);
}

/**
 * Injects anomalies into a frame.
 * @param df the source rows
 * @param config the anomaly settings (types, ratio, per-series range, gaps, seed; `series`, `points`, `freq` and
 * `start` come from the data)
 * @param options entity, time and metric columns, bounds, existing label column
 * @returns the edited rows with labels, the events, per-entity rows, conflicts and rates
 * @throws {RangeError} naming a missing or non-numeric column, or when no entity is long enough
 * @example
 * ```ts ignore
 * const r = injectAnomalies(readTable("data/synthetic/capacity/capacity.parquet"), config, {
 *   entity: "server_id", time: "timestamp", metrics: ["cpu_p95", "mem_p95"],
 * });
 * ```
 */
export function injectAnomalies(df: pl.DataFrame, config: AnomaliesConfig, options: InjectOptions): InjectResult {
  const { entity, time, metrics } = options;
  const columns = df.columns;
  for (const c of [entity, time, ...metrics]) {
    if (!columns.includes(c)) {
      throw new RangeError(`Cannot inject anomalies: no column "${c}", the data has ${columns.join(", ")}`);
    }
  }
  if (metrics.length === 0) throw new RangeError("Cannot inject anomalies: metrics must name at least one column");
  const schema = df.schema as Record<string, pl.DataType>;
  const isFloat = (m: string) => /^Float/.test(dtypeName(schema[m]));
  for (const m of metrics) {
    if (!/^(Float|Int|UInt)/.test(dtypeName(schema[m]))) {
      throw new RangeError(`Cannot inject anomalies into "${m}": it must be numeric, got ${dtypeName(schema[m])}`);
    }
  }
  const label = options.label === undefined ? (columns.includes("is_anomaly") ? "is_anomaly" : null) : options.label;
  if (label !== null && !columns.includes(label)) {
    throw new RangeError(`Cannot keep labels: no column "${label}", the data has ${columns.join(", ")}`);
  }
  const sorted = df.withRowIndex("__row").sort([entity, time]);
  const n = sorted.height;
  const groups = sorted.withRowIndex("__pos").groupBy(entity)
    .agg(pl.col("__pos").min().alias("__first"), pl.col("__pos").count().alias("__len"))
    .sort("__first");
  const ids = groups.getColumn(entity).cast(pl.String).toArray() as string[];
  const lens = groups.getColumn("__len").toArray() as number[];
  const timeMs = floats(sorted.select(pl.col(time).cast(pl.Datetime("ms", "UTC")).cast(pl.Int64).alias("t")), "t");
  const existing = label === null ? new Uint8Array(n) : Uint8Array.from(floats(sorted, label), (v) => (v > 0 ? 1 : 0));
  const values = metrics.map((m) => floats(sorted, m));
  const bounds: Record<string, [number, number]> = {};
  metrics.forEach((m, k) => {
    let lo = Infinity, hi = -Infinity;
    for (const v of values[k]) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    bounds[m] = options.bounds?.[m] ?? inferBounds(m, { min: lo, max: hi });
  });

  // Which entities get anomalies: the round(ratio * count) with the smallest keys of their own streams.
  const keyed = ids.map((id, i) => ({
    i,
    key: entityStream(config.seed, { dataset: "anomalies", entity: `inject:${id}` }).next(),
  }));
  keyed.sort((a, b) => a.key - b.key || a.i - b.i);
  const chosen = new Set(keyed.slice(0, Math.round(config.anomaly_ratio * ids.length)).map((k) => k.i));

  const typeCode = new Uint8Array(n);
  const eventIndex = new Uint32Array(n);
  const flags = metrics.map(() => new Uint8Array(n));
  const events: AnomalyEvent[] = [];
  const conflicts: InjectConflict[] = [];
  const series: InjectedSeries[] = [];
  const acc = new StatsAccumulator();
  const types = enabledTypes(config);
  let offset = 0, tooShort = 0, existingTotal = 0;
  ids.forEach((id, g) => {
    const len = lens[g];
    const from = offset;
    offset += len;
    let existingHere = 0;
    for (let i = from; i < from + len; i++) existingHere += existing[i];
    existingTotal += existingHere;
    const row: InjectedSeries = {
      series_id: id,
      points: len,
      has_anomaly: false,
      anomaly_types: "",
      anomaly_count: 0,
      anomaly_points: 0,
      existing_labeled_points: existingHere,
      conflicts: 0,
      note: "",
    };
    series.push(row);
    if (!chosen.has(g)) return;
    // Entities differ in length: each is fitted on its own, with at most a quarter of it as warmup.
    const local = { ...config, points: len, warmup: Math.min(config.warmup, Math.floor(len / 4)) };
    try {
      checkFit(local);
    } catch (e) {
      row.note = (e as Error).message;
      tooShort++;
      return;
    }
    const steps = [];
    for (let i = from + 1; i < Math.min(from + len, from + 200); i++) steps.push(timeMs[i] - timeMs[i - 1]);
    const step = steps.sort((a, b) => a - b)[Math.floor(steps.length / 2)] || 86_400_000;
    const period = Math.max(2, Math.round((step >= 86_400_000 ? 7 * 86_400_000 : 86_400_000) / step));
    const tracks: Track[] = metrics.map((name, k) => {
      const v = values[k].subarray(from, from + len);
      const clean = v.slice();
      const { expected, seasonal } = decompose(clean, period);
      return {
        name,
        kind: metricKind(name),
        values: v,
        clean,
        expected,
        seasonal,
        lower: bounds[name][0],
        upper: bounds[name][1],
      };
    });
    const ctx: SeriesContext = { tracks, points: len, period, sigmaWindow: Math.min(config.sigma_window, len) };
    const rng = entityStream(config.seed, { dataset: "anomalies", entity: `inject:${id}` });
    rng.next();
    const placed = placeAnomalies(rng, { config: local, types, tracks });
    const kept: AnomalyEvent[] = [];
    let clipped = 0, k = 0;
    for (const e of placed) {
      let overlap = 0;
      for (let i = from + e.start; i < from + e.start + e.length; i++) overlap += existing[i];
      if (overlap > 0) {
        conflicts.push({ entity: id, type: e.type, start_index: e.start, length: e.length, labeled_points: overlap });
        row.conflicts++;
        continue;
      }
      const { parameters, difficulty } = applySized(ctx, {
        anomaly: e,
        values: tracks.map((t) => t.values),
        before: tracks.map(() => new Float64Array(e.length)),
        sizes: DIFFICULTY_SIGMAS[config.difficulty],
        rng,
      });
      if (typeof parameters.clipped === "number") clipped += parameters.clipped;
      k++;
      const number = events.length + kept.length + 1;
      typeCode.fill(1 + ANOMALY_TYPE_NAMES.indexOf(e.type), from + e.start, from + e.start + e.length);
      eventIndex.fill(number, from + e.start, from + e.start + e.length);
      for (const m of e.metrics) flags[m].fill(1, from + e.start, from + e.start + e.length);
      kept.push({
        anomaly_id: `${id}-a${k}`,
        series_id: id,
        type: e.type,
        metrics: e.metrics.map((m) => metrics[m]),
        start_index: e.start,
        length: e.length,
        start_ms: timeMs[from + e.start],
        end_ms: timeMs[from + e.start + e.length - 1],
        parameters,
        difficulty,
      });
    }
    events.push(...kept);
    row.has_anomaly = kept.length > 0;
    row.anomaly_count = kept.length;
    row.anomaly_points = kept.reduce((s, e) => s + e.length, 0);
    row.anomaly_types = ANOMALY_TYPE_NAMES.filter((t) => kept.some((e) => e.type === t)).join(",");
    acc.addSeries({
      meta: { has_anomaly: row.has_anomaly, anomaly_points: row.anomaly_points },
      events: kept,
      clipped,
      shrunk: placed.filter((e) => e.drawnLength !== e.length).length,
    });
  });
  if (tooShort > 0 && tooShort === chosen.size) {
    throw new RangeError(
      `Cannot inject anomalies: every chosen entity is too short (${series.find((s) => s.note)?.note})`,
    );
  }
  // Entities not chosen count too: rates are over every row.
  for (let g = 0; g < ids.length; g++) {
    if (!chosen.has(g) || series[g].note !== "") {
      acc.addSeries({ meta: { has_anomaly: false, anomaly_points: 0 }, events: [], clipped: 0, shrunk: 0 });
    }
  }
  acc.addMissing(values);

  const labels = [null, ...ANOMALY_TYPE_NAMES];
  const typeCol = pl.DataFrame({ l: pl.Series("l", labels, pl.String) })
    .select(pl.col("l").gather(pl.Series("i", typeCode)).alias("anomaly_type")).getColumn("anomaly_type");
  const idCol = pl.DataFrame({ l: pl.Series("l", [null, ...events.map((e) => e.anomaly_id)], pl.String) })
    .select(pl.col("l").gather(pl.Series("i", eventIndex)).alias("anomaly_id")).getColumn("anomaly_id");
  const injected = pl.Series("__injected", typeCode).cast(pl.Bool);
  let out = sorted.withColumns(
    ...metrics.map((m, k) => pl.Series(m, values[k]).cast(isFloat(m) ? schema[m] : pl.Float64)),
    typeCol,
    idCol,
    ...metrics.map((m, k) => pl.Series(`is_anomaly_${m}`, flags[k]).cast(pl.Bool)),
    injected,
  ).withColumns(...metrics.map((m) => pl.col(m).fillNan(null)));
  if (label === "is_anomaly") out = out.rename({ is_anomaly: "is_anomaly_source" });
  const union = label === null ? pl.col("__injected") : pl.col("__injected").or(
    pl.col(label === "is_anomaly" ? "is_anomaly_source" : label).cast(pl.Bool).fillNull(false),
  );
  out = out.withColumns(union.alias("is_anomaly"))
    .sort("__row")
    .drop("__row", "__injected");
  const base = acc.result(config, { totalPoints: n, pointsPerSeries: Math.round(n / Math.max(1, ids.length)) });
  const stats = {
    ...base,
    conflicts: conflicts.length,
    existing_labeled_points: existingTotal,
    entities_too_short: tooShort,
  };
  return { data: out, events, series, conflicts, stats, bounds };
}
