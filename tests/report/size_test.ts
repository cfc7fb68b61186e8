import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import { buildReport } from "@lib/report/mod.ts";
import { inputOf } from "./_fixtures.ts";
import pl from "nodejs-polars";
import { loadForValidation } from "@lib/validate/mod.ts";

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

Deno.test("a report of a table scanned file by file does not grow with the rows: 4x the rows, within 5 %", async () => {
  const root = await Deno.makeTempDir({ prefix: "opslab-report-size-scan-" });
  try {
    const bytes: number[] = [];
    for (const years of [1, 4]) {
      const config = resolveConfig(CapacityConfig, {
        flags: { servers: 8, years, granularity: "hourly", name: `cap-${years}y` },
        what: "capacity",
      });
      const dir = join(root, `y${years}`);
      await writeCapacityDataset(config, dir);
      // The path a 100 M-row table takes: every table scanned lazily, file by file.
      const loaded = await loadForValidation(dir, { verifyChecksums: false, scanText: false, inMemoryRows: 0 });
      assert.ok(!(loaded.tables.capacity instanceof pl.DataFrame), "the table is scanned, not read into memory");
      const report = buildReport({ manifest: loaded.manifest!, tables: loaded.tables, validation: null });
      bytes.push(report.bytes);
    }
    const ratio = bytes[1] / bytes[0];
    assert.ok(Math.abs(ratio - 1) <= 0.05, `4 y page / 1 y page = ${ratio.toFixed(3)} (${bytes.join(" / ")} bytes)`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
