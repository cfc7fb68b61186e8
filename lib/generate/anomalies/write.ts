/**
 * Writes an anomalies dataset into the lake: the points table file by file (a file's worth of series in memory at
 * once), the events and series tables, the resolved `config.json`, optional NAB and TimeEval exports, and the
 * manifest, all committed atomically. The only file-system step; generation stays pure.
 * @module
 */
import pl from "nodejs-polars";
import { dirname, join } from "node:path";
import {
  commitDataset,
  dtypeName,
  type Manifest,
  mergeShards,
  partName,
  readManifest,
  releaseNativeMemory,
  scanTable,
  schemaOf,
  type Shard,
  shardDir,
  shardRange,
  writeTable,
} from "@lib/lake/mod.ts";
import { injectAnomalies, type InjectOptions, type InjectResult } from "./inject.ts";
import type { AnomaliesConfig } from "./config.ts";
import { generateAnomalyChunksParallel } from "./parallel.ts";
import {
  type AnomalyChunkData,
  type AnomalyEvent,
  generateAnomalyData,
  KIND,
  planAnomalies,
  seriesId,
  type SeriesMeta,
} from "./generate.ts";
import { type ChunkData, eventsFrame, pointsFrameAsync, seriesFrame } from "./frames.ts";
import { type AnomalyStats, combineAnomalyStats, StatsAccumulator } from "./stats.ts";
import {
  type ExportFile,
  type ExportFormat,
  nabChunkLabels,
  nabDataFiles,
  type NabFileEntry,
  nabLabelFiles,
  type NabWindowing,
  timeevalDataFiles,
  timeevalIndexFile,
} from "./export.ts";

/** Version of the anomalies generator, recorded in manifests; bump when output for a config changes. */
export const GENERATOR_VERSION = "1.0.0";

/** Options of {@linkcode writeAnomaliesDataset}. */
export interface WriteAnomaliesOptions {
  /** Creation time for the manifest. @default now */
  created?: Date;
  /** Exports to write into the dataset folder. @default none */
  exports?: readonly ExportFormat[];
  /** Windows of the NAB export: the exact labeled spans or NAB's own (see `nabFileLabels`). @default "exact" */
  nabWindows?: NabWindowing;
  /** Called after each file of series with the rows it added. @default none */
  onRows?: (rows: number) => void;
  /**
   * Threads generating series; the output is the same for any count. Each worker costs about 0.3 s of CPU to
   * start and holds its own memory, so it pays only on large runs with idle cores (measured on the 2-core box:
   * no gain at 1,000 x 1,440, and +260 MB peak RSS at 10,000 x 1,440). @default 1
   */
  threads?: number;
  /**
   * Write only this shard of the series, to `<dir>.shards/part-k-of-n/` (merge with
   * {@linkcode mergeAnomaliesShards}); every table is then a folder of part files named by their first series.
   * @default the whole dataset
   */
  shard?: Shard;
}

/** What {@linkcode writeAnomaliesDataset} returns. */
export interface WriteAnomaliesResult {
  /** The manifest written. */
  manifest: Manifest;
  /** The achieved rates (also in `manifest.stats`). */
  stats: AnomalyStats;
}

/**
 * Writes a points file: Parquet through Polars' streaming sink (zstd, like the lake's other tables, but encoded
 * on every core: about 40% faster than `writeTable` here, and byte-identical whatever the thread count), CSV
 * through `writeTable`.
 */
async function writePoints(df: pl.DataFrame, dir: string, name: string, config: AnomaliesConfig): Promise<string> {
  if (config.format !== "parquet") {
    return await writeTable(df, dir, { name: name, format: "csv", compress: config.compress });
  }
  const file = `${name}.parquet`;
  df.lazy().sinkParquet(join(dir, file), { compression: "zstd", compressionLevel: 1, maintainOrder: true })
    .collectSync();
  return file;
}

/** Series per piece of a points file: small enough that generating a piece overlaps building the last one's frame. */
const PIECE_SERIES = 250;

/** One points file's worth of series. */
interface FileChunk {
  points: pl.DataFrame;
  /** The typed arrays behind it, piece by piece (for the exports). */
  pieces: ChunkData[];
  events: AnomalyEvent[];
  series: SeriesMeta[];
}

