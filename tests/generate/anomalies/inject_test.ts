import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { commitDataset, readManifest, schemaOf, writeTable } from "@lib/lake/mod.ts";
import {
  AnomaliesConfig,
  ANOMALY_TYPE_NAMES,
  decompose,
  detectColumns,
  inferBounds,
  injectAnomalies,
  metricKind,
} from "@lib/generate/anomalies/mod.ts";
import { main } from "../../../tasks/generate_anomalies.ts";

const HOSTS = 8, DAYS = 600;

/** A small capacity-like table: 8 hosts x 400 days, a weekly cycle, some rows pre-labeled. */
function source(): pl.DataFrame {
  const n = HOSTS * DAYS;
  const host: string[] = [], t = new Float64Array(n), cpu = new Float64Array(n), net = new Float64Array(n);
  const label: boolean[] = [];
  for (let h = 0; h < HOSTS; h++) {
    for (let d = 0; d < DAYS; d++) {
      const i = h * DAYS + d;
      host.push(`host-${h}`);
      t[i] = Date.UTC(2023, 0, 1) + d * 86_400_000;
      cpu[i] = 40 + 10 * Math.sin((2 * Math.PI * d) / 7) + 3 * Math.sin(i * 12.9898) + h;
      net[i] = 200 + 30 * Math.cos((2 * Math.PI * d) / 7) + 10 * Math.sin(i * 78.233);
      label.push(h === 0 && d >= 100 && d < 300); // host-0 has a long labeled stretch
    }
  }
  // Rows shuffled a little, so the output order must be restored.
  return pl.DataFrame([
    pl.Series("timestamp", t).cast(pl.Int64).cast(pl.Datetime("ms", "UTC")),
    pl.Series("host", host),
    pl.Series("cpu_p95", cpu),
    pl.Series("net_in", net),
    pl.Series("year", Int32Array.from(t, (x) => new Date(x).getUTCFullYear())),
    pl.Series("is_anomaly", label),
  ]).sample({ frac: 1, seed: 1 } as never);
}

const CONFIG = AnomaliesConfig.parse({
  anomaly_ratio: 1,
  anomalies_per_series: [2, 3],
  types: { level_shift: { recovery: 1 }, drift: { recovery: 1 } },
});
const OPTIONS = { entity: "host", time: "timestamp", metrics: ["cpu_p95", "net_in"] };

Deno.test("injectAnomalies() keeps rows, order and other columns, and keeps the existing labels", () => {
  const src = source();
  const r = injectAnomalies(src, CONFIG, OPTIONS);
  assert.equal(r.data.height, src.height);
  for (const c of ["timestamp", "host", "year"]) {
    assert.deepEqual(r.data.getColumn(c).toArray(), src.getColumn(c).toArray(), `${c} unchanged, same order`);
  }
  assert.deepEqual(r.data.getColumn("is_anomaly_source").toArray(), src.getColumn("is_anomaly").toArray());
  const union = r.data.select(pl.col("is_anomaly").eq(pl.col("is_anomaly_source").or(pl.col("anomaly_id").isNotNull())))
    .getColumn("is_anomaly").toArray();
  assert.ok(union.every(Boolean), "is_anomaly = existing or injected");
  assert.equal(
    r.data.filter(pl.col("is_anomaly_source").and(pl.col("anomaly_id").isNotNull())).height,
    0,
    "no overlap",
  );
  assert.ok(r.events.length >= 2 * (HOSTS - 1), "every other host got anomalies");
});

Deno.test("injectAnomalies() changes values only inside its labeled spans, within bounds", () => {
  const src = source().sort(["host", "timestamp"]);
  const r = injectAnomalies(src, CONFIG, OPTIONS);
  for (const m of OPTIONS.metrics) {
    const a = r.data.getColumn(m).toArray() as (number | null)[];
    const b = src.getColumn(m).toArray() as number[];
    const flag = r.data.getColumn(`is_anomaly_${m}`).toArray() as boolean[];
    for (let i = 0; i < a.length; i++) {
      if (!Object.is(a[i], b[i])) assert.ok(flag[i], `${m} changed at unlabeled row ${i}`);
    }
  }
  const cpu = r.data.getColumn("cpu_p95").toArray() as (number | null)[];
  assert.ok(cpu.every((v) => v === null || (v >= 0 && v <= 100)), "cpu within 0-100");
  assert.deepEqual(r.bounds.cpu_p95, [0, 100]);
  assert.deepEqual(r.bounds.net_in, [0, Infinity]);
  // Events agree with labels.
  const ids = r.data.getColumn("anomaly_id").toArray() as (string | null)[];
  const hosts = r.data.getColumn("host").toArray() as string[];
  for (const e of r.events) {
    const first = hosts.indexOf(e.series_id);
    for (let i = 0; i < e.length; i++) assert.equal(ids[first + e.start_index + i], e.anomaly_id);
  }
  assert.equal(ids.filter((x) => x !== null).length, r.events.reduce((s, e) => s + e.length, 0));
  assert.equal(r.stats.labeled_points, r.events.reduce((s, e) => s + e.length, 0));
});

