/**
 * The generator: series by series (each from its own stream), in chunks of typed arrays turned into frames.
 * Pure: no file system, no clock; the output depends only on the config.
 * @module
 */
import type pl from "nodejs-polars";
import { entityStream, type Rng } from "@lib/random/mod.ts";
import {
  AnomaliesConfig,
  type AnomaliesConfigInput,
  checkFit,
  type EnabledType,
  enabledTypes,
  freqToMs,
} from "./config.ts";
import { drawProfile, type Grid, type MetricName, METRICS, renderSeries, type SeriesProfile } from "./model.ts";
import { placeAnomalies } from "./place.ts";
import {
  ANOMALY_TYPE_NAMES,
  ANOMALY_TYPES,
  type AnomalyTypeName,
  type Realized,
  type SeriesContext,
  type Track,
} from "./types/mod.ts";
import { type ChunkData, concatFrames, eventsFrame, pointsFrame, seriesFrame } from "./frames.ts";
import { type AnomalyStats, StatsAccumulator } from "./stats.ts";

/** The dataset kind, used to derive every stream. */
export const KIND = "anomalies";

/** One anomaly of the events table. */
export interface AnomalyEvent {
  /** `<series_id>-a<k>`, k counting from 1 in time order within the series. */
  anomaly_id: string;
  /** The series. */
  series_id: string;
  /** The type. */
  type: AnomalyTypeName;
  /** Affected metric names. */
  metrics: string[];
  /** First labeled point (0-based index). */
  start_index: number;
  /** Labeled points. */
  length: number;
  /** First labeled timestamp, ms since the epoch. */
  start_ms: number;
  /** Last labeled timestamp (inclusive), ms since the epoch. */
  end_ms: number;
  /** Realized parameters. */
  parameters: Realized;
}

/** One row of the series table: identity, base levels, seasonality and what anomalies it got. */
export interface SeriesMeta extends SeriesProfile {
  /** The series id. */
  series_id: string;
  /** Whether the series got anomalies. */
  has_anomaly: boolean;
  /** Distinct types of its anomalies, in registry order. */
  anomaly_types: string[];
  /** Number of anomalies. */
  anomaly_count: number;
  /** Number of labeled points. */
  anomaly_points: number;
  /** Mean of the clean latency. */
  mean_latency_ms: number;
  /** Mean of the clean error rate. */
  mean_error_rate_pct: number;
  /** Mean of the clean throughput. */
  mean_throughput_rps: number;
}

/** Everything the per-series generator needs, derived once from the config. */
export interface AnomalyPlan {
  /** The resolved config. */
  config: AnomaliesConfig;
  /** The time grid. */
  grid: Grid;
  /** Points per day (the seasonal period), at least 2. */
  period: number;
  /** The enabled types. */
  types: EnabledType[];
  /** 1 for each series chosen to get anomalies. */
  selected: Uint8Array;
}

/** Valid ranges of the three metrics (latency strictly positive). */
export const METRIC_BOUNDS: Record<MetricName, [number, number]> = {
  latency_ms: [1e-6, Infinity],
  error_rate_pct: [0, 100],
  throughput_rps: [0, Infinity],
};
const KINDS = { latency_ms: "latency", error_rate_pct: "errors", throughput_rps: "throughput" } as const;

/**
 * The id of series `index`: `series-00042` (five digits at least, so ids do not depend on the series count).
 * @param index 0-based series index
 * @returns the id
 */
export function seriesId(index: number): string {
  return `series-${String(index).padStart(5, "0")}`;
}

/**
 * Derives the plan: checks the request fits, builds the grid and chooses the anomalous series. Each series draws
 * a key (the first draw of its own stream); the `round(anomaly_ratio * series)` series with the smallest keys get
 * anomalies, so the choice is random, exact in count, and a series' membership needs only the keys.
 * @param input the config (resolved or partial; defaults apply)
 * @returns the plan
 * @throws {RangeError} when the anomalies cannot fit
 */
