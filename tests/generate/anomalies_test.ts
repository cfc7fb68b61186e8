import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import pl from "nodejs-polars";
import { ConfigError, resolveConfig } from "@lib/config/mod.ts";
import { dtypeName, schemaOf } from "@lib/lake/mod.ts";
import { polarsSchema } from "@lib/schema/mod.ts";
import {
  AnomaliesConfig,
  ANOMALY_TYPE_NAMES,
  AnomalyEventRow,
  anomalyExamples,
  AnomalyPoint,
  AnomalySeriesRow,
  checkFit,
  drawProfile,
  freqToMs,
  generateAnomalies,
  planAnomalies,
  rateTable,
  renderSeries,
  writeAnomaliesDataset,
} from "@lib/generate/anomalies/mod.ts";
import { entityStream } from "@lib/random/mod.ts";

const config = (flags: Record<string, unknown> = {}) => resolveConfig(AnomaliesConfig, { flags, what: "anomalies" });
const SEEDS = [42, 1337, 1211];

async function fileHash(path: string): Promise<string> {
  return createHash("sha256").update(await Deno.readFile(path)).digest("hex");
}

function col<T = unknown>(df: pl.DataFrame, name: string): T[] {
  return df.getColumn(name).toArray() as T[];
}

Deno.test("AnomaliesConfig has the documented defaults", () => {
  const c = config();
  assert.equal(c.series, 1000);
  assert.equal(c.points, 1440);
  assert.equal(c.freq, "1m");
  assert.equal(c.start, "2024-01-01T00:00:00Z");
  assert.equal(c.name, "anomalies");
  assert.equal(c.seed, 42);
  assert.equal(c.anomaly_ratio, 0.5);
  assert.deepEqual(c.anomalies_per_series, [1, 3]);
  assert.equal(c.min_gap, 30);
  assert.equal(c.classification, "internal");
  assert.equal(c.retention_days, 30);
  assert.deepEqual(Object.keys(c.types), ANOMALY_TYPE_NAMES);
  for (const t of ANOMALY_TYPE_NAMES) assert.equal(c.types[t].weight, 1, t);
  assert.deepEqual(c.types.spike.magnitude, [5, 10]);
});

Deno.test("freqToMs() accepts 30s/1m/5m/1h/1d style and rejects the rest", async (t) => {
  for (
    const [text, ms] of [["30s", 30_000], ["1m", 60_000], ["5m", 300_000], ["15min", 900_000], ["1h", 3_600_000], [
      "1d",
      86_400_000,
    ]] as const
  ) {
    await t.step(text, () => assert.equal(freqToMs(text), ms));
  }
  for (const bad of ["0m", "1x", "m", "1.5m", ""]) {
    await t.step(
      `rejects "${bad}"`,
      () => assert.throws(() => freqToMs(bad), (e) => e instanceof RangeError && /freq/.test(e.message)),
    );
  }
});

Deno.test("AnomaliesConfig rejects bad values with one line naming the key and the value", async (t) => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["series 0", { series: 0 }, /series .*got 0/],
    ["negative ratio", { anomaly_ratio: -0.1 }, /anomaly_ratio .*got -0.1/],
    ["ratio above 1", { anomaly_ratio: 1.5 }, /anomaly_ratio/],
    ["bad freq", { freq: "1x" }, /freq .*got "1x"/],
    ["start without zone", { start: "2024-01-01 00:00" }, /start/],
    ["range reversed", { anomalies_per_series: [3, 1] }, /anomalies_per_series .*min <= max/],
    ["unknown key", { serie: 10 }, /serie is not a known key/],
    ["unknown type", { types: { spikes: { weight: 1 } } }, /types.spikes is not a known key/],
    ["unknown type parameter", { types: { spike: { height: 3 } } }, /types.spike.height is not a known key/],
    ["negative weight", { types: { dip: { weight: -1 } } }, /types.dip.weight/],
    ["length range reversed", { types: { spike: { length: [5, 2] } } }, /types.spike.length/],
    ["compress parquet", { compress: true }, /compress is invalid: applies to csv only/],
  ];
  for (const [name, flags, re] of cases) {
    await t.step(name, () => {
      assert.throws(() => config(flags), (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, re);
        assert.ok(!e.message.includes("\n"), "one line");
        return true;
      });
    });
  }
});

