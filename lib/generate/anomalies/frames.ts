/**
 * Typed arrays to Polars frames: the points table (one row per series and timestamp), the events table (one row
 * per anomaly) and the series table (one row per series), with the dtypes of the row schemas in `schema.ts`.
 * Strings that repeat (ids, types) are gathered from a small list of labels with an index array, never built from
 * a big JS array of strings.
 * @module
 */
import pl from "nodejs-polars";
import type { AnomalyEvent, LabelBuffers, SeriesMeta } from "./series.ts";
import { type Grid, METRICS } from "./model.ts";
import { ANOMALY_TYPE_NAMES } from "./types/mod.ts";

/** The typed arrays of one chunk. */
export interface ChunkData {
  /** The time grid. */
  grid: Grid;
  /** Ids of the chunk's series, in row order; each has `grid.points` rows. */
  seriesIds: string[];
  /** Metric values in {@linkcode METRICS} order; `NaN` is missing. */
  values: [Float64Array, Float64Array, Float64Array];
  /** The labels. */
  labels: LabelBuffers;
  /** Anomaly ids; event number `k` (1-based) in `labels.eventIndex` is `eventIds[k - 1]`. */
  eventIds: string[];
}

/**
 * Gathers a String column from labels and an index per row (index `i` picks `labels[i]`).
 * @param name the column name
 * @param labels the distinct values (`null` allowed)
 * @param index one index per row
 * @returns the column
 */
export function gatherStrings(
  name: string,
  labels: readonly (string | null)[],
  index: Uint32Array | Uint8Array,
): pl.Series {
  return pl.DataFrame({ l: pl.Series("l", labels as (string | null)[], pl.String) })
    .select(pl.col("l").gather(pl.Series("i", index)).alias(name))
    .getColumn(name);
}

/**
 * Builds the points frame of a chunk.
 * @param data the chunk's typed arrays
 * @returns the frame, columns and dtypes as in `AnomalyPoint` (schema.ts)
 */
export function pointsFrame(data: ChunkData): pl.DataFrame {
  const { grid, seriesIds, values, labels, eventIds } = data;
  const n = values[0].length;
  const seriesIndex = new Uint32Array(n);
  for (let s = 0; s < seriesIds.length; s++) seriesIndex.fill(s, s * grid.points, (s + 1) * grid.points);
  const typeLabels = [null, ...ANOMALY_TYPE_NAMES];
  const df = pl.DataFrame([
    gatherStrings("series_id", seriesIds, seriesIndex),
    pl.Series("latency_ms", values[0]),
    pl.Series("error_rate_pct", values[1]),
    pl.Series("throughput_rps", values[2]),
    pl.Series("code", labels.typeCode),
    gatherStrings("anomaly_type", typeLabels, labels.typeCode),
    gatherStrings("anomaly_id", [null, ...eventIds], labels.eventIndex),
    ...METRICS.map((m, i) => pl.Series(`flag_${m}`, labels.flags[i])),
  ]);
  return df.select(
    pl.col("series_id"),
    pl.intRange(0, n, 1, pl.Int64, false).modulo(grid.points).mul(grid.stepMs).add(grid.startMs)
      .cast(pl.Datetime("ms", "UTC")).alias("timestamp"),
    ...METRICS.map((m) => pl.col(m).fillNan(null).alias(m)),
    pl.col("code").neq(0).alias("is_anomaly"),
    pl.col("anomaly_type"),
    pl.col("anomaly_id"),
    ...METRICS.map((m) => pl.col(`flag_${m}`).neq(0).alias(`is_anomaly_${m}`)),
  );
}

/**
 * Concatenates chunk frames (an empty points frame for none).
 * @param frames the frames
 * @returns one frame
 */
export function concatFrames(frames: pl.DataFrame[]): pl.DataFrame {
  if (frames.length === 1) return frames[0];
  if (frames.length > 1) return pl.concat(frames, { how: "vertical", rechunk: true });
  return pointsFrame({
    grid: { startMs: 0, stepMs: 1, points: 1 },
    seriesIds: [],
    values: [new Float64Array(0), new Float64Array(0), new Float64Array(0)],
    labels: {
      typeCode: new Uint8Array(0),
      eventIndex: new Uint32Array(0),
      flags: [new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)],
    },
    eventIds: [],
  });
}

function datetime(name: string, ms: number[]): pl.Series {
  return pl.Series(name, Float64Array.from(ms)).cast(pl.Int64).cast(pl.Datetime("ms", "UTC"));
}

/**
 * The events table: `anomaly_id, series_id, type, metrics, start, end, start_index, end_index, length,
 * difficulty, parameters` (`end` is the last labeled timestamp, inclusive; `metrics` is comma-separated; `parameters` JSON).
 * @param events the anomalies
 * @returns the frame
 */
export function eventsFrame(events: readonly AnomalyEvent[]): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("anomaly_id", events.map((e) => e.anomaly_id), pl.String),
    pl.Series("series_id", events.map((e) => e.series_id), pl.String),
    pl.Series("type", events.map((e) => e.type), pl.String),
    pl.Series("metrics", events.map((e) => e.metrics.join(",")), pl.String),
    datetime("start", events.map((e) => e.start_ms)),
    datetime("end", events.map((e) => e.end_ms)),
    pl.Series("start_index", Int32Array.from(events, (e) => e.start_index)),
    pl.Series("end_index", Int32Array.from(events, (e) => e.start_index + e.length - 1)),
    pl.Series("length", Int32Array.from(events, (e) => e.length)),
    pl.Series("difficulty", events.map((e) => e.difficulty), pl.Float64),
    pl.Series("parameters", events.map((e) => JSON.stringify(e.parameters)), pl.String),
  ]);
}

const SERIES_NUMBERS = [
  "utc_offset_hours",
  "capacity_rps",
  "base_utilization",
  "base_latency_ms",
  "queue_factor",
  "base_error_rate_pct",
  "saturation_error_pct",
  "load_noise",
  "load_ar",
  "latency_noise",
  "error_overdispersion",
  "daily_amplitude",
  "daily_peak_hour",
  "daily_harmonic",
  "weekend_drop",
  "noise_tail",
  "count_cv",
  "gc_per_day",
  "cron_period_min",
  "deploys_per_day",
  "mean_latency_ms",
  "mean_error_rate_pct",
  "mean_throughput_rps",
] as const satisfies readonly (keyof SeriesMeta)[];

/**
 * The series table: id, service, tier, region, base levels, seasonality, and `has_anomaly`, `anomaly_types`
 * (comma-separated), `anomaly_count`, `anomaly_points`.
 * @param series the series rows
 * @returns the frame
 */
export function seriesFrame(series: readonly SeriesMeta[]): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("series_id", series.map((s) => s.series_id), pl.String),
    pl.Series("service", series.map((s) => s.service), pl.String),
    pl.Series("tier", series.map((s) => s.tier), pl.String),
    pl.Series("region", series.map((s) => s.region), pl.String),
    ...SERIES_NUMBERS.map((k) => pl.Series(k, Float64Array.from(series, (s) => s[k]))),
    pl.Series("has_anomaly", series.map((s) => s.has_anomaly), pl.Bool),
    pl.Series("anomaly_types", series.map((s) => s.anomaly_types.join(",")), pl.String),
    pl.Series("anomaly_count", Int32Array.from(series, (s) => s.anomaly_count)),
    pl.Series("anomaly_points", Int32Array.from(series, (s) => s.anomaly_points)),
    pl.Series("benign_bursts", Int32Array.from(series, (s) => s.benign_bursts)),
  ]);
}
