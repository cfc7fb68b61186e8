/**
 * `deno task fidelity <dataset> [--reference NAME|PATH ...]`: profile a dataset's statistics, compare them with
 * real references check by check, print the table, write `fidelity.json` beside the dataset, exit 1 under
 * `--min-score`. `deno task fidelity:reference --build-reference <dataset> --out FILE` writes a reference profile.
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import { parseArgs } from "node:util";
import { basename, dirname, join } from "node:path";
import { type FlagSpec, helpText, runTask, UsageError, usageMessage } from "@lib/cli/mod.ts";
import { formatCount } from "@lib/cli/format.ts";
import { Progress } from "@lib/cli/progress.ts";
import { contentFingerprint, DEFAULT_LAKE_ROOT, readManifest } from "@lib/lake/mod.ts";
import {
  BUILTIN_REFERENCES,
  checkFidelity,
  defaultReferences,
  type FidelityRoles,
  fidelityTable,
  loadReference,
  parseMetricRoles,
  profileDataset,
} from "@lib/fidelity/mod.ts";

const HELP_FLAGS: Record<string, FlagSpec> = {
  reference: {
    type: "string",
    arg: "R",
    help: `${
      BUILTIN_REFERENCES.join(", ")
    }, a profile .json or a dataset folder; repeatable (default for capacity and anomalies: bitbrains_rnd and issue-targets)`,
  },
  metric: {
    type: "string",
    arg: "ROLE=COL",
    help:
      `map a column to a metric role (cpu, mem, disk, net, latency, errors, throughput, ...); repeatable; replaces the kind's default metrics`,
  },
  entity: { type: "string", arg: "COL", help: `the entity column (default by kind: server_id, series_id, vm_month)` },
  time: { type: "string", arg: "COL", help: `the time column (default timestamp)` },
  label: { type: "string", arg: "COL", help: `a Boolean anomaly-label column (default is_anomaly for anomalies)` },
  table: { type: "string", arg: "NAME", help: `the table to profile (default the manifest's primary table)` },
  "utc-offset": {
    type: "string",
    arg: "H",
    help: `hours added to UTC for weekends and hours of week (default 0, or the manifest's)`,
  },
  "min-score": { type: "string", arg: "X", help: `exit 1 when the score is below X (0..1)` },
  details: { type: "boolean", help: `list the detail checks too` },
  json: { type: "boolean", help: `print fidelity.json on stdout instead of the table` },
  "no-write": { type: "boolean", help: `do not write fidelity.json` },
  "build-reference": {
    type: "boolean",
    help: `write the dataset's profile (numbers only) to --out as a reference, no comparison`,
  },
  out: { type: "string", arg: "FILE", help: `with --build-reference: the profile file` },
  name: { type: "string", arg: "NAME", help: `with --build-reference: the reference's name (default the file name)` },
  citation: {
    type: "string",
    arg: "TEXT",
    help: `with --build-reference: citation to record (default the manifest source's)`,
  },
  help: { type: "boolean", short: "h", help: `show this help` },
};

const HELP = helpText(
  `deno task fidelity <dataset> [flags]
deno task fidelity:reference --build-reference <dataset> --out lib/fidelity/references/<name>.json`,
  {
    description:
      `Profiles a time-series dataset (per-entity and pooled marginals, autocorrelations at lag 1, 24 h, 168 h and
after removing hour-of-week means, daily-cycle share, day-to-day persistence, weekend ratio, cross-metric
correlations, values at bounds, daily P95 / hourly mean, tails, step / level, anomaly difficulty) and compares it
with each reference: the 11 rows of issue 14's table as named checks, then detail checks. Prints the table and
writes fidelity.json beside the dataset. The score is named checks passed / measured over all references.

<dataset> is a dataset folder or a name under data/synthetic/ or data/processed/.`,
    flags: HELP_FLAGS,
    notes: "Exit codes: 0 done, 1 score below --min-score or unreadable input, 2 bad usage.",
    examples: [
      "deno task fidelity capacity",
      "deno task fidelity capacity --reference bitbrains_rnd --min-score 0.6 --details",
      "deno task fidelity:reference metrics/bitbrains --name bitbrains_rnd --out lib/fidelity/references/bitbrains_rnd.json",
      "deno task fidelity:reference metrics/bitbrains --table daily --name bitbrains_rnd --out lib/fidelity/references/bitbrains_rnd_daily.json",
    ],
  },
);

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function resolveDataset(arg: string): Promise<string> {
  if (await exists(join(arg, "manifest.json"))) return arg;
  for (const layer of ["synthetic", "processed"]) {
    const dir = join(DEFAULT_LAKE_ROOT, layer, arg);
    if (await exists(join(dir, "manifest.json"))) return dir;
  }
  throw new UsageError(`Cannot profile "${arg}": no dataset folder with a manifest.json there or under data/`);
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${crypto.randomUUID().slice(0, 8)}`);
  try {
    await Deno.writeTextFile(tmp, text);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/**
 * Runs the fidelity task.
 * @param args command-line arguments
 * @returns the exit code
 */
