/**
 * `deno task report [name ...]`: builds one page per dataset in the lake (`reports/<name>/index.html` for
 * `data/synthetic/<name>`, `reports/<path below data>/index.html` for the others, so no two datasets share a page)
 * and `reports/index.html` listing every dataset with its status. Reads the data and `validation.json` beside each
 * dataset; when that file is missing or was made from other content (its fingerprint differs from the manifest's),
 * validates in memory (nothing is written to data/).
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import { basename, join, relative, resolve, sep } from "node:path";
import pl from "nodejs-polars";
import {
  assertWritable,
  type FlagSpec,
  formatBytes,
  formatCount,
  helpText,
  integerFlag,
  parseFlags,
  Progress,
  runTask,
  UsageError,
} from "@lib/cli/mod.ts";
import {
  type CatalogEntry,
  contentFingerprint,
  dtypeName,
  listDatasets,
  type Manifest,
  readManifest,
  type TableFrame,
} from "@lib/lake/mod.ts";
import {
  buildCompare,
  buildReport,
  CompareInputError,
  type CompareSide,
  type IndexEntry,
  indexEntry,
  renderIndex,
  type Report,
  validationStatus,
} from "@lib/report/mod.ts";
import {
  DatasetInputError,
  type DatasetValidation,
  IN_MEMORY_ROWS,
  type LoadedDataset,
  loadForValidation,
  readStoredValidation,
  validateLoaded,
} from "@lib/validate/mod.ts";
import type { FidelityReport } from "@lib/fidelity/mod.ts";

const FLAGS: Record<string, FlagSpec> = {
  root: { type: "string", arg: "DIR", help: "lake root to read datasets from (default data)", config: false },
  out: { type: "string", arg: "DIR", help: "folder to write the reports into (default reports)", config: false },
  width: { type: "string", arg: "PX", help: "chart width in pixels, 320-2000 (default 880)", config: false },
  "in-memory-rows": {
    type: "string",
    arg: "N",
    help: "tables up to N rows are read into memory, larger ones scanned lazily file by file (default 5000000)",
    config: false,
  },
  compare: {
    type: "boolean",
    help: "compare two datasets or files side by side (drift, correlation, seasonality): --compare A B",
    config: false,
  },
  "sample-rows": {
    type: "string",
    arg: "N",
    help: "with --compare: most rows sampled per table for the drift statistics (default 200000)",
    config: false,
  },
  json: { type: "boolean", help: "print one JSON line per report (name, bytes, ms) on stdout", config: false },
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

const HELP = helpText("deno task report [name|path ...|file.csv|file.parquet ...] [flags] | --compare A B [flags]", {
  description: `Builds one self-contained HTML report per dataset (dataset card, data quality, correlation, seasonality,
anomaly rate, sample series) and reports/index.html listing every dataset with its validation status, row
count and a link. A dataset data/synthetic/<name> gets reports/<name>/index.html, any other its path below the
lake root (data/processed/logs/cloudfront -> reports/processed/logs/cloudfront/index.html). Without names,
reports every dataset in the lake; a name matching several datasets reports them all.

Data files (.parquet, .csv, .csv.gz) opslab never made, anywhere, get the same page under
<out>/files/<file name>/index.html: validated in memory, text columns of ISO times read as UTC times.

"--compare A B" puts two datasets side by side, A the reference: A and B are each a dataset name, a dataset
folder or a data file. Per shared column: drift of B against A (KS distance and p-value, PSI, Wasserstein-1,
on seeded samples of at most --sample-rows rows per table), category shares, the correlation matrices and
their difference, hour-of-day and day-of-week profiles and 24 h / 168 h autocorrelation, and the columns of
one side only. Written to <out>/compare/<A>__vs__<B>/index.html.

Validation results come from validation.json beside each dataset ("deno task validate") when they were made
from the content the manifest lists now; when missing or stale, the dataset is validated in memory and data/ is
left untouched. Open the reports from disk or run "deno task serve".`,
  flags: FLAGS,
  notes: `The task may read the project and write reports/ only; for other folders run it with "deno run" and matching
--allow-read/--allow-write.`,
  examples: [
    "deno task report",
    "deno task report capacity anomalies",
    "deno task report --width 1200",
    "deno task report --compare capacity data/synthetic/capacity-7",
    "deno task report --compare capacity path/to/real.csv --sample-rows 500000",
  ],
});

/**
 * The fidelity report beside a dataset (`fidelity.json` from "deno task fidelity" or "validate --fidelity"), when
 * it is there and was made from the content the manifest lists now.
 */
