import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Failing rows (issue 18's row contract): a failed row-level check records at most 200 rows, keyed by the table's
 * key, with the offending values, in table order, and the total; `validate` prints the first 5.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { failingRowsLines, validateDataset } from "@lib/validate/mod.ts";
import { capacityDataset, setAt, spread } from "./_fixtures.ts";

const VALIDATED = new Date("2026-01-02T00:00:00Z");

Deno.test("a failed range check records its failing rows, keyed, at most 200, with the total", async () => {
  const { df, manifest } = await capacityDataset();
  const rows = spread(df.height, 300);
  const v = validateDataset(setAt(df, "cpu_p95", rows, 130), manifest, { validated: VALIDATED });
  const r = v.results.find((x) => x.id === "validity.range:cpu_p95")!;
  assert.equal(r.passed, false);
  const f = r.failing_rows!;
  assert.deepEqual(f.key, ["server_id", "timestamp"]);
  assert.deepEqual(f.columns, ["server_id", "timestamp", "cpu_p95"]);
  assert.equal(f.total, 300);
  assert.equal(f.rows.length, 200);
  // Table order: the first failing row is the first row touched.
  const first = df.row(rows[0]);
  assert.equal(f.rows[0][0], first[df.columns.indexOf("server_id")]);
  assert.ok(f.rows.every((row) => row[2] === 130));
  // The record survives JSON (validation.json and --json).
  assert.deepEqual(JSON.parse(JSON.stringify(r)).failing_rows.rows.length, 200);
  const lines = failingRowsLines(f);
  assert.equal(lines.length, 1 + 5 + 1);
  assert.match(lines.at(-1)!, /295 more failing rows/);
  // A passed check carries none.
  assert.equal(v.results.find((x) => x.id === "validity.range:mem_p95")!.failing_rows, undefined);
});

Deno.test("enum and key failures carry their rows", async () => {
  const { df, manifest } = await capacityDataset();
  const n = df.height;
  const bad = pl.concat([setAt(df, "region", spread(n, 3), "mars-north"), df.head(2)]);
  const v = validateDataset(bad, manifest, { validated: VALIDATED });
  const e = v.results.find((x) => x.id === "validity.enum:region")!;
  assert.equal(e.failing_rows!.total, 3);
  assert.deepEqual(e.failing_rows!.rows.map((r) => r.at(-1)), ["mars-north", "mars-north", "mars-north"]);
  const k = v.results.find((x) => x.id.startsWith("uniqueness.key"))!;
  assert.equal(k.failing_rows!.total, 2);
  assert.equal(k.failing_rows!.rows.length, 4); // both rows of each repeated key
  assert.deepEqual(k.failing_rows!.columns, ["server_id", "timestamp"]);
});

Deno.test("null, cadence and personal-data failures carry their rows, keyed by server and time", async () => {
  const { df, manifest } = await capacityDataset();
  const n = df.height;
  // 3 nulls in a required column, one timestamp of one server gone (a gap), an e-mail in a text column.
  const nulls = setAt(df, "cpu_p95", spread(n, 3), null);
  const gap = pl.concat([nulls.head(10), nulls.slice(11, n - 11)]);
  const withMail = setAt(gap, "app_name", [20], "jane.doe@gmail.com");
  const v = validateDataset(withMail, manifest, { validated: VALIDATED });
  const nr = v.results.find((x) => x.id === "completeness.null_rate:cpu_p95")!;
  assert.equal(nr.passed, false);
  assert.deepEqual(nr.failing_rows!.key, ["server_id", "timestamp"]);
  assert.equal(nr.failing_rows!.total, 3);
  assert.ok(nr.failing_rows!.rows.every((r) => r[2] === null));
  const gaps = v.results.find((x) => x.id === "completeness.gaps")!;
  assert.equal(gaps.passed, false, gaps.message);
  assert.deepEqual(gaps.failing_rows!.columns, ["server_id", "timestamp", "previous_timestamp", "step"]);
  assert.equal(gaps.failing_rows!.total, 1);
  assert.equal(gaps.failing_rows!.rows[0][3], "2 d");
  // Many steps off the cadence: time.cadence fails and points at them too.
  const thinned = gap.filter(pl.col("timestamp").dt.day().modulo(3).neq(0));
  const cad = validateDataset(thinned, manifest, { validated: VALIDATED }).results
    .find((x) => x.id === "time.cadence:timestamp")!;
  assert.equal(cad.passed, false, cad.message);
  assert.equal(cad.failing_rows!.rows.length, 200);
  assert.ok(cad.failing_rows!.total > 200);
  const pii = v.results.find((x) => x.id === "pii.email:app_name")!;
  assert.equal(pii.passed, false);
  assert.deepEqual(pii.failing_rows!.columns, ["server_id", "timestamp", "app_name (masked)"]);
  assert.equal(pii.failing_rows!.rows[0][2], "j***@gmail.com");
  assert.ok(!JSON.stringify(v).includes("jane.doe@gmail.com"), "the address itself is never recorded");
});
