/**
 * Generating one chunk in blocks of series that several threads take turns to claim (an atomic counter in shared
 * memory), each writing its series straight into the chunk's shared buffers. Whoever claims a block computes it
 * exactly as a single thread would: every series draws from its own stream, and event numbers are made global
 * afterwards in block order, so the output does not depend on which thread did what.
 * @module
 */
import type { AnomaliesConfig } from "./config.ts";
import { type AnomalyPlan, generateSeries, type Scratch, type SeriesResult } from "./series.ts";

/** Shared memory of one chunk. */
export interface SharedChunk {
  /** Metric values, one buffer of Float64 per metric. */
  values: [SharedArrayBuffer, SharedArrayBuffer, SharedArrayBuffer];
  /** Type codes (Uint8). */
  typeCode: SharedArrayBuffer;
  /** Block-local event numbers (Uint32), made chunk-wide by {@linkcode renumberEvents}. */
  eventIndex: SharedArrayBuffer;
  /** Affected-metric flags (Uint8), one per metric. */
  flags: [SharedArrayBuffer, SharedArrayBuffer, SharedArrayBuffer];
  /** The next block to claim (Int32, one slot). */
  counter: SharedArrayBuffer;
}

/** A chunk's request: which series, in how many blocks. */
export interface ChunkRequest {
  /** The chunk's series indices, in row order. */
  indices: number[];
  /** Series per block. */
  blockSeries: number;
  /** Its shared memory. */
  shared: SharedChunk;
}

/** The init message of a worker: the resolved config and the selection. */
export interface WorkerInit {
  /** The resolved config. */
  config: AnomaliesConfig;
  /** The anomalous series. */
  selected: Uint8Array;
}

/** What a thread sends back for one block it computed. */
export interface BlockResult {
  /** The block number. */
  block: number;
  /** One result per series of the block, in order. */
  results: SeriesResult[];
}

/**
 * Allocates the shared memory of a chunk.
 * @param rows rows of the chunk
 * @returns the buffers
 */
export function allocateChunk(rows: number): SharedChunk {
  const f64 = () => new SharedArrayBuffer(8 * rows);
  const u8 = () => new SharedArrayBuffer(rows);
  return {
    values: [f64(), f64(), f64()],
    typeCode: u8(),
    eventIndex: new SharedArrayBuffer(4 * rows),
    flags: [u8(), u8(), u8()],
    counter: new SharedArrayBuffer(4),
  };
}

/**
 * Claims and computes blocks until none is left.
 * @param plan the plan
 * @param run `request`: the chunk; `scratch`: this thread's scratch buffers; `onBlock`: called with each finished
 *   block
 */
export function runBlocks(
  plan: AnomalyPlan,
  { request, scratch, onBlock }: { request: ChunkRequest; scratch: Scratch; onBlock: (r: BlockResult) => void },
): void {
  const { indices, blockSeries, shared } = request;
  const points = plan.grid.points;
  const counter = new Int32Array(shared.counter);
  const blocks = Math.ceil(indices.length / blockSeries);
  const values = shared.values.map((b) => new Float64Array(b));
  const labels = {
    typeCode: new Uint8Array(shared.typeCode),
    eventIndex: new Uint32Array(shared.eventIndex),
    flags: shared.flags.map((b) => new Uint8Array(b)) as [Uint8Array, Uint8Array, Uint8Array],
  };
  for (let b = Atomics.add(counter, 0, 1); b < blocks; b = Atomics.add(counter, 0, 1)) {
    const results: SeriesResult[] = [];
    let event = 1;
    for (let k = b * blockSeries; k < Math.min(indices.length, (b + 1) * blockSeries); k++) {
      const off = k * points;
      const views = values.map((v) => v.subarray(off, off + points)) as [Float64Array, Float64Array, Float64Array];
      const r = generateSeries(plan, indices[k], {
        values: views,
        labels,
        labelOffset: off,
        firstEvent: event,
        scratch,
      });
      event += r.events.length;
      results.push(r);
    }
    onBlock({ block: b, results });
  }
}

/**
 * Turns block-local event numbers into chunk-wide ones (block order), in place.
 * @param eventIndex the chunk's event numbers
 * @param blocks per block, in order: its rows `[from, to)` and its event count
 * @returns the total events
 */
export function renumberEvents(
  eventIndex: Uint32Array,
  blocks: { from: number; to: number; events: number }[],
): number {
  let before = 0;
  for (const b of blocks) {
    if (before > 0) {
      for (let i = b.from; i < b.to; i++) if (eventIndex[i] !== 0) eventIndex[i] += before;
    }
    before += b.events;
  }
  return before;
}