export function planAnomalies(input: AnomaliesConfigInput): AnomalyPlan {
  const config = AnomaliesConfig.parse(input);
  checkFit(config);
  const stepMs = freqToMs(config.freq);
  const grid: Grid = { startMs: Date.parse(config.start), stepMs, points: config.points };
  const period = Math.max(2, Math.round(86_400_000 / stepMs));
  const n = config.series;
  const want = Math.round(config.anomaly_ratio * n);
  const selected = new Uint8Array(n);
  if (want === n) selected.fill(1);
  else if (want > 0) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = entityStream(config.seed, KIND, seriesId(i)).next();
    const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
    for (let k = 0; k < want; k++) selected[order[k]] = 1;
  }
  return { config, grid, period, types: enabledTypes(config), selected };
}

/** Per-series scratch buffers, reused from series to series. */
export interface Scratch {
  /** Clean copies, one per metric. */
  clean: Float64Array[];
  /** Noiseless expectations, one per metric. */
  expected: [Float64Array, Float64Array, Float64Array];
  /** Seasonal parts, one per metric. */
  seasonal: Float64Array[];
  /** Normal draws. */
  normals: Float64Array;
}

/**
 * Allocates scratch buffers for series of `points` points.
 * @param points points per series
 * @returns the buffers
 */
export function makeScratch(points: number): Scratch {
  const three = () => [0, 1, 2].map(() => new Float64Array(points)) as [Float64Array, Float64Array, Float64Array];
  return { clean: three(), expected: three(), seasonal: three(), normals: new Float64Array(4 * points) };
}

/** The label buffers of a chunk a series writes its labels into. */
export interface LabelBuffers {
  /** Type code per point: 0 normal, else 1 + registry index. */
  typeCode: Uint8Array;
  /** Event number per point within the chunk (1-based), 0 for normal points. */
  eventIndex: Uint32Array;
  /** Affected-metric flags per point, one array per metric. */
  flags: [Uint8Array, Uint8Array, Uint8Array];
}

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/** What {@linkcode generateSeries} returns besides the values it writes. */
export interface SeriesResult {
  /** The series row. */
  meta: SeriesMeta;
  /** Its anomalies in time order. */
  events: AnomalyEvent[];
  /** Points clipped to physical bounds while injecting. */
  clipped: number;
  /** Anomalies shortened to fit. */
  shrunk: number;
}

/**
 * Generates one series into `values` (three arrays of `points`, in {@linkcode METRICS} order) and its labels
 * into `labels` (from `labelOffset`, event numbers from `firstEvent`). Depends only on the plan and the index.
 * @param plan the plan
 * @param index the series index
 * @param values where the metric values go (`NaN` for missing)
 * @param labels where the labels go
 * @param options offsets into the label buffers and reusable scratch
 * @returns the series row, its events and counters
 */
