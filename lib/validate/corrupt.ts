import pl from "nodejs-polars";

/** Options of the corruptions that touch some rows. */
export interface CorruptRowsOptions {
  /** Rows to touch, spread evenly over the frame (the same rows on every run). @default 20 */
  count?: number;
  /** First row touched. @default 17 */
  offset?: number;
}

function rowsToTouch(height: number, count: number, offset: number): number[] {
  const step = Math.max(1, Math.floor(height / Math.max(1, count)));
  return Array.from({ length: Math.min(count, height) }, (_, k) => (offset + k * step) % Math.max(1, height));
}

/**
 * A copy of a frame with one column's value replaced in some rows: nulls, out-of-range numbers, stray strings.
 * A demonstration and test aid: every validator check has a corruption that must trip it.
 *
 * @param df the frame
 * @param column the column
 * @param value the value to put (null for a missing value)
 * @param options how many rows
 * @returns the corrupted copy
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { corruptValues } from "@lib/validate/mod.ts";
 * corruptValues(pl.DataFrame({ x: [1, 2, 3] }), "x", { value: null, count: 1, offset: 0 }).getColumn("x").nullCount(); // 1
 * ```
 */
export function corruptValues(
  df: pl.DataFrame,
  column: string,
  options: CorruptRowsOptions & { value: number | string | boolean | null },
): pl.DataFrame {
  const { count = 20, offset = 17, value } = options;
  if (!df.columns.includes(column)) throw new RangeError(`Cannot corrupt "${column}": no such column`);
  const dtype = (df.schema as Record<string, pl.DataType>)[column];
  const rows = rowsToTouch(df.height, count, offset);
  return df.withRowIndex("__row").withColumns(
    pl.when(pl.col("__row").isIn(rows)).then(pl.lit(value).cast(dtype)).otherwise(pl.col(column)).alias(column),
  ).drop("__row");
}

/**
 * A copy of a frame with some rows appended again: repeated keys and exact duplicate rows.
 * @param df the frame
 * @param options how many rows
 * @returns the corrupted copy
 */
export function duplicateRows(df: pl.DataFrame, options: CorruptRowsOptions = {}): pl.DataFrame {
  const { count = 20, offset = 17 } = options;
  const rows = rowsToTouch(df.height, count, offset);
  return pl.concat([df, df.withRowIndex("__row").filter(pl.col("__row").isIn(rows)).drop("__row")]);
}

/**
 * A copy of a frame in a random row order (seeded): the stored time order is lost, nothing else.
 * @param df the frame
 * @param seed the shuffle's seed @default 1
 * @returns the shuffled copy
 */
export function shuffleRows(df: pl.DataFrame, seed = 1): pl.DataFrame {
  return df.sample({ frac: 1, withReplacement: false, shuffle: true, seed });
}

/**
 * A copy of a time-ordered frame where some rows repeat the previous row's timestamp (and the given calendar
 * columns), keeping their own values: repeated keys, and the timestamps they replace go missing.
 * @param df the frame, in time order per entity
 * @param columns the timestamp and the columns derived from it
 * @param options how many rows
 * @returns the corrupted copy
 */
export function repeatTimestamps(df: pl.DataFrame, columns: string[], options: CorruptRowsOptions = {}): pl.DataFrame {
  const { count = 20, offset = 101 } = options;
  const rows = rowsToTouch(df.height, count, offset).filter((i) => i > 0);
  return df.withRowIndex("__row").withColumns(
    ...columns.map((c) => pl.when(pl.col("__row").isIn(rows)).then(pl.col(c).shift(1)).otherwise(pl.col(c)).alias(c)),
  ).drop("__row");
}

/**
 * A copy of a frame where each entity's values of one column are shuffled in time (seeded): the same values and
 * ranges per entity, but every cycle (daily, weekly, quarterly) and every correlation with the other columns gone.
 * The corruption the autocorrelation checks must trip on.
 * @param df the frame
 * @param column the column shuffled
 * @param entity the entity column the shuffle stays within
 * @param seed the shuffle's seed @default 11
 * @returns the corrupted copy
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { shuffleInTime } from "@lib/validate/mod.ts";
 * const df = pl.DataFrame({ e: ["a", "a", "b", "b"], x: [1, 2, 3, 4] });
 * shuffleInTime(df, "x", { entity: "e" }).getColumn("x").sum(); // 10
 * ```
 */
export function shuffleInTime(
  df: pl.DataFrame,
  column: string,
  options: { entity: string; seed?: number },
): pl.DataFrame {
  const { entity, seed = 11 } = options;
  if (!df.columns.includes(column)) throw new RangeError(`Cannot corrupt "${column}": no such column`);
  // A random sort key per row (not Polars' shuffle, which applies one permutation to every entity alike).
  let a = seed >>> 0;
  const key = new Float64Array(df.height);
  for (let i = 0; i < key.length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    key[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return df.withColumns(pl.Series("__key", key)).withColumns(
    pl.col(column).sortBy("__key").over(entity).alias(column),
  ).drop("__key");
}
