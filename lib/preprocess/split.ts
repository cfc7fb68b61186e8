import pl from "nodejs-polars";
import { byList, overKeys, parseDuration } from "./_util.ts";

/** Options of {@linkcode chronologicalSplit}. */
export interface ChronologicalSplitOptions {
  /** Share of each group's rows (in time order) before the boundary. @default 0.7 */
  ratio?: number;
  /** Group columns, each split at its own boundary (`scope: "series"`). @default "series_id" */
  by?: string | readonly string[] | null;
  /** The time column. @default "timestamp" */
  time?: string;
  /**
   * `"series"`: one boundary per group at its own `ratio` quantile. `"global"`: one boundary time for every
   * group, so no test row of any group is earlier than a train row of another (stricter when groups are
   * correlated, e.g. metrics of one outage). @default "series"
   */
  scope?: "series" | "global";
  /** An embargo after the boundary: rows in `[boundary, boundary + gap)` are marked `"gap"`. @default "0h" */
  gap?: string;
  /** The column to add. @default "split" */
  column?: string;
}

/**
 * Marks rows `train` / `test` (and `gap`) by time: train rows are strictly earlier than the boundary, test rows
 * at or after it (plus the gap), so rows sharing a timestamp never straddle it and no test row precedes a train
 * row of its group.
 *
 * @param df the rows (time column Datetime)
 * @param options ratio, grouping, scope and embargo
 * @returns `df` with a Utf8 split column, rows in their original order
 * @throws {RangeError} when ratio is not in (0, 1)
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { chronologicalSplit } from "@lib/preprocess/mod.ts";
 * const t = pl.Series("timestamp", [4, 1, 3, 2].map((h) => Date.UTC(2014, 0, 1, h))).cast(pl.Datetime("ms", "UTC"));
 * const df = pl.DataFrame({ series_id: ["a", "a", "a", "a"], timestamp: t });
 * chronologicalSplit(df, { ratio: 0.5 }).getColumn("split").toArray(); // ["test", "train", "test", "train"]
 * ```
 */
export function chronologicalSplit(df: pl.DataFrame, options: ChronologicalSplitOptions = {}): pl.DataFrame {
  const { ratio = 0.7, by = "series_id", time = "timestamp", scope = "series", gap = "0h", column = "split" } = options;
  if (!(ratio > 0 && ratio < 1)) throw new RangeError(`Cannot split: ratio must be in (0, 1), got ${ratio}`);
  const gapMs = gap === "0h" || gap === "0" ? 0 : parseDuration(gap, "split gap");
  const keys = scope === "global" ? [] : byList(by);
  const ov = (e: pl.Expr) => overKeys(e, keys);
  const t = pl.col(time).dt.timestamp();
  const rank = ov(pl.col(time).rank("ordinal"));
  const cut = ov(pl.len()).mul(ratio).floor();
  // The boundary is the time of the first row past the cut; every row at that time or later is on the test side.
  const boundary = ov(pl.when(rank.gt(cut)).then(t).otherwise(pl.lit(null)).min());
  return df.lazy()
    .withColumns(boundary.alias("__boundary"))
    .withColumns(
      pl.when(pl.col("__boundary").isNull().or(t.lt(pl.col("__boundary")))).then(pl.lit("train"))
        .when(t.lt(pl.col("__boundary").add(gapMs))).then(pl.lit("gap"))
        .otherwise(pl.lit("test")).alias(column),
    )
    .drop("__boundary")
    .collectSync();
}
