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
 * The plan of a String column gathered from labels and an index per row (index `i` picks `labels[i]`).
 * @param name the column name
 * @param labels the distinct values (`null` allowed)
 * @param index one index per row
 * @returns a lazy frame of that one column
 */
function gatherPlan(
  name: string,
  labels: readonly (string | null)[],
  index: Uint32Array | Uint8Array,
): pl.LazyDataFrame {
  return pl.DataFrame({ l: pl.Series("l", labels as (string | null)[], pl.String) }).lazy()
    .select(pl.col("l").gather(pl.Series("i", index)).alias(name));
}

/** The columns of the points table, in order. */
const POINT_COLUMNS = [
  "series_id",
  "timestamp",
  ...METRICS,
  "is_anomaly",
  "anomaly_type",
  "anomaly_id",
  ...METRICS.map((m) => `is_anomaly_${m}`),
];

/**
 * The points frame of a chunk as independent plans (three string gathers and the numeric columns), so they can run
 * on Polars' threads at once; each plan yields some of {@linkcode POINT_COLUMNS}.
 */
function pointsPlans(data: ChunkData): pl.LazyDataFrame[] {
  const { grid, seriesIds, values, labels, eventIds } = data;
  const n = values[0].length;
  const seriesIndex = new Uint32Array(n);
  for (let s = 0; s < seriesIds.length; s++) seriesIndex.fill(s, s * grid.points, (s + 1) * grid.points);
  const numbers = pl.DataFrame([
    ...METRICS.map((m, i) => pl.Series(m, values[i])),
    pl.Series("code", labels.typeCode),
    ...METRICS.map((m, i) => pl.Series(`flag_${m}`, labels.flags[i])),
  ]).lazy().select(
    pl.intRange(0, n, 1, pl.Int64, false).modulo(grid.points).mul(grid.stepMs).add(grid.startMs)
      .cast(pl.Datetime("ms", "UTC")).alias("timestamp"),
    ...METRICS.map((m) => pl.col(m).fillNan(null).alias(m)),
    pl.col("code").neq(0).alias("is_anomaly"),
    ...METRICS.map((m) => pl.col(`flag_${m}`).neq(0).alias(`is_anomaly_${m}`)),
  );
  return [
    gatherPlan("series_id", seriesIds, seriesIndex),
    gatherPlan("anomaly_type", [null, ...ANOMALY_TYPE_NAMES], labels.typeCode),
    gatherPlan("anomaly_id", [null, ...eventIds], labels.eventIndex),
    numbers,
  ];
}

/** Puts the columns of the collected plans in table order. */
function assemble(parts: pl.DataFrame[]): pl.DataFrame {
  const byName = new Map(parts.flatMap((p) => p.getColumns().map((c) => [c.name, c] as const)));
  return pl.DataFrame(POINT_COLUMNS.map((c) => byName.get(c)!));
}

/**
 * Builds the points frame of a chunk.
 * @param data the chunk's typed arrays
 * @returns the frame, columns and dtypes as in `AnomalyPoint` (schema.ts)
 */
export function pointsFrame(data: ChunkData): pl.DataFrame {
  return assemble(pointsPlans(data).map((p) => p.collectSync()));
}

/**
 * Builds the points frame of a chunk on Polars' threads, leaving this thread free (the writer generates the next
 * chunk meanwhile: about a third faster on 2 cores); the frame is the same as {@linkcode pointsFrame}'s.
 * @param data the chunk's typed arrays
 * @returns the frame
 */
export async function pointsFrameAsync(data: ChunkData): Promise<pl.DataFrame> {
  return assemble(await Promise.all(pointsPlans(data).map((p) => p.collect())));
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
