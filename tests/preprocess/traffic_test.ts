import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { incidentWindows, requestSeries } from "@lib/preprocess/mod.ts";
import { M, msOf, times } from "./_frames.ts";

const t0 = Date.UTC(2019, 11, 4, 21);

function requests(perMinute: number, minutes: number, bad: (minute: number) => number): pl.DataFrame {
  const ts: number[] = [];
  const status: number[] = [];
  const tt: number[] = [];
  for (let m = 0; m < minutes; m++) {
    for (let i = 0; i < perMinute; i++) {
      ts.push(t0 + m * M + i * 1000);
      const isBad = i < bad(m);
      status.push(isBad ? 503 : i % 10 === 0 ? 404 : 200);
      tt.push(isBad ? 3 : 0.1);
    }
  }
  return pl.DataFrame([
    times("timestamp", ts),
    pl.Series("sc_status", status, pl.Int32),
    pl.Series("sc_bytes", ts.map(() => 100), pl.Int64),
    pl.Series("time_taken", tt),
    pl.Series("x_edge_result_type", status.map((s, i) => (s >= 500 ? "Error" : i % 2 ? "Hit" : "Miss"))),
  ]);
}

Deno.test("requestSeries() counts requests, bytes, error rates, percentiles and cache hits per minute", () => {
  const s = requestSeries(requests(10, 3, (m) => (m === 1 ? 5 : 0)));
  assert.deepEqual(s.getColumn("requests").toArray(), [10, 10, 10]);
  assert.deepEqual(s.getColumn("bytes").toArray(), [1000, 1000, 1000]);
  assert.deepEqual(s.getColumn("rate_5xx").toArray(), [0, 0.5, 0]);
  assert.equal(s.getColumn("rate_4xx").toArray()[0], 0.1);
  assert.equal(s.getColumn("time_taken_p50").toArray()[0], 0.1);
  assert.ok((s.getColumn("time_taken_p95").toArray()[1] as number) > 2.9);
  assert.equal(s.getColumn("cache_hit_ratio").toArray()[0], 0.5);
});

Deno.test("requestSeries() keeps empty minutes with zero requests and null rates", () => {
  const df = requests(2, 1, () => 0);
  const later = df.withColumns(pl.col("timestamp").dt.timestamp().add(3 * M).cast(pl.Datetime("ms", "UTC")));
  const s = requestSeries(pl.concat([df, later]));
  assert.deepEqual(s.getColumn("requests").toArray(), [2, 0, 0, 2]);
  assert.deepEqual(s.getColumn("rate_5xx").toArray(), [0, null, null, 0]);
});

Deno.test("incidentWindows() finds one incident over a 5xx burst, triggered by the 5xx rate, and none in clean traffic", () => {
  const s = requestSeries(requests(30, 40, (m) => (m >= 10 && m < 15 ? 15 : 0)));
  const inc = incidentWindows(s, { thresholds: { rate_5xx: 0.05 }, window: 5 });
  assert.equal(inc.height, 1);
  const [start] = msOf(inc, "start");
  const [end] = msOf(inc, "end");
  assert.equal(start, t0 + 10 * M);
  // A trailing window stays above the threshold until the burst has left it.
  assert.equal(end, t0 + 19 * M);
  assert.equal(inc.getColumn("metric").toArray()[0], "rate_5xx");
  assert.equal(inc.getColumn("severity").toArray()[0], "critical");
  const clean = requestSeries(requests(30, 40, () => 0));
  assert.equal(incidentWindows(clean).height, 0);
});

Deno.test("incidentWindows() names the latency metric when it is furthest above its threshold, and respects minRequests", () => {
  const df = requests(30, 20, () => 0).withColumns(
    pl.when(pl.col("timestamp").dt.minute().gtEq(5).and(pl.col("timestamp").dt.minute().lt(8)))
      .then(pl.lit(5.0)).otherwise(pl.col("time_taken")).alias("time_taken"),
  );
  const inc = incidentWindows(requestSeries(df), { thresholds: { rate_5xx: 0.05, time_taken_p95: 1 } });
  assert.equal(inc.height, 1);
  assert.equal(inc.getColumn("metric").toArray()[0], "time_taken_p95");
  assert.equal(incidentWindows(requestSeries(df), { minRequests: 10_000 }).height, 0);
  assert.throws(() => incidentWindows(requestSeries(df), { thresholds: { rate_5xx: -1 } }), {
    name: "RangeError",
    message: /threshold/,
  });
});