Deno.test("checkFit() fails with the numbers when the request cannot fit, and passes when it just fits", () => {
  assert.throws(
    () => checkFit(config({ points: 200 })),
    /Cannot fit anomalies in "anomalies": 3 anomalies of at least 120 points \(seasonal_change\) with min_gap 30 need 420 points after warmup 60, but series have 200 points/,
  );
  assert.throws(() => generateAnomalies({ points: 200 }), RangeError);
  // 2 spikes of >= 1 point with gap 10 need 12 points after a warmup of 8: 20 points fit exactly.
  const tight = config({
    points: 20,
    warmup: 8,
    min_gap: 10,
    sigma_window: 8,
    anomaly_ratio: 1,
    anomalies_per_series: [2, 2],
    types: Object.fromEntries(ANOMALY_TYPE_NAMES.map((t) => [t, { weight: t === "spike" ? 1 : 0, length: [1, 3] }])),
  });
  checkFit(tight);
  const ds = generateAnomalies({ ...tight, series: 30 });
  for (const s of ds.seriesList) {
    const ev = ds.eventList.filter((e) => e.series_id === s.series_id);
    assert.equal(ev.length, 2);
    assert.ok(ev[1].start_index - (ev[0].start_index + ev[0].length) >= 10, "gap kept");
    assert.ok(ev[1].start_index + ev[1].length <= 20, "inside the series");
  }
  assert.ok(ds.stats.shortened_anomalies > 0, "drawn lengths were shortened to fit");
  assert.throws(
    () =>
      checkFit({ ...tight, anomaly_ratio: 0.5, types: { ...tight.types, spike: { ...tight.types.spike, weight: 0 } } }),
    /every type has weight 0/,
  );
});

for (const seed of SEEDS) {
  Deno.test(`generateAnomalies() labels agree with events, never overlap and respect min_gap and warmup (seed ${seed})`, () => {
    const ds = generateAnomalies({ series: 60, seed });
    const c = ds.config;
    assert.equal(ds.points.height, 60 * 1440);
    // Rebuild the expected labels from the events and compare point by point.
    const n = ds.points.height;
    const wantType: (string | null)[] = new Array(n).fill(null);
    const wantId: (string | null)[] = new Array(n).fill(null);
    const wantFlags = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
    const metricIndex: Record<string, number> = { latency_ms: 0, error_rate_pct: 1, throughput_rps: 2 };
    const bySeries = new Map<string, typeof ds.eventList>();
    for (const e of ds.eventList) {
      const s = Number(e.series_id.slice(7));
      for (let i = e.start_index; i < e.start_index + e.length; i++) {
        const row = s * c.points + i;
        assert.equal(wantType[row], null, `overlap at ${e.anomaly_id}`);
        wantType[row] = e.type;
        wantId[row] = e.anomaly_id;
        for (const m of e.metrics) wantFlags[metricIndex[m]][row] = 1;
      }
      assert.equal(e.end_ms - e.start_ms, (e.length - 1) * 60_000);
      assert.ok(e.start_index >= c.warmup, "no anomaly starts in the warmup");
      bySeries.set(e.series_id, [...(bySeries.get(e.series_id) ?? []), e]);
    }
    assert.deepEqual(col(ds.points, "anomaly_type"), wantType);
    assert.deepEqual(col(ds.points, "anomaly_id"), wantId);
    assert.deepEqual(col(ds.points, "is_anomaly"), wantType.map((t) => t !== null));
    for (const [m, k] of Object.entries(metricIndex)) {
      assert.deepEqual(col(ds.points, `is_anomaly_${m}`), Array.from(wantFlags[k], (f) => f === 1), m);
    }
    for (const events of bySeries.values()) {
      assert.ok(events.length >= c.anomalies_per_series[0] && events.length <= c.anomalies_per_series[1]);
      for (let k = 1; k < events.length; k++) {
        const gap = events[k].start_index - (events[k - 1].start_index + events[k - 1].length);
        assert.ok(gap >= c.min_gap, `gap ${gap} < ${c.min_gap}`);
      }
    }
    // Events table and series table agree with the events.
    assert.deepEqual(col(ds.events, "anomaly_id"), ds.eventList.map((e) => e.anomaly_id));
    const counts = col<number>(ds.series, "anomaly_count");
    const ids = col<string>(ds.series, "series_id");
    ids.forEach((id, i) => assert.equal(counts[i], bySeries.get(id)?.length ?? 0));
    const labeled = wantType.filter((t) => t !== null).length;
    assert.equal(ds.stats.labeled_points, labeled);
    assert.equal(ds.stats.contamination, labeled / n);
    assert.equal(ds.stats.events, ds.eventList.length);
  });
}

