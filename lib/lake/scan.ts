import pl from "nodejs-polars";
import { dirname, join } from "node:path";
import type { Manifest } from "./manifest.ts";
import { checkParquetFile, readTable, TableReadError } from "./read.ts";

/** Which table {@linkcode scanTable} reads. */
export interface ScanTableOptions {
  /** The table name. @default the manifest's primary table */
  table?: string;
}

/**
 * A lazy scan of one table of a dataset, over all its files (one file, or the part files of a partitioned or
 * merged sharded dataset), so checks and reports can aggregate without loading everything at once.
 * CSV files are read eagerly (Polars cannot scan gzip lazily).
 *
 * @param dir the dataset folder
 * @param manifest its manifest
 * @param options the table
 * @returns a lazy frame of every row of the table
 * @throws {TableReadError} for a missing, truncated or mislabelled file
 */
export function scanTable(dir: string, manifest: Manifest, options: ScanTableOptions = {}): pl.LazyDataFrame {
  const { table = manifest.primary_table } = options;
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

/**
 * What checks and reports read of a table: its row count, columns, dtypes and a lazy query over its rows. A
 * `pl.DataFrame` is one (in memory); a {@linkcode ScannedTable} is one over files, read only as queries need.
 */
export interface TableFrame {
  /** Rows. */
  readonly height: number;
  /** Column names, in order. */
  readonly columns: string[];
  /** Column name to dtype. */
  readonly schema: Record<string, pl.DataType>;
  /** A lazy query over every row. */
  lazy(): pl.LazyDataFrame;
}

/** One file of a {@linkcode ScannedTable}, with the constant columns its path implies (Hive `key=value` folders). */
export interface ScannedFile {
  /** The Parquet file. */
  path: string;
  /** Columns the file lacks, constant over its rows, e.g. `{ region: "eu" }` from `region=eu/`. @default {} */
  constants?: Record<string, string>;
}

/**
 * Options of `collectSync` that run a query on Polars' streaming engine: over a {@linkcode ScannedTable}, filters
 * and aggregations then read its files in batches instead of whole, so memory follows the result, not the table
 * (measured: null counts of 10 M rows in 480 MB instead of 1.6 GB). Queries the engine cannot stream run in
 * memory as usual. Choose it through {@linkcode engineFor}: frames in memory are better served by the default
 * engine, which adds up in a fixed order.
 */
export const STREAMING: { engine: "streaming" } = { engine: "streaming" };

/**
 * The engine for a query over a table: {@linkcode STREAMING} for a scanned table, Polars' default in-memory engine
 * (undefined) for a frame in memory, whose parallel reductions always add up in the same order: the streaming
 * engine's may not, and a mean could then differ in its last digit from one run to the next.
 * @param table the table queried
 * @returns the options for `collectSync`
 */
export function engineFor(table: TableFrame): { engine: "streaming" } | undefined {
  return table instanceof ScannedTable ? STREAMING : undefined;
}

/** A glob that scans exactly a table's files: the pattern, and the Hive keys its folders add as columns. */
interface Glob {
  pattern: string;
  hive: string[];
}

/** Every Parquet file below a folder, or undefined when a name there is hidden to globs (leading "." or "_"). */
function parquetBelow(dir: string): string[] | undefined {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    if (e.name.startsWith(".") || e.name.startsWith("_")) return undefined;
    if (e.isDirectory) {
      const below = parquetBelow(join(dir, e.name));
      if (below === undefined) return undefined;
      out.push(...below);
    } else if (e.isFile && e.name.endsWith(".parquet")) out.push(join(dir, e.name));
  }
  return out;
}

/**
 * The glob scanning exactly these files, in this order: `<folder>/*.parquet` when they are every Parquet file of
 * one folder and add no columns (a table as the lake writes it), or `<root>/**\/*.parquet` with Hive partitioning
 * when they are every Parquet file below `root`, each adding the same `key=value` folder columns. Else none.
 */
