import pl from "nodejs-polars";
import { engineFor, type TableFrame } from "@lib/lake/mod.ts";

/** A downsampled series: x and y of the points kept. */
export interface XY {
  x: Float64Array;
  y: Float64Array;
}

/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013): keeps the first and last points and, from each
 * of `threshold - 2` equal buckets, the point making the largest triangle with the point kept before and the mean
 * of the next bucket, so peaks and dips survive. Input must be sorted by x; NaN y values are skipped.
 * @param x the x values, ascending
 * @param y the y values
 * @param threshold how many points to keep, at least 3
 * @returns the kept points (the input as is when it has no more than `threshold` points)
 * @example
 * ```ts
 * import { lttb } from "@lib/report/downsample.ts";
 * const x = Float64Array.from({ length: 1000 }, (_, i) => i);
 * const y = x.map((v) => Math.sin(v / 50));
 * lttb(x, y, { threshold: 100 }).x.length; // 100
 * ```
 */
export function lttb(x: ArrayLike<number>, y: ArrayLike<number>, options: { threshold: number }): XY {
  const { threshold } = options;
  if (x.length !== y.length) {
    throw new RangeError(`Cannot downsample: x and y must have equal lengths, got ${x.length} and ${y.length}`);
  }
  if (!Number.isInteger(threshold) || threshold < 3) {
    throw new RangeError(`Cannot downsample: threshold must be an integer >= 3, got ${threshold}`);
  }
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(y[i]) && Number.isFinite(x[i])) idx.push(i);
  const n = idx.length;
  if (n <= threshold) {
    return { x: Float64Array.from(idx, (i) => x[i]), y: Float64Array.from(idx, (i) => y[i]) };
  }
  const outX = new Float64Array(threshold);
  const outY = new Float64Array(threshold);
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  outX[0] = x[idx[0]];
  outY[0] = y[idx[0]];
  for (let b = 0; b < threshold - 2; b++) {
    const nextStart = Math.floor((b + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((b + 2) * every) + 1, n);
    let avgX = 0, avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += x[idx[j]];
      avgY += y[idx[j]];
    }
    const len = Math.max(1, nextEnd - nextStart);
    avgX /= len;
    avgY /= len;
    const start = Math.floor(b * every) + 1;
    const end = Math.floor((b + 1) * every) + 1;
    const ax = x[idx[a]], ay = y[idx[a]];
    let best = start, bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (y[idx[j]] - ay) - (ax - x[idx[j]]) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    outX[b + 1] = x[idx[best]];
    outY[b + 1] = y[idx[best]];
    a = best;
  }
  outX[threshold - 1] = x[idx[n - 1]];
  outY[threshold - 1] = y[idx[n - 1]];
  return { x: outX, y: outY };
}

/** Options of {@linkcode minMaxBuckets}. */
export interface MinMaxBucketsOptions {
  /** The time column (Datetime or Date). @default "timestamp" */
  time?: string;
  /** Columns that keep their own series (e.g. the entity); buckets are aligned across them. @default [] */
  by?: string[];
  /** Number of equal-width time buckets over the whole frame's time range. @default 300 */
  buckets?: number;
}

/**
 * Downsamples time series to `buckets` equal time buckets, keeping per bucket the minimum, maximum and mean of
 * each value column, so spikes stay visible however many rows go in. Runs in Polars; only the buckets come out.
 * @param df the frame
 * @param values the value columns
 * @param options time column, grouping and bucket count
 * @returns a frame with the `by` columns, `t` (bucket start, epoch ms, Float64), `width` (bucket width, ms), `n`,
 *   and `<value>_min`, `<value>_max`, `<value>_mean` for each value, sorted by `by` then `t`; buckets without rows
 *   are absent
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { minMaxBuckets } from "@lib/report/downsample.ts";
 * const df = pl.DataFrame({ timestamp: [0, 1, 2, 3].map((i) => new Date(i * 3600e3)), v: [1, 5, 2, 8] });
 * minMaxBuckets(df, ["v"], { buckets: 2 }).getColumn("v_max").toArray(); // [5, 8]
 * ```
 */
export function minMaxBuckets(df: TableFrame, values: string[], options: MinMaxBucketsOptions = {}): pl.DataFrame {
  const { time = "timestamp", by = [], buckets = 300 } = options;
  if (!Number.isInteger(buckets) || buckets < 1) {
    throw new RangeError(`Cannot downsample: buckets must be a positive integer, got ${buckets}`);
  }
  const ms = pl.col(time).cast(pl.Datetime("ms")).dt.timestamp().cast(pl.Float64);
  const range = df.lazy().select(ms.min().alias("lo"), ms.max().alias("hi")).collectSync(engineFor(df)).toRecords()[0];
  const lo = Number(range.lo), hi = Number(range.hi);
  const width = Math.max(1, (hi - lo) / buckets);
  return df.lazy()
    .select(...by.map((c) => pl.col(c)), ms.alias("__ms"), ...values.map((v) => pl.col(v).cast(pl.Float64)))
    .withColumns(pl.col("__ms").sub(lo).div(width).floor().clip(0, buckets - 1).alias("__b"))
    .groupBy([...by, "__b"])
    .agg(
      pl.col("__b").mul(width).add(lo).first().alias("t"),
      pl.lit(width).alias("width"),
      pl.len().alias("n"),
      ...values.flatMap((v) => [
        pl.col(v).min().alias(`${v}_min`),
        pl.col(v).max().alias(`${v}_max`),
        pl.col(v).mean().alias(`${v}_mean`),
      ]),
    )
    .sort([...by, "t"])
    .drop("__b")
    .collectSync(engineFor(df));
}