Deno.test("generateAnomalies() chooses round(anomaly_ratio * series) series at random, not the first ones", () => {
  for (const [series, ratio] of [[100, 0.3], [57, 0.5], [10, 0], [10, 1]] as const) {
    const plan = planAnomalies({ series, anomaly_ratio: ratio, points: 600 });
    const chosen = [...plan.selected].map((v, i) => (v ? i : -1)).filter((i) => i >= 0);
    assert.equal(chosen.length, Math.round(series * ratio));
    if (chosen.length > 0 && chosen.length < series) {
      assert.notDeepEqual(chosen, Array.from({ length: chosen.length }, (_, i) => i), "not the first ones");
    }
  }
  const ds = generateAnomalies({ series: 100, anomaly_ratio: 0.3, points: 600 });
  assert.equal(ds.stats.anomalous_series, 30);
  assert.equal(ds.stats.anomaly_ratio_achieved, 0.3);
  assert.equal(col<boolean>(ds.series, "has_anomaly").filter(Boolean).length, 30);
});

Deno.test("generateAnomalies() frames match the AnomalyPoint, AnomalyEventRow and AnomalySeriesRow schemas", () => {
  const ds = generateAnomalies({ series: 20, seed: 5 });
  for (
    const [df, schema] of [[ds.points, AnomalyPoint], [ds.events, AnomalyEventRow], [
      ds.series,
      AnomalySeriesRow,
    ]] as const
  ) {
    const want = Object.entries(polarsSchema(schema)).map(([k, v]) => [k, dtypeName(v)]);
    assert.deepEqual(Object.entries(schemaOf(df)), want);
  }
  // Every row of the small tables passes its row schema (values, not just dtypes).
  for (const row of ds.events.toRecords()) AnomalyEventRow.parse(row);
  for (const row of ds.series.toRecords()) AnomalySeriesRow.parse(row);
  for (const row of ds.points.head(3000).toRecords()) AnomalyPoint.parse(row);
});

for (const seed of SEEDS) {
  Deno.test(`generateAnomalies() values are physically valid after injection (seed ${seed})`, () => {
    const ds = generateAnomalies({ series: 80, seed, anomaly_ratio: 1, anomalies_per_series: [2, 4] });
    const r = ds.points.select(
      pl.col("latency_ms").min().alias("lat_min"),
      pl.col("error_rate_pct").min().alias("err_min"),
      pl.col("error_rate_pct").max().alias("err_max"),
      pl.col("throughput_rps").min().alias("thr_min"),
      pl.col("latency_ms").isNull().sum().alias("lat_null"),
      pl.col("latency_ms").isNan().sum().alias("lat_nan"),
      pl.col("latency_ms").isInfinite().sum().alias("lat_inf"),
      pl.col("throughput_rps").isInfinite().sum().alias("thr_inf"),
    ).toRecords()[0];
    assert.ok(Number(r.lat_min) > 0, `latency > 0, got ${r.lat_min}`);
    assert.ok(
      Number(r.err_min) >= 0 && Number(r.err_max) <= 100,
      `error rate in 0-100, got ${r.err_min}..${r.err_max}`,
    );
    assert.ok(Number(r.thr_min) >= 0, `throughput >= 0, got ${r.thr_min}`);
    assert.equal(Number(r.lat_nan), 0);
    assert.equal(Number(r.lat_inf) + Number(r.thr_inf), 0);
    // Nulls only inside missing anomalies.
    const outside = ds.points.filter(
      pl.col("anomaly_type").neq(pl.lit("missing")).or(pl.col("anomaly_type").isNull()).and(
        pl.col("latency_ms").isNull().or(pl.col("error_rate_pct").isNull()).or(pl.col("throughput_rps").isNull()),
      ),
    ).height;
    assert.equal(outside, 0);
    assert.equal(Number(r.lat_null) > 0, ds.stats.per_type.missing.events > 0);
  });
}

Deno.test("generateAnomalies() couples the metrics: latency rises with load in most series", () => {
  // Per-instance count noise (issue 14) is independent per point, so the coupling is read on 15-point means.
  const smooth = (c: string) => pl.col(c).rollingMean({ windowSize: 15 }).over("series_id").alias(c);
  for (const seed of SEEDS) {
    const ds = generateAnomalies({ series: 40, anomaly_ratio: 0, seed });
    const corr = ds.points.select("series_id", smooth("throughput_rps"), smooth("latency_ms")).dropNulls()
      .groupBy("series_id").agg(pl.pearsonCorr("throughput_rps", "latency_ms").alias("c"));
    const positive = col<number>(corr, "c").filter((v) => v > 0.2).length;
    assert.ok(positive >= 35, `seed ${seed}: latency follows throughput in ${positive}/40 series`);
  }
});

