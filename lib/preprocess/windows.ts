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
  const t = pl.col(time).dt.timestamp();
  let originMs = 0;
  if (origin === "data" && df.height > 0) {
    const min = df.select(t.min().alias("m")).getColumn("m").toArray()[0];
    if (min !== null && min !== undefined) {
      originMs = Number(min) - (((Number(min) % 86_400_000) + 86_400_000) % 86_400_000);
    }
  }
  const rel = t.sub(originMs);
  return df.withColumns(
    rel.sub(rel.modulo(everyMs)).add(originMs).cast(pl.Datetime("ms", "UTC")).alias(column),
  );
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
  const rng = entityStream(seed, "preprocess/windows", "sample");
  const chosen = rng.shuffle(starts).slice(0, count);
  return withWin.filter(pl.col(column).dt.timestamp().isIn(chosen));
}
