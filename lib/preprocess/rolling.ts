import pl from "nodejs-polars";
import { byList, overKeys } from "./_util.ts";

/** A rolling statistic {@linkcode rollingStats} can add. */
export type RollingStat = "mean" | "std" | "z";

/** Options of {@linkcode rollingStats}. */
export interface RollingStatsOptions {
  /** Window lengths in rows (on an hourly grid, 24 is a day). @default [24, 168] */
  windows?: readonly number[];
  /** Group columns; windows never cross groups. @default "series_id" */
  by?: string | readonly string[] | null;
  /** The time column the rows are ordered by. @default "timestamp" */
  time?: string;
  /** The value column. @default "value" */
  value?: string;
  /** Statistics to add. @default ["mean", "std", "z"] */
  stats?: readonly RollingStat[];
  /** Non-null values a window needs before it yields a value. @default half the window, rounded up */
  minPeriods?: number | null;
  /**
   * Include the current row in its own window. Off by default: the mean and std describe the rows before, so
   * the z-score says how unusual the current value is against its past, and no row's features see itself.
   * @default false
   */
  includeCurrent?: boolean;
}

/**
 * Adds trailing rolling mean, standard deviation and z-score per group: columns `<value>_mean_<w>`,
 * `<value>_std_<w>`, `<value>_z_<w>` for each window `w`. Windows look back only, so a feature never uses a
 * later row (no leakage across a chronological split). z is null where std is 0 or null.
 *
 * @param df the rows (any order; sorted by group then time on output)
 * @param options windows, columns and statistics
 * @returns `df` sorted by group and time, with the feature columns
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { rollingStats } from "@lib/preprocess/mod.ts";
 * const df = pl.DataFrame({ series_id: ["a", "a", "a"], timestamp: [1, 2, 3], value: [1, 2, 3] });
 * rollingStats(df, { windows: [2] }).getColumn("value_mean_2").toArray(); // [null, 1, 1.5]
 * ```
 */
export function rollingStats(df: pl.DataFrame, options: RollingStatsOptions = {}): pl.DataFrame {
  const {
    windows = [24, 168],
    by = "series_id",
    time = "timestamp",
    value = "value",
    stats = ["mean", "std", "z"],
    minPeriods = null,
    includeCurrent = false,
  } = options;
  const keys = byList(by);
  const ov = (e: pl.Expr) => overKeys(e, keys);
  const src = includeCurrent ? pl.col(value).cast(pl.Float64) : pl.col(value).cast(pl.Float64).shift(1);
  const exprs: pl.Expr[] = [];
  const zs: pl.Expr[] = [];
  for (const w of windows) {
    if (!Number.isInteger(w) || w < 2) {
      throw new RangeError(`Cannot compute rolling stats: windows must be integers >= 2, got ${w}`);
    }
    const mp = minPeriods ?? Math.ceil(w / 2);
    const mean = ov(src.rollingMean({ windowSize: w, minPeriods: mp }));
    const std = ov(src.rollingStd({ windowSize: w, minPeriods: Math.max(2, mp) }));
    exprs.push(mean.alias(`${value}_mean_${w}`), std.alias(`${value}_std_${w}`));
    if (stats.includes("z")) {
      const sd = pl.col(`${value}_std_${w}`);
      zs.push(
        pl.when(sd.gt(0)).then(pl.col(value).sub(pl.col(`${value}_mean_${w}`)).div(sd)).otherwise(pl.lit(null))
          .cast(pl.Float64).alias(`${value}_z_${w}`),
      );
    }
  }
  const drop = windows.flatMap((w) => [
    ...(stats.includes("mean") ? [] : [`${value}_mean_${w}`]),
    ...(stats.includes("std") ? [] : [`${value}_std_${w}`]),
  ]);
  let out = df.lazy().sort([...keys, time]).withColumns(...exprs);
  if (zs.length > 0) out = out.withColumns(...zs);
  if (drop.length > 0) out = out.drop(drop);
  return out.collectSync();
}