Deno.test("renderSeries() saturates like a queue: near capacity latency climbs sharply and errors rise", () => {
  const grid = { startMs: Date.parse("2024-01-03T00:00:00Z"), stepMs: 60_000, points: 1440 };
  const run = (utilization: number) => {
    const rng = entityStream(1, { dataset: "anomalies", entity: "model-test" });
    const p = { ...drawProfile(rng), base_utilization: utilization, daily_amplitude: 0, daily_harmonic: 0 };
    const three = () => [0, 1, 2].map(() => new Float64Array(1440)) as [Float64Array, Float64Array, Float64Array];
    const out = { values: three(), expected: three() };
    renderSeries(p, { rng, grid, out, scratch: new Float64Array(4 * 1440) });
    const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / a.length;
    return { p, lat: mean(out.values[0]), err: mean(out.values[1]), thr: mean(out.values[2]) };
  };
  const low = run(0.3), mid = run(0.6), high = run(0.93);
  assert.ok(Math.abs(low.thr / (0.3 * low.p.capacity_rps) - 1) < 0.05, "throughput is the load");
  assert.ok(mid.lat > low.lat && high.lat > mid.lat, "latency rises with load");
  assert.ok((high.lat - mid.lat) / 0.33 > 3 * (mid.lat - low.lat) / 0.3, "sharply near saturation");
  assert.ok(high.err > low.err + 5, `errors rise at saturation: ${low.err} -> ${high.err}`);
  assert.ok(
    Math.abs(low.err - low.p.base_error_rate_pct) < 0.2 * low.p.base_error_rate_pct + 0.05,
    "base errors at low load",
  );
});

Deno.test("generateAnomalies() puts the daily peak of throughput near the configured local peak hour", () => {
  const ds = generateAnomalies({ series: 30, anomaly_ratio: 0, seed: 3 });
  const thr = ds.points.getColumn("throughput_rps").toArray() as number[];
  let near = 0;
  for (const [s, meta] of ds.seriesList.entries()) {
    if (meta.daily_amplitude < 0.3) {
      near++;
      continue;
    }
    // Hourly means of the day, in local time.
    const hourly = new Array(24).fill(0);
    for (let i = 0; i < 1440; i++) hourly[Math.floor(i / 60)] += thr[s * 1440 + i];
    const peakUtc = hourly.indexOf(Math.max(...hourly)) + 0.5;
    const peakLocal = (peakUtc + meta.utc_offset_hours + 24) % 24;
    const diff = Math.abs(((peakLocal - meta.daily_peak_hour + 36) % 24) - 12);
    if (diff <= 3) near++;
  }
  assert.ok(near >= 27, `peak near its hour in ${near}/30 series`);
});

Deno.test("generateAnomalies() gives the same series whatever subset or order is generated", () => {
  const full = generateAnomalies({ series: 12, seed: 9 });
  const part = generateAnomalies({ series: 12, seed: 9 }, { only: [7, 3] });
  const fromFull = (id: string) => full.points.filter(pl.col("series_id").eq(pl.lit(id)));
  const fromPart = (id: string) => part.points.filter(pl.col("series_id").eq(pl.lit(id)));
  for (const id of ["series-00007", "series-00003"]) assert.ok(fromFull(id).frameEqual(fromPart(id), true), id);
  assert.deepEqual(
    part.eventList.map((e) => e.anomaly_id),
    full.eventList.filter((e) => e.series_id === "series-00007").concat(
      full.eventList.filter((e) => e.series_id === "series-00003"),
    ).map((e) => e.anomaly_id),
  );
  assert.deepEqual(col(part.series, "series_id"), ["series-00007", "series-00003"]);
});

