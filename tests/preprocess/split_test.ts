import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { chronologicalSplit } from "@lib/preprocess/mod.ts";
import { H, msOf, T0, times } from "./_frames.ts";

function frame(id: string, hours: number[]): pl.DataFrame {
  return pl.DataFrame([pl.Series("series_id", hours.map(() => id)), times("timestamp", hours.map((h) => T0 + h * H))]);
}

function bounds(df: pl.DataFrame, split: string): [number, number] {
  const part = df.filter(pl.col("split").eq(pl.lit(split)));
  const t = msOf(part, "timestamp");
  return [Math.min(...t), Math.max(...t)];
}

Deno.test("chronologicalSplit() puts the first share of each series in train, every train row before every test row", () => {
  const df = pl.concat([frame("a", [9, 3, 5, 1, 7, 0, 2, 8, 4, 6]), frame("b", [100, 101, 102, 103])]);
  const r = chronologicalSplit(df, { ratio: 0.7 });
  assert.equal(r.height, df.height);
  const a = r.filter(pl.col("series_id").eq(pl.lit("a")));
  assert.equal(a.filter(pl.col("split").eq(pl.lit("train"))).height, 7);
  assert.ok(bounds(a, "train")[1] < bounds(a, "test")[0]);
  const b = r.filter(pl.col("series_id").eq(pl.lit("b")));
  assert.deepEqual(b.getColumn("split").toArray(), ["train", "train", "test", "test"]);
});

Deno.test("chronologicalSplit() keeps rows sharing a timestamp on one side and marks an embargo gap", () => {
  const tied = frame("a", [0, 1, 2, 2, 2, 3]);
  const r = chronologicalSplit(tied, { ratio: 0.5 });
  const s = r.getColumn("split").toArray();
  assert.deepEqual(s, ["train", "train", "test", "test", "test", "test"]);
  const g = chronologicalSplit(frame("a", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), { ratio: 0.5, gap: "2h" });
  assert.deepEqual(g.getColumn("split").toArray().slice(4, 8), ["train", "gap", "gap", "test"]);
});

Deno.test("chronologicalSplit() with global scope uses one boundary for every series", () => {
  const df = pl.concat([frame("a", [0, 1, 2, 3]), frame("b", [10, 11, 12, 13])]);
  const r = chronologicalSplit(df, { ratio: 0.5, scope: "global" });
  assert.deepEqual(r.getColumn("split").toArray(), [
    "train",
    "train",
    "train",
    "train",
    "test",
    "test",
    "test",
    "test",
  ]);
  assert.throws(() => chronologicalSplit(df, { ratio: 1 }), { name: "RangeError", message: /ratio/ });
});