function globOf(files: readonly ScannedFile[], root?: string): Glob | undefined {
  if (files.length < 2 || files.some((f, i) => i > 0 && files[i - 1].path >= f.path)) return undefined;
  const keys = (f: ScannedFile) => Object.keys(f.constants ?? {}).join("/");
  if (files.some((f) => keys(f) !== keys(files[0]))) return undefined;
  const hive = Object.keys(files[0].constants ?? {});
  const dir = dirname(files[0].path);
  const base = hive.length === 0 && files.every((f) => dirname(f.path) === dir) ? dir : root;
  if (base === undefined || /[*?[\]{}\\]/.test(base)) return undefined;
  let all: string[] | undefined;
  try {
    all = base === dir && hive.length === 0
      ? [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name.endsWith(".parquet")).map((e) => join(dir, e.name))
      : parquetBelow(base);
  } catch {
    return undefined;
  }
  const paths = new Set(files.map((f) => f.path));
  if (all === undefined || all.length !== paths.size || !all.every((p) => paths.has(p))) return undefined;
  return { pattern: base === dir && hive.length === 0 ? join(dir, "*.parquet") : join(base, "**", "*.parquet"), hive };
}

/**
 * A table read lazily from its Parquet files: nothing is loaded until a query runs, and a query reads only the
 * columns it names (see {@linkcode STREAMING}). Its {@linkcode ScannedTable.parts | parts} are the files, for work
 * that must see whole rows of one entity at a time (time order, keys) and so goes file by file.
 *
 * @example
 * ```ts ignore
 * import pl from "nodejs-polars";
 * import { ScannedTable, STREAMING } from "@lib/lake/mod.ts";
 * const t = new ScannedTable(["data/synthetic/big/capacity/part-00000.parquet", "data/synthetic/big/capacity/part-00028.parquet"]);
 * t.lazy().select(pl.col("cpu_p95").max()).collectSync(STREAMING); // one number; no other column is read
 * ```
 */
export class ScannedTable implements TableFrame {
  /** The files, in order. */
  readonly files: readonly ScannedFile[];
  #schema?: Record<string, pl.DataType>;
  #height?: number;
  #parts?: ScannedTable[];
  #lazy?: pl.LazyDataFrame;
  #glob?: Glob | null;
  #root?: string;
  /** Whether a file holds a column its folders also name (then the file's values win, and no glob is used). */
  #shadowed = false;

  /**
   * A scan of files that hold one table.
   * @param files the Parquet files (paths, or files with constant columns), in order
   * @param options the row count when already known (a manifest's), to skip counting; the folder the files lie
   *   below, when they are all its Parquet files (one glob then scans them all, Hive folders included)
   * @throws {TableReadError} for no files, a file that is not whole Parquet, or files whose columns differ
   */
  constructor(files: readonly (string | ScannedFile)[], options: { rows?: number; root?: string } = {}) {
    if (files.length === 0) throw new TableReadError("(no files)", "a scanned table needs at least one file");
    this.files = files.map((f) => typeof f === "string" ? { path: f } : f);
    for (const f of this.files) checkParquetFile(f.path);
    this.#height = options.rows;
    this.#root = options.root;
  }

