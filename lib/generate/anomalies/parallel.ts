/**
 * The chunk generator on several threads: this thread and `threads - 1` workers claim blocks of series from a
 * shared counter and write into shared buffers. A worker still starting up simply claims fewer blocks, so the
 * split balances itself. The output is the same as {@linkcode generateAnomalyChunks}'s, byte for byte, whatever
 * the thread count or timing (tested).
 * @module
 */
import type { AnomaliesConfigInput } from "./config.ts";
import { type AnomalyChunk, generateAnomalyChunks } from "./generate.ts";
import type { ChunkData } from "./frames.ts";
import { pointsFrame } from "./frames.ts";
import { makeScratch, planAnomalies, seriesId, type SeriesResult } from "./series.ts";
import { StatsAccumulator } from "./stats.ts";
import { allocateChunk, type BlockResult, type ChunkRequest, renumberEvents, runBlocks } from "./_blocks.ts";

/** Options of {@linkcode generateAnomalyChunksParallel}. */
export interface ParallelChunksOptions {
  /** Series per chunk. @default 500 */
  chunkSeries?: number;
  /** Threads in all, this one included; 1 runs on this thread only. @default 2 */
  threads?: number;
  /** Series per block (the unit threads claim). @default 20 */
  blockSeries?: number;
  /** Counters filled while generating. @default a fresh one */
  stats?: StatsAccumulator;
  /** Whether this thread claims blocks too; false leaves every block to the workers (tests use it). @default true */
  mainClaims?: boolean;
}

interface Pending {
  chunk: number;
  wanted: Set<number>;
  got: Map<number, SeriesResult[]>;
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * Generates the dataset chunk by chunk on several threads.
 * @param config the config (defaults apply)
 * @param options chunk size, threads, block size, stats
 * @returns the chunks, in series order, equal to the single-threaded ones
 * @throws {RangeError} when the anomalies cannot fit
 */
export async function* generateAnomalyChunksParallel(
  config: AnomaliesConfigInput,
  options: ParallelChunksOptions = {},
): AsyncGenerator<AnomalyChunk> {
  const plan = planAnomalies(config);
  const { chunkSeries = 500, threads = 2, blockSeries = 20, stats = new StatsAccumulator(), mainClaims = true } =
    options;
  if (threads <= 1 || plan.config.series <= blockSeries) {
    yield* generateAnomalyChunks(plan.config, { chunkSeries, stats });
    return;
  }
  const workers = Array.from(
    { length: threads - 1 },
    () => new Worker(new URL("./_worker.ts", import.meta.url).href, { type: "module" }),
  );
  let pending: Pending | undefined;
  let failure: Error | undefined;
  for (const w of workers) {
    w.onmessage = (e: MessageEvent<{ chunk?: number; block?: BlockResult; error?: string }>) => {
      if (e.data.error !== undefined) {
        failure = new Error(`Cannot generate "${plan.config.name}" in a worker: ${e.data.error.split("\n")[0]}`);
        pending?.reject(failure);
        return;
      }
      const block = e.data.block;
      if (block === undefined || pending === undefined || e.data.chunk !== pending.chunk) return;
      pending.got.set(block.block, block.results);
      if ([...pending.wanted].every((b) => pending!.got.has(b))) pending.resolve();
    };
    w.onerror = (e) => {
      e.preventDefault();
      failure = new Error(`Cannot generate "${plan.config.name}" in a worker: ${e.message}`);
      pending?.reject(failure);
    };
    w.postMessage({ init: { config: plan.config, selected: plan.selected } });
  }
  try {
    const points = plan.grid.points;
    const scratch = makeScratch(points);
    let chunkNo = 0;
    for (let from = 0; from < plan.config.series; from += chunkSeries, chunkNo++) {
      const indices = Array.from({ length: Math.min(chunkSeries, plan.config.series - from) }, (_, k) => from + k);
      const rows = indices.length * points;
      const shared = allocateChunk(rows);
      const request: ChunkRequest = { indices, blockSeries, shared };
      const got = new Map<number, SeriesResult[]>();
      for (const w of workers) w.postMessage({ chunk: request, chunkNo });
      if (mainClaims) runBlocks(plan, { request, scratch, onBlock: (r) => got.set(r.block, r.results) });
      const blocks = Math.ceil(indices.length / blockSeries);
      const wanted = new Set(Array.from({ length: blocks }, (_, b) => b).filter((b) => !got.has(b)));
      if (failure) throw failure;
      if (wanted.size > 0) {
        await new Promise<void>((resolve, reject) => {
          pending = { chunk: chunkNo, wanted, got, resolve, reject };
          if ([...wanted].every((b) => got.has(b))) resolve();
        });
        pending = undefined;
      }
      const ordered = Array.from({ length: blocks }, (_, b) => got.get(b)!);
      const data: ChunkData = {
        grid: plan.grid,
        seriesIds: indices.map(seriesId),
        values: shared.values.map((b) => new Float64Array(b)) as ChunkData["values"],
        labels: {
          typeCode: new Uint8Array(shared.typeCode),
          eventIndex: new Uint32Array(shared.eventIndex),
          flags: shared.flags.map((b) => new Uint8Array(b)) as ChunkData["labels"]["flags"],
        },
        eventIds: [],
      };
      renumberEvents(
        data.labels.eventIndex,
        ordered.map((results, b) => ({
          from: b * blockSeries * points,
          to: Math.min(indices.length, (b + 1) * blockSeries) * points,
          events: results.reduce((s, r) => s + r.events.length, 0),
        })),
      );
      const all = ordered.flat();
      for (const r of all) stats.addSeries(r);
      stats.addMissing(data.values);
      const events = all.flatMap((r) => r.events);
      data.eventIds = events.map((e) => e.anomaly_id);
      yield { points: pointsFrame(data), data, events, series: all.map((r) => r.meta) };
    }
  } finally {
    for (const w of workers) w.terminate();
  }
}