async function readFidelity(dir: string, manifest: Manifest): Promise<FidelityReport | null> {
  const path = join(dir, "fidelity.json");
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  let value: FidelityReport;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`Cannot read fidelity report "${path}": ${(e as Error).message}`);
  }
  if (value?.format !== "opslab-fidelity" || !Array.isArray(value.comparisons)) {
    throw new Error(`Cannot read fidelity report "${path}": format must be "opslab-fidelity"`);
  }
  // Made from other content (or before reports recorded it): not this dataset's.
  return value.content === contentFingerprint(manifest) ? value : null;
}

/**
 * The report folder of every dataset, relative to the reports folder: `<name>` for `<root>/synthetic/<name>`
 * (short, and what the README shows), otherwise the dataset's path below the lake root, which no other dataset
 * has. A short name that another dataset's path takes gets its full path too.
 */
export function reportSlugs(entries: readonly CatalogEntry[], root: string): Map<string, string> {
  const paths = new Map(entries.map((e) => [e.dir, relative(root, e.dir).split(sep).join("/") || "_root"]));
  const short = new Map<string, string>();
  for (const e of entries) {
    const path = paths.get(e.dir)!;
    const m = /^synthetic\/([^/]+)$/.exec(path);
    if (m) short.set(e.dir, m[1]);
  }
  const taken = new Set([...paths].filter(([dir]) => !short.has(dir)).map(([, p]) => p));
  const out = new Map<string, string>();
  for (const e of entries) {
    const name = short.get(e.dir);
    out.set(e.dir, name !== undefined && !taken.has(name) ? name : paths.get(e.dir)!);
  }
  return out;
}

/** "shard k/n of <name>" when the folder named (as given or under the root) holds a shard's manifest. */
function shardAt(name: string, root: string): string | undefined {
  for (const dir of [name, join(root, name)]) {
    try {
      const m = JSON.parse(Deno.readTextFileSync(join(dir, "manifest.json")));
      if (m?.shard) return `shard ${m.shard.index}/${m.shard.count} of ${m.name}`;
    } catch { /* not a shard folder */ }
  }
  return undefined;
}

/** A slug as a link relative to the index. */
function hrefOf(slug: string): string {
  return `${slug.split("/").map(encodeURIComponent).join("/")}/index.html`;
}

/** The content fingerprint of the dataset in `dir` now, or undefined when its manifest cannot be read. */
async function contentNow(dir: string): Promise<string | undefined> {
  try {
    return contentFingerprint(await readManifest(dir));
  } catch {
    return undefined;
  }
}

