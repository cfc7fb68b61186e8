/**
 * Anomaly label checks: on a hand-made labeled dataset (generic columns) and on a real dataset of the anomalies
 * generator, clean and corrupted.
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import { inMemory } from "@lib/lake/mod.ts";
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { AnomaliesConfig, writeAnomaliesDataset } from "@lib/generate/anomalies/mod.ts";
import { checkAnomalies, loadForValidation, validateLoaded } from "@lib/validate/mod.ts";
import type { CheckResult } from "@lib/validate/types.ts";
import { assertFailed, CREATED, editConfig } from "./_fixtures.ts";

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const ts = (i: number) => T0 + i * MIN;

interface Ev {
  id: string;
  series: string;
  type: string;
  start: number;
  end: number;
}

/** Series of 100 points (four, or more); events given by point index; labels drawn from the events. */
function fixture(events: Ev[], labelsFrom: Ev[] = events, count = 4) {
  const series = Array.from({ length: count }, (_, i) => `s${i + 1}`);
  const sid: string[] = [],
    t: number[] = [],
    flag: boolean[] = [],
    type: (string | null)[] = [],
    id: (string | null)[] = [];
  for (const s of series) {
    for (let i = 0; i < 100; i++) {
      const e = labelsFrom.find((x) => x.series === s && i >= x.start && i <= x.end);
      sid.push(s);
      t.push(ts(i));
      flag.push(e !== undefined);
      type.push(e?.type ?? null);
      id.push(e?.id ?? null);
    }
  }
  const time = (xs: number[]) => pl.Series(xs).cast(pl.Int64).cast(pl.Datetime("ms", "UTC"));
  return {
    points: pl.DataFrame({ series_id: sid, timestamp: time(t), is_anomaly: flag, anomaly_type: type, anomaly_id: id }),
    events: pl.DataFrame({
      anomaly_id: events.map((e) => e.id),
      series_id: events.map((e) => e.series),
      type: events.map((e) => e.type),
      start: time(events.map((e) => ts(e.start))),
      end: time(events.map((e) => ts(e.end))),
    }),
    series: pl.DataFrame({ series_id: series }),
  };
}

const EVENTS: Ev[] = [
  { id: "a1", series: "s1", type: "spike", start: 10, end: 14 },
  { id: "a2", series: "s1", type: "dip", start: 40, end: 49 },
  { id: "a3", series: "s2", type: "level_shift", start: 20, end: 29 },
];
const TARGETS = { seriesRatio: 0.5, typeMix: { spike: 1, dip: 1, level_shift: 1 } };

function failed(results: CheckResult[]): string[] {
  return results.filter((r) => !r.passed).map((r) => r.id).sort();
}

Deno.test("checkAnomalies() passes consistent labels and events", () => {
  const { points, events, series } = fixture(EVENTS);
  const out = checkAnomalies(points, { events, series, targets: TARGETS, tolerance: 0.1 });
  assert.deepEqual(failed(out), []);
  const rate = out.find((r) => r.id === "anomalies.series_ratio")!;
  assert.equal(rate.measured, 0.5);
  assert.equal(out.find((r) => r.id === "anomalies.point_rate")!.measured, 25 / 400);
});

Deno.test("checkAnomalies() trips on each corruption of the labels", async (t) => {
  // 200 series, every other one with one anomaly of each of three types in turn: ratio 0.5, a third per type.
  const types = ["spike", "dip", "level_shift"];
  const many: Ev[] = Array.from({ length: 100 }, (_, k) => ({
    id: `m${k}`,
    series: `s${2 * k + 1}`,
    type: types[k % 3],
    start: 30 + (k % 50),
    end: 35 + (k % 50),
  }));
  await t.step("an anomaly rate off by a factor of two", () => {
    const { points, events, series } = fixture(many, many, 200);
    const ok = checkAnomalies(points, { events, series, targets: { ...TARGETS, seriesRatio: 0.5 } });
    assert.deepEqual(failed(ok), []);
    for (const wrong of [0.25, 1]) {
      const out = checkAnomalies(points, { events, series, targets: { ...TARGETS, seriesRatio: wrong } });
      assert.deepEqual(failed(out), ["anomalies.series_ratio"]);
    }
    const out = checkAnomalies(points, { events, series, targets: { ...TARGETS, seriesRatio: 0.25 } });
    assert.match(out.find((r) => r.id === "anomalies.series_ratio")!.message, /2\.00x/);
  });
  await t.step("a point rate off the reported contamination", () => {
    const { points, events, series } = fixture(EVENTS);
    const out = checkAnomalies(points, { events, series, targets: { ...TARGETS, pointRate: 0.125 }, tolerance: 0.1 });
    assert.deepEqual(failed(out), ["anomalies.point_rate"]);
  });
  await t.step("a type share off the mix", () => {
    const { points, events, series } = fixture(many, many, 200);
    const targets = { seriesRatio: 0.5, typeMix: { spike: 4, dip: 1, level_shift: 1 } };
    assert.deepEqual(failed(checkAnomalies(points, { events, series, targets })), [
      "anomalies.type_rate:dip",
      "anomalies.type_rate:level_shift",
      "anomalies.type_rate:spike",
    ]);
  });
  await t.step("overlapping events of a series", () => {
    const overlapping = [...EVENTS, { id: "a4", series: "s1", type: "spike", start: 45, end: 52 }];
    const { points, events, series } = fixture(overlapping);
    const out = checkAnomalies(points, { events, series, targets: {}, tolerance: 0.1 });
    assert.ok(failed(out).includes("anomalies.overlap"));
    assert.equal(out.find((r) => r.id === "anomalies.overlap")!.measured, 1);
  });
  await t.step("an event outside its series", () => {
    const outside = [...EVENTS.slice(0, 2), { id: "a3", series: "s2", type: "level_shift", start: 95, end: 104 }];
    const { points, events, series } = fixture(outside);
    assert.deepEqual(failed(checkAnomalies(points, { events, series, targets: {} })), ["anomalies.bounds"]);
  });
  await t.step("points labeled where no event is, and an event without labels", () => {
    const { points, events, series } = fixture(EVENTS, [EVENTS[0], { ...EVENTS[1], start: 60, end: 69 }]);
    const out = checkAnomalies(points, { events, series, targets: {} });
    assert.deepEqual(failed(out), ["anomalies.agreement"]);
    assert.match(
      out.find((r) => r.id === "anomalies.agreement")!.message,
      /30 points disagree.*2 events have no labeled point/,
    );
  });
  await t.step("a label type that disagrees with its event", () => {
    const { points, events, series } = fixture(EVENTS);
    const bad = points.withColumns(
      pl.when(pl.col("anomaly_id").eq(pl.lit("a3"))).then(pl.lit("spike")).otherwise(pl.col("anomaly_type")).alias(
        "anomaly_type",
      ),
    );
    assert.deepEqual(failed(checkAnomalies(bad, { events, series, targets: {} })), ["anomalies.agreement"]);
  });
  await t.step("a flag without a type", () => {
    const { points, events, series } = fixture(EVENTS);
    const bad = points.withColumns(
      pl.when(pl.col("anomaly_id").eq(pl.lit("a1"))).then(pl.lit(null)).otherwise(pl.col("anomaly_type")).alias(
        "anomaly_type",
      ),
    );
    assert.deepEqual(failed(checkAnomalies(bad, { events, series, targets: {} })), [
      "anomalies.agreement",
      "anomalies.labels",
    ]);
  });
});

