import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { resample } from "@lib/preprocess/mod.ts";
import { H, M, msOf, T0, times } from "./_frames.ts";

function points(offsetsMin: number[], values: number[], id = "a"): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("series_id", offsetsMin.map(() => id)),
    times("timestamp", offsetsMin.map((m) => T0 + m * M)),
    pl.Series("value", values),
  ]);
}

Deno.test("resample() aggregates each hour by mean, max, p95 and fills a short gap linearly", async (t) => {
  const df = points([0, 10, 20, 70, 80, 250], [1, 2, 3, 4, 5, 6]);
  const cases: [string, number][] = [["mean", 2], ["max", 3], ["p95", 2.9], ["min", 1], ["sum", 6], ["last", 3]];
  for (const [agg, first] of cases) {
    await t.step(agg, () => {
      const r = resample(df, { agg: agg as "mean" });
      assert.ok(Math.abs((r.getColumn("value").toArray()[0] as number) - first) < 1e-9);
    });
  }
  const r = resample(df, { agg: "mean", fill: "linear", maxFill: 3 });
  assert.deepEqual(msOf(r, "timestamp"), [0, 1, 2, 3, 4].map((h) => T0 + h * H));
  assert.deepEqual(r.getColumn("n_obs").toArray(), [3, 2, 0, 0, 1]);
  assert.deepEqual(r.getColumn("filled").toArray(), [false, false, true, true, false]);
  const v = r.getColumn("value").toArray() as number[];
  assert.deepEqual(v.map((x) => Math.round(x * 1000) / 1000), [2, 4.5, 5, 5.5, 6]);
});

Deno.test("resample() leaves gaps longer than maxFill null and never fills across series", () => {
  const a = points([0, 5 * 60], [1, 7], "a");
  const b = points([0, 60], [10, 20], "b");
  const r = resample(pl.concat([a, b]), { maxFill: 3 });
  const ra = r.filter(pl.col("series_id").eq(pl.lit("a")));
  assert.deepEqual(ra.getColumn("value").toArray(), [1, null, null, null, null, 7]);
  assert.equal(ra.getColumn("filled").cast(pl.Int32).sum(), 0);
  assert.deepEqual(r.filter(pl.col("series_id").eq(pl.lit("b"))).getColumn("value").toArray(), [10, 20]);
  const ff = resample(a, { fill: "forward", maxFill: 5 });
  assert.deepEqual(ff.getColumn("value").toArray(), [1, 1, 1, 1, 1, 7]);
});

Deno.test("resample() rejects a bad interval with a one-line RangeError", () => {
  assert.throws(() => resample(points([0], [1]), { every: "1 hour" }), {
    name: "RangeError",
    message: /every|interval/,
  });
  assert.throws(() => resample(points([0], [1]), { maxFill: -1 }), { name: "RangeError", message: /maxFill/ });
});