Deno.test("writeAnomaliesDataset() is byte-identical for one seed, differs for another, and file splits keep values", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const small = config({ series: 30, points: 600, seed: 7 });
    await writeAnomaliesDataset(small, `${dir}/a`);
    await writeAnomaliesDataset(small, `${dir}/b`);
    await writeAnomaliesDataset({ ...small, seed: 8 }, `${dir}/c`);
    await writeAnomaliesDataset({ ...small, rows_per_file: 5000 }, `${dir}/d`);
    for (const table of ["points", "events", "series"]) {
      const [a, b, c] = await Promise.all(["a", "b", "c"].map((x) => fileHash(`${dir}/${x}/${table}.parquet`)));
      assert.equal(a, b, `${table}: same seed, same bytes`);
      assert.notEqual(a, c, `${table}: other seed, other bytes`);
    }
    // Split into files of 8 series (5000 rows / 600 points): the rows read back are the same rows.
    const whole = pl.readParquet(`${dir}/a/points.parquet`);
    const parts = [...Deno.readDirSync(`${dir}/d/points`)].map((e) => e.name).sort();
    assert.deepEqual(parts, ["part-00000.parquet", "part-00008.parquet", "part-00016.parquet", "part-00024.parquet"]);
    const joined = pl.concat(parts.map((p) => pl.readParquet(`${dir}/d/points/${p}`)), { how: "vertical" });
    assert.ok(whole.frameEqual(joined, true));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeAnomaliesDataset() writes the manifest with the resolved config, the achieved rates and config.json", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const c = config({ series: 25, points: 720, seed: 3, format: "csv", compress: true });
    const { manifest, stats } = await writeAnomaliesDataset(c, `${dir}/x`, { created: new Date(0) });
    assert.equal(manifest.kind, "anomalies");
    assert.equal(manifest.primary_table, "points");
    assert.equal(manifest.rows, 25 * 720);
    assert.deepEqual(Object.keys(manifest.tables).sort(), ["events", "points", "series"]);
    assert.deepEqual(manifest.tables.points.files, ["points.csv.gz"]);
    assert.deepEqual(manifest.config, JSON.parse(JSON.stringify(c)));
    assert.equal((manifest.stats as Record<string, unknown>).contamination, stats.contamination);
    const onDisk = JSON.parse(await Deno.readTextFile(`${dir}/x/config.json`));
    assert.deepEqual(onDisk, JSON.parse(JSON.stringify(c)));
    assert.ok(manifest.files.some((f) => f.path === "config.json"));
    assert.equal(manifest.tables.events.rows, stats.events);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rateTable() lists every type with its configured and achieved shares", () => {
  const ds = generateAnomalies({ series: 200, seed: 4, types: { spike: { weight: 3 } } });
  const table = rateTable(ds.stats);
  assert.deepEqual(col(table, "type"), [...ANOMALY_TYPE_NAMES, "all"]);
  const expected = col<number>(table, "expected_share");
  const share = 3 / (3 + ANOMALY_TYPE_NAMES.length - 1);
  assert.equal(expected[0], share);
  const got = col<number>(table, "event_share");
  assert.ok(Math.abs(got[0] - share) < 0.08, `spike share ${got[0]} near ${share}`);
  assert.equal(col<number>(table, "events").at(-1), ds.stats.events);
});

Deno.test("anomalyExamples() picks per type distinct series, with the series and every window on it", () => {
  const ds = generateAnomalies({ series: 80, seed: 2 });
  const ex = anomalyExamples(ds.points, ds.events, { perType: 2, types: ["spike", "incident"] });
  assert.deepEqual(ex.map((e) => e.type), ["spike", "spike", "incident", "incident"]);
  assert.equal(new Set(ex.map((e) => e.series_id)).size, 4);
  for (const e of ex) {
    assert.equal(e.rows.length, 1440);
    const own = ds.eventList.filter((x) => x.series_id === e.series_id);
    assert.equal(e.windows.length, own.length);
    const picked = own.find((x) => x.anomaly_id === e.anomaly_id)!;
    assert.equal(e.metric, picked.metrics[0]);
    const w = e.windows.find((x) => x.anomaly_id === e.anomaly_id)!;
    assert.equal(w.start.getTime(), picked.start_ms);
    assert.equal(w.end.getTime(), picked.end_ms + 60_000, "end exclusive");
  }
});

Deno.test("anomaly_window keeps anomalies inside its fraction of every series (a clean training half)", () => {
  const ds = generateAnomalies({ series: 40, seed: 6, anomaly_ratio: 1, anomaly_window: [0.5, 1] });
  assert.ok(ds.eventList.length >= 40);
  for (const e of ds.eventList) assert.ok(e.start_index >= 720 && e.start_index + e.length <= 1440, e.anomaly_id);
  const cut = pl.lit(Date.parse("2024-01-01T12:00:00Z")).cast(pl.Datetime("ms", "UTC"));
  const firstHalf = ds.points.filter(pl.col("timestamp").lt(cut));
  assert.equal(firstHalf.height, 40 * 720);
  assert.equal(firstHalf.filter(pl.col("is_anomaly")).height, 0);
  assert.throws(
    () => checkFit(config({ anomaly_window: [0.9, 1] })),
    /need 420 points in the anomaly window \[1296, 1440\) of 1440 points \(warmup 60\), which has 144/,
  );
  assert.throws(() => config({ anomaly_window: [0.6, 0.4] }), /anomaly_window .*from < to/);
});
