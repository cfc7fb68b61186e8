import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { entityStream } from "@lib/random/mod.ts";
import { generateAnomalies, METRICS } from "@lib/generate/anomalies/mod.ts";
import { detectability } from "@lib/generate/anomalies/detect.ts";
import { drawBursts, drawNoise, drawProfile, makeBurstBuffers, renderSeries } from "@lib/generate/anomalies/model.ts";
import { AnomaliesConfig } from "@lib/generate/anomalies/config.ts";

const GRID = { startMs: Date.parse("2024-01-03T00:00:00Z"), stepMs: 60_000, points: 1440 };

function excessKurtosis(a: ArrayLike<number>): number {
  let n = 0, m = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === a[i]) (n++, m += a[i]);
  m /= n;
  let m2 = 0, m4 = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== a[i]) continue;
    const d = (a[i] - m) ** 2;
    m2 += d;
    m4 += d * d;
  }
  return (m4 / n) / (m2 / n) ** 2 - 3;
}

function diffs(a: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length - 1 }, (_, i) => a[i + 1] - a[i]);
}

function median(a: number[]): number {
  const s = a.slice().sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

function render(noise: { tail: [number, number]; count_cv: [number, number]; bursts: boolean }, id: string) {
  const rng = entityStream(7, { dataset: "anomalies", entity: id });
  const profile = drawProfile(rng);
  const n = drawNoise(rng, noise);
  const bursts = makeBurstBuffers(GRID.points);
  const count = drawBursts(rng, { noise: n, grid: GRID, out: bursts });
  const three = () => [0, 1, 2].map(() => new Float64Array(GRID.points)) as [Float64Array, Float64Array, Float64Array];
  const out = { values: three(), expected: three() };
  renderSeries(profile, {
    rng,
    grid: GRID,
    out,
    scratch: new Float64Array(4 * GRID.points),
    realism: { noise: n, bursts },
  });
  return { out, count, noise: n };
}

Deno.test("heavy tails: first differences of latency have excess kurtosis well above a normal model's", () => {
  const heavy: number[] = [], light: number[] = [], bursty: number[] = [];
  const cv: [number, number] = [0.06, 0.35];
  for (let s = 0; s < 40; s++) {
    const k = (tail: [number, number], bursts: boolean) =>
      excessKurtosis(diffs(render({ tail, count_cv: cv, bursts }, `k${s}`).out.values[0]));
    light.push(k([0, 0], false));
    heavy.push(k([0.05, 0.24], false));
    bursty.push(k([0.05, 0.24], true));
  }
  assert.ok(median(light) < 1, `light-tailed median ${median(light)}`);
  assert.ok(median(heavy) > median(light) + 1, `heavy-tailed median ${median(heavy)}`);
  // With the benign bursts, the default: near the real median of 17 (NAB / CloudWatch).
  assert.ok(median(bursty) > 6, `with bursts median ${median(bursty)}`);
});

Deno.test("count noise: median step / median level of throughput is within the real 0.07-0.81", () => {
  const ds = generateAnomalies({ series: 60, anomaly_ratio: 0, seed: 3 });
  const r = ds.points.groupBy("series_id").agg(
    pl.col("throughput_rps").diff(1, "ignore").abs().median().div(pl.col("throughput_rps").median()).alias("r"),
  );
  const m = median(r.getColumn("r").toArray() as number[]);
  assert.ok(m >= 0.07 && m <= 0.81, `median step/level ${m}`);
  // Without over-dispersion the counts are nearly Poisson and far smoother (the pre-issue-14 figure, 0.02).
  const poisson = generateAnomalies({ series: 60, anomaly_ratio: 0, seed: 3, noise: { count_cv: [1e-4, 1e-4] } });
  const r0 = poisson.points.groupBy("series_id").agg(
    pl.col("throughput_rps").diff(1, "ignore").abs().median().div(pl.col("throughput_rps").median()).alias("r"),
  );
  assert.ok(median(r0.getColumn("r").toArray() as number[]) < 0.05);
});

Deno.test("benign bursts are drawn, move the metrics, and are never labelled", () => {
  const on = render({ tail: [0, 0], count_cv: [0.06, 0.06], bursts: true }, "b1");
  const off = render({ tail: [0, 0], count_cv: [0.06, 0.06], bursts: false }, "b1");
  assert.ok(on.count > 0, "some bursts");
  let moved = 0;
  for (let i = 0; i < GRID.points; i++) if (on.out.values[0][i] !== off.out.values[0][i]) moved++;
  assert.ok(moved > 0, "bursts change latency");
  // In a dataset without anomalies, no point is labelled though bursts are there.
  const ds = generateAnomalies({ series: 50, anomaly_ratio: 0, seed: 11 });
  const bursts = ds.series.getColumn("benign_bursts").toArray() as number[];
  assert.ok(bursts.reduce((a, b) => a + b, 0) > 50);
  assert.equal(ds.points.filter(pl.col("is_anomaly")).height, 0);
  for (const m of METRICS) assert.equal(ds.points.filter(pl.col(`is_anomaly_${m}`)).height, 0);
});

Deno.test("difficulty: every measurable event has a difficulty column; presets order the sizes easy > realistic > hard", () => {
  assert.equal(AnomaliesConfig.parse({}).difficulty, "realistic");
  assert.throws(() => AnomaliesConfig.parse({ difficulty: "trivial" }));
  const run = (difficulty: "easy" | "realistic" | "hard") =>
    generateAnomalies({ series: 120, anomaly_ratio: 1, seed: 5, difficulty });
  const med: Record<string, number> = {};
  for (const d of ["easy", "realistic", "hard"] as const) {
    const ds = run(d);
    const diff = ds.events.getColumn("difficulty").toArray() as (number | null)[];
    const types = ds.events.getColumn("type").toArray() as string[];
    diff.forEach((v, k) => {
      if (types[k] === "missing") assert.equal(v, null);
      else assert.ok(v === null || v >= 0);
    });
    med[d] = median(diff.filter((v): v is number => v !== null));
    if (d !== "easy") {
      const scales = (ds.events.getColumn("parameters").toArray() as string[]).map((p) => JSON.parse(p).scale);
      assert.ok(scales.every((s) => typeof s === "number" && s > 0 && s <= 10));
    }
  }
  assert.ok(med.easy > med.realistic && med.realistic > med.hard, JSON.stringify(med));
  // Incidents: capped at realistic sizes (hundreds of sigma before issue 14).
  const ds = generateAnomalies({
    series: 60,
    anomaly_ratio: 1,
    seed: 5,
    types: {
      incident: { weight: 1 },
      ...Object.fromEntries(
        [
          "spike",
          "dip",
          "level_shift",
          "drift",
          "variance_change",
          "seasonal_change",
          "missing",
          "flatline",
          "pattern",
          "gc_sawtooth",
          "thundering_herd",
          "batch_window",
          "memory_leak",
        ].map((t) => [t, { weight: 0 }]),
      ),
    },
  });
  // The change is capped at 150 sigma; the measured peak |z| adds the point's own deviation before the change.
  const inc = (ds.events.getColumn("difficulty").toArray() as number[]).filter((v) => v !== null);
  const sorted = inc.slice().sort((a, b) => a - b);
  assert.ok(sorted[Math.floor(0.9 * sorted.length)] < 200, `P90 incident ${sorted[Math.floor(0.9 * sorted.length)]}`);
});

/** Per type, the share of events either reference detector finds at 0.1 % false alarms (documented in README). */
const FLOOR: Record<string, number> = {
  missing: 0.95,
  flatline: 0.8,
  spike: 0.4,
  thundering_herd: 0.4,
  batch_window: 0.4,
  pattern: 0.25,
  seasonal_change: 0.2,
  variance_change: 0.2,
  level_shift: 0.2,
  gc_sawtooth: 0.2,
  incident: 0.15,
  dip: 0.1,
  drift: 0.02,
  memory_leak: 0.01,
};

Deno.test("detectability: per type, the rolling z-score or the robust detector finds at least the documented share", () => {
  const ds = generateAnomalies({ series: 400, anomaly_ratio: 1, seed: 42 });
  const columns = METRICS.map((m) =>
    Float64Array.from(ds.points.getColumn(m).toArray() as (number | null)[], (x) => x === null ? NaN : x)
  );
  const label = Uint8Array.from(ds.points.getColumn("is_anomaly").toArray() as boolean[], (b) => b ? 1 : 0);
  const events = ds.eventList.map((e) => ({
    series: Number(e.series_id.slice(7)),
    start: e.start_index,
    length: e.length,
    type: e.type,
  }));
  const r = detectability(columns, { label, points: ds.config.points, events });
  for (const [type, floor] of Object.entries(FLOOR)) {
    const t = r.per_type[type];
    assert.ok(t && t.events >= 20, `${type}: ${t?.events} events`);
    assert.ok(t.either / t.events >= floor, `${type}: ${t.either}/${t.events} found, floor ${floor}`);
  }
  // The plain z-score alone finds about a third overall (the realistic preset's target, like NAB's).
  const share = r.all.zscore / r.all.events;
  assert.ok(share > 0.2 && share < 0.5, `rolling z-score finds ${share}`);
});

Deno.test("determinism: same seed, same realistic output; another seed differs", () => {
  const a = generateAnomalies({ series: 20, seed: 9 });
  const b = generateAnomalies({ series: 20, seed: 9 });
  const c = generateAnomalies({ series: 20, seed: 10 });
  assert.ok(a.points.frameEqual(b.points, true));
  assert.ok(a.events.frameEqual(b.events, true));
  assert.ok(a.series.frameEqual(b.series, true));
  assert.ok(!a.points.frameEqual(c.points, true));
});