/**
 * The points files of series `from` to `to`, each of `perFile` series: generated piece by piece on this thread while
 * Polars builds the previous pieces' frames on its own threads. The bytes are those of one frame per file.
 */
async function* fileChunks(
  config: AnomaliesConfig,
  range: { from: number; to: number; perFile: number },
  stats: StatsAccumulator,
): AsyncGenerator<FileChunk> {
  for (let first = range.from; first < range.to; first += range.perFile) {
    const only = Array.from({ length: Math.min(range.perFile, range.to - first) }, (_, i) => first + i);
    const pieces: AnomalyChunkData[] = [];
    const frames: Promise<pl.DataFrame>[] = [];
    for (const piece of generateAnomalyData(config, { chunkSeries: PIECE_SERIES, only, stats })) {
      frames.push(pointsFrameAsync(piece.data));
      pieces.push(piece);
    }
    const done = await Promise.all(frames);
    yield {
      points: done.length === 1 ? done[0] : pl.concat(done, { how: "vertical", rechunk: false }),
      pieces: pieces.map((p) => p.data),
      events: pieces.flatMap((p) => p.events),
      series: pieces.flatMap((p) => p.series),
    };
  }
}

/** The parallel generator's chunks as file chunks. */
async function* parallelFileChunks(
  config: AnomaliesConfig,
  options: { chunkSeries: number; threads: number; stats: StatsAccumulator },
): AsyncGenerator<FileChunk> {
  for await (const c of generateAnomalyChunksParallel(config, options)) {
    yield { points: c.points, pieces: [c.data], events: c.events, series: c.series };
  }
}

async function writeFiles(root: string, files: Iterable<ExportFile>): Promise<number> {
  let n = 0;
  const made = new Set<string>();
  for (const f of files) {
    const path = join(root, f.path);
    const dir = dirname(path);
    if (!made.has(dir)) {
      await Deno.mkdir(dir, { recursive: true });
      made.add(dir);
    }
    await Deno.writeTextFile(path, f.text);
    n++;
  }
  return n;
}

/**
 * Generates a dataset file by file and commits it to `dir` with its manifest (resolved config, achieved rates in
 * `stats`) and `config.json`.
 * @param config the resolved config
 * @param dir the dataset folder, e.g. `data/synthetic/anomalies`
 * @param options creation time, exports, progress
 * @returns the manifest and the achieved rates
 * @throws {RangeError} when the anomalies cannot fit (nothing is written)
 * @example
 * ```ts ignore
 * await writeAnomaliesDataset(AnomaliesConfig.parse({ series: 10 }), "/tmp/anomalies", { exports: ["nab"] });
 * ```
 */
