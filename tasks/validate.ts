/**
 * `deno task validate [name|path ...]`: validate every dataset in the catalog, or the ones named, and write
 * `validation.json` and `schema.json` beside each; `--schema <kind> <file>` validates an external Parquet or CSV
 * file against a kind. Exit code 0 only when no error-severity check failed (`--strict`: nor a warning).
 * @module
 */
import { listKinds, listSources } from "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import { basename, join, relative } from "node:path";
import {
  type FlagSpec,
  helpText,
  integerFlag,
  parseFlags,
  peakRss,
  Progress,
  runTask,
  UsageError,
} from "@lib/cli/mod.ts";
import { readConfigFile, resolveConfig } from "@lib/config/mod.ts";
import { stringify } from "yaml";
import { applyLevels, ChecksFile, checksKind, suggestChecks } from "@lib/validate/checks_file.ts";
import { registerKind } from "@lib/validate/registry.ts";
import { contentFingerprint, DEFAULT_LAKE_ROOT, listDatasets, readManifest } from "@lib/lake/mod.ts";
import {
  check,
  datasetFidelity,
  DatasetInputError,
  type DatasetValidation,
  failingRowsLines,
  fidelityResults,
  formatMeasured,
  IN_MEMORY_ROWS,
  type LoadedDataset,
  loadForValidation,
  ordered,
  registeredKinds,
  renderSummaryTable,
  statusOf,
  summarize,
  summarizeDataset,
  validateLoaded,
  ValidationResult,
} from "@lib/validate/mod.ts";

