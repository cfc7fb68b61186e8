import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import {
  ANOMALY_TYPE_NAMES,
  ANOMALY_TYPES,
  type AnomalyTypeName,
  drawProfile,
  generateAnomalies,
  localStats,
  METRIC_BOUNDS,
  METRICS,
  type Placed,
  renderSeries,
  type SeriesContext,
  type Track,
} from "@lib/generate/anomalies/mod.ts";
import { wave } from "@lib/generate/anomalies/types/pattern.ts";
import { errorNoise } from "@lib/generate/anomalies/types/incident.ts";
import { envelope } from "@lib/generate/anomalies/types/_common.ts";
import { entityStream } from "@lib/random/mod.ts";

const KINDS = { latency_ms: "latency", error_rate_pct: "errors", throughput_rps: "throughput" } as const;

/** A real series from the model, as the generator builds its context. */
function context(seed = 1, points = 1440): SeriesContext {
  const rng = entityStream(seed, { dataset: "anomalies", entity: "types-test" });
  const profile = drawProfile(rng);
  const three = () => [0, 1, 2].map(() => new Float64Array(points)) as [Float64Array, Float64Array, Float64Array];
  const values = three(), expected = three();
  renderSeries(profile, {
    rng,
    grid: { startMs: Date.parse("2024-01-01T00:00:00Z"), stepMs: 60_000, points },
    out: { values, expected },
    scratch: new Float64Array(4 * points),
  });
  const tracks: Track[] = METRICS.map((name, m) => {
    const e = expected[m];
    const mu = e.reduce((a, b) => a + b, 0) / points;
    return {
      name,
      kind: KINDS[name],
      values: values[m],
      clean: values[m].slice(),
      expected: e,
      seasonal: e.map((x) => x - mu),
      lower: METRIC_BOUNDS[name][0],
      upper: METRIC_BOUNDS[name][1],
    };
  });
  return { tracks, points, period: 1440, sigmaWindow: 60 };
}

function event(metrics: number[], start: number, length: number, draw: Placed["draw"]): Placed {
  return { metrics, start, length, draw };
}

