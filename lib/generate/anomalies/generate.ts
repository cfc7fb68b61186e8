/**
 * The generator: series by series (each from its own stream), in chunks of typed arrays turned into frames.
 * Pure: no file system, no clock; the output depends only on the config.
 * @module
 */
import type pl from "nodejs-polars";
import { AnomaliesConfig, type AnomaliesConfigInput } from "./config.ts";
import { type ChunkData, concatFrames, eventsFrame, pointsFrame, seriesFrame } from "./frames.ts";
import { type AnomalyStats, StatsAccumulator } from "./stats.ts";
import { type AnomalyEvent, generateSeries, makeScratch, planAnomalies, seriesId, type SeriesMeta } from "./series.ts";

export {
  type AnomalyEvent,
  type AnomalyPlan,
  generateSeries,
  KIND,
  type LabelBuffers,
  makeScratch,
  METRIC_BOUNDS,
  planAnomalies,
  type Scratch,
  seriesId,
  type SeriesMeta,
  type SeriesResult,
} from "./series.ts";

/** One chunk of the dataset as typed arrays, before any frame is built. */
export interface AnomalyChunkData {
  /** The typed arrays of the chunk's points (reused buffers are not: they stay valid after the next chunk). */
  data: ChunkData;
  /** Their anomalies. */
  events: AnomalyEvent[];
  /** Their rows of the series table. */
  series: SeriesMeta[];
}

/** One chunk of the dataset. */
export interface AnomalyChunk extends AnomalyChunkData {
  /** The points of the chunk's series. */
  points: pl.DataFrame;
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
 * Generates the dataset chunk by chunk as typed arrays, without building frames: the writer turns them into
 * frames on Polars' threads while this thread generates the next chunk.
 * @param config the config (defaults apply)
 * @param options chunk size, a subset of series, progress
 * @returns the chunks, in series order
 * @throws {RangeError} when the anomalies cannot fit
 * @example
 * ```ts
 * import { generateAnomalyData } from "@lib/generate/anomalies/generate.ts";
 * for (const chunk of generateAnomalyData({ series: 10, points: 600 })) console.log(chunk.data.values[0].length);
 * ```
 */
export function* generateAnomalyData(
  config: AnomaliesConfigInput,
  options: GenerateChunksOptions = {},
): Generator<AnomalyChunkData> {
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
      const r = generateSeries(plan, index, {
        values: views,
        labels: data.labels,
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
    yield { data, events, series };
    onProgress?.(Math.min(from + chunkSeries, indices.length), indices.length);
  }
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
  for (const chunk of generateAnomalyData(config, options)) yield { ...chunk, points: pointsFrame(chunk.data) };
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