export async function writeAnomaliesDataset(
  config: AnomaliesConfig,
  dir: string,
  options: WriteAnomaliesOptions = {},
): Promise<WriteAnomaliesResult> {
  const { created, exports = [], nabWindows = "exact", onRows, threads = 1, shard } = options;
  if (shard && exports.length > 0) {
    throw new RangeError(`Cannot export "${exports[0]}" from a shard: exports need every series; export after merging`);
  }
  const plan = planAnomalies(config); // fails before any folder is made when the request cannot fit
  const perFile = Math.max(1, Math.floor(config.rows_per_file / config.points));
  const { from, to } = shard ? shardRange(config.series, shard) : { from: 0, to: config.series };
  const single = shard === undefined && config.series <= perFile;
  const part = (table: string, first: number) => single ? table : partName(table, { first, entities: config.series });
  const acc = new StatsAccumulator();
  let stats: AnomalyStats | undefined;
  const manifest = await commitDataset(shard ? shardDir(dir, shard) : dir, async (tmp) => {
    const files: string[] = [];
    const events: AnomalyEvent[] = [];
    const series: SeriesMeta[] = [];
    const exportCounts: Record<string, number> = {};
    const nabLabels = new Map<string, NabFileEntry>();
    let rows = 0;
    let schema: Record<string, string> = {};
    if (!single) { for (const t of ["points", "events", "series"]) await Deno.mkdir(join(tmp, t)); }
    let first = from;
    const chunks = threads > 1 && !shard
      ? parallelFileChunks(plan.config, { chunkSeries: perFile, threads, stats: acc })
      : fileChunks(plan.config, { from, to, perFile }, acc);
    for await (const chunk of chunks) {
      const name = part("points", first);
      files.push(await writePoints(chunk.points, tmp, name, config));
      rows += chunk.points.height;
      schema = schemaOf(chunk.points);
      events.push(...chunk.events);
      series.push(...chunk.series);
      for (const piece of chunk.pieces) {
        if (exports.includes("nab")) {
          exportCounts.nab = (exportCounts.nab ?? 0) + await writeFiles(tmp, nabDataFiles(piece));
          for (const [key, f] of nabChunkLabels(piece, chunk.events, { windowing: nabWindows })) {
            nabLabels.set(key, f);
          }
        }
        if (exports.includes("timeeval")) {
          exportCounts.timeeval = (exportCounts.timeeval ?? 0) + await writeFiles(tmp, timeevalDataFiles(piece));
        }
      }
      first += chunk.series.length;
      onRows?.(chunk.points.height);
      await releaseNativeMemory();
    }
    if (exports.includes("nab")) {
      const ids = Array.from({ length: config.series }, (_, i) => seriesId(i));
      exportCounts.nab += await writeFiles(tmp, nabLabelFiles(ids, nabLabels));
    }
    if (exports.includes("timeeval")) {
      exportCounts.timeeval += await writeFiles(tmp, [
        timeevalIndexFile(config.name, { series, events, points: config.points, period: plan.period }),
      ]);
    }
    const ev = eventsFrame(events);
    const se = seriesFrame(series);
    const tableOptions = { format: config.format, compress: config.compress };
    const evFile = await writeTable(ev, tmp, { name: part("events", from), ...tableOptions });
    const seFile = await writeTable(se, tmp, { name: part("series", from), ...tableOptions });
    await Deno.writeTextFile(join(tmp, "config.json"), JSON.stringify(config, null, 2) + "\n");
    stats = acc.result(config);
    return {
      name: config.name,
      kind: KIND,
      layer: "synthetic",
      generator: { name: "opslab/anomalies", version: GENERATOR_VERSION },
      config: JSON.parse(JSON.stringify(config)),
      seed: config.seed,
      primary_table: "points",
      tables: {
        points: { rows, schema, files },
        events: { rows: ev.height, schema: schemaOf(ev), files: [evFile] },
        series: { rows: se.height, schema: schemaOf(se), files: [seFile] },
      },
      classification: config.classification,
      retention_days: config.retention_days,
      lineage: [{ source: "opslab/anomalies", relation: "generated from config and seed" }],
      ...(shard ? { shard } : {}),
      stats: { ...stats, exports: exportCounts },
    };
  }, { created });
  return { manifest, stats: stats! };
}

/**
 * Merges the shards written beside an anomalies dataset into it, adding up the shards' counts and recomputing the
 * rates, so the manifest's stats equal those of an unsharded run.
 * @param dir the dataset folder
 * @param created creation time of the manifest
 * @returns the dataset manifest
 */
export function mergeAnomaliesShards(dir: string, created?: Date): Promise<Manifest> {
  return mergeShards(dir, {
    created,
    combineStats: (all) => ({ ...combineAnomalyStats(all as unknown as AnomalyStats[]), exports: {} }),
  });
}

/** Options of {@linkcode writeInjectedDataset}: the columns (detected when absent) and the creation time. */
export interface WriteInjectedOptions extends Partial<InjectOptions> {
  /** The anomaly settings. */
  config: AnomaliesConfig;
  /** Creation time for the manifest. @default now */
  created?: Date;
}

const ENTITY_NAMES = ["series_id", "server_id", "entity_id", "host", "instance", "service"];
const LABEL_NAMES = /^(is_anomaly|label|anomaly)$/;

/**
 * Picks the columns to inject into when not given: the entity is the first of `series_id`, `server_id`,
 * `entity_id`, `host`, `instance`, `service` present (else the first String column), the time is `timestamp` (else
 * the first Datetime column), the metrics every Float column but rolling features (`value_mean_24`, ...), the
 * label `is_anomaly` when present.
 * @param df the source rows
 * @param given the columns given
 * @returns the columns to use
 * @throws {RangeError} when no entity, time or metric column can be found
 */
