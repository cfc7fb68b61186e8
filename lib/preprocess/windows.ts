import pl from "nodejs-polars";
import { entityStream, type Seed } from "@lib/random/mod.ts";
import { parseDuration } from "./_util.ts";

/** Options of {@linkcode timeWindows}. */
export interface TimeWindowsOptions {
  /** Window length. @default "7d" */
  every?: string;
  /** The time column (Datetime). @default "timestamp" */
  time?: string;
  /** The column to add: each row's window start (Datetime ms UTC). @default "window_start" */
  column?: string;
  /**
   * Where windows are anchored: `"data"` at UTC midnight of the earliest row (the first window starts with the
   * data), `"epoch"` at 1970-01-01 (windows line up across datasets). @default "data"
   */
  origin?: "data" | "epoch";
}

/**
 * Assigns every row to a fixed-length window (e.g. 7 days) by its time.
 * @param df the rows
 * @param options length, anchor and column names
 * @returns `df` with the window-start column
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { timeWindows } from "@lib/preprocess/mod.ts";
 * const t = pl.Series("timestamp", [0, 8].map((d) => Date.UTC(2020, 0, 1 + d))).cast(pl.Datetime("ms", "UTC"));
 * timeWindows(pl.DataFrame({ timestamp: t })).getColumn("window_start").toArray().length; // 2
 * ```
 */
export function timeWindows(df: pl.DataFrame, options: TimeWindowsOptions = {}): pl.DataFrame {
  const { every = "7d", time = "timestamp", column = "window_start", origin = "data" } = options;
  const everyMs = parseDuration(every, "window length");
  let originMs = 0;
  if (origin === "data" && df.height > 0) {
    const min = df.select(pl.col(time).dt.timestamp().min().alias("m")).getColumn("m").toArray()[0];
    if (min !== null && min !== undefined) originMs = midnightBefore(Number(min));
  }
  return df.withColumns(windowStartExpr(time, { everyMs, originMs }).alias(column));
}

/**
 * UTC midnight at or before an instant: the origin {@linkcode timeWindows} anchors windows at for `"data"`.
 * @param ms epoch milliseconds (the earliest row)
 * @returns epoch milliseconds of that day's midnight
 * @example
 * ```ts
 * import { midnightBefore } from "@lib/preprocess/mod.ts";
 * midnightBefore(Date.UTC(2024, 2, 4, 13, 5)); // Date.UTC(2024, 2, 4)
 * ```
 */
export function midnightBefore(ms: number): number {
  return ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000);
}

/**
 * The window start of a time column as an expression (Datetime ms UTC), windows of `everyMs` from `originMs`; for
 * work over data that is not in one frame (e.g. files read in turn) with an origin found beforehand.
 * @param time the time column (Datetime)
 * @param windows `everyMs`: the window length, `originMs`: where windows are anchored (epoch ms)
 * @returns the expression
 * @example
 * ```ts ignore
 * scan.select(
 *   windowStartExpr("timestamp", { everyMs: 7 * 86_400_000, originMs: midnightBefore(firstMs) }).alias("window_start"),
 * );
 * ```
 */
export function windowStartExpr(
  time: string,
  { everyMs, originMs }: { everyMs: number; originMs: number },
): pl.Expr {
  const rel = pl.col(time).dt.timestamp().sub(originMs);
  return rel.sub(rel.modulo(everyMs)).add(originMs).cast(pl.Datetime("ms", "UTC"));
}

/** Options of {@linkcode sampleWindows}. */
export interface SampleWindowsOptions extends TimeWindowsOptions {
  /** How many windows to keep; null keeps all. @default null */
  count?: number | null;
  /** The sampling seed. @default 0 */
  seed?: Seed;
}

/**
 * Assigns rows to windows ({@linkcode timeWindows}) and keeps a seeded sample of `count` windows. The choice
 * depends only on the seed and the set of window starts, never on row order.
 * @param df the rows
 * @param options window options, count and seed
 * @returns the rows of the chosen windows, with the window-start column
 */
export function sampleWindows(df: pl.DataFrame, options: SampleWindowsOptions = {}): pl.DataFrame {
  const { count = null, seed = 0, column = "window_start" } = options;
  const withWin = timeWindows(df, options);
  if (count === null) return withWin;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`Cannot sample windows: count must be an integer >= 1, got ${count}`);
  }
  const starts = (withWin.select(pl.col(column).dt.timestamp().unique().sort().alias("s")).getColumn("s")
    .toArray() as unknown as (number | bigint)[]).map(Number);
  if (count >= starts.length) return withWin;
  return withWin.filter(pl.col(column).dt.timestamp().isIn(chooseWindows(starts, { count, seed })));
}

/**
 * The seeded choice of {@linkcode sampleWindows}: `count` of the window starts, depending only on the seed and
 * the set of starts.
 * @param starts every window start (epoch ms), ascending
 * @param choice `count`: how many to keep (all when `count` >= their number), `seed`: the sampling seed
 * @returns the chosen starts
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseWindows } from "@lib/preprocess/mod.ts";
 * assert.equal(chooseWindows([0, 604_800_000, 1_209_600_000], { count: 1, seed: 3 }).length, 1);
 * ```
 */
export function chooseWindows(starts: readonly number[], { count, seed }: { count: number; seed: Seed }): number[] {
  if (count >= starts.length) return [...starts];
  const rng = entityStream(seed, { dataset: "preprocess/windows", entity: "sample" });
  return rng.shuffle([...starts]).slice(0, count);
}
