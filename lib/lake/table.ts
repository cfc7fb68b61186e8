import pl from "nodejs-polars";
import { join } from "node:path";

/** File formats a table can be written in. */
export type TableFormat = "parquet" | "csv";

/** Options of {@linkcode writeTable}. */
export interface WriteTableOptions {
  /** The table name, without extension. */
  name: string;
  /** The file format. @default "parquet" */
  format?: TableFormat;
  /** Gzip the file (CSV only; Parquet is compressed inside with zstd). @default false */
  compress?: boolean;
}

/**
 * The name Polars gives a dtype, e.g. `Float64` or `Datetime(ms,UTC)`.
 * @param dtype a Polars dtype
 * @returns its name
 */
export function dtypeName(dtype: pl.DataType): string {
  return String(dtype).replace(/^DataType\((.*)\)$/, "$1");
}

/**
 * Column name to dtype name of a frame, in column order.
 * @param df the frame
 * @returns the schema as plain strings, for manifests
 */
export function schemaOf(df: pl.DataFrame): Record<string, string> {
  return Object.fromEntries(
    Object.entries(df.schema as Record<string, pl.DataType>).map(([k, v]) => [k, dtypeName(v)]),
  );
}

async function gzipFile(src: string, dest: string): Promise<void> {
  // Deno's gzip writes no timestamp into the header, so equal input gives byte-identical output.
  const input = await Deno.open(src, { read: true });
  const output = await Deno.open(dest, { write: true, create: true, truncate: true });
  await input.readable.pipeThrough(new CompressionStream("gzip")).pipeTo(output.writable);
  await Deno.remove(src);
}

/**
 * Writes a frame as `<name>.parquet`, `<name>.csv` or `<name>.csv.gz` in `dir`.
 * @param df the frame
 * @param dir the folder (exists)
 * @param options the table name, format and compression
 * @returns the file name written, relative to `dir`
 */
export async function writeTable(
  df: pl.DataFrame,
  dir: string,
  options: WriteTableOptions,
): Promise<string> {
  const { name, format = "parquet", compress = false } = options;
  if (format === "parquet") {
    if (compress) throw new RangeError(`Cannot write "${name}": compress applies to csv, got format "parquet"`);
    const file = `${name}.parquet`;
    df.writeParquet(join(dir, file), { compression: "zstd" });
    return file;
  }
  const file = `${name}.csv`;
  df.writeCSV(join(dir, file));
  if (!compress) return file;
  await gzipFile(join(dir, file), join(dir, `${file}.gz`));
  return `${file}.gz`;
}
