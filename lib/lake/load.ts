/**
 * One way to load a dataset from the lake: a dataset folder with `manifest.json` (every table from all its files),
 * a folder of Parquet/CSV files without a manifest (partitions concatenated, Hive `key=value` folders becoming
 * columns), or one Parquet/CSV file. Validation (`lib/validate/load.ts`) adds its checks on top; replay scans the
 * same tables through {@linkcode scanTable}.
 * @module
 */
import pl from "nodejs-polars";
import { basename, dirname, join, relative } from "node:path";
import { contentFingerprint } from "./fingerprint.ts";
import { readManifest } from "./catalog.ts";
import type { Manifest } from "./manifest.ts";
import { readTable, TableReadError } from "./read.ts";
import { ScannedTable, type TableFrame } from "./scan.ts";
import { dtypeName } from "./table.ts";

/** Tables up to this many rows are read into memory (faster to check); larger ones are scanned lazily. */
export const IN_MEMORY_ROWS = 5_000_000;

/** A path that is not a dataset at all (missing, no data files): the caller reports it and goes on. */
export class DatasetInputError extends Error {
  /** The path. */
  readonly path: string;
  /**
   * An input error.
   * @param path the path
   * @param reason what is wrong
   * @param action what was attempted, for the message @default "read"
   */
  constructor(path: string, reason: string, action = "read") {
    super(`Cannot ${action} "${path}": ${reason}`);
    this.name = "DatasetInputError";
    this.path = path;
  }
}

/** How the values of one column read from CSV converted to the dtype they should have. */
export interface ParseOutcome {
  /** The column. */
  column: string;
  /** `table.column` when the dataset has several tables, else the column. */
  subject: string;
  /** The dtype name converted to. */
  dtype: string;
  /** Values that did not convert (became null). */
  lost: number;
}

/** A dataset as read from the lake. */
export interface LakeDataset {
  /** The dataset name (manifest name, else the folder or file name). */
  name: string;
  /** The path given. */
  path: string;
  /** The dataset folder, or the folder beside a bare file (where results about it go). */
  outDir: string;
  /** Prefix of files written about it: "" in a dataset folder, `<file name>.` beside a bare file. */
  outPrefix: string;
  /** The manifest, for a dataset folder, as read when loading started. */
  manifest?: Manifest;
  /** `contentFingerprint` of that manifest: the content these tables are of (dataset folders). */
  content?: string;
  /** The kind (the option, else the manifest's, else "generic"). */
  kind: string;
  /** The primary table's name. */
  primary: string;
  /** Every table, in memory or scanned (see {@linkcode LoadDatasetOptions.inMemoryRows}); empty when reading failed. */
  tables: Record<string, TableFrame>;
  /** CSV columns cast to their dtypes, per file in read order (also those read before a failure). */
  parsed: ParseOutcome[];
  /** Why the tables could not be read, when they could not. */
  readError?: string;
}

/** Options of {@linkcode loadDataset}. */
export interface LoadDatasetOptions {
  /** The kind (required meaning for bare files and folders without a manifest). @default the manifest's */
  kind?: string;
  /**
   * Largest table read into memory. A larger Parquet table is scanned lazily instead ({@linkcode ScannedTable}),
   * so memory follows one file, not the table. @default 5,000,000 rows
   */
  inMemoryRows?: number;
  /** The primary table of a kind, for files without a manifest. @default "data" */
  primaryOf?: (kind: string) => string | undefined;
  /** The dtypes a kind's table should have, for CSV files without a manifest. @default none */
  dtypesOf?: (kind: string, table: string) => Record<string, string> | undefined;
  /** What the caller attempts, for error messages (`Cannot validate "x": …`). @default "read" */
  action?: string;
  /**
   * Runs after the manifest is read and before the tables are (e.g. checksums of the files as the manifest lists
   * them). @default none
   */
  beforeTables?: (dir: string, manifest: Manifest) => Promise<void>;
}

function dtypeFromName(name: string): pl.DataType | undefined {
  const m = /^Datetime\((ms|us|ns)(?:,\s*(.+))?\)$/.exec(name);
  if (m) return pl.Datetime(m[1] as "ms", m[2] || undefined);
  const simple: Record<string, () => pl.DataType> = {
    Float64: () => pl.Float64,
    Float32: () => pl.Float32,
    Int64: () => pl.Int64,
    Int32: () => pl.Int32,
    Int16: () => pl.Int16,
    Int8: () => pl.Int8,
    UInt64: () => pl.UInt64,
    UInt32: () => pl.UInt32,
    UInt16: () => pl.UInt16,
    UInt8: () => pl.UInt8,
    Bool: () => pl.Bool,
    Boolean: () => pl.Bool,
    String: () => pl.String,
    Utf8: () => pl.String,
    Date: () => pl.Date,
  };
  return simple[name]?.();
}

