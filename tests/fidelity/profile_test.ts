import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { dist, ksDistance, profileFrame } from "@lib/fidelity/mod.ts";
import { frame, normal } from "./_series.ts";

const roles = (metrics: Record<string, string>, label?: string) => ({
  entity: "id",
  time: "timestamp",
  metrics,
  ...(label ? { label } : {}),
});

Deno.test("profileFrame() gives lag-1 autocorrelation near phi for AR(1) series", () => {
  for (const phi of [0.3, 0.8]) {
    const state = new Map<number, number>();
    const df = frame(6, 3000, {
      x: (e, _i, u) => {
        const v = phi * (state.get(e) ?? 0) + normal(u);
        state.set(e, v);
        return 50 + v;
      },
    });
    const p = profileFrame(df, { roles: roles({ x: "x" }) });
    const acf1 = p.metrics.x.entity.acf_1.median!;
    assert.ok(Math.abs(acf1 - phi) < 0.05, `phi ${phi}: lag-1 ACF ${acf1}`);
    // An AR(1) forgets: at 24 h the autocorrelation is phi^24, near 0.
    assert.ok(Math.abs(p.metrics.x.entity.acf_24h.median!) < 0.08, `phi ${phi}: acf 24 h`);
    assert.equal(p.granularity, "hourly");
  }
});

Deno.test("profileFrame() measures the excess kurtosis of first differences (Laplace steps: 3, Gaussian: 0)", () => {
  const level = new Map<string, number>();
  const df = frame(4, 20_000, {
    laplace: (e, _i, u) => {
      const k = `l${e}`;
      const step = (u() < 0.5 ? -1 : 1) * -Math.log(1 - u());
      level.set(k, (level.get(k) ?? 0) + step);
      return level.get(k)!;
    },
    gauss: (e, _i, u) => {
      const k = `g${e}`;
      level.set(k, (level.get(k) ?? 0) + normal(u));
      return level.get(k)!;
    },
  });
  const p = profileFrame(df, { roles: roles({ laplace: "laplace", gauss: "gauss" }) });
  const kl = p.metrics.laplace.entity.kurt_diff.median!;
  const kg = p.metrics.gauss.entity.kurt_diff.median!;
  assert.ok(Math.abs(kl - 3) < 0.6, `Laplace steps: ${kl}`);
  assert.ok(Math.abs(kg) < 0.2, `Gaussian steps: ${kg}`);
});

Deno.test("profileFrame() gives the weekend ratio of a constructed calendar, in the data's local time", () => {
  // Daily points from a Monday: weekdays 10 (entity e: 10 + e), weekends half of that.
  const df = frame(3, 70, {
    x: (e, i) => (i % 7 >= 5 ? 0.5 : 1) * (10 + e),
  }, 86_400_000);
  const p = profileFrame(df, { roles: roles({ x: "x" }) });
  assert.equal(p.granularity, "daily");
  assert.equal(p.metrics.x.entity.weekend_ratio.min, 0.5);
  assert.equal(p.metrics.x.entity.weekend_ratio.max, 0.5);
  assert.ok("daily_share" in p.not_applicable && "daily_p95_ratio" in p.not_applicable);
  // Hourly: weekend hours in UTC+5 start five hours before Saturday 00:00 UTC.
  const h = frame(1, 24 * 28, { x: (_e, i) => ((i + 5) % 168 >= 120 ? 1 : 2) });
  const local = profileFrame(h, { roles: { ...roles({ x: "x" }), utcOffsetHours: 5 } });
  assert.equal(local.metrics.x.entity.weekend_ratio.median, 0.5);
  const utc = profileFrame(h, { roles: roles({ x: "x" }) });
  assert.notEqual(utc.metrics.x.entity.weekend_ratio.median, 0.5);
});