  #scan(file: ScannedFile): pl.LazyDataFrame {
    let lf = pl.scanParquet(file.path);
    const all = Object.entries(file.constants ?? {});
    const constants = all.filter(([k]) => !lf.columns.includes(k));
    if (constants.length < all.length) this.#shadowed = true;
    if (constants.length > 0) lf = lf.withColumns(...constants.map(([k, v]) => pl.lit(v).alias(k)));
    return lf;
  }

  /** Column name to dtype, the same in every file (checked on first use). */
  get schema(): Record<string, pl.DataType> {
    if (this.#schema === undefined) {
      let first: { file: string; schema: Record<string, pl.DataType>; text: string } | undefined;
      for (const f of this.files) {
        let schema: Record<string, pl.DataType>;
        try {
          schema = this.#scan(f).limit(0).collectSync().schema as Record<string, pl.DataType>;
        } catch (cause) {
          throw new TableReadError(
            f.path,
            `corrupt Parquet file (${String((cause as Error).message).split("\n")[0]})`,
            {
              cause,
            },
          );
        }
        const text = Object.entries(schema).map(([c, d]) => `${c}:${String(d)}`).join(",");
        if (first === undefined) first = { file: f.path, schema, text };
        else if (text !== first.text) {
          throw new TableReadError(f.path, `its columns differ from those of "${first.file}", in the same table`);
        }
      }
      this.#schema = first!.schema;
    }
    return this.#schema;
  }

  /** Column names, in order. */
  get columns(): string[] {
    return Object.keys(this.schema);
  }

  /** Rows: the count given, else counted from the files' metadata. */
  get height(): number {
    this.#height ??= this.files.reduce(
      (n, f) => n + Number(this.#scan(f).select(pl.len().alias("n")).collectSync(STREAMING).getColumn("n").get(0)),
      0,
    );
    return this.#height;
  }

  /**
   * The glob one scan of every file uses, or undefined when the files' scans are stacked instead (see
   * {@linkcode ScannedTable.lazy}).
   */
  get glob(): string | undefined {
    void this.lazy();
    return this.#glob?.pattern;
  }

  /**
   * A lazy query over every file, in order: one glob scan when the files are all the Parquet files of one folder
   * (a partitioned table as the lake writes it) or below the `root` given (Hive `key=value` folders becoming
   * String columns), else the files' scans stacked. The glob matters: over 101 files (100 M rows) Polars'
   * streaming engine counted nulls in 564 MB from the glob, 11 GB from the stack.
   */
  lazy(): pl.LazyDataFrame {
    const schema = this.schema;
    if (this.#lazy === undefined) {
      // Built once: queries share the scan and the file metadata Polars reads for it.
      const glob = this.#shadowed ? undefined : globOf(this.files, this.#root);
      let scan: pl.LazyDataFrame | undefined;
      if (glob !== undefined) {
        scan = glob.hive.length === 0 ? pl.scanParquet(glob.pattern) : pl.scanParquet(glob.pattern, {
          hivePartitioning: true,
          hiveSchema: Object.fromEntries(glob.hive.map((k) => [k, pl.String])),
        });
        // The glob must give the very columns of the files' own scans, else it is not used.
        const text = (x: Record<string, pl.DataType>) => Object.entries(x).map(([c, d]) => `${c}:${String(d)}`).join();
        if (text(scan.limit(0).collectSync().schema as Record<string, pl.DataType>) !== text(schema)) scan = undefined;
      }
      this.#glob = scan === undefined ? null : glob;
      const frames = scan === undefined ? this.files.map((f) => this.#scan(f)) : [scan];
      this.#lazy = frames.length === 1 ? frames[0] : pl.concat(frames, { how: "vertical" });
    }
    return this.#lazy;
  }

  /** One table per file, in order: the units of file-by-file work. */
  parts(): ScannedTable[] {
    this.#parts ??= this.files.length === 1 ? [this] : this.files.map((f) => new ScannedTable([f]));
    return this.#parts;
  }
}

/**
 * A lazy query seen as a table (e.g. a scanned table with a derived column), for functions that take one.
 * @param lf the query
 * @param height its row count, when known (else counted on first use)
 * @returns the table
 */
export function lazyTable(lf: pl.LazyDataFrame, height?: number): TableFrame {
  let schema: Record<string, pl.DataType> | undefined;
  let rows = height;
  return {
    get schema() {
      return schema ??= lf.limit(0).collectSync().schema as Record<string, pl.DataType>;
    },
    get columns() {
      return Object.keys(this.schema);
    },
    get height() {
      return rows ??= Number(lf.select(pl.len().alias("n")).collectSync(STREAMING).getColumn("n").get(0));
    },
    lazy: () => lf,
  };
}

/**
 * One query over the parts of a table: `query` runs on each part, one part after another, and the results are
 * stacked, in order. Collect it with Polars' default (in-memory) engine, `collectSync()`: memory then follows one
 * file, not the table (the streaming engine does not handle a stack of many scans well: 10 GB for null counts of
 * 101 files; parts run in parallel took 1.5x the memory for 1.7x the speed). Per-part work done as one query also
 * leaves no per-part frames behind in JS, whose native memory would outlive a synchronous caller.
 * @param table the table (in memory: one part)
 * @param query the per-part query; `index` is the part's position
 * @returns the stacked query
 */