/**
 * Casts the columns of a table read from CSV to the dtypes it should have (CSV keeps none), counting values that
 * do not convert. Time zones are never added: a naive timestamp stays naive, for the time checks to report.
 * @param df the table as read
 * @param dtypes column name to dtype name
 * @param table the table name, for subjects
 * @returns the cast table and one outcome per column cast
 */
export function coerceTable(
  df: pl.DataFrame,
  dtypes: Record<string, string>,
  options: { table?: string } = {},
): { df: pl.DataFrame; parsed: ParseOutcome[] } {
  const { table } = options;
  const schema = df.schema as Record<string, pl.DataType>;
  const casts: { column: string; to: pl.DataType; name: string }[] = [];
  for (const [column, name] of Object.entries(dtypes)) {
    const have = schema[column];
    if (have === undefined || dtypeName(have) === name) continue;
    const want = dtypeFromName(name);
    if (want === undefined) continue;
    const haveInfo = have as unknown as { variant?: string; timeZone?: string | null };
    const wantInfo = want as unknown as { variant?: string; timeUnit?: string; timeZone?: string | null };
    if (wantInfo.variant === "Datetime") {
      // Only the unit changes; a String or naive column keeps what it is.
      if (haveInfo.variant !== "Datetime") continue;
      casts.push({ column, to: pl.Datetime(wantInfo.timeUnit as "ms", haveInfo.timeZone || undefined), name });
    } else if (haveInfo.variant !== "Datetime") {
      casts.push({ column, to: want, name });
    }
  }
  if (casts.length === 0) return { df, parsed: [] };
  const before = df.select(...casts.map((c) => pl.col(c.column).isNotNull().sum().alias(c.column))).toRecords()[0];
  const out = df.withColumns(...casts.map((c) => pl.col(c.column).cast(c.to, false)));
  const after = out.select(...casts.map((c) => pl.col(c.column).isNotNull().sum().alias(c.column))).toRecords()[0];
  const parsed = casts.map((c) => ({
    column: c.column,
    subject: table ? `${table}.${c.column}` : c.column,
    dtype: c.name,
    lost: Number(before[c.column]) - Number(after[c.column]),
  }));
  return { df: out, parsed };
}

const DATA_FILE = /\.(parquet|csv|csv\.gz)$/;

async function exists(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

async function dataFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...await dataFiles(path));
    else if (entry.isFile && DATA_FILE.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** Hive partition values (`key=value` folders) of a file below a root. */
function partitionValues(root: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of relative(root, dirname(file)).split(/[\\/]/)) {
    const m = /^([^=]+)=(.*)$/.exec(part);
    if (m) out[m[1]] = decodeURIComponent(m[2]);
  }
  return out;
}

/**
 * Reads the files of one table and concatenates them, adding Hive partition columns the files lack; Parquet
 * tables of more than `inMemoryRows` rows are scanned lazily instead of read.
 */
function readFiles(
  files: string[],
  root: string,
  dtypes: Record<string, string> | undefined,
  table: string | undefined,
  inMemoryRows: number,
): { df: TableFrame; parsed: ParseOutcome[] } {
  if (files.every((f) => f.endsWith(".parquet"))) {
    // Counts rows from the files' metadata (never the manifest's count, which the checks compare against).
    const scanned = new ScannedTable(files.map((path) => ({ path, constants: partitionValues(root, path) })), { root });
    if (scanned.height > inMemoryRows) {
      void scanned.schema; // every file with the same columns, or a TableReadError now
      return { df: scanned, parsed: [] };
    }
  }
  const parsed: ParseOutcome[] = [];
  const frames = files.map((file) => {
    let df = readTable(file);
    if (!file.endsWith(".parquet") && dtypes) {
      const coerced = coerceTable(df, dtypes, { table });
      df = coerced.df;
      parsed.push(...coerced.parsed);
    }
    const parts = Object.entries(partitionValues(root, file)).filter(([k]) => !df.columns.includes(k));
    if (parts.length > 0) df = df.withColumns(...parts.map(([k, v]) => pl.lit(v).alias(k)));
    return df;
  });
  let df: TableFrame;
  try {
    df = frames.length === 1 ? frames[0] : pl.concat(frames, { how: "vertical", rechunk: false });
  } catch (e) {
    throw new TableReadError(
      files[0],
      `its ${files.length} files do not share one schema (${String((e as Error).message).split("\n")[0]})`,
    );
  }
  return { df, parsed };
}