function selectEntries(entries: CatalogEntry[], names: string[], root: string): CatalogEntry[] {
  if (names.length === 0) return entries.filter((e) => e.manifest !== undefined);
  const out = new Set<CatalogEntry>();
  for (const name of names) {
    const found = entries.filter((e) =>
      e.manifest?.name === name || resolve(e.dir) === resolve(name) || resolve(e.dir) === resolve(root, name)
    );
    if (found.length === 0) {
      const shard = shardAt(name, root);
      if (shard) throw new UsageError(`Cannot report "${name}": it is ${shard}, not a dataset; merge the shards first`);
      const known = [...new Set(entries.flatMap((e) => e.manifest ? [e.manifest.name] : []))].join(", ") || "none";
      throw new UsageError(`Cannot report "${name}": no dataset of that name under "${root}" (known: ${known})`);
    }
    for (const e of found) {
      if (e.manifest === undefined) throw new Error(`Cannot report "${name}": ${e.error}`);
      out.add(e);
    }
  }
  return [...out];
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeTextFile(tmp, text);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

async function fileSize(path: string): Promise<number | null> {
  try {
    return (await Deno.stat(path)).size;
  } catch {
    return null;
  }
}

/** A report built from one consistent state of a dataset, or why none could be. */
type Built =
  | { report: Report; validation: DatasetValidation; manifest: Manifest; note?: string }
  | { error: string };

/**
 * Builds the report of one dataset from one state of it: the manifest, the tables and the validation results
 * (stored ones only when made from that content, else validated here) all of the same content. A dataset replaced
 * while this runs is read again, up to three times.
 */
async function reportDataset(dir: string, options: { width: number; inMemoryRows: number }): Promise<Built> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    let manifest;
    try {
      manifest = await readManifest(dir);
    } catch (e) {
      return { error: (e as Error).message };
    }
    const content = contentFingerprint(manifest);
    const stored = await readStoredValidation(dir, manifest).catch((e: Error) => ({
      status: "stale" as const,
      validation: null,
      reason: e.message,
    }));
    // The validator's own loader: the same tables (CSV cast to the recorded dtypes) that "deno task validate"
    // judges, with checksums compared and text files scanned for personal data only when the results are made
    // here (the stored results hold both; scanning the incidents' logs again took most of its report's time).
    const loaded = await loadForValidation(dir, {
      verifyChecksums: stored.validation === null,
      scanText: stored.validation === null,
      inMemoryRows: options.inMemoryRows,
    });
    if (loaded.content !== content) continue;
    if (loaded.readError !== undefined) {
      // A file missing or cut short because the dataset was being replaced: read it again.
      if (await contentNow(dir) !== content) continue;
      return { error: loaded.readError };
    }
    const validation = stored.validation ?? validateLoaded(loaded);
    const fidelity = await readFidelity(dir, manifest);
    const report = buildReport({ manifest: loaded.manifest!, tables: loaded.tables, validation, fidelity }, {
      width: options.width,
    });
    if (await contentNow(dir) !== content) continue;
    const note = stored.validation !== null
      ? undefined
      : stored.status === "stale"
      ? "validated in memory: validation.json is stale"
      : "validated in memory";
    return { report, validation, manifest: loaded.manifest!, note };
  }
  return { error: "the dataset changed while its report was built, three times in a row; run the report again" };
}

/** A data file given on the command line rather than a dataset of the lake: Parquet or CSV, anywhere. */
const DATA_FILE = /\.(parquet|csv|csv\.gz)$/i;
/** Text that reads as an ISO date-time: such CSV columns become UTC times, so the time sections apply. */
const ISO_TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$/;

function schemaOfTable(df: TableFrame): Record<string, string> {
  return Object.fromEntries(
    Object.entries(df.schema as Record<string, pl.DataType>).map(([k, v]) => [k, dtypeName(v)]),
  );
}