Deno.test("injectAnomalies() reports anomalies overlapping existing labels as conflicts and does not inject them", () => {
  const r = injectAnomalies(source(), CONFIG, OPTIONS);
  const host0 = r.series.find((s) => s.series_id === "host-0")!;
  assert.equal(host0.existing_labeled_points, 200);
  assert.equal(host0.conflicts, r.conflicts.filter((c) => c.entity === "host-0").length);
  assert.ok(r.conflicts.length > 0, "host-0's long labeled stretch draws conflicts");
  for (const c of r.conflicts) assert.ok(c.labeled_points > 0 && c.start_index + c.length > 100 && c.start_index < 300);
  assert.equal(r.stats.conflicts, r.conflicts.length);
  assert.equal(r.stats.existing_labeled_points, 200);
});

Deno.test("injectAnomalies() is deterministic and names missing or non-numeric columns", () => {
  const a = injectAnomalies(source(), CONFIG, OPTIONS);
  const b = injectAnomalies(source(), CONFIG, OPTIONS);
  assert.ok(a.data.frameEqual(b.data, true));
  assert.throws(() => injectAnomalies(source(), CONFIG, { ...OPTIONS, metrics: ["cpu"] }), /no column "cpu"/);
  assert.throws(
    () => injectAnomalies(source(), CONFIG, { ...OPTIONS, metrics: ["host"] }),
    /"host": it must be numeric/,
  );
  assert.throws(
    () => injectAnomalies(source().head(40), CONFIG, OPTIONS),
    /every chosen entity is too short/,
  );
});

Deno.test("detectColumns(), metricKind(), inferBounds() and decompose() pick sensible defaults", () => {
  const cols = detectColumns(source());
  assert.deepEqual(cols, { entity: "host", time: "timestamp", metrics: ["cpu_p95", "net_in"], label: "is_anomaly" });
  assert.equal(metricKind("p99_latency_ms"), "latency");
  assert.equal(metricKind("error_rate_pct"), "errors");
  assert.equal(metricKind("requests_per_s"), "throughput");
  assert.equal(metricKind("cpu_p95"), "generic");
  assert.deepEqual(inferBounds("mem_p95", { min: 3, max: 97 }), [0, 100]);
  assert.deepEqual(inferBounds("temperature", { min: -5, max: 30 }), [-Infinity, Infinity]);
  assert.deepEqual(inferBounds("latency_ms", { min: 1, max: 900 }), [1e-6, Infinity]);
  const x = Float64Array.from({ length: 70 }, (_, i) => 10 + [3, 1, 0, -1, -2, -1, 0][i % 7]);
  const { seasonal, expected } = decompose(x, 7);
  for (let i = 7; i < 63; i++) assert.ok(Math.abs(expected[i] - x[i]) < 1e-9, "exact on a pure weekly cycle");
  assert.ok(Math.abs(seasonal[0] - 3) < 1e-9);
});

Deno.test("generate anomalies --inject-into writes a derived dataset with lineage, events, series and conflicts", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const src = source();
    await commitDataset(`${tmp}/src`, async (dir) => ({
      name: "hosts",
      kind: "capacity",
      layer: "synthetic",
      generator: { name: "test", version: "0" },
      config: {},
      seed: 1,
      primary_table: "capacity",
      tables: {
        capacity: {
          rows: src.height,
          schema: schemaOf(src),
          files: [await writeTable(src, dir, { name: "capacity" })],
        },
      },
      classification: "internal",
      retention_days: 7,
      lineage: [],
    }));
    const log = console.log;
    console.log = () => {};
    let code;
    try {
      code = await main([
        "--inject-into",
        `${tmp}/src`,
        "--metrics",
        "cpu_p95",
        "--anomaly-ratio",
        "1",
        "--types",
        ANOMALY_TYPE_NAMES.slice(0, 4).join(","),
        "--output",
        `${tmp}/out`,
      ]);
    } finally {
      console.log = log;
    }
    assert.equal(code, 0);
    const m = await readManifest(`${tmp}/out`);
    assert.equal(m.kind, "anomalies_injected");
    assert.equal(m.primary_table, "capacity");
    assert.equal(m.rows, src.height);
    const conflicts = (m.stats as { conflicts: number }).conflicts;
    const tables = ["capacity", ...(conflicts > 0 ? ["conflicts"] : []), "events", "series"];
    assert.deepEqual(Object.keys(m.tables).sort(), tables);
    assert.equal(m.lineage[0].source, `${tmp}/src`);
    const inject = (m.config as { inject: { metrics: string[]; entity: string } }).inject;
    assert.deepEqual(inject.metrics, ["cpu_p95"]);
    assert.equal(inject.entity, "host");
    const out = pl.readParquet(`${tmp}/out/capacity.parquet`);
    assert.ok(out.columns.includes("is_anomaly_cpu_p95") && !out.columns.includes("is_anomaly_net_in"));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("detectColumns() leaves rolling features out of the metrics", () => {
  const df = pl.DataFrame({
    series_id: ["a", "a"],
    timestamp: [new Date(0), new Date(3_600_000)],
    value: [1, 2],
    value_mean_24: [1, 1.5],
    value_z_168: [0, 1],
  });
  assert.deepEqual(detectColumns(df).metrics, ["value"]);
});
