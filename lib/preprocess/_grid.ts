import pl from "nodejs-polars";

/**
 * Every bucket start between each group's first and last bucket: a frame with the group columns and `time`
 * (Datetime ms UTC). The bounds are small (one row per group), so the grid is filled as typed arrays.
 *
 * @param bounds one row per group: the group columns, `__first` and `__last` (Int64 epoch ms, bucket starts)
 * @param grid `by`: the group columns, `time`: the name of the time column to make, `everyMs`: the bucket length
 * @returns the grid, sorted by group then time
 */
export function buildGrid(
  bounds: pl.DataFrame,
  { by, time, everyMs }: { by: readonly string[]; time: string; everyMs: number },
): pl.DataFrame {
  const first = bounds.getColumn("__first").toArray() as unknown as (number | bigint)[];
  const last = bounds.getColumn("__last").toArray() as unknown as (number | bigint)[];
  let total = 0;
  const counts = new Array<number>(bounds.height);
  for (let g = 0; g < bounds.height; g++) {
    counts[g] = Math.floor((Number(last[g]) - Number(first[g])) / everyMs) + 1;
    total += counts[g];
  }
  if (total > 200_000_000) {
    throw new RangeError(`Cannot build a time grid of ${total} buckets: too many for one frame, use a longer interval`);
  }
  const gidx = new Int32Array(total);
  const ts = new Float64Array(total);
  let k = 0;
  for (let g = 0; g < bounds.height; g++) {
    const start = Number(first[g]);
    for (let i = 0; i < counts[g]; i++, k++) {
      gidx[k] = g;
      ts[k] = start + i * everyMs;
    }
  }
  const grid = pl.DataFrame([
    pl.Series("__g", gidx, pl.Int32),
    pl.Series(time, ts).cast(pl.Int64).cast(pl.Datetime("ms", "UTC")),
  ]);
  if (by.length === 0) return grid.drop("__g");
  const keys = bounds.select(...by).withRowIndex("__g").withColumns(pl.col("__g").cast(pl.Int32));
  return grid.join(keys, { on: "__g", how: "left" }).select(...by, time);
}

/**
 * An expression for the bucket start of a time column: epoch-aligned floor to `everyMs`, as Int64 epoch ms.
 * @param time the time column (Datetime)
 * @param everyMs the bucket length
 * @returns the expression
 */
export function bucketMs(time: string, everyMs: number): pl.Expr {
  const ms = pl.col(time).dt.timestamp();
  return ms.sub(ms.modulo(everyMs)).cast(pl.Int64);
}
