/**
 * A window with no incident at all (two days at the default rate, seed 1337) still makes a whole dataset: the
 * `incidents`, `anomalies` and e-mail list columns keep their `List(String)` dtype with zero rows.
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { validatePath } from "@lib/validate/load.ts";
import { renderSummaryTable } from "@lib/validate/_render.ts";
import { makeDataset } from "./_fixture.ts";

Deno.test("generate incidents: a two-day window with no incident writes, and validates with no failure", async () => {
  const ds = await makeDataset({ seed: 1337, from: "2024-03-04", to: "2024-03-06" });
  try {
    const incidents = ds.table("incidents");
    assert.equal(incidents.height, 0, "seed 1337 draws no incident in these two days");
    assert.equal(incidents.getColumn("servers").dtype.toString(), "DataType(List(DataType(String)))");
    assert.ok(ds.table("service_metrics").height > 0, "the background still runs");
    const { validation } = await validatePath(ds.dir);
    const failed = validation.results.filter((r) => !r.passed && r.severity === "error");
    assert.deepEqual(failed.map((r) => r.id), []);
    // The summary line counts every table, not the empty primary one.
    const tables = validation.table_rows ?? {};
    assert.equal(tables.incidents, 0);
    const total = Object.values(tables).reduce((s, n) => s + n, 0);
    assert.ok(total > 0);
    assert.match(
      renderSummaryTable([validation]),
      new RegExp(`${total.toLocaleString("en-US")} in ${Object.keys(tables).length} tables`),
    );
  } finally {
    await Deno.remove(dirname(ds.dir), { recursive: true });
  }
});