export function detectColumns(df: pl.DataFrame, given: Partial<InjectOptions> = {}): InjectOptions {
  const types = Object.fromEntries(
    Object.entries(df.schema as Record<string, pl.DataType>).map(([k, v]) => [k, dtypeName(v)]),
  );
  const cols = Object.keys(types);
  const entity = given.entity ?? ENTITY_NAMES.find((c) => cols.includes(c)) ??
    cols.find((c) => types[c] === "String");
  const time = given.time ??
    (cols.includes("timestamp") ? "timestamp" : cols.find((c) => /^(Datetime|Date)/.test(types[c])));
  // Rolling features (value_mean_24, value_z_168, ...) are derived from a metric, not metrics themselves.
  const derived = /_(mean|std|z|min|max|median|sum|p\d+)_\d+$/;
  const metrics = given.metrics ?? cols.filter((c) => /^Float/.test(types[c]) && !derived.test(c));
  if (entity === undefined) {
    throw new RangeError(`Cannot inject anomalies: no entity column found in ${cols.join(", ")}`);
  }
  if (time === undefined) throw new RangeError(`Cannot inject anomalies: no time column found in ${cols.join(", ")}`);
  if (metrics.length === 0) {
    throw new RangeError(`Cannot inject anomalies: no Float metric column in ${cols.join(", ")}`);
  }
  const label = given.label !== undefined ? given.label : cols.find((c) => LABEL_NAMES.test(c)) ?? null;
  return { entity, time, metrics, label, ...(given.bounds ? { bounds: given.bounds } : {}) };
}

/**
 * Injects anomalies into the primary table of a lake dataset and commits the result to `dir`: the edited table
 * (same name) with label columns, `events`, `series` (per entity, with conflicts and notes), `conflicts` when any,
 * `config.json` and a manifest whose lineage names the source.
 * @param source the source dataset folder (with `manifest.json`)
 * @param dir the new dataset folder
 * @param options the anomaly settings, columns (detected when absent), creation time
 * @returns the manifest and the injection result
 * @example
 * ```ts ignore
 * await writeInjectedDataset("data/synthetic/capacity", "data/synthetic/capacity-anomalies", { config });
 * ```
 */
export async function writeInjectedDataset(
  source: string,
  dir: string,
  options: WriteInjectedOptions,
): Promise<{ manifest: Manifest; result: InjectResult; columns: InjectOptions }> {
  const { created, config, ...given } = options;
  const src = await readManifest(source);
  const df = scanTable(source, src).collectSync();
  const columns = detectColumns(df, given);
  const result = injectAnomalies(df, config, columns);
  const recorded = { ...JSON.parse(JSON.stringify(config)), inject: { source, ...columns, bounds: result.bounds } };
  const manifest = await commitDataset(dir, async (tmp) => {
    const opts = { format: config.format, compress: config.compress };
    const table = src.primary_table;
    const ev = eventsFrame(result.events);
    const se = pl.readRecords(result.series as unknown as Record<string, unknown>[]);
    const tables: Record<string, { rows: number; schema: Record<string, string>; files: string[] }> = {
      [table]: {
        rows: result.data.height,
        schema: schemaOf(result.data),
        files: [await writeTable(result.data, tmp, { name: table, ...opts })],
      },
      events: {
        rows: ev.height,
        schema: schemaOf(ev),
        files: [await writeTable(ev, tmp, { name: "events", ...opts })],
      },
      series: {
        rows: se.height,
        schema: schemaOf(se),
        files: [await writeTable(se, tmp, { name: "series", ...opts })],
      },
    };
    if (result.conflicts.length > 0) {
      const cf = pl.readRecords(result.conflicts as unknown as Record<string, unknown>[]);
      tables.conflicts = {
        rows: cf.height,
        schema: schemaOf(cf),
        files: [await writeTable(cf, tmp, { name: "conflicts", ...opts })],
      };
    }
    await Deno.writeTextFile(join(tmp, "config.json"), JSON.stringify(recorded, null, 2) + "\n");
    return {
      name: config.name,
      kind: "anomalies_injected",
      layer: "synthetic",
      generator: { name: "opslab/anomalies", version: GENERATOR_VERSION },
      config: recorded,
      seed: config.seed,
      primary_table: table,
      tables,
      classification: src.classification,
      retention_days: config.retention_days,
      lineage: [
        { source, relation: `anomalies injected into its "${table}" table (existing labels kept)` },
        ...src.lineage,
      ],
      ...(src.source ? { source: src.source } : {}),
      stats: JSON.parse(JSON.stringify(result.stats)),
    };
  }, { created });
  return { manifest, result, columns };
}
