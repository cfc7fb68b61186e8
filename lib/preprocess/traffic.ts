import pl from "nodejs-polars";
import { byList, parseDuration } from "./_util.ts";
import { bucketMs, buildGrid } from "./_grid.ts";

/** Options of {@linkcode requestSeries}. */
export interface RequestSeriesOptions {
  /** Bucket length. @default "1m" */
  every?: string;
  /** The request time column (Datetime). @default "timestamp" */
  time?: string;
  /** Group columns (e.g. `["window_start"]` or a host), each with its own grid. @default [] */
  by?: string | readonly string[] | null;
  /** HTTP status column (integer; 0 for a client that went away). @default "sc_status" */
  status?: string;
  /** Response bytes column. @default "sc_bytes" */
  bytes?: string;
  /** Time-taken column (seconds). @default "time_taken" */
  latency?: string;
  /** Cache result column. @default "x_edge_result_type" */
  cache?: string;
  /** Cache result values that count as hits. @default ["Hit", "RefreshHit", "OriginShieldHit"] */
  hitValues?: readonly string[];
}

/**
 * Turns request rows into a regular traffic series per bucket: `requests`, `bytes`, `errors_4xx`, `errors_5xx`,
 * `rate_4xx`, `rate_5xx`, `time_taken_p50`, `time_taken_p95`, `cache_hits`, `cache_hit_ratio` (hits over all
 * requests). Buckets with no request between a group's first and last are present with zero counts and null
 * rates and latencies.
 *
 * @param df request rows
 * @param options bucket length, grouping and column names
 * @returns the series, sorted by group then time
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { requestSeries } from "@lib/preprocess/mod.ts";
 * const t = pl.Series("timestamp", [0, 1000, 120_000].map((x) => x + Date.UTC(2020, 0, 1)))
 *   .cast(pl.Datetime("ms", "UTC"));
 * const df = pl.DataFrame({ timestamp: t, sc_status: [200, 503, 200], sc_bytes: [10, 20, 30],
 *   time_taken: [0.1, 0.2, 0.3], x_edge_result_type: ["Hit", "Error", "Miss"] });
 * requestSeries(df).getColumn("requests").toArray(); // [2, 0, 1]
 * ```
 */
export function requestSeries(df: pl.DataFrame, options: RequestSeriesOptions = {}): pl.DataFrame {
  return fillRequestSeries(requestBuckets(df, options), options);
}

/**
 * The first half of {@linkcode requestSeries}: per group and bucket (`__b`, epoch ms), the counts, sums and
 * latency quantiles of the requests present. Buckets are epoch-aligned, so rows cut at bucket boundaries (e.g.
 * read in time ranges) give parts whose buckets can be stacked and passed to {@linkcode fillRequestSeries}.
 * @param df request rows
 * @param options as for {@linkcode requestSeries}
 * @returns one row per non-empty bucket, in no particular order
 * @example
 * ```ts ignore
 * const parts = ranges.map((rows) => requestBuckets(rows, { by: ["window_start"] }));
 * const series = fillRequestSeries(pl.concat(parts), { by: ["window_start"] });
 * ```
 */
export function requestBuckets(df: pl.DataFrame, options: RequestSeriesOptions = {}): pl.DataFrame {
  const {
    every = "1m",
    time = "timestamp",
    by = [],
    status = "sc_status",
    bytes = "sc_bytes",
    latency = "time_taken",
    cache = "x_edge_result_type",
    hitValues = ["Hit", "RefreshHit", "OriginShieldHit"],
  } = options;
  const everyMs = parseDuration(every, "traffic interval");
  const keys = byList(by);
  const s = pl.col(status);
  return df.lazy()
    .withColumns(bucketMs(time, everyMs).alias("__b"))
    .groupBy([...keys, "__b"])
    .agg(
      pl.len().cast(pl.Int64).alias("requests"),
      pl.col(bytes).cast(pl.Int64).sum().alias("bytes"),
      s.gtEq(400).and(s.lt(500)).cast(pl.Int64).sum().alias("errors_4xx"),
      s.gtEq(500).and(s.lt(600)).cast(pl.Int64).sum().alias("errors_5xx"),
      pl.col(latency).cast(pl.Float64).quantile(0.5, "linear").alias("time_taken_p50"),
      pl.col(latency).cast(pl.Float64).quantile(0.95, "linear").alias("time_taken_p95"),
      pl.col(cache).isIn([...hitValues]).cast(pl.Int64).sum().alias("cache_hits"),
    )
    .collectSync();
}

/**
 * The second half of {@linkcode requestSeries}: the buckets of {@linkcode requestBuckets} on a regular grid per
 * group (empty buckets with zero counts), with the rates.
 * @param buckets the buckets (stacked parts allowed, as long as no bucket of a group is in two parts)
 * @param options as for {@linkcode requestSeries} (`every`, `time`, `by`)
 * @returns the series, sorted by group then time
 * @throws {RangeError} when there are no buckets
 * @example
 * ```ts ignore
 * fillRequestSeries(requestBuckets(df)); // the same as requestSeries(df)
 * ```
 */
export function fillRequestSeries(buckets: pl.DataFrame, options: RequestSeriesOptions = {}): pl.DataFrame {
  const { every = "1m", time = "timestamp", by = [] } = options;
  const everyMs = parseDuration(every, "traffic interval");
  const keys = byList(by);
  if (buckets.height === 0) {
    throw new RangeError("Cannot derive a traffic series: no request rows");
  }
  const bounds =
    (keys.length === 0
      ? buckets.lazy().select(pl.col("__b").min().alias("__first"), pl.col("__b").max().alias("__last"))
      : buckets.lazy().groupBy(keys).agg(pl.col("__b").min().alias("__first"), pl.col("__b").max().alias("__last"))
        .sort(keys)).collectSync();
  const grid = buildGrid(bounds, { by: keys, time, everyMs }).withColumns(pl.col(time).dt.timestamp().alias("__b"));
  const req = pl.col("requests");
  const on: string[] = [...keys, "__b"];
  const rate = (c: string) => pl.when(req.gt(0)).then(pl.col(c).div(req)).otherwise(pl.lit(null)).cast(pl.Float64);
  return grid.lazy()
    .join(buckets.lazy(), { on, how: "left" })
    .withColumns(
      ...["requests", "bytes", "errors_4xx", "errors_5xx", "cache_hits"].map((c) => pl.col(c).fillNull(0)),
    )
    .withColumns(
      rate("errors_4xx").alias("rate_4xx"),
      rate("errors_5xx").alias("rate_5xx"),
      rate("cache_hits").alias("cache_hit_ratio"),
    )
    .sort([...keys, time])
    .select(
      ...keys,
      time,
      "requests",
      "bytes",
      "errors_4xx",
      "errors_5xx",
      "rate_4xx",
      "rate_5xx",
      "time_taken_p50",
      "time_taken_p95",
      "cache_hits",
      "cache_hit_ratio",
    )
    .collectSync();
}
