import pl from "nodejs-polars";
import { dirname, join } from "node:path";
import {
  coerceTable as coerceLakeTable,
  DatasetInputError,
  IN_MEMORY_ROWS,
  loadDataset as loadLakeDataset,
  type Manifest,
  type ParseOutcome,
  sha256File,
  type TableFrame,
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

export { DatasetInputError, IN_MEMORY_ROWS };

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

/** Options of {@linkcode loadForValidation}. */
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

/**
 * The `schema.parse:<column>` result of one CSV column cast to its dtype.
 * @param p the outcome
 * @returns the check result
 */
function parseResult(p: ParseOutcome): CheckResult {
  return check({
    id: `schema.parse:${p.subject}`,
    severity: "error",
    passed: p.lost === 0,
    measured: p.lost,
    threshold: "= 0 unparsable",
    message: p.lost === 0
      ? `"${p.column}" read from CSV converts to ${p.dtype}`
      : `${p.lost.toLocaleString("en-US")} values of "${p.column}" read from CSV do not convert to ${p.dtype}`,
  });
}

/** Parse results merged per column across files (as measured in all, as the last failing file says). */
function parseResults(parsed: readonly ParseOutcome[]): CheckResult[] {
  const merged = new Map<string, CheckResult>();
  for (const r of parsed.map(parseResult)) {
    const m = merged.get(r.id);
    if (!m) merged.set(r.id, { ...r });
    else {
      m.measured = Number(m.measured) + Number(r.measured);
      m.passed = m.passed && r.passed;
      if (!r.passed) m.message = r.message;
    }
  }
  return [...merged.values()];
}

/**
 * Casts the columns of a table read from CSV to the dtypes it should have (the lake's `coerceTable`), with a
 * `schema.parse:<column>` result per column cast.
 * @param df the table as read
 * @param dtypes column name to dtype name
 * @param table the table name, for subjects
 * @returns the cast table and the results
 */
export function coerceTable(
  df: pl.DataFrame,
  dtypes: Record<string, string>,
  options: { table?: string } = {},
): { df: pl.DataFrame; results: CheckResult[] } {
  const { df: out, parsed } = coerceLakeTable(df, dtypes, options);
  return { df: out, results: parsed.map(parseResult) };
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

/** Data files a reader of a table folder would take for rows: Parquet and CSV, gzipped or not. */
const DATA_FILE = /\.(parquet|csv|csv\.gz|tsv)$/i;

/**
 * Data files in a folder the manifest's tables use that the manifest does not list: a reader that globs the folder
 * (`scan_parquet("dir/*.parquet")`, DuckDB, Spark) would take their rows for the dataset's, and the checksums and
 * checks never saw them. Hidden files (another run's temporary files) are not data.
 */
async function unlisted(dir: string, manifest: Manifest): Promise<CheckResult> {
  const listed = new Set(manifest.files.map((f) => f.path));
  const folders = new Set(
    Object.values(manifest.tables).flatMap((t) => t.files.map((f) => dirname(f))),
  );
  const extra: string[] = [];
  for (const folder of [...folders].sort()) {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(join(dir, folder)));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) continue;
      throw e;
    }
    for (const e of entries.sort((a, b) => a.name < b.name ? -1 : 1)) {
      const path = folder === "." ? e.name : `${folder}/${e.name}`;
      if (e.isFile && !e.name.startsWith(".") && DATA_FILE.test(e.name) && !listed.has(path)) extra.push(path);
    }
  }
  return check({
    id: "integrity.unlisted",
    severity: "error",
    passed: extra.length === 0,
    measured: extra.length,
    threshold: "= 0 files",
    message: extra.length === 0
      ? `No data file in the tables' folders beyond the ${manifest.files.length} the manifest lists`
      : `${extra.length} data file${extra.length === 1 ? "" : "s"} in the tables' folders not in the manifest: ${
        extra.slice(0, 3).join(", ")
      }${extra.length > 3 ? ", …" : ""}`,
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

async function exists(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/**
 * Reads a dataset for validation through the lake's {@linkcode loadLakeDataset} (a dataset folder, a folder of
 * Parquet/CSV files, or one file; large Parquet tables scanned, not read) and adds what validation checks about the
 * files themselves: every file's SHA-256 against the manifest, the dataset's text files (logs, e-mails, …) streamed
 * through the PII detectors, CSV columns that do not convert, and an `input.read` result naming a file that cannot
 * be read (truncated, not Parquet, bad CSV) instead of throwing.
 *
 * @param path a dataset folder, a folder of data files, or a data file
 * @param options the kind, checksum verification, the largest table read into memory
 * @returns the loaded dataset
 * @throws {DatasetInputError} when the path does not exist or holds no data
 */
export async function loadForValidation(path: string, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  const { verifyChecksums = true, inMemoryRows = IN_MEMORY_ROWS, scanText = true } = options;
  const before: CheckResult[] = [];
  const lake = await loadLakeDataset(path, {
    ...(options.kind !== undefined ? { kind: options.kind } : {}),
    inMemoryRows,
    action: "validate",
    primaryOf: (kind) => kindSpec(kind)?.primary,
    dtypesOf: expectedDtypes,
    beforeTables: async (dir, manifest) => {
      if (verifyChecksums) before.push(await checksums(dir, manifest), await unlisted(dir, manifest));
      if (scanText) {
        // Synthetic data must hold no personal data; in ingested real data a finding is for its handling.
        const severity = manifest.layer === "synthetic" ? "error" : "warning";
        before.push(...await checkTextPii(dir, manifest, { severity }));
      }
    },
  });
  const { parsed, readError, ...rest } = lake;
  return {
    ...rest,
    results: [...before, ...parseResults(parsed), ...(readError !== undefined ? [readFailure(readError)] : [])],
    ...(readError !== undefined ? { readError } : {}),
  };
}

/**
 * Validates a loaded dataset: {@linkcode validateDataset} on its tables with the loader's results first; a dataset
 * whose tables could not be read gets only those results.
 * @param loaded the dataset from {@linkcode loadForValidation}
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
 * Loads and validates a path ({@linkcode loadForValidation}, then {@linkcode validateLoaded}).
 * @param path a dataset folder, a folder of data files, or a data file
 * @param options the kind and validation options
 * @returns the loaded dataset and its validation
 * @throws {DatasetInputError} when the path does not exist or holds no data
 */
export async function validatePath(
  path: string,
  options: LoadDatasetOptions & ValidateOptions = {},
): Promise<{ loaded: LoadedDataset; validation: ValidationResult }> {
  const loaded = await loadForValidation(path, options);
  return { loaded, validation: validateLoaded(loaded, options) };
}
