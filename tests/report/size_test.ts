import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import { buildReport } from "@lib/report/mod.ts";
import { inputOf } from "./_fixtures.ts";

Deno.test("report size does not grow with the rows: 24x as many rows, about the same page", async () => {
  const root = await Deno.makeTempDir({ prefix: "opslab-report-size-" });
  try {
    const sizes: Record<string, { rows: number; bytes: number }> = {};
    for (const granularity of ["daily", "hourly"] as const) {
      const config = resolveConfig(CapacityConfig, {
        flags: { servers: 24, years: 1, granularity, name: `cap-${granularity}` },
        what: "capacity",
      });
      const dir = join(root, granularity);
      const manifest = await writeCapacityDataset(config, dir);
      const report = buildReport(inputOf(dir, manifest));
      sizes[granularity] = { rows: manifest.rows, bytes: report.bytes };
      assert.ok(report.bytes < 1.5 * 1024 * 1024, `${granularity}: ${report.bytes} bytes`);
      const series = report.data.series.flatMap((s) => s.series.map((x) => x.t.length));
      assert.ok(Math.max(...series) <= 300, "series are downsampled to 300 buckets");
    }
    assert.equal(sizes.hourly.rows, 24 * sizes.daily.rows);
    const ratio = sizes.hourly.bytes / sizes.daily.bytes;
    assert.ok(ratio < 1.3, `hourly page / daily page = ${ratio.toFixed(2)} (${JSON.stringify(sizes)})`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