/**
 * Loads a dataset: a dataset folder with `manifest.json` (every table, from all its files), a folder of
 * Parquet/CSV files without a manifest (partitions concatenated, Hive `key=value` folders becoming columns), or one
 * Parquet/CSV file (a file of a dataset folder loads that dataset). Tables read from CSV are cast to the dtypes the
 * manifest records or the kind declares. A Parquet table of more than `inMemoryRows` rows is not read but scanned
 * ({@linkcode ScannedTable}). A file that cannot be read (truncated, not Parquet, bad CSV) does not throw: the
 * dataset comes back without tables and with `readError` naming the file.
 *
 * @param path a dataset folder, a folder of data files, or a data file
 * @param options the kind, the largest table read into memory, kind lookups for manifest-less files
 * @returns the loaded dataset
 * @throws {DatasetInputError} when the path does not exist or holds no data
 * @example
 * ```ts ignore
 * import { loadDataset } from "@lib/lake/mod.ts";
 * const ds = await loadDataset("data/synthetic/capacity");
 * ds.tables[ds.primary].height; // rows of the primary table
 * ```
 */
export async function loadDataset(path: string, options: LoadDatasetOptions = {}): Promise<LakeDataset> {
  const { inMemoryRows = IN_MEMORY_ROWS, action = "read" } = options;
  const info = await exists(path);
  if (!info) throw new DatasetInputError(path, "no such file or folder", action);
  let dir = info.isDirectory ? path : undefined;
  if (!dir && await exists(join(dirname(path), "manifest.json"))) {
    // A file of a dataset folder: load the dataset it belongs to.
    try {
      const m = await readManifest(dirname(path));
      if (Object.values(m.tables).some((t) => t.files.includes(basename(path)))) dir = dirname(path);
    } catch {
      // not a readable dataset folder: treat the file on its own
    }
  }
  if (dir && await exists(join(dir, "manifest.json"))) {
    let manifest: Manifest;
    try {
      manifest = await readManifest(dir);
    } catch (e) {
      throw new DatasetInputError(dir, (e as Error).message.replace(/^Cannot read manifest "[^"]*": /, ""), action);
    }
    const base: LakeDataset = {
      name: manifest.name,
      path,
      outDir: dir,
      outPrefix: "",
      manifest,
      content: contentFingerprint(manifest),
      kind: options.kind ?? manifest.kind,
      primary: manifest.primary_table,
      tables: {},
      parsed: [],
    };
    await options.beforeTables?.(dir, manifest);
    try {
      for (const [name, t] of Object.entries(manifest.tables)) {
        if (t.files.length === 0) continue;
        const read = readFiles(
          t.files.map((f) => join(dir!, f)),
          dir,
          t.schema,
          Object.keys(manifest.tables).length > 1 ? name : undefined,
          inMemoryRows,
        );
        base.tables[name] = read.df;
        base.parsed.push(...read.parsed);
      }
      if (!base.tables[base.primary]) throw new TableReadError(dir, `the primary table "${base.primary}" has no files`);
    } catch (e) {
      if (!(e instanceof TableReadError)) throw e;
      base.tables = {};
      base.readError = e.message;
    }
    return base;
  }
  const kind = options.kind ?? "generic";
  const primary = options.primaryOf?.(kind) ?? "data";
  const files = dir ? await dataFiles(dir) : [path];
  if (files.length === 0) {
    throw new DatasetInputError(path, "no manifest.json and no Parquet or CSV files in the folder", action);
  }
  const base: LakeDataset = {
    name: basename(path.replace(/[\\/]+$/, "")).replace(DATA_FILE, ""),
    path,
    outDir: dir ?? dirname(path),
    outPrefix: dir ? "" : `${basename(path)}.`,
    kind,
    primary,
    tables: {},
    parsed: [],
  };
  try {
    const read = readFiles(files, dir ?? dirname(path), options.dtypesOf?.(kind, primary), undefined, inMemoryRows);
    base.tables[primary] = read.df;
    base.parsed.push(...read.parsed);
  } catch (e) {
    if (!(e instanceof TableReadError)) throw e;
    base.readError = e.message;
  }
  return base;
}
