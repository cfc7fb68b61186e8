import "@lib/kinds/mod.ts"; // registers every dataset kind
/** The NAB page draws every series with its own label windows; checked against the ingested tables. */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { inMemory, readManifest } from "@lib/lake/mod.ts";
import { ingestNab } from "@lib/ingest/nab/mod.ts";
import { summarizeDataset, type ViewChart } from "@lib/report/mod.ts";
import { inputOf } from "./_fixtures.ts";

const FIXTURE = new URL("../fixtures/ingest/nab", import.meta.url).pathname;

Deno.test("every NAB series gets a panel: its range in buckets and its own label windows", async () => {
  const dir = await Deno.makeTempDir({ prefix: "opslab-nab-views-" });
  try {
    await ingestNab(FIXTURE, dir, { config: { select: "all" } });
    const input = inputOf(dir, await readManifest(dir));
    const views = summarizeDataset(input).views ?? [];
    const chart = views.flatMap((v) => v.charts).find((c) => c.type === "multiples") as Extract<
      ViewChart,
      { type: "multiples" }
    >;
    assert.ok(chart, "a multiples chart");
    const series = inMemory(input.tables.series);
    const expected = series.groupBy("series_id").agg(
      pl.col("value").min().alias("lo"),
      pl.col("value").max().alias("hi"),
      pl.col("value").mean().alias("mean"),
      pl.len().alias("n"),
    ).sort("series_id");
    assert.equal(chart.total, expected.height);
    assert.deepEqual(chart.series.map((s) => s.id), expected.getColumn("series_id").toArray());
    const windows = inMemory(input.tables.windows);
    for (const [i, s] of chart.series.entries()) {
      assert.ok(s.t.length > 1 && s.t.length <= 60, `${s.id}: ${s.t.length} buckets`);
      assert.equal(Math.min(...s.min), expected.getColumn("lo").get(i), s.id);
      assert.equal(Math.max(...s.max), expected.getColumn("hi").get(i), s.id);
      s.t.forEach((_, j) => assert.ok(s.min[j] <= s.mean[j] && s.mean[j] <= s.max[j]));
      const own = windows.filter(pl.col("series_id").eq(pl.lit(s.id))).height;
      assert.equal(s.windows.length, own, `${s.id}: windows`);
    }
    assert.ok(chart.series.some((s) => s.windows.length > 0), "the fixture has labelled series");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
