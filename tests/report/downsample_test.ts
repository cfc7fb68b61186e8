import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { lttb, minMaxBuckets } from "@lib/report/mod.ts";

Deno.test("lttb() keeps the first and last points, the requested count, and a lone spike", () => {
  const n = 10_000;
  const x = Float64Array.from({ length: n }, (_, i) => i);
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 300));
  y[4321] = 50;
  const out = lttb(x, y, { threshold: 200 });
  assert.equal(out.x.length, 200);
  assert.equal(out.x[0], 0);
  assert.equal(out.x[199], n - 1);
  assert.ok(out.y.includes(50), "the spike survives");
  for (let i = 1; i < out.x.length; i++) assert.ok(out.x[i] > out.x[i - 1], "x stays ascending");
});

Deno.test("lttb() returns short input as is, skips NaN, and rejects bad arguments", () => {
  const out = lttb([0, 1, 2, 3], [1, NaN, 3, 4], { threshold: 10 });
  assert.deepEqual([...out.x], [0, 2, 3]);
  assert.throws(() => lttb([1, 2], [1], { threshold: 10 }), { name: "RangeError", message: /equal lengths/ });
  assert.throws(() => lttb([1, 2], [1, 2], { threshold: 2 }), { name: "RangeError", message: /threshold/ });
});

Deno.test("minMaxBuckets() keeps each bucket's min, max and mean, aligned across series", () => {
  const hours = 1000;
  const t = Array.from({ length: hours * 2 }, (_, i) => new Date(Date.UTC(2024, 0, 1) + (i % hours) * 3_600_000));
  const id = Array.from({ length: hours * 2 }, (_, i) => i < hours ? "a" : "b");
  const v = Float64Array.from({ length: hours * 2 }, (_, i) => (i % hours) + (i < hours ? 0 : 10_000));
  const df = pl.DataFrame([pl.Series("timestamp", t, pl.Datetime("ms")), pl.Series("id", id), pl.Series("v", v)]);
  const b = minMaxBuckets(df, ["v"], { by: ["id"], buckets: 10 });
  assert.equal(b.height, 20);
  const a = b.filter(pl.col("id").eq(pl.lit("a")));
  assert.deepEqual(a.getColumn("n").toArray().map(Number), Array(10).fill(100));
  assert.deepEqual(a.getColumn("v_min").toArray(), Array.from({ length: 10 }, (_, k) => k * 100));
  assert.deepEqual(a.getColumn("v_max").toArray(), Array.from({ length: 10 }, (_, k) => k * 100 + 99));
  assert.deepEqual(a.getColumn("v_mean").toArray(), Array.from({ length: 10 }, (_, k) => k * 100 + 49.5));
  const bt = b.filter(pl.col("id").eq(pl.lit("b"))).getColumn("t").toArray();
  assert.deepEqual(bt, a.getColumn("t").toArray(), "buckets start at the same times for every series");
  assert.equal(bt[0], Date.UTC(2024, 0, 1));
  assert.throws(() => minMaxBuckets(df, ["v"], { buckets: 0 }), { name: "RangeError", message: /buckets/ });
});

Deno.test("minMaxBuckets() output size depends on the bucket count, not the rows", () => {
  const n = 200_000;
  const df = pl.DataFrame([
    pl.Series("timestamp", Array.from({ length: n }, (_, i) => new Date(i * 60_000)), pl.Datetime("ms")),
    pl.Series("v", Float64Array.from({ length: n }, (_, i) => i % 977)),
  ]);
  const b = minMaxBuckets(df, ["v"], { buckets: 300 });
  assert.equal(b.height, 300);
  assert.equal(b.getColumn("n").toArray().map(Number).reduce((s, x) => s + x, 0), n);
  assert.equal(Math.max(...b.getColumn("v_max").toArray() as number[]), 976);
});
