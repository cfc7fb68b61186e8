import pl from "nodejs-polars";

/** A Datetime(ms, UTC) series from epoch-ms numbers. */
export function times(name: string, ms: readonly number[]): pl.Series {
  return pl.Series(name, Float64Array.from(ms)).cast(pl.Int64).cast(pl.Datetime("ms", "UTC"));
}

/** Epoch ms of a Datetime column. */
export function msOf(df: pl.DataFrame, col: string): number[] {
  return (df.select(pl.col(col).dt.timestamp()).getColumn(col).toArray() as (number | bigint)[]).map(Number);
}

export const H = 3_600_000;
export const M = 60_000;
export const T0 = Date.UTC(2014, 1, 1);
