import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { generateAnomalyChunks } from "@lib/generate/anomalies/mod.ts";
import { generateAnomalyChunksParallel } from "@lib/generate/anomalies/parallel.ts";
import { AnomaliesConfig, writeAnomaliesDataset } from "@lib/generate/anomalies/mod.ts";
import { renumberEvents } from "@lib/generate/anomalies/_blocks.ts";
// Type-checked with the test, so starting the worker does not check it again (seconds per start).
import type * as _worker from "@lib/generate/anomalies/_worker.ts";

const CONFIG = { series: 130, points: 720, seed: 17, anomaly_ratio: 0.7 };

Deno.test("generateAnomalyChunksParallel() gives the single-threaded chunks, whatever the threads and block size", async () => {
  const single = [...generateAnomalyChunks(CONFIG, { chunkSeries: 50 })];
  // Workers only (this thread claims nothing), so the worker path is what is compared. One run: each worker start
  // is type-checked under deno test, which takes seconds.
  for (const [threads, blockSeries] of [[3, 4]]) {
    const chunks = [];
    const options = { chunkSeries: 50, threads, blockSeries, mainClaims: false };
    for await (const c of generateAnomalyChunksParallel(CONFIG, options)) {
      chunks.push(c);
    }
    assert.equal(chunks.length, single.length);
    chunks.forEach((c, k) => {
      assert.ok(c.points.frameEqual(single[k].points, true), `threads ${threads}, block ${blockSeries}, chunk ${k}`);
      assert.deepEqual(c.events, single[k].events);
      assert.deepEqual(c.series, single[k].series);
    });
  }
});

Deno.test("writeAnomaliesDataset() writes byte-identical files on 1 and 2 threads", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const config = AnomaliesConfig.parse({ ...CONFIG, rows_per_file: 40_000 });
    const a = await writeAnomaliesDataset(config, `${tmp}/a`, { threads: 1, created: new Date(0) });
    const b = await writeAnomaliesDataset(config, `${tmp}/b`, { threads: 2, created: new Date(0) });
    assert.deepEqual(a.manifest.files, b.manifest.files, "same files, sizes and SHA-256");
    assert.deepEqual(a.stats, b.stats);
    const hash = createHash("sha256").update(await Deno.readFile(`${tmp}/a/manifest.json`)).digest("hex");
    assert.equal(hash, createHash("sha256").update(await Deno.readFile(`${tmp}/b/manifest.json`)).digest("hex"));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("renumberEvents() makes block-local event numbers chunk-wide in block order", () => {
  const idx = Uint32Array.from([0, 1, 1, 0, 2, 0, 1, 0, 0, 1]);
  const total = renumberEvents(idx, [{ from: 0, to: 5, events: 2 }, { from: 5, to: 8, events: 1 }, {
    from: 8,
    to: 10,
    events: 1,
  }]);
  assert.equal(total, 4);
  assert.deepEqual([...idx], [0, 1, 1, 0, 2, 0, 3, 0, 0, 4]);
});
