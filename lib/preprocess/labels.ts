import pl from "nodejs-polars";
import { byList, parseDuration } from "./_util.ts";

/** Options of {@linkcode labelWindows}. */
export interface LabelWindowsOptions {
  /** Group columns shared by rows and windows. @default "series_id" */
  by?: string | readonly string[] | null;
  /** The time column of the rows (Datetime). @default "timestamp" */
  time?: string;
  /**
   * Bucket length of the rows (`"1h"` for hourly rows): a row stands for `[t, t + every)` and is labelled when
   * that span overlaps a window. Null for point rows, labelled when `start <= t <= end`. @default null
   */
  every?: string | null;
  /** Window start column (Datetime, inclusive). @default "start" */
  start?: string;
  /** Window end column (Datetime, inclusive). @default "end" */
  end?: string;
  /** The label column to add. @default "is_anomaly" */
  column?: string;
}

/**
 * Propagates labelled windows onto rows: a row is labelled when it falls inside (points) or overlaps (buckets)
 * a window of its group. Windows are closed `[start, end]`, as NAB writes them.
 *
 * @param df the rows
 * @param windows one row per window: group columns, `start`, `end`
 * @param options columns and bucket length
 * @returns `df` with a Boolean label column, rows in their original order
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { labelWindows } from "@lib/preprocess/mod.ts";
 * const dt = (h: number) => pl.Series([Date.UTC(2014, 0, 1, h)]).cast(pl.Datetime("ms", "UTC"));
 * const rows = pl.DataFrame({ series_id: ["a"], timestamp: dt(3) });
 * const w = pl.DataFrame({ series_id: ["a"], start: dt(3).alias("start"), end: dt(4).alias("end") });
 * labelWindows(rows, w).getColumn("is_anomaly").toArray(); // [true]
 * ```
 */
export function labelWindows(df: pl.DataFrame, windows: pl.DataFrame, options: LabelWindowsOptions = {}): pl.DataFrame {
  const { by = "series_id", time = "timestamp", every = null, start = "start", end = "end", column = "is_anomaly" } =
    options;
  const keys = byList(by);
  const spanMs = every === null ? 0 : parseDuration(every, "label bucket");
  const rows = df.withRowIndex("__row");
  if (windows.height === 0 || df.height === 0) {
    return df.withColumns(pl.lit(false).alias(column));
  }
  const t = pl.col(time).dt.timestamp();
  const s = pl.col("__ws");
  const e = pl.col("__we");
  const win = windows.lazy().select(
    ...keys.map((k) => pl.col(k)),
    pl.col(start).dt.timestamp().alias("__ws"),
    pl.col(end).dt.timestamp().alias("__we"),
  );
  const base = rows.lazy().select("__row", ...keys, time);
  const joined = keys.length === 0 ? base.join(win, { how: "cross" }) : base.join(win, { on: keys, how: "inner" });
  const overlap = spanMs === 0 ? t.gtEq(s).and(t.ltEq(e)) : t.ltEq(e).and(t.add(spanMs).gt(s));
  const hits = joined.filter(overlap).select("__row").unique().withColumns(pl.lit(true).alias(column));
  return rows.lazy()
    .join(hits, { on: "__row", how: "left" })
    .withColumns(pl.col(column).fillNull(false))
    .sort("__row")
    .drop("__row")
    .collectSync();
}
