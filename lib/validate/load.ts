import pl from "nodejs-polars";
import { basename, dirname, join, relative } from "node:path";
import {
  contentFingerprint,
  type Manifest,
  readManifest,
  readTable,
  ScannedTable,
  sha256File,
  type TableFrame,
  TableReadError,
} from "@lib/lake/mod.ts";
import { polarsSchema } from "@lib/schema/mod.ts";
import { dtypeName } from "@lib/lake/mod.ts";
import { checkTextPii } from "./pii/text.ts";
import { kindSpec } from "./registry.ts";
import { check } from "./result.ts";
import type { CheckResult } from "./types.ts";
import { validateDataset, type ValidateOptions } from "./validate.ts";
import type { ValidationResult } from "./result.ts";
import "./kinds/mod.ts";

/** A dataset read for validation: its tables, manifest, and what was found wrong before the checks ran. */
export interface LoadedDataset {
  /** The dataset name (manifest name, else the folder or file name). */
  name: string;
  /** The path given. */
  path: string;
  /** Where `validation.json` and `schema.json` go: the dataset folder, or beside a bare file. */
  outDir: string;
  /** Prefix of the output files: "" in a dataset folder, `<file name>.` beside a bare file. */
  outPrefix: string;
  /** The manifest, for a dataset folder, as read when loading started. */
  manifest?: Manifest;
  /** `contentFingerprint` of that manifest: the content these tables and results are of (dataset folders). */
  content?: string;
  /** The kind validated against. */
  kind: string;
  /** The primary table's name. */
  primary: string;
  /** Every table, in memory or scanned (see {@linkcode LoadDatasetOptions.inMemoryRows}); empty when reading failed. */
  tables: Record<string, TableFrame>;
  /** File-level results: `integrity.checksum`, `schema.parse:<column>` (CSV), `input.read` when unreadable. */
  results: CheckResult[];
  /** Why the tables could not be read, when they could not. */
  readError?: string;
}

/** Options of {@linkcode loadDataset}. */
export interface LoadDatasetOptions {
  /** The kind to validate against (required meaning for bare files and folders without a manifest). */
  kind?: string;
  /** Compare every file's SHA-256 with the manifest. @default true */
  verifyChecksums?: boolean;
  /**
   * Largest table read into memory. A larger Parquet table is scanned lazily instead ({@linkcode ScannedTable}):
   * the checks then aggregate over its files in batches and go file by file where they need whole entities,
   * so memory follows one file, not the table. @default 5,000,000 rows
   */
  inMemoryRows?: number;
  /** Scan the dataset's text files (logs, e-mails, …) for personal data ({@linkcode checkTextPii}). @default true */
  scanText?: boolean;
}

/** Tables up to this many rows are read into memory (faster to check); larger ones are scanned lazily. */
export const IN_MEMORY_ROWS = 5_000_000;

/** A path that is not a dataset at all (missing, no data files): the run reports it and goes on. */
export class DatasetInputError extends Error {
  /** The path. */
  readonly path: string;
  /**
   * An input error.
   * @param path the path
   * @param reason what is wrong
   */
  constructor(path: string, reason: string) {
    super(`Cannot validate "${path}": ${reason}`);
    this.name = "DatasetInputError";
    this.path = path;
  }
}

const DATA_FILE = /\.(parquet|csv|csv\.gz)$/;

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
 * @returns the cast table and a `schema.parse:<column>` result per column cast
 */