export function main(args: string[]): Promise<number> {
  return runTask(async () => {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        options: {
          reference: { type: "string", multiple: true },
          metric: { type: "string", multiple: true },
          entity: { type: "string" },
          time: { type: "string" },
          label: { type: "string" },
          table: { type: "string" },
          "utc-offset": { type: "string" },
          "min-score": { type: "string" },
          details: { type: "boolean" },
          json: { type: "boolean" },
          "no-write": { type: "boolean" },
          "build-reference": { type: "boolean" },
          out: { type: "string" },
          name: { type: "string" },
          citation: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      throw new UsageError(usageMessage(e as Error, HELP_FLAGS));
    }
    const { values: v, positionals } = parsed;
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length !== 1) {
      throw new UsageError(`give exactly one dataset, got ${positionals.length} (see --help)`);
    }
    let minScore: number | undefined;
    if (v["min-score"] !== undefined) {
      minScore = Number(v["min-score"]);
      if (!/^\s*[0-9.]+\s*$/.test(v["min-score"]) || !(minScore >= 0 && minScore <= 1)) {
        throw new UsageError(`--min-score must be a number from 0 to 1, got "${v["min-score"]}"`);
      }
    }
    const roles: Partial<FidelityRoles> = {};
    try {
      if (v.metric) roles.metrics = parseMetricRoles(v.metric);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (v.entity) roles.entity = v.entity;
    if (v.time) roles.time = v.time;
    if (v.label) roles.label = v.label;
    if (v["utc-offset"] !== undefined) {
      const h = Number(v["utc-offset"]);
      if (!Number.isFinite(h) || h < -14 || h > 14) {
        throw new UsageError(`--utc-offset must be hours from -14 to 14, got "${v["utc-offset"]}"`);
      }
      roles.utcOffsetHours = h;
    }
    const dir = await resolveDataset(positionals[0]);
    const manifest = await readManifest(dir);
    if (v["build-reference"]) {
      if (!v.out) throw new UsageError("--build-reference needs --out FILE");
      const src = (manifest.source ?? {}) as Record<string, unknown>;
      const str = (k: string) => typeof src[k] === "string" ? { [k]: src[k] as string } : {};
      const profile = await profileDataset(dir, {
        roles,
        ...(v.table !== undefined ? { table: v.table } : {}),
        source: {
          name: v.name ?? basename(v.out).replace(/\.json$/, ""),
          kind: manifest.kind,
          path: undefined,
          ...str("repository"),
          ...str("commit"),
          ...str("url"),
          ...(v.citation ? { citation: v.citation } : str("citation")),
          note: `profiled from the ingested dataset "${manifest.name}" by deno task fidelity:reference`,
        },
      });
      delete profile.source.path;
      try {
        await writeAtomic(v.out, JSON.stringify(profile, null, 2) + "\n");
      } catch (e) {
        if (!(e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable)) throw e;
        throw new Error(
          `Cannot write reference "${v.out}": no write permission there; "deno task fidelity:reference" may write ` +
            `lib/fidelity/references/ only`,
        );
      }
      console.log(
        `reference profile of ${manifest.name}: ${formatCount(profile.entities)} entities, ${
          formatCount(profile.rows)
        } rows, ` +
          `${profile.granularity} -> ${v.out}`,
      );
      return 0;
    }
    // One display: the profile's phases (reading, statistics, autocorrelation per metric...), then the
    // references; the profile of a large table takes tens of seconds.
    const progress = new Progress(`fidelity ${manifest.name}`, 0, { unit: "steps" });
    let report;
    try {
      const profile = await profileDataset(dir, {
        roles,
        ...(v.table !== undefined ? { table: v.table } : {}),
        onStep: (step) => progress.step(step),
      });
      const specs = v.reference ?? [...defaultReferences(manifest.kind)];
      const references = [];
      for (const spec of specs) {
        progress.step(`reference ${spec}`);
        try {
          references.push(await loadReference(spec, { granularity: profile.granularity }));
        } catch (e) {
          if (e instanceof RangeError) throw new UsageError(e.message);
          throw e;
        }
      }
      progress.step("comparing");
      report = {
        ...checkFidelity(profile, references, { dataset: manifest.name }),
        content: contentFingerprint(manifest),
      };
    } finally {
      progress.finish();
    }
    if (v.json) console.log(JSON.stringify(report, null, 2));
    else console.log(fidelityTable(report, { details: Boolean(v.details) }));
    if (!v["no-write"]) {
      try {
        await writeAtomic(join(dir, "fidelity.json"), JSON.stringify(report, null, 1) + "\n");
      } catch (e) {
        if (!(e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable)) throw e;
        console.error(`note: fidelity.json not written beside "${dir}": no write permission there`);
      }
    }
    if (minScore !== undefined && (report.score === null || report.score < minScore)) {
      console.error(`fidelity score ${report.score ?? "n/a"} is below --min-score ${minScore}`);
      return 1;
    }
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