function near(a: number, b: number, what: string, tol = 1e-9): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} != ${b}`);
}

/** Asserts that only [start, end) changed, and returns the changes there. */
function changes(ctx: SeriesContext, m: number, start: number, end: number): Float64Array {
  const t = ctx.tracks[m];
  for (let i = 0; i < ctx.points; i++) {
    if (i >= start && i < end) continue;
    assert.ok(Object.is(t.values[i], t.clean[i]), `${t.name}[${i}] changed outside [${start}, ${end})`);
  }
  return t.values.subarray(start, end).map((v, k) => v - t.clean[start + k]);
}

Deno.test("spike adds magnitude x local standard deviation on its span only", () => {
  const ctx = context();
  const { std } = localStats(ctx, { track: ctx.tracks[0], start: 500 });
  const r = ANOMALY_TYPES.spike.apply(ctx, event([0], 500, 3, { magnitude: 6, unit: "sigma" }));
  for (const d of changes(ctx, 0, 500, 503)) near(d, 6 * std, "spike delta");
  near((r.effects as Record<string, { sigmas: number }>).latency_ms.sigmas, 6, "realized sigmas", 1e-5);
  for (const m of [1, 2]) changes(ctx, m, 0, 0);
});

Deno.test("spike in relative units adds magnitude x local mean", () => {
  const ctx = context();
  const { mean } = localStats(ctx, { track: ctx.tracks[2], start: 700 });
  ANOMALY_TYPES.spike.apply(ctx, event([2], 700, 1, { magnitude: 0.5, unit: "relative" }));
  near(changes(ctx, 2, 700, 701)[0], 0.5 * mean, "relative spike");
});

Deno.test("dip removes magnitude x sigma, never more than max_drop of the value", () => {
  const ctx = context();
  const { std } = localStats(ctx, { track: ctx.tracks[2], start: 300 });
  ANOMALY_TYPES.dip.apply(ctx, event([2], 300, 2, { magnitude: 5, unit: "sigma", max_drop: 0.9 }));
  const d = changes(ctx, 2, 300, 302);
  for (let k = 0; k < 2; k++) near(d[k], -Math.min(5 * std, 0.9 * ctx.tracks[2].clean[300 + k]), "dip");
  // A dip deeper than the value stops at 10% of it.
  const ctx2 = context();
  ANOMALY_TYPES.dip.apply(ctx2, event([0], 300, 1, { magnitude: 1e6, unit: "sigma", max_drop: 0.9 }));
  const t = ctx2.tracks[0];
  near(t.values[300], t.clean[300] - 0.9 * (t.clean[300] - t.lower), "floored dip");
  assert.ok(ctx2.tracks[0].values[300] > 0);
});

Deno.test("level_shift with recovery ramps in, holds, ramps out, all inside its span", () => {
  const ctx = context();
  const { std } = localStats(ctx, { track: ctx.tracks[0], start: 400 });
  ANOMALY_TYPES.level_shift.apply(
    ctx,
    event([0], 400, 50, {
      magnitude: 5,
      unit: "sigma",
      direction: "up",
      ramp_in: 4,
      recovery: true,
      ramp_out: 3,
      max_drop: 0.9,
    }),
  );
  const d = changes(ctx, 0, 400, 450);
  for (let k = 0; k < 50; k++) {
    near(d[k], 5 * std * envelope(k, { length: 50, rampIn: 4, rampOut: 3 }), `shift at ${k}`);
  }
  near(d[0], 5 * std / 5, "first ramp point");
  near(d[10], 5 * std, "held");
  assert.ok(d[49] > 0 && d[49] < 5 * std, "last point still shifted, less than full");
});

Deno.test("level_shift without recovery stays shifted after its span (labeled only over the span)", () => {
  const ctx = context();
  const { std } = localStats(ctx, { track: ctx.tracks[2], start: 400 });
  ANOMALY_TYPES.level_shift.apply(
    ctx,
    event([2], 400, 40, {
      magnitude: 4,
      unit: "sigma",
      direction: "down",
      ramp_in: 0,
      recovery: false,
      ramp_out: 5,
      max_drop: 0.9,
    }),
  );
  const t = ctx.tracks[2];
  for (let i = 0; i < 400; i++) assert.equal(t.values[i], t.clean[i]);
  for (let i = 400; i < 1440; i++) {
    near(t.values[i] - t.clean[i], -Math.min(4 * std, 0.9 * t.clean[i]), `persisting shift at ${i}`, 1e-6);
  }
});

Deno.test("level_shift and drift never move an error rate down, nor any value below (1 - max_drop) of itself", () => {
  const ctx = context();
  ANOMALY_TYPES.level_shift.apply(
    ctx,
    event([1], 300, 30, {
      magnitude: 1e4,
      unit: "sigma",
      direction: "down",
      ramp_in: 0,
      recovery: true,
      ramp_out: 0,
      max_drop: 0.9,
    }),
  );
  const d = changes(ctx, 1, 300, 330);
  assert.ok(d.every((x) => x >= 0), "error rate shifted up despite direction down");
  const ctx2 = context();
  ANOMALY_TYPES.drift.apply(
    ctx2,
    event([0], 300, 30, { magnitude: 1e4, unit: "sigma", direction: "down", recovery: true, max_drop: 0.5 }),
  );
  const t = ctx2.tracks[0];
  for (let i = 300; i < 330; i++) assert.ok(t.values[i] >= 0.5 * t.clean[i] - 1e-9, `latency floor at ${i}`);
});

Deno.test("drift creeps linearly to its magnitude and resets when it recovers", () => {
  const ctx = context();
  const { std } = localStats(ctx, { track: ctx.tracks[0], start: 200 });
  ANOMALY_TYPES.drift.apply(
    ctx,
    event([0], 200, 100, { magnitude: 8, unit: "sigma", direction: "up", recovery: true, max_drop: 0.9 }),
  );
  const d = changes(ctx, 0, 200, 300);
  for (let k = 0; k < 100; k++) near(d[k], 8 * std * (k + 1) / 100, `drift at ${k}`);
});

Deno.test("variance_change scales the noise around the expected level by its factor", () => {
  const ctx = context();
  ANOMALY_TYPES.variance_change.apply(ctx, event([0], 600, 120, { factor: 4, ramp_in: 0 }));
  const t = ctx.tracks[0];
  changes(ctx, 0, 600, 720);
  for (let i = 600; i < 720; i++) near(t.values[i] - t.expected[i], 4 * (t.clean[i] - t.expected[i]), `noise at ${i}`);
});

Deno.test("seasonal_change rescales the seasonal part (amplitude) or replays it time-warped (period)", () => {
  const ctx = context();
  ANOMALY_TYPES.seasonal_change.apply(ctx, event([2], 300, 200, { mode: "amplitude", factor: 3, ramp: 0 }));
  const t = ctx.tracks[2];
  const d = changes(ctx, 2, 300, 500);
  for (let k = 0; k < 200; k++) near(d[k], 2 * t.seasonal[300 + k], `amplitude at ${k}`, 1e-6);
  const ctx2 = context();
  ANOMALY_TYPES.seasonal_change.apply(ctx2, event([2], 300, 200, { mode: "period", factor: 2, ramp: 0 }));
  const t2 = ctx2.tracks[2];
  const d2 = changes(ctx2, 2, 300, 500);
  for (let k = 0; k < 200; k++) near(d2[k], t2.seasonal[300 + 2 * k] - t2.seasonal[300 + k], `period at ${k}`, 1e-6);
});

Deno.test("missing leaves NaN (null in frames) on its span for its metrics only", () => {
  const ctx = context();
  ANOMALY_TYPES.missing.apply(ctx, event([0, 2], 100, 20, {}));
  for (const m of [0, 2]) {
    const t = ctx.tracks[m];
    for (let i = 0; i < 1440; i++) assert.equal(Number.isNaN(t.values[i]), i >= 100 && i < 120);
  }
  changes(ctx, 1, 0, 0);
});

Deno.test("flatline repeats the last value before its span", () => {
  const ctx = context();
  ANOMALY_TYPES.flatline.apply(ctx, event([1], 800, 60, {}));
  const t = ctx.tracks[1];
  changes(ctx, 1, 800, 860);
  for (let i = 800; i < 860; i++) assert.equal(t.values[i], t.clean[799]);
});

Deno.test("pattern adds a zero-mean waveform of its amplitude and period", () => {
  for (const shape of ["square", "sawtooth", "triangle", "sine"] as const) {
    const ctx = context();
    const { std } = localStats(ctx, { track: ctx.tracks[0], start: 900 });
    ANOMALY_TYPES.pattern.apply(ctx, event([0], 900, 40, { magnitude: 4, unit: "sigma", shape, period: 8, phase: 0 }));
    const d = changes(ctx, 0, 900, 940);
    for (let k = 0; k < 40; k++) near(d[k], 4 * std * wave(shape, ((k + 0.5) / 8) % 1), `${shape} at ${k}`);
    const mean = d.reduce((a, b) => a + b, 0) / 40;
    assert.ok(Math.abs(mean) < 1e-9 * std, `${shape} is zero-mean over whole periods, got ${mean}`);
  }
});

Deno.test("incident moves the metrics together: latency up, errors up, throughput down", () => {
  const ctx = context();
  const draw = {
    latency_factor: 3,
    error_add_pct: 20,
    throughput_drop: 0.5,
    magnitude: 6,
    ramp_in: 5,
    ramp_out: 2,
  };
  ANOMALY_TYPES.incident.apply(ctx, event([0, 1, 2], 500, 60, draw));
  const [lat, err, thr] = ctx.tracks;
  for (let k = 0; k < 60; k++) {
    const i = 500 + k, w = envelope(k, { length: 60, rampIn: 5, rampOut: 2 });
    near(lat.values[i], lat.clean[i] * (1 + 2 * w), `latency at ${k}`);
    const { std } = localStats(ctx, { track: err, start: 500 });
    const z = Math.max(-3, Math.min(3, (err.clean[i] - err.expected[i]) / std));
    near(err.values[i], Math.min(100, err.clean[i] + 20 * w * errorNoise(z)), `errors at ${k}`);
    near(thr.values[i], thr.clean[i] * (1 - 0.5 * w), `throughput at ${k}`);
  }
  for (const m of [0, 1, 2]) changes(ctx, m, 500, 560);
});

/** Runs one type alone on every series and returns the run and the same series without anomalies. */
function runType(type: AnomalyTypeName, params: Record<string, unknown> = {}, seed = 42) {
  const types = Object.fromEntries(
    ANOMALY_TYPE_NAMES.map((t) => [t, t === type ? { weight: 1, ...params } : { weight: 0 }]),
  );
  const base = { series: 25, points: 1440, seed, anomalies_per_series: [1, 3] as [number, number], types };
  return {
    ds: generateAnomalies({ ...base, anomaly_ratio: 1 }),
    clean: generateAnomalies({ ...base, anomaly_ratio: 0 }),
  };
}

for (const type of ANOMALY_TYPE_NAMES) {
  Deno.test(`${type}: injected exactly where its label says (values differ only inside labeled spans)`, () => {
    // Persisting variants move the series after their span on purpose; they are checked above.
    const params = type === "level_shift" || type === "drift" ? { recovery: 1 } : {};
    const { ds, clean } = runType(type, params);
    assert.ok(ds.eventList.length >= 25 && ds.eventList.every((e) => e.type === type));
    const labels = ds.points.getColumn("is_anomaly").toArray() as boolean[];
    let changedInside = 0, labeledTotal = 0;
    for (const [m, name] of METRICS.entries()) {
      const a = ds.points.getColumn(name).toArray() as (number | null)[];
      const b = clean.points.getColumn(name).toArray() as (number | null)[];
      const flags = ds.points.getColumn(`is_anomaly_${name}`).toArray() as boolean[];
      for (let i = 0; i < a.length; i++) {
        const changed = !Object.is(a[i], b[i]);
        if (changed) assert.ok(flags[i], `${type}: ${name} changed at unlabeled row ${i}`);
        if (flags[i]) {
          assert.ok(labels[i]);
          labeledTotal++;
          if (changed) changedInside++;
        }
      }
      void m;
    }
    // Every labeled point of an affected metric is changed, but for waveforms crossing zero, seasonal parts
    // crossing their mean, and noise pushed below an error rate of 0 (held at 0, so unchanged).
    const share = changedInside / labeledTotal;
    const floor: Partial<Record<AnomalyTypeName, number>> = {
      pattern: 0.9,
      seasonal_change: 0.9,
      variance_change: 0.97,
    };
    assert.ok(share >= (floor[type] ?? 0.99), `${type}: ${share}`);
  });
}

Deno.test("level_shift and drift without recovery change the series after the span while the label ends with it", () => {
  for (const type of ["level_shift", "drift"] as const) {
    const { ds, clean } = runType(type, { recovery: 0 });
    const a = ds.points.getColumn("latency_ms").toArray() as number[];
    const b = clean.points.getColumn("latency_ms").toArray() as number[];
    const thrA = ds.points.getColumn("throughput_rps").toArray() as number[];
    const thrB = clean.points.getColumn("throughput_rps").toArray() as number[];
    const errA = ds.points.getColumn("error_rate_pct").toArray() as number[];
    const errB = clean.points.getColumn("error_rate_pct").toArray() as number[];
    const labels = ds.points.getColumn("is_anomaly").toArray() as boolean[];
    let after = 0;
    for (const e of ds.eventList) {
      const s = Number(e.series_id.slice(7));
      const next = ds.eventList.find((x) => x.series_id === e.series_id && x.start_index > e.start_index);
      const i = s * 1440 + e.start_index + e.length; // first point after the span
      if (e.start_index + e.length >= 1440 || (next && next.start_index === e.start_index + e.length)) continue;
      assert.equal(labels[i], false, "label ends with the span");
      if (a[i] !== b[i] || thrA[i] !== thrB[i] || errA[i] !== errB[i]) after++;
    }
    assert.ok(after > 0.9 * ds.eventList.length, `${type}: shifted after the span in ${after}/${ds.eventList.length}`);
  }
});
