/**
 * The check families one by one, on small hand-made frames: each passes on good data and fails, with the right
 * measured value, on data made to trip it.
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { z } from "zod";
import {
  checkCompleteness,
  checkIntegrity,
  checkSchema,
  checkTime,
  checkUniqueness,
  checkValidity,
  columnRules,
  newFailures,
  residualCorrelations,
  rulesFromDtypes,
  summarize,
  ValidationResult,
} from "@lib/validate/mod.ts";
import type { CheckResult } from "@lib/validate/types.ts";
import { tQuantile } from "@lib/validate/_stats.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

const Row = z.strictObject({
  at: z.date(),
  host: z.string().regex(/^h-\d+$/),
  kind: z.enum(["a", "b"]),
  load: z.number().min(0).max(100),
  count: z.int().min(0).meta({ dtype: "Int32" }),
  note: z.string().min(1).optional(),
  ratio: z.number().gt(0).lt(1).nullable(),
});

function frame(n = 6): pl.DataFrame {
  const hosts = Array.from({ length: n }, (_, i) => `h-${i % 2}`);
  const at = Array.from({ length: n }, (_, i) => T0 + Math.floor(i / 2) * DAY);
  return pl.DataFrame({
    at: pl.Series("at", at).cast(pl.Int64).cast(pl.Datetime("ms", "UTC")),
    host: hosts,
    kind: hosts.map((_, i) => (i % 3 === 0 ? "a" : "b")),
    load: hosts.map((_, i) => 10 + i),
    count: pl.Series("count", hosts.map((_, i) => i)).cast(pl.Int32),
    note: hosts.map(() => "fine"),
    ratio: hosts.map((_, i) => (i === 0 ? null : 0.5)),
  });
}

const byId = (results: CheckResult[], id: string) => {
  const r = results.find((x) => x.id === id);
  assert.ok(r, `no result ${id} in ${results.map((x) => x.id).join(", ")}`);
  return r;
};

Deno.test("columnRules() reads dtypes, presence, nullability, bounds, enums and patterns from a zod schema", () => {
  const rules = Object.fromEntries(columnRules(Row).map((r) => [r.name, r]));
  assert.equal(rules.at.dtype, "Datetime(ms,UTC)");
  assert.equal(rules.count.dtype, "Int32");
  assert.deepEqual(rules.load.min, { value: 0, inclusive: true });
  assert.deepEqual(rules.ratio.max, { value: 1, inclusive: false });
  assert.deepEqual(rules.kind.values, ["a", "b"]);
  assert.equal(rules.host.patterns?.[0].source, "^h-\\d+$");
  assert.equal(rules.note.required, false);
  assert.equal(rules.ratio.nullable, true);
  assert.equal(rules.note.freeText, true);
  assert.equal(rules.host.freeText, false);
  assert.equal(rules.count.integer, true);
});

Deno.test("checkSchema() reports missing columns, wrong dtypes and undeclared columns", async (t) => {
  const rules = columnRules(Row);
  await t.step("good frame", () => assert.ok(checkSchema(frame(), rules).every((r) => r.passed)));
  await t.step("missing required column", () => {
    const r = byId(checkSchema(frame().drop("load"), rules), "schema.columns");
    assert.equal(r.passed, false);
    assert.equal(r.measured, 1);
  });
  await t.step("optional column may be absent", () => {
    assert.ok(byId(checkSchema(frame().drop("note"), rules), "schema.columns").passed);
  });
  await t.step("wrong dtype", () => {
    const r = byId(checkSchema(frame().withColumns(pl.col("count").cast(pl.Float64)), rules), "schema.dtype:count");
    assert.deepEqual([r.passed, r.measured, r.threshold], [false, "Float64", "Int32"]);
  });
  await t.step("a categorical column satisfies a string declaration", () => {
    const r = byId(checkSchema(frame().withColumns(pl.col("host").cast(pl.Categorical)), rules), "schema.dtype:host");
    assert.ok(r.passed);
  });
  await t.step("undeclared column is a warning", () => {
    const r = byId(checkSchema(frame().withColumns(pl.lit(1).alias("x")), rules), "schema.unexpected");
    assert.deepEqual([r.passed, r.severity], [false, "warning"]);
  });
});

Deno.test("checkCompleteness() measures null rates against required and nullable columns, and gaps", async (t) => {
  const rules = columnRules(Row);
  await t.step("nullable column with nulls passes, required one fails", () => {
    const df = frame().withColumns(
      pl.when(pl.col("count").eq(3)).then(pl.lit(null)).otherwise(pl.col("load")).alias("load"),
    );
    const out = checkCompleteness(df, rules);
    assert.ok(byId(out, "completeness.null_rate:ratio").passed);
    const load = byId(out, "completeness.null_rate:load");
    assert.deepEqual([load.passed, load.severity], [false, "error"]);
    assert.ok(Math.abs(Number(load.measured) - 1 / 6) < 1e-12);
  });
  await t.step("row count against the manifest", () => {
    assert.equal(byId(checkCompleteness(frame(), rules, { expectedRows: 7 }), "completeness.rows").passed, false);
  });
  await t.step("a missing day inside a series counts as a gap", () => {
    const df = frame(10).filter(pl.col("count").neq(4)); // h-0 loses its third day
    const r = byId(
      checkCompleteness(df, rules, { time: { column: "at", entity: "host", cadenceMs: DAY } }),
      "completeness.gaps",
    );
    assert.deepEqual([r.passed, r.measured], [false, 1]);
    assert.match(r.message, /h-0/);
  });
});

Deno.test("checkValidity() counts values out of range, off the enum, the pattern and the derivation", async (t) => {
  const rules = columnRules(Row);
  await t.step("good frame", () => assert.ok(checkValidity(frame(), rules).every((r) => r.passed)));
  const bad = frame().withColumns(
    pl.when(pl.col("count").eq(1)).then(pl.lit(120)).otherwise(pl.col("load")).alias("load"),
    pl.when(pl.col("count").eq(2)).then(pl.lit("c")).otherwise(pl.col("kind")).alias("kind"),
    pl.when(pl.col("count").eq(3)).then(pl.lit("H3")).otherwise(pl.col("host")).alias("host"),
    pl.when(pl.col("count").eq(4)).then(pl.lit(1)).otherwise(pl.col("ratio")).alias("ratio"),
    pl.when(pl.col("count").eq(5)).then(pl.lit("")).otherwise(pl.col("note")).alias("note"),
  );
  const out = checkValidity(bad, rules, { derived: { count: pl.col("count").cast(pl.Int64) } });
  for (
    const id of [
      "validity.range:load",
      "validity.enum:kind",
      "validity.pattern:host",
      "validity.range:ratio",
      "validity.length:note",
    ]
  ) {
    const r = byId(out, id);
    assert.deepEqual([r.passed, r.measured], [false, 1], id);
  }
  assert.ok(byId(out, "validity.derived:count").passed);
  await t.step("derived column off its recomputation", () => {
    const r = byId(checkValidity(frame(), rules, { derived: { count: pl.lit(0) } }), "validity.derived:count");
    assert.deepEqual([r.passed, r.measured], [false, 5]);
  });
  await t.step("percentages and counters by name, for columns no schema bounds", () => {
    const df = pl.DataFrame({ error_pct: [5, 101], request_count: [3, -1], other: [-5, 500] });
    const out2 = checkValidity(df, rulesFromDtypes({ error_pct: "Int64", request_count: "Int64", other: "Int64" }));
    assert.equal(byId(out2, "validity.percent:error_pct").passed, false);
    assert.equal(byId(out2, "validity.non_negative:request_count").passed, false);
    assert.ok(!out2.some((r) => r.id.endsWith(":other")));
  });
});

Deno.test("checkUniqueness() counts repeated keys and exact copies", async (t) => {
  await t.step("unique key", () => assert.ok(checkUniqueness(frame(), { key: ["host", "at"] }).every((r) => r.passed)));
  await t.step("a repeated key with other values", () => {
    const df = frame().withColumns(
      pl.when(pl.col("count").eq(2)).then(pl.lit(T0).cast(pl.Datetime("ms", "UTC"))).otherwise(pl.col("at")).alias(
        "at",
      ),
    );
    const out = checkUniqueness(df, { key: ["host", "at"] });
    assert.deepEqual([byId(out, "uniqueness.key").measured, byId(out, "uniqueness.rows").measured], [1, 0]);
  });
  await t.step("an exact copy", () => {
    const df = pl.concat([frame(), frame().head(2)]);
    const out = checkUniqueness(df, { key: ["host", "at"] });
    assert.deepEqual([byId(out, "uniqueness.key").measured, byId(out, "uniqueness.rows").measured], [2, 2]);
  });
  await t.step("exact copies without a key are errors", () => {
    const r = byId(checkUniqueness(pl.DataFrame({ a: [1, 1, 2], b: ["x", "x", "y"] })), "uniqueness.rows");
    assert.deepEqual([r.passed, r.measured, r.severity], [false, 1, "error"]);
  });
});

Deno.test("checkTime() judges zone, order, cadence and coverage", async (t) => {
  const spec = { column: "at", entity: "host", cadenceMs: DAY, range: [T0, T0 + 2 * DAY] as [number, number] };
  await t.step("good frame", () => assert.ok(checkTime(frame(), spec).every((r) => r.passed)));
  await t.step("reversed rows go back in time", () => {
    const r = byId(checkTime(frame().reverse(), spec), "time.monotonic:at");
    assert.deepEqual([r.passed, r.measured], [false, 4]);
  });
  await t.step("interleaved entities in time order are in order", () => {
    assert.ok(byId(checkTime(frame().sort("at"), spec), "time.monotonic:at").passed);
  });
  await t.step("steps off the cadence", () => {
    const shifted = pl.col("at").cast(pl.Int64).add(pl.col("count").cast(pl.Int64).mul(3_600_000));
    const df = frame(12).withColumns(shifted.cast(pl.Datetime("ms", "UTC")).alias("at"));
    const r = byId(checkTime(df, { ...spec, range: undefined }), "time.cadence:at");
    assert.equal(r.passed, false);
  });
  await t.step("coverage and range of the declared period", () => {
    const out = checkTime(frame(), { ...spec, range: [T0, T0 + 5 * DAY] });
    assert.equal(byId(out, "time.coverage:at").passed, false);
    const out2 = checkTime(frame(), { ...spec, range: [T0 + DAY, T0 + 2 * DAY] });
    assert.deepEqual([byId(out2, "time.range:at").passed, byId(out2, "time.range:at").measured], [false, 2]);
  });
  await t.step("time zones", () => {
    const naive = frame().withColumns(pl.col("at").cast(pl.Datetime("ms")));
    assert.equal(byId(checkTime(naive, spec), "time.utc:at").measured, "naive");
    const paris = frame().withColumns(pl.col("at").dt.convertTimeZone("Europe/Paris"));
    assert.equal(byId(checkTime(paris, spec), "time.utc:at").passed, false);
  });
});

Deno.test("checkIntegrity() counts rows whose foreign key is missing", () => {
  const tables = {
    tickets: pl.DataFrame({ id: [1, 2, 3], client_id: ["a", "z", null] }),
    clients: pl.DataFrame({ id: ["a", "b"] }),
  };
  const [r] = checkIntegrity(tables, {
    foreignKeys: [{ from: { table: "tickets", columns: ["client_id"] }, to: { table: "clients", columns: ["id"] } }],
  });
  assert.deepEqual([r.id, r.passed, r.measured], ["integrity.fk:tickets.client_id", false, 1]);
  assert.match(r.message, /"z"/);
});

Deno.test("residualCorrelations() recovers the correlation of noise under a shared calendar", () => {
  // 20 entities x 400 days: a weekly level shared by all, and noise with correlation 0.6.
  const n = 20 * 400;
  const e = new Array<string>(n), g = new Array<string>(n);
  const t = new Float64Array(n), x = new Float64Array(n), y = new Float64Array(n);
  let seed = 1;
  const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  for (let i = 0; i < n; i++) {
    const ent = Math.floor(i / 400), d = i % 400;
    const level = (d % 7 >= 5 ? 0.5 : 1) * (50 + ent);
    const z1 = normal(), z2 = 0.6 * z1 + 0.8 * normal();
    e[i] = `e${ent}`;
    g[i] = "g";
    t[i] = T0 + d * DAY;
    x[i] = level + 5 * z1;
    y[i] = 2 * level + 10 * z2;
  }
  const df = pl.DataFrame({ e, g, t: pl.Series("t", t).cast(pl.Int64).cast(pl.Datetime("ms", "UTC")), x, y });
  const [r] = residualCorrelations(df, ["x", "y"], { group: "g", entity: "e", timestamp: "t", calendar: [] });
  assert.ok(Math.abs(r.r - 0.6) < 0.05, `measured ${r.r}`);
  const raw = Number(df.select(pl.pearsonCorr("x", "y")).row(0)[0]);
  assert.ok(raw > 0.8, `the shared calendar should inflate the raw correlation, got ${raw}`);
});

Deno.test("ValidationResult summarizes, serializes without methods and renders for notebooks", () => {
  const results: CheckResult[] = [
    { id: "a.x", family: "a", severity: "error", passed: false, measured: 2, threshold: "= 0", message: "bad <b>" },
    { id: "a.y", family: "a", severity: "warning", passed: false, measured: 0.5, threshold: "<= 0.1", message: "meh" },
    { id: "a.z", family: "a", severity: "info", passed: true, measured: "UTC", threshold: "UTC", message: "ok" },
  ];
  const v = new ValidationResult({
    dataset: "d",
    path: "p",
    kind: "k",
    rows: 3,
    validated: "2026-01-01T00:00:00.000Z",
    results,
  });
  assert.deepEqual(v.summary, summarize(results));
  assert.deepEqual(v.summary, { passed: 1, failed: 2, errors: 1, warnings: 1 });
  assert.equal(v.ok(), false);
  const json = JSON.parse(JSON.stringify(v));
  assert.deepEqual(Object.keys(json).sort(), ["dataset", "kind", "path", "results", "rows", "summary", "validated"]);
  const display = (v as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")];
  const shown = display.call(v);
  assert.match(shown["text/html"], /bad &lt;b&gt;/);
  assert.match(shown["text/plain"], /FAIL/);
  const fixed = new ValidationResult({ ...v.toJSON(), results: results.map((r) => ({ ...r, passed: true })) });
  assert.deepEqual(newFailures(fixed, v).map((r) => r.id), ["a.x", "a.y"]);
});

Deno.test("tQuantile() matches Student's t tables", () => {
  for (const [df, want] of [[1, 12.706], [2, 4.303], [5, 2.571], [30, 2.042]] as const) {
    assert.ok(Math.abs(tQuantile(0.975, df) - want) < 1e-3, `df ${df}: ${tQuantile(0.975, df)}`);
  }
});
