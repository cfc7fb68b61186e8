/**
 * `deno task report [name ...]`: builds `reports/<dataset>/index.html` for datasets in the lake and
 * `reports/index.html` listing every dataset with its status. Reads the data and `validation.json` beside each
 * dataset; when that file is missing or older than the dataset, validates in memory (nothing is written to data/).
 * @module
 */
import { join, resolve } from "node:path";
import { type FlagSpec, helpText, integerFlag, parseFlags, Progress, runTask, UsageError } from "@lib/cli/mod.ts";
import { type CatalogEntry, listDatasets, type Manifest } from "@lib/lake/mod.ts";
import type { FidelityReport } from "@lib/fidelity/mod.ts";
import { buildReport, type IndexEntry, indexEntry, renderIndex, validationStatus } from "@lib/report/mod.ts";
import { type DatasetValidation, IN_MEMORY_ROWS, loadDataset, validateLoaded } from "@lib/validate/mod.ts";

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
  json: { type: "boolean", help: "print one JSON line per report (name, bytes, ms) on stdout", config: false },
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

const HELP = helpText(
  "deno task report [name|path ...] [flags]",
  `Builds one self-contained HTML report per dataset (dataset card, data quality, correlation, seasonality,
anomaly rate, sample series) into reports/<dataset>/index.html, and reports/index.html listing every dataset
with its validation status, row count and a link. Without names, reports every dataset in the lake.

Validation results come from validation.json beside each dataset ("deno task validate"); when it is missing
or older than the dataset, the dataset is validated in memory and data/ is left untouched. Open the reports
from disk or run "deno task serve".`,
  FLAGS,
  `Examples:
  deno task report
  deno task report capacity anomalies
  deno task report --width 1200

The task may read the project and write reports/ only; for other folders run it with "deno run" and matching
--allow-read/--allow-write.`,
);

async function readValidation(dir: string, manifest: Manifest): Promise<DatasetValidation | null> {
  const path = join(dir, "validation.json");
  let value: DatasetValidation;
  try {
    value = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new Error(`Cannot read validation results "${path}": ${(e as Error).message}`);
  }
  if (!Array.isArray(value?.results)) {
    throw new Error(`Cannot read validation results "${path}": "results" must be an array`);
  }
  // Results older than the dataset describe an earlier version of it.
  if (Date.parse(value.validated) < Date.parse(manifest.created)) return null;
  return value;
}

/**
 * The fidelity report beside a dataset (`fidelity.json` from "deno task fidelity" or "validate --fidelity"), when
 * it is there and not older than the dataset.
 */
async function readFidelity(dir: string, manifest: Manifest): Promise<FidelityReport | null> {
  const path = join(dir, "fidelity.json");
  let text: string, info: Deno.FileInfo;
  try {
    [text, info] = await Promise.all([Deno.readTextFile(path), Deno.stat(path)]);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  if (info.mtime !== null && info.mtime.getTime() < Date.parse(manifest.created)) return null;
  let value: FidelityReport;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`Cannot read fidelity report "${path}": ${(e as Error).message}`);
  }
  if (value?.format !== "opslab-fidelity" || !Array.isArray(value.comparisons)) {
    throw new Error(`Cannot read fidelity report "${path}": format must be "opslab-fidelity"`);
  }
  return value;
}

/** Folder names of the reports: the dataset name, `/` as `--`, prefixed with the layer when names collide. */
function reportSlugs(entries: CatalogEntry[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const e of entries) {
    if (e.manifest === undefined) continue;
    let slug = e.manifest.name.replaceAll("/", "--");
    if (used.has(slug)) slug = `${e.manifest.layer}-${slug}`;
    used.add(slug);
    out.set(e.dir, slug);
  }
  return out;
}

function selectEntries(entries: CatalogEntry[], names: string[], root: string): CatalogEntry[] {
  if (names.length === 0) return entries.filter((e) => e.manifest !== undefined);
  return names.map((name) => {
    const found = entries.find((e) =>
      e.manifest?.name === name || resolve(e.dir) === resolve(name) || resolve(e.dir) === resolve(root, name)
    );
    if (found === undefined) {
      const known = entries.flatMap((e) => e.manifest ? [e.manifest.name] : []).join(", ") || "none";
      throw new UsageError(`Cannot report "${name}": no dataset of that name under "${root}" (known: ${known})`);
    }
    if (found.manifest === undefined) throw new Error(`Cannot report "${name}": ${found.error}`);
    return found;
  });
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
    const width = flags.width === undefined ? 880 : Number(flags.width);
    if (!Number.isInteger(width) || width < 320 || width > 2000) {
      throw new UsageError(`Cannot report: --width must be an integer from 320 to 2000, got "${flags.width}"`);
    }
    const inMemoryRows = integerFlag(flags["in-memory-rows"], "in-memory-rows", IN_MEMORY_ROWS);
    const started = performance.now();
    const catalog = await listDatasets(root);
    if (catalog.length === 0) {
      console.error(
        `No datasets under "${root}": make some with "deno task generate capacity" (an empty index is written)`,
      );
    }
    const selected = selectEntries(catalog, positionals, root);
    const slugs = reportSlugs(catalog);
    await Deno.mkdir(out, { recursive: true });
    const built = new Map<string, { validation: DatasetValidation | null; bytes: number }>();
    const failed = new Map<string, string>();
    const progress = new Progress("report", selected.length, { unit: "datasets" });
    for (const entry of selected) {
      const t0 = performance.now();
      const manifest = entry.manifest!;
      let validation = await readValidation(entry.dir, manifest);
      const validatedHere = validation === null;
      // The validator's own loader: the same tables (CSV cast to the recorded dtypes) that "deno task validate"
      // judges, with checksums compared only when the results are made here.
      const loaded = await loadDataset(entry.dir, { verifyChecksums: validatedHere, inMemoryRows });
      if (validatedHere) validation = validateLoaded(loaded);
      if (loaded.readError !== undefined) {
        failed.set(entry.dir, loaded.readError);
        console.error(`error: Cannot report "${manifest.name}": ${loaded.readError}`);
        progress.tick(1);
        continue;
      }
      const fidelity = await readFidelity(entry.dir, manifest);
      const report = buildReport({ manifest, tables: loaded.tables, validation, fidelity }, { width });
      const dir = join(out, slugs.get(entry.dir)!);
      await Deno.mkdir(dir, { recursive: true });
      await writeAtomic(join(dir, "index.html"), report.html);
      built.set(entry.dir, { validation, bytes: report.bytes });
      const ms = Math.round(performance.now() - t0);
      const status = validationStatus(validation);
      if (flags.json) {
        console.log(
          JSON.stringify({ name: manifest.name, path: join(dir, "index.html"), bytes: report.bytes, ms, status }),
        );
      } else {
        console.log(
          `${manifest.name.padEnd(24)} ${status.padEnd(13)} ${(report.bytes / 1024).toFixed(0).padStart(6)} KiB ${
            String(ms).padStart(6)
          } ms  ${join(dir, "index.html")}${validatedHere ? "  (validated in memory)" : ""}`,
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
      const done = built.get(e.dir);
      const error = failed.get(e.dir);
      if (error !== undefined) {
        entries.push({ ...indexEntry(e.manifest, null, null), status: "error", note: error });
        continue;
      }
      const bytes = done?.bytes ?? await fileSize(join(out, slug, "index.html"));
      const validation = done !== undefined
        ? done.validation
        : await readValidation(e.dir, e.manifest).catch(() => null);
      entries.push(indexEntry(e.manifest, validation, bytes === null ? null : `${slug}/index.html`, bytes));
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