Deno.test("validateLoaded() passes a generated anomalies dataset and trips on its corruptions", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "opslab-validate-anomalies-" });
  const config = AnomaliesConfig.parse({ series: 80, points: 600, anomaly_ratio: 0.5, seed: 3 });
  await writeAnomaliesDataset(config, `${dir}/anomalies`, { created: CREATED });
  const loaded = await loadForValidation(`${dir}/anomalies`);
  const base = validateLoaded(loaded, { validated: CREATED });
  await t.step("clean", () => assertFailed(base, []));
  await t.step("the configured ratio halved in the manifest: the measured rate is off by two", () => {
    const manifest = editConfig(loaded.manifest!, (c) => c.anomaly_ratio = config.anomaly_ratio / 2);
    assertFailed(validateLoaded({ ...loaded, manifest }, { validated: CREATED }), ["anomalies.series_ratio"]);
  });
  await t.step("an event row lost: labels disagree and the points reference a missing anomaly", () => {
    const events = inMemory(loaded.tables.events).tail(loaded.tables.events.height - 1);
    const v = validateLoaded({ ...loaded, tables: { ...loaded.tables, events } }, { validated: CREATED });
    assertFailed(v, ["anomalies.agreement", "integrity.fk:points.anomaly_id", "completeness.rows:events"]);
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("label failures carry their rows: points mislabeled, points that disagree with their event", () => {
  const { points, events, series } = fixture(EVENTS);
  // s1 point 12 (inside a1) loses its id; s3 point 5 is flagged with no event at all.
  const row = (s: string, i: number) =>
    pl.col("series_id").eq(pl.lit(s)).and(pl.col("timestamp").cast(pl.Int64).eq(pl.lit(ts(i))));
  const bad = points.withColumns(
    pl.when(row("s1", 12)).then(pl.lit(null)).otherwise(pl.col("anomaly_id")).alias("anomaly_id"),
    pl.when(row("s3", 5)).then(pl.lit(true)).otherwise(pl.col("is_anomaly")).alias("is_anomaly"),
  );
  const out = checkAnomalies(bad, { events, series, targets: TARGETS, tolerance: 0.5 });
  const labels = out.find((r) => r.id === "anomalies.labels")!;
  assert.equal(labels.passed, false);
  assert.deepEqual(labels.failing_rows!.key, ["series_id", "timestamp"]);
  assert.deepEqual(labels.failing_rows!.rows.map((r) => [r[0], r[1]]), [
    ["s1", new Date(ts(12)).toISOString()],
    ["s3", new Date(ts(5)).toISOString()],
  ]);
  const agreement = out.find((r) => r.id === "anomalies.agreement")!;
  assert.equal(agreement.passed, false);
  assert.deepEqual(agreement.failing_rows!.columns.slice(-2), ["event_id", "event_type"]);
  const byPoint = new Map(agreement.failing_rows!.rows.map((r) => [`${r[0]}@${r[1]}`, r]));
  assert.equal(byPoint.get(`s1@${new Date(ts(12)).toISOString()}`)?.at(-2), "a1", "the event it falls in");
  assert.equal(byPoint.get(`s3@${new Date(ts(5)).toISOString()}`)?.at(-2), null, "flagged outside every event");
});