export function generateSeries(
  plan: AnomalyPlan,
  index: number,
  values: [Float64Array, Float64Array, Float64Array],
  labels: LabelBuffers,
  options: { labelOffset?: number; firstEvent?: number; scratch?: Scratch } = {},
): SeriesResult {
  const { config, grid } = plan;
  const { labelOffset = 0, firstEvent = 1, scratch = makeScratch(grid.points) } = options;
  const id = seriesId(index);
  const rng: Rng = entityStream(config.seed, KIND, id);
  rng.next(); // the selection key (see planAnomalies)
  const profile = drawProfile(rng);
  renderSeries(profile, rng, grid, { values, expected: scratch.expected }, scratch.normals);
  const means = values.map(mean);
  const events: AnomalyEvent[] = [];
  let clipped = 0, shrunk = 0, labeled = 0;
  if (plan.selected[index] === 1) {
    const tracks: Track[] = METRICS.map((name, m) => {
      scratch.clean[m].set(values[m]);
      const e = scratch.expected[m];
      const mu = mean(e);
      for (let i = 0; i < e.length; i++) scratch.seasonal[m][i] = e[i] - mu;
      return {
        name,
        kind: KINDS[name],
        values: values[m],
        clean: scratch.clean[m],
        expected: e,
        seasonal: scratch.seasonal[m],
        lower: METRIC_BOUNDS[name][0],
        upper: METRIC_BOUNDS[name][1],
      };
    });
    const ctx: SeriesContext = { tracks, points: grid.points, period: plan.period, sigmaWindow: config.sigma_window };
    const placed = placeAnomalies(rng, config, plan.types, tracks);
    placed.forEach((e, k) => {
      const parameters = ANOMALY_TYPES[e.type].apply(ctx, e);
      if (e.drawnLength !== e.length) {
        parameters.drawn_length = e.drawnLength;
        shrunk++;
      }
      if (typeof parameters.clipped === "number") clipped += parameters.clipped;
      const code = 1 + ANOMALY_TYPE_NAMES.indexOf(e.type);
      const from = labelOffset + e.start, to = from + e.length;
      labels.typeCode.fill(code, from, to);
      labels.eventIndex.fill(firstEvent + k, from, to);
      for (const m of e.metrics) labels.flags[m].fill(1, from, to);
      labeled += e.length;
      events.push({
        anomaly_id: `${id}-a${k + 1}`,
        series_id: id,
        type: e.type,
        metrics: e.metrics.map((m) => METRICS[m]),
        start_index: e.start,
        length: e.length,
        start_ms: grid.startMs + e.start * grid.stepMs,
        end_ms: grid.startMs + (e.start + e.length - 1) * grid.stepMs,
        parameters,
      });
    });
  }
  const types = ANOMALY_TYPE_NAMES.filter((t) => events.some((e) => e.type === t));
  const meta: SeriesMeta = {
    series_id: id,
    ...profile,
    has_anomaly: events.length > 0,
    anomaly_types: types,
    anomaly_count: events.length,
    anomaly_points: labeled,
    mean_latency_ms: means[0],
    mean_error_rate_pct: means[1],
    mean_throughput_rps: means[2],
  };
  return { meta, events, clipped, shrunk };
}

/** One chunk of the dataset. */
export interface AnomalyChunk {
  /** The points of the chunk's series. */
  points: pl.DataFrame;
  /** The typed arrays behind `points` (reused buffers are not: they stay valid after the next chunk). */
  data: ChunkData;
  /** Their anomalies. */
  events: AnomalyEvent[];
  /** Their rows of the series table. */
  series: SeriesMeta[];
}

/** Options of {@linkcode generateAnomalyChunks}. */
export interface GenerateChunksOptions {
  /** Series per chunk (memory is about 40 bytes per point of a chunk). @default 500 */
  chunkSeries?: number;
  /** Generate only these series indices, in this order (each is the same as in a full run). @default all */
  only?: readonly number[];
  /** Called with the series done so far, after each chunk. @default none */
  onProgress?: (done: number, total: number) => void;
  /** Counters filled while generating. @default a fresh one */
  stats?: StatsAccumulator;
}

/**
 * Generates the dataset chunk by chunk, so a large one never sits in memory whole.
 * @param config the config (defaults apply)
 * @param options chunk size, a subset of series, progress
 * @returns the chunks, in series order
 * @throws {RangeError} when the anomalies cannot fit
 * @example
 * ```ts
 * import { generateAnomalyChunks } from "@lib/generate/anomalies/mod.ts";
 * for (const chunk of generateAnomalyChunks({ series: 10, points: 600 })) console.log(chunk.points.height);
 * ```
 */