Deno.test("profileFrame() counts values at bounds, cross-metric correlation and the daily P95 ratio", () => {
  // cpu: 0 in 1 of 10 points, 100 in 2 of 10; mem = cpu / 2 (correlation 1); flat days give a P95 ratio of 1.
  const df = frame(2, 24 * 20, {
    cpu: (_e, i) => i % 10 === 0 ? 0 : i % 10 <= 2 ? 100 : 50,
    mem: (_e, i) => (i % 10 === 0 ? 0 : i % 10 <= 2 ? 100 : 50) / 2,
    net: (_e, i) => 10 + Math.floor(i / 24),
  });
  const p = profileFrame(df, { roles: roles({ cpu: "cpu", mem: "mem", net: "net" }) });
  assert.equal(p.metrics.cpu.pooled.at_lower, 0.1);
  assert.equal(p.metrics.cpu.pooled.at_upper, 0.2);
  assert.equal(p.metrics.mem.pooled.at_upper, 0);
  assert.equal(p.cross["cpu~mem"].median, 1);
  assert.equal(p.metrics.net.entity.daily_p95_ratio.median, 1);
  // A count series stepping by 1 per day over a level near 20: median |step| 0 (steps only at day ends).
  assert.equal(p.metrics.net.entity.step_level.median, 0);
  assert.equal(p.metrics.cpu.entity.step_level, undefined, "cpu is not a count series");
});

Deno.test("profileFrame() measures anomaly difficulty: large labelled spikes are caught, tiny ones are not", () => {
  const spike = (i: number) => i >= 200 && i % 97 === 0;
  const big = frame(5, 2000, {
    x: (_e, i, u) => 100 + normal(u) + (spike(i) ? 40 : 0),
    a: (_e, i) => spike(i) ? 1 : 0,
  }).withColumns(pl.col("a").eq(1).alias("a"));
  const p = profileFrame(big, { roles: roles({ x: "x" }, "a") });
  assert.equal(p.difficulty!.caught_share, 1);
  assert.ok(p.difficulty!.false_alarm_share! <= 0.0011);
  const tiny = frame(5, 2000, {
    x: (_e, i, u) => 100 + normal(u) + (spike(i) ? 0.01 : 0),
    a: (_e, i) => spike(i) ? 1 : 0,
  }).withColumns(pl.col("a").eq(1).alias("a"));
  const q = profileFrame(tiny, { roles: roles({ x: "x" }, "a") });
  assert.ok(q.difficulty!.caught_share! < 0.1, `tiny: ${q.difficulty!.caught_share}`);
  assert.equal(q.difficulty!.events, p.difficulty!.events);
});

Deno.test("profileFrame() counts |z| > 6 against the trailing 60-point baseline on normal points", () => {
  // One jump of 50 sd every 500 points: 3 per entity after the first 60 points.
  const df = frame(2, 2000, { x: (_e, i, u) => normal(u) + (i % 500 === 250 ? 50 : 0) });
  const p = profileFrame(df, { roles: roles({ x: "x" }) });
  const expected = 4 / (2000 - 60);
  assert.ok(Math.abs(p.metrics.x.pooled.z6_share! - expected) < 1e-6, `${p.metrics.x.pooled.z6_share}`);
});

Deno.test("profileFrame() names a missing column and a time column that is not a date", () => {
  const df = frame(1, 10, { x: () => 1 });
  assert.throws(() => profileFrame(df, { roles: roles({ x: "nope" }) }), {
    name: "RangeError",
    message: /column "nope" is missing/,
  });
  assert.throws(
    () => profileFrame(df, { roles: { ...roles({ x: "x" }), time: "x" } }),
    { name: "RangeError", message: /time column "x" is not a date/ },
  );
});

Deno.test("ksDistance() is 0 for equal and 1 for disjoint distributions", () => {
  const a = dist([1, 2, 3, 4, 5]);
  assert.equal(ksDistance(a, a), 0);
  assert.equal(ksDistance(a, dist([10, 11, 12])), 1);
  const d = ksDistance(
    dist(Array.from({ length: 100 }, (_, i) => i)),
    dist(Array.from({ length: 100 }, (_, i) => i + 50)),
  );
  assert.ok(Math.abs(d! - 0.5) < 0.02, `${d}`);
});