const FLAGS: Record<string, FlagSpec> = {
  schema: {
    type: "string",
    arg: "KIND",
    help: "validate the given Parquet/CSV files or folders against a kind",
    config: false,
  },
  config: {
    type: "string",
    arg: "FILE",
    help: "with --schema: the generator config (JSON/YAML) holding the targets",
    config: false,
  },
  root: {
    type: "string",
    arg: "DIR",
    help: `lake root the names are looked up in (default ${DEFAULT_LAKE_ROOT})`,
    config: false,
  },
  "in-memory-rows": {
    type: "string",
    arg: "N",
    help: "tables up to N rows are read into memory, larger ones scanned lazily file by file (default 5000000)",
    config: false,
  },
  checks: {
    type: "string",
    arg: "FILE",
    help:
      "a checks file (YAML/JSON, schema lib/config/schema/checks.schema.json): column types, ranges, values, null levels (warn/error), key, cadence, levels for any check id; a file without a kind is checked by it alone",
    config: false,
  },
  suggest: {
    type: "boolean",
    help: "write a checks file from what the one dataset or file given shows (stdout, or --out)",
    config: false,
  },
  out: {
    type: "string",
    arg: "FILE",
    help: "with --suggest: the checks file to write (never replaced)",
    config: false,
  },
  fidelity: {
    type: "boolean",
    help: "add the fidelity family: the issue-14 checks against real references (warnings), and fidelity.json",
    config: false,
  },
  json: { type: "boolean", help: "print the results as JSON (an array of validations) on stdout", config: false },
  strict: { type: "boolean", help: "fail on failed warnings too", config: false },
  all: { type: "boolean", help: "list every check, not only the failed ones", config: false },
  "no-write": { type: "boolean", help: "do not write validation.json and schema.json", config: false },
  stats: { type: "boolean", help: "print {seconds, peak_rss_bytes, rows, datasets} as JSON on stdout", config: false },
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

/** The dataset kinds the lake can hold (generators and ingest sources) without checks of their own. */
function otherKinds(): string[] {
  const own = new Set(registeredKinds());
  return [...new Set([...listKinds().map((d) => d.kind), ...listSources().map((s) => s.id)])].filter((k) =>
    !own.has(k)
  );
}

const HELP = helpText("deno task validate [flags] [name|path ...]", {
  description:
    `Validates datasets: schema, completeness, validity, uniqueness, time, PII and referential integrity for every
kind; correlation and seasonality (capacity) and anomaly labels (anomalies) against the targets in the
manifest's config. Without arguments, every dataset in the catalog (data/) is validated. An argument is a
dataset name from the catalog, a dataset folder, a folder of Parquet/CSV files (partitions), or a file.

Prints a table (dataset, checks passed / failed, worst failure) and the failed checks; writes
validation.json and schema.json beside each dataset (beside a file: <file>.validation.json). Exit code 0
when no error-severity check failed, 1 otherwise (--strict: also on warnings), 2 on bad usage.

Kinds with their own checks: ${registeredKinds().join(", ")}.
Every other kind (${otherKinds().join(", ")}, or any manifest's) is validated against the
dtypes its manifest records, with the checks common to every dataset.`,
  flags: FLAGS,
  examples: [
    "deno task validate",
    "deno task validate capacity",
    "deno task validate --schema capacity exports/capacity.csv",
    "deno task validate --json --strict data/synthetic/capacity",
    "deno task validate --suggest ~/exports/orders.csv --out orders.checks.yaml",
    "deno task validate --checks orders.checks.yaml ~/exports/orders-2024-06.csv",
  ],
});

/** One target of the run: what to load, or why it cannot be. */
type Target = { arg: string; path: string; kind?: string } | { arg: string; error: string };

/** "shard k/n of <name>" when a folder holds a shard's manifest, else undefined. */
async function shardOf(path: string): Promise<string | undefined> {
  try {
    const m = JSON.parse(await Deno.readTextFile(join(path, "manifest.json")));
    return m?.shard ? `shard ${m.shard.index}/${m.shard.count} of ${m.name}` : undefined;
  } catch {
    return undefined;
  }
}

async function resolveTargets(args: string[], root: string, kind: string | undefined): Promise<Target[]> {
  if (args.length === 0) {
    if (kind) throw new UsageError("--schema needs the files or folders to validate (see --help)");
    const catalog = await listDatasets(root);
    return catalog.map((e) => e.error ? { arg: e.dir, error: e.error } : { arg: e.dir, path: e.dir });
  }
  const out: Target[] = [];
  let catalog: Awaited<ReturnType<typeof listDatasets>> | undefined;
  for (const arg of args) {
    try {
      await Deno.stat(arg);
      const shard = await shardOf(arg);
      // A shard is part of a dataset: validating it as the dataset would publish a result for half of it.
      if (shard) {
        out.push({ arg, error: `Cannot validate "${arg}": it is ${shard}, not a dataset; merge the shards first` });
      } else out.push({ arg, path: arg, kind });
      continue;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (kind) {
      out.push({ arg, error: `Cannot validate "${arg}": no such file or folder` });
      continue;
    }
    catalog ??= await listDatasets(root);
    const matches = catalog.filter((e) =>
      e.manifest?.name === arg || relative(root, e.dir) === arg || basename(e.dir) === arg
    );
    if (matches.length === 0) {
      out.push({
        arg,
        error: `Cannot validate "${arg}": no dataset of that name in ${root}/ and no such file or folder`,
      });
    }
    for (const m of matches) out.push(m.error ? { arg: m.dir, error: m.error } : { arg, path: m.dir });
  }
  return out;
}

/** A validation standing for a path that could not be validated at all. */
function inputFailure(arg: string, message: string, kind = "unknown"): ValidationResult {
  return new ValidationResult({
    dataset: arg,
    path: arg,
    kind,
    rows: 0,
    validated: new Date().toISOString(),
    results: [check({
      id: "input.read",
      family: "input",
      severity: "error",
      passed: false,
      measured: null,
      threshold: "readable",
      message,
    })],
  });
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.writeTextFile(tmp, text);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/** The content fingerprint of the dataset in `dir` now, or undefined when it has no readable manifest. */
async function contentNow(dir: string): Promise<string | undefined> {
  try {
    return contentFingerprint(await readManifest(dir));
  } catch {
    return undefined;
  }
}

/** What writing the results came to: a note when they could not be written, `changed` when the dataset did. */
type Written = { note?: string; changed?: boolean };

/**
 * Writes `validation.json` (and `schema.json`) beside the dataset, each atomically, but only while the folder
 * still holds the content that was validated: a dataset regenerated during validation gets no results of its
 * predecessor. The check is repeated after the rename, and a result that landed on new content is taken back.
 */
async function writeOutputs(
  loaded: LoadedDataset,
  validation: ValidationResult,
  extra: [string, string][] = [],
): Promise<Written> {
  const files: [string, string][] = [...extra];
  if (Object.keys(loaded.tables).length > 0) {
    const summary = summarizeDataset(loaded.tables, {
      dataset: loaded.name,
      kind: loaded.kind,
      manifest: loaded.manifest,
      generated: validation.validated,
    });
    files.push([`${loaded.outPrefix}schema.json`, JSON.stringify(summary, null, 2) + "\n"]);
  }
  // validation.json last: a reader that finds it current finds the schema.json of the same run.
  files.push([`${loaded.outPrefix}validation.json`, JSON.stringify(validation, null, 2) + "\n"]);
  const bound = loaded.content;
  if (bound !== undefined && await contentNow(loaded.outDir) !== bound) return { changed: true };
  const written: [string, string][] = [];
  try {
    for (const [name, text] of files) {
      const path = join(loaded.outDir, name);
      await writeAtomic(path, text);
      written.push([path, text]);
    }
  } catch (e) {
    const why = e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable
      ? "no write permission there (the task may write under data/ only)"
      : (e as Error).message.split("\n")[0];
    return { note: `note: results for "${loaded.path}" not written beside it: ${why}` };
  }
  if (bound !== undefined && await contentNow(loaded.outDir) !== bound) {
    // Replaced between the check and the rename: remove what this run put into the new dataset.
    for (const [path, text] of written) {
      if (await Deno.readTextFile(path).catch(() => undefined) === text) await Deno.remove(path).catch(() => {});
    }
    return { changed: true };
  }
  return {};
}

/** Marks a validation whose dataset was replaced while it ran: a failed error check, so the run exits 1. */
function markChanged(validation: ValidationResult, dir: string): string {
  validation.results.push(check({
    id: "integrity.unchanged",
    family: "integrity",
    severity: "error",
    passed: false,
    measured: null,
    threshold: "same content from start to end",
    message: "The dataset changed during validation: these results are of the content it had before and were " +
      "not written beside it",
  }));
  validation.summary = summarize(validation.results);
  return `error: "${dir}" changed during validation (another run replaced it): results not written, validate it again`;
}

function failedLines(v: DatasetValidation, all: boolean): string[] {
  const shown = ordered(v.results).filter((r) => all || !r.passed);
  return shown.flatMap((r) => [
    `  ${statusOf(r).padEnd(4)} ${r.id}  ${formatMeasured(r.measured)} (${r.threshold})  ${r.message}`,
    ...(r.failing_rows && !r.passed ? failingRowsLines(r.failing_rows, 5) : []),
  ]);
}

/**
 * Validates one target; its frames go out of scope when this returns, so they can be collected before the next.
 * @param target what to validate
 * @param options the generator config (with --schema) and whether to write the results
 * @returns the validation, and a note when the results could not be written
 */
async function validateTarget(
  target: Target,
  options: {
    config?: Record<string, unknown>;
    write: boolean;
    inMemoryRows: number;
    fidelity?: boolean;
    checks?: ChecksFile;
  },
): Promise<{ validation: ValidationResult; note?: string }> {
  if ("error" in target) return { validation: inputFailure(target.arg, target.error) };
  try {
    let loaded = await loadForValidation(target.path, { kind: target.kind, inMemoryRows: options.inMemoryRows });
    // A checks file alone checks what has no kind of its own (a file opslab never made); a dataset of a kind keeps
    // its checks and takes the file's levels.
    if (options.checks && !registeredKinds().includes(loaded.kind)) {
      loaded = await loadForValidation(target.path, { kind: CHECKS_KIND, inMemoryRows: options.inMemoryRows });
    }
    let validation = validateLoaded(loaded, options.config !== undefined ? { config: options.config } : {});
    if (options.checks) {
      validation = new ValidationResult({
        ...validation.toJSON(),
        results: applyLevels(validation.results, { file: options.checks, tables: Object.keys(loaded.tables) }),
      });
    }
    const extra: [string, string][] = [];
    if (options.fidelity && loaded.manifest && loaded.readError === undefined) {
      const report = { ...await datasetFidelity(loaded.outDir, { kind: loaded.kind }), content: loaded.content };
      validation = new ValidationResult({
        ...validation.toJSON(),
        results: [...validation.results, ...fidelityResults(report)],
      });
      extra.push(["fidelity.json", JSON.stringify(report, null, 1) + "\n"]);
    } else if (options.fidelity) {
      validation = new ValidationResult({
        ...validation.toJSON(),
        results: [...validation.results, {
          id: "fidelity.profile",
          family: "fidelity",
          severity: "info",
          passed: false,
          measured: null,
          threshold: "-",
          message: "Not measured: fidelity needs a dataset folder with a manifest",
        }],
      });
    }
    if (!options.write) return { validation };
    const { note, changed } = await writeOutputs(loaded, validation, extra);
    return { validation, note: changed ? markChanged(validation, loaded.outDir) : note };
  } catch (e) {
    if (!(e instanceof DatasetInputError)) throw e;
    return { validation: inputFailure(target.arg, e.message, target.kind) };
  }
}

/**
 * Frames live in native memory that V8 does not count, so it may not collect them between datasets: when the
 * runtime allows it (`deno run --v8-flags=--expose-gc`), collect explicitly, twice, letting the native finalizers
 * run in between, so a catalog run peaks near its largest dataset rather than the sum of them.
 */
async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let pass = 0; gc && pass < 2; pass++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The kind a checks file registers for files without one. */
const CHECKS_KIND = "checks";

/** `--suggest`: a checks file from one dataset or file, printed or written to a new file. */
async function suggest(positionals: string[], options: { root: string; out?: string }): Promise<number> {
  if (positionals.length !== 1) {
    throw new UsageError(`--suggest needs exactly one dataset or file, got ${positionals.length}`);
  }
  const [target] = await resolveTargets(positionals, options.root, undefined);
  if ("error" in target) throw new UsageError(target.error);
  const loaded = await loadForValidation(target.path, { scanText: false, verifyChecksums: false });
  if (loaded.readError !== undefined) throw new Error(loaded.readError);
  const table = loaded.tables[loaded.primary];
  const header = [
    `# Checks suggested by "deno task validate --suggest" from ${target.arg}: edit, then`,
    "# deno task validate --checks <this file> <dataset or file>. Schema: lib/config/schema/checks.schema.json",
  ];
  const text = `${header.join("\n")}\n${stringify(suggestChecks(table))}`;
  if (options.out === undefined) {
    console.log(text.trimEnd());
    return 0;
  }
  try {
    await Deno.writeTextFile(options.out, text, { createNew: true });
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) {
      throw new UsageError(
        `--out "${options.out}" exists: a checks file is never replaced (remove it or pick another)`,
      );
    }
    if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
      throw new UsageError(`Cannot write --out "${options.out}": outside the folders this task may write (data/)`);
    }
    throw e;
  }
  console.log(`wrote ${options.out}: ${Object.keys(suggestChecks(table).columns).length} columns from ${target.arg}`);
  return 0;
}

/**
 * Runs the validation task.
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
    const started = performance.now();
    const kind = typeof flags.schema === "string" ? flags.schema : undefined;
    if (kind !== undefined && !registeredKinds().includes(kind)) {
      throw new UsageError(`--schema must be one of ${registeredKinds().join(", ")}, got "${kind}"`);
    }
    if (flags.config !== undefined && kind === undefined) {
      throw new UsageError("--config applies with --schema only (a dataset's manifest holds its config)");
    }
    const config = typeof flags.config === "string" ? await readConfigFile(flags.config) : undefined;
    const root = typeof flags.root === "string" ? flags.root : DEFAULT_LAKE_ROOT;
    if (flags.suggest) {
      return await suggest(positionals, { root, ...(typeof flags.out === "string" ? { out: flags.out } : {}) });
    }
    if (flags.out !== undefined) throw new UsageError("--out applies with --suggest only");
    let checks: ChecksFile | undefined;
    if (typeof flags.checks === "string") {
      checks = resolveConfig(ChecksFile, { file: await readConfigFile(flags.checks), what: "checks" });
      registerKind(checksKind(checks, { kind: CHECKS_KIND }));
    }
    const inMemoryRows = integerFlag(flags["in-memory-rows"], "in-memory-rows", { fallback: IN_MEMORY_ROWS });
    const targets = await resolveTargets(positionals, root, kind);
    const progress = new Progress("validate", targets.length, { unit: "datasets" });
    const validations: ValidationResult[] = [];
    const notes: string[] = [];
    let rows = 0;
    for (const target of targets) {
      progress.step(basename(target.arg));
      const { validation, note } = await validateTarget(target, {
        config,
        write: !flags["no-write"],
        inMemoryRows,
        fidelity: Boolean(flags.fidelity),
        ...(checks ? { checks } : {}),
      });
      validations.push(validation);
      rows += validation.rows;
      if (note) notes.push(note);
      progress.tick(1);
      await collectGarbage();
    }
    progress.finish();
    for (const note of notes) console.error(note);
    const strict = Boolean(flags.strict);
    const ok = validations.every((v) => v.ok(strict));
    if (flags.stats) {
      console.log(JSON.stringify({
        seconds: (performance.now() - started) / 1000,
        peak_rss_bytes: peakRss() ?? null,
        rows,
        datasets: validations.length,
        ok,
      }));
    } else if (flags.json) {
      console.log(JSON.stringify(validations, null, 2));
    } else if (validations.length === 0) {
      console.log(`No datasets found under ${root}/ (generate one with "deno task generate capacity")`);
    } else {
      console.log(renderSummaryTable(validations));
      for (const v of validations) {
        const lines = failedLines(v, Boolean(flags.all));
        if (lines.length > 0) console.log(`\n${v.dataset} (${v.path}):\n${lines.join("\n")}`);
      }
    }
    return ok ? 0 : 1;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