export function* generateAnomalyChunks(
  config: AnomaliesConfigInput,
  options: GenerateChunksOptions = {},
): Generator<AnomalyChunk> {
  const plan = planAnomalies(config);
  const { chunkSeries = 500, only, onProgress, stats = new StatsAccumulator() } = options;
  if (!(Number.isInteger(chunkSeries) && chunkSeries > 0)) {
    throw new RangeError(
      `Cannot generate "${plan.config.name}": chunkSeries must be an integer > 0, got ${chunkSeries}`,
    );
  }
  const indices = only ?? Array.from({ length: plan.config.series }, (_, i) => i);
  for (const i of indices) {
    if (!(Number.isInteger(i) && i >= 0 && i < plan.config.series)) {
      throw new RangeError(
        `Cannot generate "${plan.config.name}": series index must be within [0, ${plan.config.series}), got ${i}`,
      );
    }
  }
  const points = plan.grid.points;
  const scratch = makeScratch(points);
  for (let from = 0; from < indices.length; from += chunkSeries) {
    const ids = indices.slice(from, from + chunkSeries);
    const n = ids.length * points;
    const data: ChunkData = {
      grid: plan.grid,
      seriesIds: ids.map(seriesId),
      values: [new Float64Array(n), new Float64Array(n), new Float64Array(n)],
      labels: {
        typeCode: new Uint8Array(n),
        eventIndex: new Uint32Array(n),
        flags: [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)],
      },
      eventIds: [],
    };
    const events: AnomalyEvent[] = [];
    const series: SeriesMeta[] = [];
    ids.forEach((index, k) => {
      const off = k * points;
      const views = data.values.map((v) => v.subarray(off, off + points)) as [Float64Array, Float64Array, Float64Array];
      const r = generateSeries(plan, index, views, data.labels, {
        labelOffset: off,
        firstEvent: events.length + 1,
        scratch,
      });
      events.push(...r.events);
      series.push(r.meta);
      stats.addSeries(r);
    });
    stats.addMissing(data.values);
    data.eventIds = events.map((e) => e.anomaly_id);
    yield { points: pointsFrame(data), data, events, series };
    onProgress?.(Math.min(from + chunkSeries, indices.length), indices.length);
  }
}

/** A whole dataset in memory. */
export interface AnomalyDataset {
  /** The resolved config. */
  config: AnomaliesConfig;
  /** One row per series and timestamp. */
  points: pl.DataFrame;
  /** One row per anomaly. */
  events: pl.DataFrame;
  /** One row per series. */
  series: pl.DataFrame;
  /** The anomalies as objects. */
  eventList: AnomalyEvent[];
  /** The series rows as objects. */
  seriesList: SeriesMeta[];
  /** Achieved rates. */
  stats: AnomalyStats;
}

/** Options of {@linkcode generateAnomalies}. */
export interface GenerateAnomaliesOptions {
  /** Generate only these series indices, in this order. @default all */
  only?: readonly number[];
}

/**
 * Generates a whole dataset in memory (for notebooks, tests and modest sizes; the CLI streams chunks to disk).
 * @param config the config (defaults apply)
 * @param options a subset of series
 * @returns the three frames, the objects behind them and the achieved rates
 * @throws {RangeError} when the anomalies cannot fit
 * @example
 * ```ts
 * import { generateAnomalies } from "@lib/generate/anomalies/mod.ts";
 * const ds = generateAnomalies({ series: 20, points: 1440, seed: 7 });
 * console.log(ds.stats.contamination);
 * ```
 */
export function generateAnomalies(
  config: AnomaliesConfigInput,
  options: GenerateAnomaliesOptions = {},
): AnomalyDataset {
  const resolved = AnomaliesConfig.parse(config);
  const stats = new StatsAccumulator();
  const frames: pl.DataFrame[] = [];
  const eventList: AnomalyEvent[] = [];
  const seriesList: SeriesMeta[] = [];
  for (const chunk of generateAnomalyChunks(resolved, { only: options.only, stats })) {
    frames.push(chunk.points);
    eventList.push(...chunk.events);
    seriesList.push(...chunk.series);
  }
  return {
    config: resolved,
    points: concatFrames(frames),
    events: eventsFrame(eventList),
    series: seriesFrame(seriesList),
    eventList,
    seriesList,
    stats: stats.result(resolved),
  };
}
