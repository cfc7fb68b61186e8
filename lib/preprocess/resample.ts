import pl from "nodejs-polars";
import { byList, overKeys, parseDuration } from "./_util.ts";
import { bucketMs, buildGrid } from "./_grid.ts";

/** How the raw points of one bucket become one value. */
export type ResampleAgg = "mean" | "max" | "min" | "sum" | "median" | "p95" | "last";

/** How buckets without raw points are filled. */
export type GapFill = "none" | "forward" | "linear";

/** Options of {@linkcode resample}. */
export interface ResampleOptions {
  /** Bucket length (`30s`, `5m`, `1h`, `1d`, ...), epoch-aligned in UTC. @default "1h" */
  every?: string;
  /** Group columns; each group gets its own grid. @default "series_id" */
  by?: string | readonly string[] | null;
  /** The time column (Datetime). @default "timestamp" */
  time?: string;
  /** The value column. @default "value" */
  value?: string;
  /** Aggregation of the raw points in a bucket. @default "mean" */
  agg?: ResampleAgg;
  /** Filling of empty buckets: leave null, carry the last value, or interpolate linearly. @default "linear" */
  fill?: GapFill;
  /** Longest run of empty buckets that is filled; longer gaps stay null. @default 3 */
  maxFill?: number;
}

function aggExpr(value: string, agg: ResampleAgg): pl.Expr {
  const v = pl.col(value);
  switch (agg) {
    case "mean":
      return v.mean();
    case "max":
      return v.max();
    case "min":
      return v.min();
    case "sum":
      return v.sum();
    case "median":
      return v.median();
    case "p95":
      return v.quantile(0.95, "linear");
    case "last":
      return v.last();
  }
}

/**
 * Resamples irregular points onto a regular grid per group: each bucket `[t, t + every)` gets the aggregate of
 * its points; buckets between a group's first and last point that hold no point are gap buckets (`n_obs = 0`),
 * filled by `fill` when the run of empty buckets is at most `maxFill` long, else left null.
 *
 * Input must be sorted by nothing in particular; output is sorted by group then time.
 *
 * @param df the points: group columns, a Datetime `time` column and a numeric `value` column
 * @param options interval, grouping, aggregation and gap filling
 * @returns columns: group columns, `time` (bucket start, Datetime ms UTC), `value` (Float64), `n_obs` (UInt32,
 *   points in the bucket), `filled` (Boolean, value came from gap filling)
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { resample } from "@lib/preprocess/mod.ts";
 * const t = [0, 600_000, 7_800_000].map((x) => x + Date.UTC(2014, 0, 1));
 * const df = pl.DataFrame({ series_id: ["a", "a", "a"], value: [1, 3, 5],
 *   timestamp: pl.Series("timestamp", t).cast(pl.Datetime("ms", "UTC")) });
 * resample(df, { every: "1h", agg: "mean" }).getColumn("value").toArray(); // [2, 3.5, 5]
 * ```
 */
export function resample(df: pl.DataFrame, options: ResampleOptions = {}): pl.DataFrame {
  const {
    every = "1h",
    by = "series_id",
    time = "timestamp",
    value = "value",
    agg = "mean",
    fill = "linear",
    maxFill = 3,
  } = options;
  const everyMs = parseDuration(every, "resample interval");
  if (!Number.isInteger(maxFill) || maxFill < 0) {
    throw new RangeError(`Cannot resample: maxFill must be an integer >= 0, got ${maxFill}`);
  }
  const keys = byList(by);
  const buckets = df.lazy()
    .select(...keys.map((k) => pl.col(k)), bucketMs(time, everyMs).alias("__b"), pl.col(value).cast(pl.Float64))
    .filter(pl.col(value).isNotNull())
    .groupBy([...keys, "__b"])
    .agg(aggExpr(value, agg).alias(value), pl.len().cast(pl.UInt32).alias("n_obs"))
    .collectSync();
  const boundsBase = keys.length === 0 ? buckets.lazy().select(pl.col("__b")) : buckets.lazy();
  const bounds = (keys.length === 0
    ? boundsBase.select(
      pl.col("__b").min().alias("__first"),
      pl.col("__b").max().alias("__last"),
    )
    : boundsBase.groupBy(keys).agg(pl.col("__b").min().alias("__first"), pl.col("__b").max().alias("__last")))
    .sort(keys.length === 0 ? "__first" : keys)
    .collectSync();
  if (buckets.height === 0) {
    return pl.DataFrame([
      ...keys.map((k) => df.getColumn(k).slice(0, 0)),
      pl.Series(time, [], pl.Datetime("ms", "UTC")),
      pl.Series(value, [], pl.Float64),
      pl.Series("n_obs", [], pl.UInt32),
      pl.Series("filled", [], pl.Bool),
    ]);
  }
  const grid = buildGrid(bounds, { by: keys, time, everyMs })
    .withColumns(pl.col(time).dt.timestamp().alias("__b"));
  const ov = (e: pl.Expr) => overKeys(e, keys);
  const on: string[] = [...keys, "__b"];
  let out = grid.lazy()
    .join(buckets.lazy(), { on, how: "left" })
    .withColumns(pl.col("n_obs").fillNull(0).cast(pl.UInt32))
    .sort([...keys, time]);
  if (fill === "none") {
    out = out.withColumns(pl.lit(false).alias("filled"));
  } else {
    // A gap is a run of null buckets; its length decides whether it is filled.
    const isGap = pl.col(value).isNull();
    out = out
      .withColumns(ov(isGap.neq(isGap.shift(1)).fillNull(true).cumSum()).alias("__run"))
      .withColumns(overKeys(pl.len(), [...keys, "__run"]).alias("__runlen"))
      .withColumns(
        ov(fill === "linear" ? pl.col(value).interpolate() : pl.col(value).forwardFill()).alias("__filled"),
      )
      .withColumns(
        pl.when(isGap.and(pl.col("__runlen").ltEq(maxFill))).then(pl.col("__filled")).otherwise(pl.col(value))
          .alias(value),
      )
      .withColumns(isGap.not().and(pl.col("n_obs").eq(0)).alias("filled"));
  }
  return out.select(...keys, time, value, "n_obs", "filled").collectSync();
}