export function coerceTable(
  df: pl.DataFrame,
  dtypes: Record<string, string>,
  table?: string,
): { df: pl.DataFrame; results: CheckResult[] } {
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
  if (casts.length === 0) return { df, results: [] };
  const before = df.select(...casts.map((c) => pl.col(c.column).isNotNull().sum().alias(c.column))).toRecords()[0];
  const out = df.withColumns(...casts.map((c) => pl.col(c.column).cast(c.to, false)));
  const after = out.select(...casts.map((c) => pl.col(c.column).isNotNull().sum().alias(c.column))).toRecords()[0];
  const results = casts.map((c) => {
    const lost = Number(before[c.column]) - Number(after[c.column]);
    const sub = table ? `${table}.${c.column}` : c.column;
    return check({
      id: `schema.parse:${sub}`,
      severity: "error",
      passed: lost === 0,
      measured: lost,
      threshold: "= 0 unparsable",
      message: lost === 0
        ? `"${c.column}" read from CSV converts to ${c.name}`
        : `${lost.toLocaleString("en-US")} values of "${c.column}" read from CSV do not convert to ${c.name}`,
    });
  });
  return { df: out, results };
}

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
): { df: TableFrame; results: CheckResult[] } {
  if (files.every((f) => f.endsWith(".parquet"))) {
    // Counts rows from the files' metadata (never the manifest's count, which the checks compare against).
    const scanned = new ScannedTable(files.map((path) => ({ path, constants: partitionValues(root, path) })), { root });
    if (scanned.height > inMemoryRows) {
      void scanned.schema; // every file with the same columns, or a TableReadError now
      return { df: scanned, results: [] };
    }
  }
  const results: CheckResult[] = [];
  const frames = files.map((file) => {
    let df = readTable(file);
    if (!file.endsWith(".parquet") && dtypes) {
      const coerced = coerceTable(df, dtypes, table);
      df = coerced.df;
      results.push(...coerced.results);
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
  // Merge repeated CSV parse results of the same column across files.
  const merged = new Map<string, CheckResult>();
  for (const r of results) {
    const m = merged.get(r.id);
    if (!m) merged.set(r.id, { ...r });
    else {
      m.measured = Number(m.measured) + Number(r.measured);
      m.passed = m.passed && r.passed;
      if (!r.passed) m.message = r.message;
    }
  }
  return { df, results: [...merged.values()] };
}

function expectedDtypes(kind: string, table: string): Record<string, string> | undefined {
  const spec = kindSpec(kind);
  if (!spec) return undefined;
  try {
    const tables = spec.tables({ tables: { [spec.primary]: pl.DataFrame({}) }, primary: spec.primary });
    const t = tables[table];
    if (t?.record) {
      return Object.fromEntries(
        Object.entries(polarsSchema(t.record) as Record<string, pl.DataType>).map(([c, d]) => [c, dtypeName(d)]),
      );
    }
    return t?.rules ? Object.fromEntries(t.rules.map((r) => [r.name, r.dtype])) : undefined;
  } catch {
    return undefined;
  }
}

async function checksums(dir: string, manifest: Manifest): Promise<CheckResult> {
  const bad: string[] = [];
  for (const f of manifest.files) {
    const path = join(dir, f.path);
    const info = await exists(path);
    if (!info) bad.push(`${f.path} (missing)`);
    else if (info.size !== f.bytes) bad.push(`${f.path} (${info.size} bytes, manifest ${f.bytes})`);
    else if (await sha256File(path) !== f.sha256) bad.push(`${f.path} (content changed)`);
  }
  return check({
    id: "integrity.checksum",
    severity: "error",
    passed: bad.length === 0,
    measured: bad.length,
    threshold: "= 0 files differ",
    message: bad.length === 0
      ? `All ${manifest.files.length} files match the manifest's sizes and SHA-256`
      : `${bad.length} of ${manifest.files.length} files differ from the manifest: ${bad.slice(0, 3).join(", ")}`,
  });
}

function readFailure(reason: string): CheckResult {
  return check({
    id: "input.read",
    family: "input",
    severity: "error",
    passed: false,
    measured: null,
    threshold: "readable",
    message: reason,
  });
}

/**
 * Reads a dataset for validation: a dataset folder with `manifest.json` (every table, from all its files, with
 * checksums compared, and its other files, logs and e-mails, streamed through the PII detectors), a folder of Parquet/CSV files without a manifest (partitions concatenated, Hive
 * `key=value` folders becoming columns), or one Parquet/CSV file. Tables read from CSV are cast to the dtypes the
 * manifest records or the kind declares. A Parquet table of more than `inMemoryRows` rows is not read but scanned
 * ({@linkcode ScannedTable}): the checks then run file by file. A file that cannot be read (truncated, not Parquet,
 * bad CSV) does not throw: the dataset comes back without tables and with an `input.read` result naming the file.
 *
 * @param path a dataset folder, a folder of data files, or a data file
 * @param options the kind, checksum verification, the largest table read into memory
 * @returns the loaded dataset
 * @throws {DatasetInputError} when the path does not exist or holds no data
 */
export async function loadDataset(path: string, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  const { verifyChecksums = true, inMemoryRows = IN_MEMORY_ROWS, scanText = true } = options;
  const info = await exists(path);
  if (!info) throw new DatasetInputError(path, "no such file or folder");
  let dir = info.isDirectory ? path : undefined;
  if (!dir && await exists(join(dirname(path), "manifest.json"))) {
    // A file of a dataset folder: validate the dataset it belongs to.
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
      throw new DatasetInputError(dir, (e as Error).message.replace(/^Cannot read manifest "[^"]*": /, ""));
    }
    const kind = options.kind ?? manifest.kind;
    const base: LoadedDataset = {
      name: manifest.name,
      path,
      outDir: dir,
      outPrefix: "",
      manifest,
      content: contentFingerprint(manifest),
      kind,
      primary: manifest.primary_table,
      tables: {},
      results: verifyChecksums ? [await checksums(dir, manifest)] : [],
    };
    if (scanText) {
      // Synthetic data must hold no personal data; in ingested real data a finding is for its handling.
      const severity = manifest.layer === "synthetic" ? "error" : "warning";
      base.results.push(...await checkTextPii(dir, manifest, { severity }));
    }
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
        base.results.push(...read.results);
      }
      if (!base.tables[base.primary]) throw new TableReadError(dir, `the primary table "${base.primary}" has no files`);
    } catch (e) {
      if (!(e instanceof TableReadError)) throw e;
      base.tables = {};
      base.readError = e.message;
      base.results.push(readFailure(e.message));
    }
    return base;
  }
  const kind = options.kind ?? "generic";
  const primary = kindSpec(kind)?.primary ?? "data";
  const files = dir ? await dataFiles(dir) : [path];
  if (files.length === 0) {
    throw new DatasetInputError(path, "no manifest.json and no Parquet or CSV files in the folder");
  }
  const name = basename(path.replace(/[\\/]+$/, "")).replace(DATA_FILE, "");
  const base: LoadedDataset = {
    name,
    path,
    outDir: dir ?? dirname(path),
    outPrefix: dir ? "" : `${basename(path)}.`,
    kind,
    primary,
    tables: {},
    results: [],
  };
  try {
    const read = readFiles(files, dir ?? dirname(path), expectedDtypes(kind, primary), undefined, inMemoryRows);
    base.tables[primary] = read.df;
    base.results.push(...read.results);
  } catch (e) {
    if (!(e instanceof TableReadError)) throw e;
    base.readError = e.message;
    base.results.push(readFailure(e.message));
  }
  return base;
}

/**
 * Validates a loaded dataset: {@linkcode validateDataset} on its tables with the loader's results first; a dataset
 * whose tables could not be read gets only those results.
 * @param loaded the dataset from {@linkcode loadDataset}
 * @param options validation options (kind, time, config)
 * @returns the validation
 */
export function validateLoaded(loaded: LoadedDataset, options: ValidateOptions = {}): ValidationResult {
  const common = { name: loaded.name, path: loaded.path, kind: loaded.kind, ...options };
  const primary = loaded.tables[loaded.primary];
  let result: ValidationResult;
  if (primary === undefined) {
    result = validateDataset(pl.DataFrame({}), undefined, { ...common, results: loaded.results, resultsOnly: true });
  } else {
    const { [loaded.primary]: _, ...others } = loaded.tables;
    result = validateDataset(primary, loaded.manifest, { ...common, tables: others, results: loaded.results });
  }
  if (loaded.content !== undefined) result.content = loaded.content;
  return result;
}

/**
 * Loads and validates a path ({@linkcode loadDataset}, then {@linkcode validateLoaded}).
 * @param path a dataset folder, a folder of data files, or a data file
 * @param options the kind and validation options
 * @returns the loaded dataset and its validation
 * @throws {DatasetInputError} when the path does not exist or holds no data
 */
export async function validatePath(
  path: string,
  options: LoadDatasetOptions & ValidateOptions = {},
): Promise<{ loaded: LoadedDataset; validation: ValidationResult }> {
  const loaded = await loadDataset(path, options);
  return { loaded, validation: validateLoaded(loaded, options) };
}