export function stackParts(
  table: TableFrame,
  query: (part: pl.LazyDataFrame, index: number) => pl.LazyDataFrame,
): pl.LazyDataFrame {
  const parts = partsOf(table).map((p, i) => query(p.lazy(), i));
  return parts.length === 1 ? parts[0] : pl.concat(parts, { how: "vertical", parallel: false });
}

/**
 * Runs a query on every part of a table and collects the stacked results (see {@linkcode stackParts}); a table of
 * one part runs on the streaming engine.
 * @param table the table
 * @param query the per-part query; `index` is the part's position
 * @returns the stacked results
 */
export function collectParts(
  table: TableFrame,
  query: (part: pl.LazyDataFrame, index: number) => pl.LazyDataFrame,
): pl.DataFrame {
  const stacked = stackParts(table, query);
  return partsOf(table).length === 1 ? stacked.collectSync(engineFor(table)) : stacked.collectSync();
}

/** How {@linkcode aggregateParts} combines the parts' values of one output column. */
export type Combine = "sum" | "min" | "max";

/**
 * Aggregates a table file by file and combines the files' results (see {@linkcode stackParts}), so memory follows
 * one file (measured on 100 M rows in 101 files: null counts of every column in 338 MB, against 11 GB from a stack
 * of scans on the streaming engine). Each expression must give one value per part that `combine`
 * can merge: counts and sums (`sum`), extremes (`min`, `max`).
 * @param table the table (in memory: one part)
 * @param exprs aliased aggregate expressions, one value each
 * @param options how each output column merges across parts (by name; default "sum"), columns to add to each
 *   part first, and `concurrent`: how many files are read at once (default 1; more is faster on several cores, for
 *   that many files' memory; the parts' values then come in batches, so use it where the combination is exact:
 *   integer counts, extremes)
 * @returns one row
 */
export function aggregateParts(
  table: TableFrame,
  exprs: pl.Expr[],
  options: {
    combine?: Combine | ((column: string) => Combine);
    prepare?: (part: pl.LazyDataFrame) => pl.LazyDataFrame;
    concurrent?: number;
  } = {},
): pl.DataFrame {
  const { combine = "sum", prepare = (lf) => lf, concurrent = 1 } = options;
  if (partsOf(table).length === 1) return prepare(table.lazy()).select(...exprs).collectSync(engineFor(table));
  const how = typeof combine === "string" ? () => combine : combine;
  let stacked: pl.LazyDataFrame;
  if (concurrent <= 1) stacked = stackParts(table, (part) => prepare(part).select(...exprs));
  else {
    // `concurrent` files at a time, each batch collected to its rows (one a file): never more files in flight,
    // whatever the cores (a parallel stack of every file would read as many as Polars has threads).
    const parts = partsOf(table).map((p) => prepare(p.lazy()).select(...exprs));
    const rows: pl.DataFrame[] = [];
    for (let i = 0; i < parts.length; i += concurrent) {
      rows.push(pl.concat(parts.slice(i, i + concurrent), { how: "vertical", parallel: true }).collectSync());
    }
    stacked = pl.concat(rows, { how: "vertical" }).lazy();
  }
  const columns = stacked.columns;
  return stacked.select(...columns.map((c) => {
    const rule = how(c);
    return (rule === "sum" ? pl.col(c).sum() : rule === "min" ? pl.col(c).min() : pl.col(c).max()).alias(c);
  })).collectSync();
}

/**
 * A table in memory: a DataFrame as it is, anything else read whole (mind the size of a scanned table).
 * @param table the table
 * @returns the frame
 */
export function inMemory(table: TableFrame): pl.DataFrame {
  return "getColumn" in table ? table as pl.DataFrame : table.lazy().collectSync(STREAMING);
}

/**
 * The parts of a table for file-by-file work: a scanned table's files, or the table itself when in memory.
 * @param table the table
 * @returns its parts, in order
 */
export function partsOf(table: TableFrame): TableFrame[] {
  return table instanceof ScannedTable ? table.parts() : [table];
}
