import pl from "nodejs-polars";
import { join } from "node:path";
import type { Manifest } from "./manifest.ts";
import { checkParquetFile, readTable, TableReadError } from "./read.ts";

/**
 * A lazy scan of one table of a dataset, over all its files (one file, or the part files of a partitioned or
 * merged sharded dataset), so checks and reports can aggregate without loading everything at once.
 * CSV files are read eagerly (Polars cannot scan gzip lazily).
 *
 * @param dir the dataset folder
 * @param manifest its manifest
 * @param table the table name @default the primary table
 * @returns a lazy frame of every row of the table
 * @throws {TableReadError} for a missing, truncated or mislabelled file
 */
export function scanTable(dir: string, manifest: Manifest, table: string = manifest.primary_table): pl.LazyDataFrame {
  const entry = manifest.tables[table];
  if (entry === undefined) {
    throw new TableReadError(
      join(dir, table),
      `no table "${table}" in the manifest (has ${Object.keys(manifest.tables)})`,
    );
  }
  if (entry.files.length === 0) throw new TableReadError(join(dir, table), "the table lists no files");
  const frames = entry.files.map((file) => {
    const path = join(dir, file);
    if (!path.endsWith(".parquet")) return readTable(path).lazy();
    checkParquetFile(path);
    return pl.scanParquet(path);
  });
  return frames.length === 1 ? frames[0] : pl.concat(frames, { how: "vertical" });
}