async function isDataFile(path: string): Promise<boolean> {
  if (!DATA_FILE.test(path)) return false;
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/** A data file read as opslab reads a dataset: its tables (ISO text times as UTC times) and a made-up manifest. */
interface LoadedFile {
  loaded: LoadedDataset;
  tables: Record<string, TableFrame>;
  manifest: Manifest;
}

/**
 * Reads a file opslab never made as `deno task validate <file>` does, text columns holding ISO times turned into
 * UTC times, with a manifest made up from the file itself (name, size, SHA-256, schema): what its report page and
 * the compare page read.
 */
async function loadFile(path: string): Promise<LoadedFile> {
  const loaded = await loadForValidation(path, { verifyChecksums: false, scanText: false });
  if (loaded.readError !== undefined) throw new FileReadError(loaded.readError);
  const tables: Record<string, TableFrame> = {};
  for (const [name, df] of Object.entries(loaded.tables)) {
    if (!(df instanceof pl.DataFrame)) {
      tables[name] = df;
      continue;
    }
    const frame = df as pl.DataFrame;
    const casts = df.columns.filter((c) => {
      if (String(frame.schema[c]) !== String(pl.String)) return false;
      const first = frame.getColumn(c).dropNulls().head(1).toArray()[0];
      return typeof first === "string" && ISO_TIME.test(first);
    }).map((c) => pl.col(c).str.strptime(pl.Datetime("ms", "UTC")).alias(c));
    tables[name] = casts.length === 0 ? frame : frame.withColumns(...casts);
  }
  const bytes = await Deno.readFile(path);
  const sha256 = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  const file = basename(path);
  const stat = await Deno.stat(path);
  const primary = tables[loaded.primary];
  const manifest: Manifest = {
    manifest_version: 1,
    name: file,
    kind: loaded.kind,
    layer: "raw",
    generator: { name: "external file", version: "-" },
    config: {},
    seed: null,
    rows: primary.height,
    schema: schemaOfTable(primary),
    primary_table: loaded.primary,
    tables: Object.fromEntries(
      Object.entries(tables).map(([n, df]) => [n, {
        rows: df.height,
        schema: schemaOfTable(df),
        files: [file],
      }]),
    ),
    files: [{ path: file, bytes: bytes.length, sha256 }],
    created: (stat.mtime ?? new Date(0)).toISOString(),
    classification: "internal",
    retention_days: 1,
    lineage: [{ source: resolve(path), relation: "read as is, not copied into the lake", sha256 }],
  };
  return { loaded, tables, manifest };
}

/** A data file that could not be read (truncated, not Parquet, bad CSV). */
class FileReadError extends Error {}

/** The report of a file opslab never made: validated in memory, the page every dataset gets. */
async function reportFile(path: string, width: number): Promise<Report> {
  const { loaded, tables, manifest } = await loadFile(path);
  const validation = validateLoaded(loaded);
  return buildReport({ manifest, tables, validation }, { width, indexHref: null });
}

/** Where an operand of --compare points: a data file, a dataset folder, or a dataset name in the lake. */
async function compareSide(
  operand: string,
  options: { root: string; inMemoryRows: number; catalog: () => Promise<CatalogEntry[]> },
): Promise<CompareSide> {
  const rule =
    `A and B must each be a data file (.parquet, .csv, .csv.gz), a dataset folder or a dataset name under "${options.root}"`;
  if (await isDataFile(operand)) {
    try {
      const { loaded, tables } = await loadFile(operand);
      return { name: basename(operand), kind: loaded.kind, source: resolve(operand), primary: loaded.primary, tables };
    } catch (e) {
      if (e instanceof FileReadError || e instanceof DatasetInputError) {
        throw new UsageError(`Cannot compare "${operand}": the file cannot be read (${(e as Error).message})`);
      }
      throw e;
    }
  }
  let dir: string | undefined;
  let info: Deno.FileInfo | undefined;
  try {
    info = await Deno.stat(operand);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (info?.isFile) throw new UsageError(`Cannot compare "${operand}": not a data file; ${rule}`);
  if (info?.isDirectory) dir = operand;
  else {
    const shard = shardAt(operand, options.root);
    if (shard) {
      throw new UsageError(`Cannot compare "${operand}": it is ${shard}, not a dataset; merge the shards first`);
    }
    const catalog = await options.catalog();
    // As the page of one dataset is asked for: its name, or its folder below the lake root.
    const found = catalog.filter((e) =>
      e.manifest?.name === operand || resolve(e.dir) === resolve(options.root, operand)
    );
    if (found.length === 0) {
      const what = /[\/]|\.\w+$/.test(operand) ? "no such file or folder" : "no dataset of that name";
      throw new UsageError(`Cannot compare "${operand}": ${what}; ${rule}`);
    }
    if (found.length > 1) {
      throw new UsageError(
        `Cannot compare "${operand}": ${found.length} datasets have that name (${
          found.map((e) => e.dir).join(", ")
        }); give the dataset folder instead`,
      );
    }
    dir = found[0].dir;
  }
  let loaded: LoadedDataset;
  try {
    loaded = await loadForValidation(dir, {
      verifyChecksums: false,
      scanText: false,
      inMemoryRows: options.inMemoryRows,
    });
  } catch (e) {
    if (e instanceof DatasetInputError) throw new UsageError(`Cannot compare "${operand}": ${(e as Error).message}`);
    throw e;
  }
  if (loaded.readError !== undefined) {
    throw new UsageError(`Cannot compare "${operand}": the dataset cannot be read (${loaded.readError})`);
  }
  if (loaded.tables[loaded.primary] === undefined) {
    throw new UsageError(`Cannot compare "${operand}": it holds no table "${loaded.primary}"`);
  }
  return {
    name: loaded.manifest?.name ?? loaded.name,
    kind: loaded.kind,
    source: resolve(dir),
    primary: loaded.primary,
    tables: loaded.tables,
  };
}

/**
 * The folder name of a compare page, `<A>__vs__<B>`: each side's last path part (file or dataset folder name), with
 * parts above it added while the two read the same (`s42-capacity__vs__s7-capacity`), characters other than
 * letters, digits, ".", "_" and "-" as "-".
 * @param a the source of A (a path)
 * @param b the source of B
 * @returns the folder name
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareSlug } from "./report.ts";
 * assert.equal(compareSlug("/d/synthetic/capacity", "/d/real/x.csv"), "capacity__vs__x.csv");
 * assert.equal(compareSlug("/t/s42/capacity", "/t/s7/capacity"), "s42-capacity__vs__s7-capacity");
 * assert.equal(compareSlug("/d/capacity", "/d/capacity"), "capacity__vs__capacity");
 * ```
 */
export function compareSlug(a: string, b: string): string {
  const parts = (p: string) => p.split(/[\/]+/).filter((x) => x !== "" && x !== ".");
  const pa = parts(a), pb = parts(b);
  const clean = (xs: string[]) => xs.join("-").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+/, "") || "_";
  let k = 1;
  // One dataset against itself keeps its own name.
  const same = clean(pa) === clean(pb);
  while (!same && k < 4 && k < pa.length && k < pb.length && clean(pa.slice(-k)) === clean(pb.slice(-k))) k++;
  return `${clean(pa.slice(-k))}__vs__${clean(pb.slice(-k))}`;
}

/** `--compare A B`: both sides read, measured and the page written; bad operands exit 2 before anything is written. */
async function compareTask(
  positionals: string[],
  options: { root: string; out: string; width: number; inMemoryRows: number; sampleRows: number; json: boolean },
): Promise<number> {
  if (positionals.length !== 2) {
    throw new UsageError(
      `Cannot compare: --compare takes two operands, A and B, got ${positionals.length}${
        positionals.length === 0 ? "" : ` (${positionals.map((p) => `"${p}"`).join(", ")})`
      }`,
    );
  }
  const t0 = performance.now();
  let catalog: CatalogEntry[] | undefined;
  const side = { ...options, catalog: async () => catalog ??= await listDatasets(options.root) };
  const a = await compareSide(positionals[0], side);
  const b = await compareSide(positionals[1], side);
  let page;
  try {
    page = buildCompare(a, b, { width: options.width, sampleRows: options.sampleRows });
  } catch (e) {
    if (e instanceof CompareInputError) throw new UsageError(e.message);
    throw e;
  }
  const dir = join(options.out, "compare", compareSlug(a.source, b.source));
  await Deno.mkdir(dir, { recursive: true });
  const path = join(dir, "index.html");
  await writeAtomic(path, page.html);
  const ms = Math.round(performance.now() - t0);
  console.log(
    options.json
      ? JSON.stringify({ name: `${a.name} vs ${b.name}`, a: a.source, b: b.source, path, bytes: page.bytes, ms })
      : `${`${a.name} vs ${b.name}`.padEnd(24)} ${formatBytes(page.bytes).padStart(9)} ${
        formatCount(ms).padStart(7)
      } ms  ${path}`,
  );
  return 0;
}

/**
 * Builds the reports.
 * @param args command-line arguments
 * @returns the exit code
 */
export function main(args: string[]): Promise<number> {
  return runTask(async () => {
    const { flags, positionals } = parseFlags(args, FLAGS);
    if (flags.help) {
      console.log(HELP);
      return 0;
    }
    const root = String(flags.root ?? "data");
    const out = String(flags.out ?? "reports");
    assertWritable(out, "--out", { beside: false });
    const width = flags.width === undefined ? 880 : Number(flags.width);
    if (!Number.isInteger(width) || width < 320 || width > 2000) {
      throw new UsageError(`Cannot report: --width must be an integer from 320 to 2000, got "${flags.width}"`);
    }
    const inMemoryRows = integerFlag(flags["in-memory-rows"], "in-memory-rows", { fallback: IN_MEMORY_ROWS });
    if (flags.compare) {
      const sampleRows = integerFlag(flags["sample-rows"], "sample-rows", { fallback: 200_000, min: 100 });
      return await compareTask(positionals, { root, out, width, inMemoryRows, sampleRows, json: Boolean(flags.json) });
    }
    if (flags["sample-rows"] !== undefined) throw new UsageError("Cannot report: --sample-rows needs --compare");
    const started = performance.now();
    // Files outside the lake get a page of their own under <out>/files/<file name>/; the lake's index is left as is.
    const files: string[] = [];
    for (const p of positionals) if (await isDataFile(p)) files.push(p);
    if (files.length > 0) {
      if (files.length !== positionals.length) {
        throw new UsageError("Cannot report: give either data files or dataset names, not both in one run");
      }
      for (const f of files) {
        const t0 = performance.now();
        const report = await reportFile(f, width);
        const dir = join(out, "files", basename(f));
        await Deno.mkdir(dir, { recursive: true });
        await writeAtomic(join(dir, "index.html"), report.html);
        const ms = Math.round(performance.now() - t0);
        console.log(
          flags.json
            ? JSON.stringify({ name: basename(f), dataset: f, path: join(dir, "index.html"), bytes: report.bytes, ms })
            : `${basename(f).padEnd(24)} ${formatBytes(report.bytes).padStart(9)} ${String(ms).padStart(6)} ms  ${
              join(dir, "index.html")
            }`,
        );
      }
      return 0;
    }
    const catalog = await listDatasets(root);
    if (catalog.length === 0) {
      console.error(
        `No datasets under "${root}": make some with "deno task generate capacity" (an empty index is written)`,
      );
    }
    const selected = selectEntries(catalog, positionals, root);
    const slugs = reportSlugs(catalog, root);
    await Deno.mkdir(out, { recursive: true });
    const built = new Map<string, { validation: DatasetValidation; bytes: number; manifest: Manifest }>();
    const failed = new Map<string, string>();
    const progress = new Progress("report", selected.length, { unit: "datasets" });
    for (const entry of selected) {
      const t0 = performance.now();
      const name = entry.manifest!.name;
      progress.step(name);
      const result = await reportDataset(entry.dir, { width, inMemoryRows });
      if ("error" in result) {
        failed.set(entry.dir, result.error);
        console.error(`error: Cannot report "${name}": ${result.error}`);
        progress.tick(1);
        continue;
      }
      const { report, validation } = result;
      const dir = join(out, slugs.get(entry.dir)!);
      await Deno.mkdir(dir, { recursive: true });
      await writeAtomic(join(dir, "index.html"), report.html);
      built.set(entry.dir, { validation, bytes: report.bytes, manifest: result.manifest });
      const ms = Math.round(performance.now() - t0);
      const status = validationStatus(validation);
      if (flags.json) {
        console.log(
          JSON.stringify({ name, dataset: entry.dir, path: join(dir, "index.html"), bytes: report.bytes, ms, status }),
        );
      } else {
        console.log(
          `${name.padEnd(24)} ${status.padEnd(13)} ${formatBytes(report.bytes).padStart(9)} ${
            formatCount(ms).padStart(7)
          } ms  ${join(dir, "index.html")}${result.note === undefined ? "" : `  (${result.note})`}`,
        );
      }
      progress.tick(1);
    }
    progress.finish();
    const entries: IndexEntry[] = [];
    for (const e of catalog) {
      if (e.manifest === undefined) {
        entries.push({
          name: e.dir,
          kind: "?",
          layer: "?",
          rows: null,
          status: "error",
          checks: null,
          worst: null,
          href: null,
          bytes: null,
          note: e.error,
        });
        continue;
      }
      const slug = slugs.get(e.dir)!;
      const path = relative(root, e.dir).split(sep).join("/");
      const done = built.get(e.dir);
      const error = failed.get(e.dir);
      if (error !== undefined) {
        entries.push({
          ...indexEntry(e.manifest, { validation: null, href: null }),
          path,
          status: "error",
          note: error,
        });
        continue;
      }
      const bytes = done?.bytes ?? await fileSize(join(out, slug, "index.html"));
      const href = bytes === null ? null : hrefOf(slug);
      if (done !== undefined) {
        // Built now, from one state of the dataset (maybe newer than the catalog's listing): that state's figures.
        entries.push({ ...indexEntry(done.manifest, { validation: done.validation, href, bytes }), path });
        continue;
      }
      // Not built now (or changed since): a status only from results of the content its manifest lists now.
      const stored = await readStoredValidation(e.dir, e.manifest).catch((err: Error) => ({
        status: "stale" as const,
        validation: null,
        reason: err.message,
      }));
      const entry = { ...indexEntry(e.manifest, { validation: stored.validation, href, bytes }), path };
      entries.push(stored.status === "stale" ? { ...entry, status: "stale", note: `stale: ${stored.reason}` } : entry);
    }
    await writeAtomic(join(out, "index.html"), renderIndex(entries).value);
    if (!flags.json) {
      console.log(
        `${built.size} reports and ${join(out, "index.html")} in ${
          ((performance.now() - started) / 1000).toFixed(2)
        } s`,
      );
    }
    return failed.size > 0 ? 1 : 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
