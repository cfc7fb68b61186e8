/**
 * Kinds without a registered spec (ingested real data, kinds to come) are validated generically: against the dtypes
 * the manifest records, with null rates, duplicates, UTC timestamps and personal data measured.
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { commitDataset, inMemory, schemaOf, writeTable } from "@lib/lake/mod.ts";
import { loadForValidation, validateDataset, validateLoaded } from "@lib/validate/mod.ts";
import { assertFailed, CREATED } from "./_fixtures.ts";

function logs(): pl.DataFrame {
  return pl.DataFrame({
    ts: pl.Series("ts", [0, 60_000, 120_000, 120_000]).cast(pl.Int64).cast(pl.Datetime("ms", "UTC")),
    line: ["GET / 200 from 203.0.113.9", "GET /a 404 from 81.2.69.142", "POST /b 500", "POST /b 500"],
    bytes: [512, 128, 64, 64],
  });
}

async function rawDataset(df: pl.DataFrame, layer: "raw" | "synthetic" = "raw") {
  const dir = await Deno.makeTempDir({ prefix: "opslab-generic-" });
  await commitDataset(`${dir}/logs`, async (tmp) => {
    const file = await writeTable(df, tmp, { name: "logs" });
    return {
      name: "weblogs",
      kind: "weblogs",
      layer,
      generator: { name: "test", version: "0" },
      config: {},
      seed: null,
      primary_table: "logs",
      tables: { logs: { rows: df.height, schema: schemaOf(df), files: [file] } },
      classification: "public",
      retention_days: 30,
      lineage: [],
    };
  }, { created: CREATED });
  return `${dir}/logs`;
}

Deno.test("an unregistered kind is checked against its recorded dtypes; real data gets warnings, not errors", async () => {
  const dir = await rawDataset(logs());
  const v = validateLoaded(await loadForValidation(dir));
  assertFailed(v, ["pii.ipv4:line", "uniqueness.rows"]);
  assert.equal(v.summary.errors, 0);
  assert.ok(v.results.some((r) => r.id === "time.utc:ts" && r.passed));
  assert.ok(v.results.some((r) => r.id === "schema.dtype:bytes" && r.passed));
  await Deno.remove(dir.replace(/\/logs$/, ""), { recursive: true });
});

Deno.test("the same findings in synthetic data are errors, and a dtype off the record fails", async () => {
  const dir = await rawDataset(logs(), "synthetic");
  const loaded = await loadForValidation(dir);
  const v = validateLoaded(loaded);
  assert.deepEqual(v.results.filter((r) => !r.passed && r.severity === "error").map((r) => r.id), ["pii.ipv4:line"]);
  const changed = validateDataset(
    inMemory(loaded.tables.logs).withColumns(pl.col("bytes").cast(pl.String)),
    loaded.manifest,
  );
  assert.ok(changed.results.some((r) => r.id === "schema.dtype:bytes" && !r.passed));
  await Deno.remove(dir.replace(/\/logs$/, ""), { recursive: true });
});
