/**
 * Worker thread of the parallel generator: takes an init message (config and selection), then claims blocks of
 * each chunk it is sent (see `_blocks.ts`) and posts every finished block back.
 * @module
 */
/// <reference lib="deno.worker" />
import { makeScratch, planAnomalies } from "./series.ts";
import { type BlockResult, type ChunkRequest, runBlocks, type WorkerInit } from "./_blocks.ts";

let plan: ReturnType<typeof planAnomalies> | undefined;
let scratch: ReturnType<typeof makeScratch> | undefined;

self.onmessage = (e: MessageEvent<{ init?: WorkerInit; chunk?: ChunkRequest; chunkNo?: number }>) => {
  try {
    if (e.data.init) {
      plan = planAnomalies(e.data.init.config, { selected: e.data.init.selected });
      scratch = makeScratch(plan.grid.points);
      return;
    }
    if (e.data.chunk && plan && scratch) {
      const chunk = e.data.chunkNo;
      runBlocks(plan, {
        request: e.data.chunk,
        scratch,
        onBlock: (r: BlockResult) => self.postMessage({ chunk, block: r }),
      });
    }
  } catch (err) {
    self.postMessage({ error: String((err as Error)?.stack ?? err) });
  }
};
