import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { ANOMALY_TYPE_NAMES, type AnomalyEvent, generateAnomalies, METRICS } from "@lib/generate/anomalies/mod.ts";

/**
 * The simplest baseline a detector builder starts from: the z-score of each point against the mean and standard
 * deviation of the `window` points before it (missing values skipped).
 */
function rollingZ(values: ArrayLike<number | null>, from: number, to: number, window = 60): Float64Array {
  const z = new Float64Array(to - from);
  for (let i = from; i < to; i++) {
    let n = 0, s = 0, s2 = 0;
    for (let j = Math.max(0, i - window); j < i; j++) {
      const v = values[j];
      if (v === null || Number.isNaN(v)) continue;
      n++;
      s += v;
      s2 += v * v;
    }
    const x = values[i];
    if (n < 10 || x === null) continue;
    const mean = s / n;
    const sd = Math.sqrt(Math.max(1e-12, (s2 - n * mean * mean) / (n - 1)));
    z[i - from] = (x - mean) / sd;
  }
  return z;
}

function run(type: "spike" | "level_shift", seed: number) {
  const types = Object.fromEntries(ANOMALY_TYPE_NAMES.map((t) => [t, { weight: t === type ? 1 : 0 }]));
  return generateAnomalies({ series: 60, seed, anomaly_ratio: 1, types });
}

/** Share of events whose span holds a point with |z| > threshold on every affected metric's series. */
function detected(type: "spike" | "level_shift", seed: number, threshold: number) {
  const ds = run(type, seed);
  const columns = Object.fromEntries(METRICS.map((m) => [m, ds.points.getColumn(m).toArray() as (number | null)[]]));
  const points = ds.config.points;
  let hit = 0;
  const missed: AnomalyEvent[] = [];
  for (const e of ds.eventList) {
    const s = Number(e.series_id.slice(7));
    const series = (m: string) => columns[m].slice(s * points, (s + 1) * points);
    const found = e.metrics.some((m) =>
      rollingZ(series(m), e.start_index, e.start_index + e.length).some((z) => Math.abs(z) > threshold)
    );
    if (found) hit++;
    else missed.push(e);
  }
  return { rate: hit / ds.eventList.length, n: ds.eventList.length, missed };
}

for (const seed of [42, 1337]) {
  Deno.test(`a rolling z-score (60 points, |z| > 3.5) finds most spikes at the configured magnitude (seed ${seed})`, () => {
    const { rate, n, missed } = detected("spike", seed, 3.5);
    assert.ok(n >= 60);
    assert.ok(rate >= 0.9, `found ${(100 * rate).toFixed(1)}% of ${n} spikes; missed ${JSON.stringify(missed[0])}`);
  });

  Deno.test(`a rolling z-score (60 points, |z| > 3.5) finds most level shifts at the configured magnitude (seed ${seed})`, () => {
    const { rate, n, missed } = detected("level_shift", seed, 3.5);
    assert.ok(n >= 60);
    assert.ok(
      rate >= 0.9,
      `found ${(100 * rate).toFixed(1)}% of ${n} level shifts; missed ${JSON.stringify(missed[0])}`,
    );
  });
}

Deno.test("the same rolling z-score stays quiet on normal points, with the heavy tails of real ones (|z| > 6 on 0.05-1 %)", () => {
  const ds = generateAnomalies({ series: 30, seed: 5, anomaly_ratio: 0 });
  let alarms = 0, total = 0;
  for (const m of METRICS) {
    const v = ds.points.getColumn(m).toArray() as number[];
    for (let s = 0; s < 30; s++) {
      const z = rollingZ(v.slice(s * 1440, (s + 1) * 1440), 60, 1440);
      for (const x of z) if (Math.abs(x) > 6) alarms++;
      total += z.length;
    }
  }
  assert.ok(alarms / total < 0.01 && alarms / total > 0.0005, `|z| > 6 on ${(100 * alarms / total).toFixed(3)}%`);
});
