/**
 * Preprocessing steps, each `(df, options) => df` over Polars expressions, no mutation: resample onto a regular
 * grid with gap filling, propagate labelled windows, trailing rolling statistics, chronological train/test
 * split, fixed time windows and their seeded sampling, per-bucket request traffic series and threshold-based
 * incident windows.
 *
 * @example
 * ```ts ignore
 * import { chronologicalSplit, labelWindows, resample, rollingStats } from "@lib/preprocess/mod.ts";
 * const hourly = resample(points, { every: "1h", agg: "p95" });
 * const features = chronologicalSplit(rollingStats(labelWindows(hourly, windows, { every: "1h" })));
 * ```
 * @module
 */
export { parseDuration } from "./_util.ts";
export { type GapFill, resample, type ResampleAgg, type ResampleOptions } from "./resample.ts";
export { labelWindows, type LabelWindowsOptions } from "./labels.ts";
export { type RollingStat, rollingStats, type RollingStatsOptions } from "./rolling.ts";
export { chronologicalSplit, type ChronologicalSplitOptions } from "./split.ts";
export {
  chooseWindows,
  midnightBefore,
  sampleWindows,
  type SampleWindowsOptions,
  timeWindows,
  type TimeWindowsOptions,
  windowStartExpr,
} from "./windows.ts";
export { fillRequestSeries, requestBuckets, requestSeries, type RequestSeriesOptions } from "./traffic.ts";
export { type IncidentMetric, incidentWindows, type IncidentWindowsOptions } from "./incidents.ts";
