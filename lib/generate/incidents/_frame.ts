import pl from "nodejs-polars";

/**
 * A string column from small-integer codes into a dictionary; code -1 is null. Built inside Polars (a gather),
 * never as millions of JS strings.
 * @param name the column name
 * @param coded `dict`: the values by code; `codes`: one code per row
 * @returns the series
 */
export function codedStrings(
  name: string,
  { dict, codes }: { dict: readonly string[]; codes: Int32Array },
): pl.Series {
  const nullCode = dict.length;
  const idx = new Uint32Array(codes.length);
  for (let i = 0; i < codes.length; i++) idx[i] = codes[i] < 0 ? nullCode : codes[i];
  const values = pl.DataFrame({ v: pl.Series("v", [...dict, null], pl.String) });
  return values.select(pl.col("v").gather(pl.Series("i", idx)).alias(name)).getColumn(name);
}

/**
 * A UTC millisecond Datetime column from epoch milliseconds.
 * @param name the column name
 * @param ms epoch milliseconds
 * @returns the series
 */
export function msSeries(name: string, ms: Float64Array): pl.Series {
  return pl.Series(name, ms).cast(pl.Int64).cast(pl.Datetime("ms", "UTC"));
}
