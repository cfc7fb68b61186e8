import pl from "nodejs-polars";
import {
  chronologicalSplit,
  type GapFill,
  labelWindows,
  resample,
  type ResampleAgg,
  rollingStats,
} from "@lib/preprocess/mod.ts";
import type { IngestReport } from "../common/mod.ts";
import type { NabData } from "./read.ts";

/** Options of {@linkcode processNab}. */
export interface ProcessNabOptions {
  /** Resampling interval. @default "1h" */
  every?: string;
  /** Aggregation of the points in a bucket. @default "mean" */
  agg?: ResampleAgg;
  /** Filling of empty buckets. @default "linear" */
  fill?: GapFill;
  /** Longest run of empty buckets filled. @default 3 */
  maxFill?: number;
  /** Rolling windows, in buckets. @default [24, 168] */
  windows?: readonly number[];
  /** Share of each series (in time) used for training. @default 0.7 */
  trainRatio?: number;
  /** One boundary per series or one for all. @default "series" */
  splitScope?: "series" | "global";
  /** Embargo after the split boundary. @default "0h" */
  splitGap?: string;
}

/** The tables {@linkcode processNab} derives. */
export interface NabProcessed {
  /**
   * The tidy feature table: `series_id`, `timestamp` (bucket start), `value`, `n_obs`, `filled`, rolling
   * `value_mean_<w>` / `value_std_<w>` / `value_z_<w>`, `is_anomaly` (bucket overlaps a label window), `split`.
   */
  hourly: pl.DataFrame;
  /** The clean points with `is_anomaly` (point inside a label window). */
  points: pl.DataFrame;
  /** The report, with the preprocessing counts added. */
  report: IngestReport;
}

/**
 * Turns NAB points into the tidy hourly feature table: resample (mean, max or p95) onto a UTC grid with short
 * gaps filled, propagate label windows (a bucket is anomalous when it overlaps one), trailing rolling mean / std /
 * z-score, and a chronological train/test split whose features never look past their own row.
 *
 * @param data the output of {@linkcode readNab}
 * @param options interval, aggregation, gap filling, windows and split
 * @returns the feature table, the labelled points and the report
 * @example
 * ```ts ignore
 * const { hourly } = processNab(await readNab("data/raw/metrics/nab"), { agg: "p95" });
 * ```
 */
export function processNab(data: NabData, options: ProcessNabOptions = {}): NabProcessed {
  const {
    every = "1h",
    agg = "mean",
    fill = "linear",
    maxFill = 3,
    windows = [24, 168],
    trainRatio = 0.7,
    splitScope = "series",
    splitGap = "0h",
  } = options;
  const points = labelWindows(data.series, data.windows);
  const grid = resample(data.series, { every, agg, fill, maxFill });
  const labelled = labelWindows(grid, data.windows, { every });
  const features = rollingStats(labelled, { windows });
  const hourly = chronologicalSplit(features, { ratio: trainRatio, scope: splitScope, gap: splitGap });
  const counts = hourly.select(
    pl.len().alias("rows"),
    pl.col("n_obs").eq(0).cast(pl.Int64).sum().alias("empty"),
    pl.col("filled").cast(pl.Int64).sum().alias("filled"),
    pl.col("is_anomaly").cast(pl.Int64).sum().alias("anomalous"),
    pl.col("split").eq(pl.lit("train")).cast(pl.Int64).sum().alias("train"),
    pl.col("split").eq(pl.lit("test")).cast(pl.Int64).sum().alias("test"),
    pl.col("split").eq(pl.lit("gap")).cast(pl.Int64).sum().alias("gap"),
    pl.col("value").isNull().cast(pl.Int64).sum().alias("nulls"),
  ).row(0).map(Number);
  const anomalousPoints = Number(points.getColumn("is_anomaly").cast(pl.Int64).sum() ?? 0);
  const report: IngestReport = {
    ...data.report,
    preprocessing: {
      ...data.report.preprocessing,
      resample_every: every,
      resample_agg: agg,
      gap_fill: fill,
      gap_fill_max: maxFill,
      rolling_windows: windows.join(","),
      hourly_rows: counts[0],
      hourly_empty_buckets: counts[1],
      hourly_filled_buckets: counts[2],
      hourly_null_values: counts[7],
      hourly_anomalous: counts[3],
      points_anomalous: anomalousPoints,
      split_scope: splitScope,
      train_ratio: trainRatio,
      train_rows: counts[4],
      test_rows: counts[5],
      gap_rows: counts[6],
    },
  };
  return { hourly, points, report };
}
