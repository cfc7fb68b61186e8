import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { rollingStats } from "@lib/preprocess/mod.ts";
import { H, T0, times } from "./_frames.ts";

function frame(values: (number | null)[], id = "a", offset = 0): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("series_id", values.map(() => id)),
    times("timestamp", values.map((_, i) => T0 + (i + offset) * H)),
    pl.Series("value", values, pl.Float64),
  ]);
}

Deno.test("rollingStats() uses only earlier rows: mean, std and z of the current value against its past", () => {
  const r = rollingStats(frame([1, 2, 3, 10]), { windows: [3], minPeriods: 2 });
  assert.deepEqual(r.getColumn("value_mean_3").toArray(), [null, null, 1.5, 2]);
  const std = r.getColumn("value_std_3").toArray() as (number | null)[];
  assert.equal(std[2]!.toFixed(6), Math.SQRT1_2.toFixed(6));
  assert.equal(std[3], 1);
  assert.equal(r.getColumn("value_z_3").toArray()[3], 8);
});

Deno.test("rollingStats() never crosses series and gives null z for a flat past", () => {
  const df = pl.concat([frame([5, 5, 5, 5], "a"), frame([100, 200, 300, 400], "b")]);
  const r = rollingStats(df, { windows: [2], minPeriods: 2 });
  const a = r.filter(pl.col("series_id").eq(pl.lit("a")));
  assert.deepEqual(a.getColumn("value_mean_2").toArray(), [null, null, 5, 5]);
  assert.deepEqual(a.getColumn("value_z_2").toArray(), [null, null, null, null]);
  const b = r.filter(pl.col("series_id").eq(pl.lit("b")));
  assert.deepEqual(b.getColumn("value_mean_2").toArray(), [null, null, 150, 250]);
});

Deno.test("rollingStats() features of a row do not change when later rows change (no look-ahead)", () => {
  const base = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
  const a = rollingStats(frame(base), { windows: [4] });
  const b = rollingStats(frame([...base.slice(0, 6), 100, -50, 7, 8]), { windows: [4] });
  for (const c of ["value_mean_4", "value_std_4", "value_z_4"]) {
    assert.deepEqual(a.getColumn(c).toArray().slice(0, 6), b.getColumn(c).toArray().slice(0, 6), c);
  }
  assert.throws(() => rollingStats(frame(base), { windows: [1] }), { name: "RangeError", message: /windows/ });
});
