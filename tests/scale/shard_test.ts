import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { runGenerate } from "./_generate.ts";
import pl from "nodejs-polars";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import { AnomaliesConfig, mergeAnomaliesShards, writeAnomaliesDataset } from "@lib/generate/anomalies/mod.ts";
import { mergeShards, parseShard, readManifest, scanTable, shardRange } from "@lib/lake/mod.ts";

const config = (flags: Record<string, unknown>) => resolveConfig(CapacityConfig, { flags });

Deno.test("parseShard() and shardRange() give disjoint ranges covering every entity", async (t) => {
  assert.deepEqual(parseShard("2/5"), { index: 2, count: 5 });
  for (const bad of ["5/5", "1", "-1/2", "a/b", "0/0"]) {
    await t.step(
      `rejects "${bad}"`,
      () => assert.throws(() => parseShard(bad), { name: "RangeError", message: /shard/ }),
    );
  }
  for (const [total, count] of [[120, 7], [3, 5], [1000, 1]]) {
    const ranges = Array.from({ length: count }, (_, index) => shardRange(total, { index, count }));
    assert.equal(ranges[0].from, 0);
    assert.equal(ranges[count - 1].to, total);
    for (let i = 1; i < count; i++) assert.equal(ranges[i].from, ranges[i - 1].to);
  }
});

Deno.test("the union of capacity shards equals the unsharded dataset row for row", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cfg = config({ servers: 13, years: 1, granularity: "hourly", rows_per_file: 20_000 });
    await writeCapacityDataset(cfg, join(dir, "whole"));
    for (let index = 0; index < 3; index++) {
      await writeCapacityDataset(cfg, join(dir, "sharded"), { shard: { index, count: 3 } });
    }
    const merged = await mergeShards(join(dir, "sharded"));
    const whole = await readManifest(join(dir, "whole"));
    assert.equal(merged.rows, whole.rows);
    assert.equal(merged.rows, 13 * 365 * 24);
    assert.equal(merged.shard, undefined);
    assert.ok(merged.tables.capacity.files.length > 3, "split into part files");
    await assert.rejects(() => Deno.stat(join(dir, "sharded.shards")), Deno.errors.NotFound);
    const a = scanTable(join(dir, "whole"), whole).sort(["server_id", "timestamp"]).collectSync();
    const b = scanTable(join(dir, "sharded"), merged).sort(["server_id", "timestamp"]).collectSync();
    assert.ok(a.frameEqual(b), "same rows");
    // Any Parquet reader sees one table: a glob over the part files.
    const globbed = pl.scanParquet(join(dir, "sharded", "capacity", "*.parquet")).select(pl.len()).collectSync();
    assert.equal(Number(globbed.row(0)[0]), merged.rows);
    assert.deepEqual(Object.keys(merged.tables.capacity.schema), a.columns);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mergeShards() refuses missing shards and shards from another config", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cfg = config({ servers: 4, years: 1 });
    await writeCapacityDataset(cfg, join(dir, "d"), { shard: { index: 0, count: 2 } });
    await assert.rejects(() => mergeShards(join(dir, "d")), /missing shard 1\/2/);
    await writeCapacityDataset({ ...cfg, seed: 9 }, join(dir, "d"), { shard: { index: 1, count: 2 } });
    await assert.rejects(() => mergeShards(join(dir, "d")), /another config, seed or generator/);
    await assert.rejects(() => mergeShards(join(dir, "none")), /no shards/);
    await assert.rejects(() => Deno.stat(join(dir, "d")), Deno.errors.NotFound, "nothing half-merged");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function peakMb(args: string[], out: string): Promise<number> {
  // Each call regenerates the same folder: replacing it is the intent.
  const run = await runGenerate(out, "capacity", [...args, "--output", join(out, "d"), "--overwrite", "--stats"]);
  assert.equal(run.code, 0, run.stderr);
  const stats = JSON.parse(run.stdout.trim().split("\n").pop()!);
  return stats.peak_rss_bytes / 2 ** 20;
}

Deno.test("capacity memory stays flat as rows grow 10x (streamed file by file)", async () => {
  const out = await Deno.makeTempDir();
  try {
    const base = ["--granularity", "hourly", "--years", "1", "--rows-per-file", "100000"];
    const small = await peakMb([...base, "--servers", "24"], out);
    const large = await peakMb([...base, "--servers", "240"], out);
    assert.ok(large < small * 1.35, `peak RSS ${small.toFixed(0)} MB at 1x, ${large.toFixed(0)} MB at 10x`);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("generate --workers 2 runs two shard processes and merges them into the unsharded rows", async () => {
  const out = await Deno.makeTempDir();
  try {
    await peakMb(["--servers", "6", "--years", "1", "--workers", "2"], out);
    const manifest = await readManifest(join(out, "d"));
    assert.equal(manifest.rows, 6 * 365);
    assert.match(manifest.lineage.at(-1)?.relation ?? "", /merged from 2 shards/);
    const whole = await Deno.makeTempDir();
    await writeCapacityDataset(config({ servers: 6, years: 1 }), join(whole, "w"));
    const a = scanTable(join(whole, "w"), await readManifest(join(whole, "w"))).collectSync();
    const b = scanTable(join(out, "d"), manifest).sort(["server_id", "timestamp"]).collectSync();
    assert.ok(a.frameEqual(b));
    await Deno.remove(whole, { recursive: true });
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("the union of anomalies shards equals the unsharded dataset, tables and stats", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cfg = AnomaliesConfig.parse({ series: 40, points: 600, anomaly_ratio: 0.5, rows_per_file: 6_000 });
    const { manifest: whole } = await writeAnomaliesDataset(cfg, join(dir, "whole"));
    for (let index = 0; index < 3; index++) {
      await writeAnomaliesDataset(cfg, join(dir, "sharded"), { shard: { index, count: 3 } });
    }
    const merged = await mergeAnomaliesShards(join(dir, "sharded"));
    for (
      const [table, key] of [["points", ["series_id", "timestamp"]], ["events", ["anomaly_id"]], ["series", [
        "series_id",
      ]]] as const
    ) {
      const a = scanTable(join(dir, "whole"), whole, { table: table }).sort([...key]).collectSync();
      const b = scanTable(join(dir, "sharded"), merged, { table: table }).sort([...key]).collectSync();
      assert.equal(b.height, whole.tables[table].rows, table);
      assert.ok(a.frameEqual(b), `${table}: same rows`);
    }
    const { shards: _s, exports: _e, ...mergedStats } = merged.stats ?? {};
    const { exports: _w, ...wholeStats } = whole.stats ?? {};
    assert.deepEqual(mergedStats, wholeStats, "stats add up to the unsharded run's");
    await assert.rejects(
      () => writeAnomaliesDataset(cfg, join(dir, "x"), { shard: { index: 0, count: 2 }, exports: ["nab"] }),
      /export after merging/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
