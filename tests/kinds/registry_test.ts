import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { commitDataset, schemaOf, writeTable } from "@lib/lake/mod.ts";
import { kindDescriptor, listKinds, registerKind } from "@lib/kinds/mod.ts";
import { registeredKinds, validatePath } from "@lib/validate/mod.ts";
import { kindProfile } from "@lib/report/mod.ts";
import { openReplay } from "@lib/stream/mod.ts";
import { tiny } from "./_tiny/mod.ts";

registerKind(tiny); // the one registration line of the test kind

async function tinyDataset(dir: string, rows: { sensor_id: string; at: Date; temp_c: number }[]): Promise<void> {
  const df = pl.DataFrame({
    sensor_id: rows.map((r) => r.sensor_id),
    at: pl.Series("at", rows.map((r) => r.at)).cast(pl.Datetime("ms", "UTC")),
    temp_c: rows.map((r) => r.temp_c),
  });
  await commitDataset(dir, async (tmp) => ({
    name: "tiny",
    kind: "tiny",
    layer: "synthetic",
    generator: { name: "tests", version: "1" },
    config: { sensors: 2 },
    seed: 1,
    primary_table: "readings",
    tables: {
      readings: { rows: df.height, schema: schemaOf(df), files: [await writeTable(df, tmp, { name: "readings" })] },
    },
    classification: "internal",
    retention_days: 1,
    lineage: [],
  }), { created: new Date("2026-01-01T00:00:00Z") });
}

Deno.test("the built-in kinds are registered once each, generated and ingested", () => {
  assert.deepEqual(listKinds("generated").filter((d) => d.kind !== "tiny").map((d) => d.kind), [
    "capacity",
    "anomalies",
    "incidents",
    "msp",
  ]);
  assert.deepEqual(listKinds("ingested").map((d) => d.kind), ["nab", "cloudfront", "tickets", "gwa"]);
  for (const d of listKinds()) {
    assert.ok(d.task === undefined || Deno.statSync(d.task).isFile, `${d.kind}: task ${d.task} missing`);
  }
});

Deno.test("a kind defined in its own folder with one registration line is validated, reported and replayed by its descriptor", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "opslab-tiny-" });
  try {
    const at = (h: number) => new Date(Date.UTC(2024, 0, 1, h));
    await t.step("the kind list and validate's kinds include it", () => {
      assert.equal(kindDescriptor("tiny"), tiny);
      assert.ok(registeredKinds().includes("tiny"));
    });
    await t.step("validation uses its rules: a duplicate key and an out-of-range reading fail", async () => {
      await tinyDataset(`${dir}/tiny`, [
        { sensor_id: "s-1", at: at(0), temp_c: 20 },
        { sensor_id: "s-1", at: at(0), temp_c: 21 },
        { sensor_id: "s-2", at: at(0), temp_c: 500 },
      ]);
      const { validation } = await validatePath(`${dir}/tiny`, { verifyChecksums: false });
      const failed = validation.results.filter((r) => !r.passed).map((r) => r.id);
      // Both come from the descriptor: the key (sensor_id, at) and TinyRow's range; a kind without one has neither.
      assert.deepEqual(failed.filter((id) => id === "uniqueness.key" || id === "validity.range:temp_c").sort(), [
        "uniqueness.key",
        "validity.range:temp_c",
      ]);
    });
    await t.step("the same dataset with clean rows passes", async () => {
      await tinyDataset(`${dir}/clean`, [
        { sensor_id: "s-1", at: at(0), temp_c: 20 },
        { sensor_id: "s-2", at: at(0), temp_c: 21 },
      ]);
      const { validation } = await validatePath(`${dir}/clean`, { verifyChecksums: false });
      assert.deepEqual(validation.results.filter((r) => !r.passed && r.severity === "error").map((r) => r.id), []);
    });
    await t.step("the report reads its profile, replay its spec", async () => {
      assert.equal(kindProfile("tiny").units.temp_c, "°C");
      const loaded = await openReplay(`${dir}/clean`);
      assert.deepEqual(loaded.sources, []);
      assert.deepEqual(loaded.skipped, [{ table: "readings", reason: "the tiny kind replays nothing" }]);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
