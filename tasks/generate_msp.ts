/**
 * `deno task generate msp [flags]`: generate the MSP service-desk dataset (clients, technicians, tickets,
 * sla_metrics, service_delivery_daily, technician_productivity) into `data/synthetic/<name>/`, checked for
 * consistency before it is committed.
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import { join } from "node:path";
import pl from "nodejs-polars";
import {
  claimTaskOutput,
  CONFIG_FLAGS,
  configYaml,
  creationTime,
  type FlagSpec,
  helpText,
  OVERWRITE_FLAG,
  parseFlags,
  peakRss,
  Progress,
  resolveTaskConfig,
  runTask,
  SCALE_FLAGS,
  SCALE_HELP,
  scaleOut,
  shardFlag,
  UsageError,
} from "@lib/cli/mod.ts";
import { datasetDir, type Manifest, readManifest, readTable } from "@lib/lake/mod.ts";
import {
  type CheckResult,
  mergeMspShards,
  MSP_TABLES,
  MspConfig,
  writeMspDataset,
  writeMspShard,
} from "@lib/generate/msp/mod.ts";

const FLAGS: Record<string, FlagSpec> = {
  clients: { type: "string", arg: "N", help: "client companies, 1-2000 (default 60)" },
  technicians: { type: "string", arg: "N", help: "technicians, 1-300 (default 24)" },
  desks: {
    type: "string",
    arg: "N",
    help: "service desks, each with its own clients and technicians; the shard unit (default 1)",
  },
  start: { type: "string", arg: "YYYY-MM-DD", help: "first day, UTC (default 2024-01-01)" },
  end: { type: "string", arg: "YYYY-MM-DD", help: "last day, inclusive, at most 3 years on (default 2024-12-31)" },
  "ticket-rate-scale": { type: "string", arg: "X", help: "multiplies every client's ticket rate (default 1)" },
  "bursts-per-month": { type: "string", arg: "X", help: "synthetic incident bursts per month (default 1.5)" },
  "survey-rate": { type: "string", arg: "P", help: "share of resolved tickets with a survey answer (default 0.35)" },
  format: { type: "string", arg: "parquet|csv", help: "table file format (default parquet)" },
  seed: { type: "string", arg: "N", help: "seed; equal seeds and configs give byte-identical files (default 42)" },
  name: { type: "string", arg: "NAME", help: "dataset name, the folder under data/synthetic/ (default msp)" },
  classification: { type: "string", arg: "C", help: "public|internal|confidential|restricted (default internal)" },
  "retention-days": { type: "string", arg: "N", help: "days before the dataset may expire (default 365)" },
  incidents: {
    type: "string",
    arg: "PATH",
    help: "incident timeline (table file, or dataset folder) with start, end, severity",
    config: false,
  },
  ...SCALE_FLAGS,
  output: { type: "string", arg: "DIR", help: "dataset folder (default data/synthetic/<name>)", config: false },
  ...OVERWRITE_FLAG,
  ...CONFIG_FLAGS,
  "skip-checks": { type: "boolean", help: "commit even when a consistency check fails", config: false },
  stats: { type: "boolean", help: "print rows, seconds and peak RSS as JSON on stdout", config: false },
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

/** Flags whose value stays text even when it looks like JSON (a name like "2024" or a date). */
const TEXT_FLAGS = ["name", "start", "end", "format", "classification"];

const HELP = helpText("deno task generate msp [flags]", {
  description: `Generates the linked tables of a managed-service provider's service desk: clients, technicians, tickets,
sla_metrics, service_delivery_daily and technician_productivity, into data/synthetic/<name>/ with a
manifest.json (primary table: tickets). Tickets arrive by business hours and weekdays with incident bursts
(--incidents replaces the synthetic bursts with a real timeline); a desk simulation assigns and works them;
SLA outcomes and every derived table are computed from the ticket timestamps. The dataset is checked for
consistency before it is written: nothing is written when a check fails.

Config precedence, lowest first: defaults, --config file, flags, OPSLAB_MSP_* environment variables
(e.g. OPSLAB_MSP_CLIENTS=120). Business hours: Monday to Friday, 08:00-18:00 UTC.

${SCALE_HELP}
The shard unit is the service desk (--desks N: clients and technicians split into N teams that share no
queue); a shard is a range of desks, and --merge recomputes service_delivery_daily from all shards' tickets
and checks the whole dataset before it is written.`,
  flags: FLAGS,
  examples: [
    "deno task generate msp",
    "deno task generate msp --clients 120 --technicians 45 --seed 7 --format csv",
    "deno task generate msp --clients 400 --technicians 120 --desks 8 --workers 2",
  ],
});

async function readIncidents(path: string): Promise<pl.DataFrame> {
  const stat = await Deno.stat(path).catch(() => undefined);
  if (stat === undefined) throw new UsageError(`Cannot read incidents "${path}": no such file or folder`);
  if (stat.isFile) return readTable(path);
  const manifest = await readManifest(path);
  for (const table of Object.values(manifest.tables)) {
    const cols = Object.keys(table.schema);
    if (["start", "end", "severity"].every((c) => cols.includes(c)) && table.files.length > 0) {
      return pl.concat(table.files.map((f) => readTable(join(path, f))));
    }
  }
  throw new UsageError(`Cannot use incidents "${path}": no table of the dataset has columns start, end and severity`);
}

/**
 * Runs the MSP generator.
 * @param args command-line arguments after `msp`
 * @returns the exit code: 0 written, 1 failed (e.g. a consistency check), 2 bad usage or config
 */
export function main(args: string[]): Promise<number> {
  return runTask(async () => {
    const { config: flags, flags: raw, positionals } = parseFlags(args, FLAGS);
    if (raw.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (see --help)`);
    for (const f of TEXT_FLAGS) if (typeof raw[f] === "string") flags[f] = raw[f];
    const started = performance.now();
    const { config } = await resolveTaskConfig(MspConfig, { kind: "msp", file: raw.config, flags });
    if (raw["print-config"]) {
      console.log(configYaml("msp", config));
      return 0;
    }
    const dir = typeof raw.output === "string" ? raw.output : datasetDir("synthetic", config.name);
    const created = creationTime();
    const shard = shardFlag(raw.shard);
    const { target } = await claimTaskOutput(dir, {
      kind: "msp",
      overwrite: raw.overwrite === true,
      shard: raw.merge ? undefined : shard,
      inputs: [raw.incidents, raw.config].filter((p): p is string => typeof p === "string"),
    });
    const incidents = typeof raw.incidents === "string" ? await readIncidents(raw.incidents) : undefined;

    const lineage = typeof raw.incidents === "string"
      ? [{ source: raw.incidents, relation: "incident timeline shaping ticket bursts" }]
      : [];
    // One display: the step running and the time it has taken (msp's steps have no finer count).
    const progress = new Progress("msp", 0, { unit: "steps" });
    const say = (text: string) => progress.step(text);
    const warn = (results: CheckResult[]) => {
      for (const r of results) {
        if (!r.passed) console.error(`${r.severity === "error" ? "error" : "warning"}: ${r.id}: ${r.message}`);
      }
    };
    let manifest: Manifest | undefined = await scaleOut({
      kind: "msp",
      args,
      flags: raw,
      dir,
      merge: async () => {
        say("merging and checking");
        const merged = await mergeMspShards(dir, { created, skipChecks: raw["skip-checks"] === true });
        warn(merged.results);
        return merged.manifest;
      },
    });
    if (manifest === undefined && shard !== undefined) {
      say(`generating shard ${shard.index}/${shard.count}`);
      manifest = await writeMspShard(config, dir, { shard, created, incidents, lineage });
    }
    if (manifest === undefined) {
      say("generating and checking");
      const written = await writeMspDataset(config, dir, {
        created,
        incidents,
        lineage,
        skipChecks: raw["skip-checks"] === true,
      });
      progress.finish();
      for (const r of written.results.filter((r) => !r.passed)) {
        const level = r.severity === "error" && !raw["skip-checks"] ? "error" : "warning";
        console.error(`${level}: ${r.id}: ${r.message}`);
      }
      if (written.manifest === undefined) {
        const failed = written.results.filter((r) => !r.passed && r.severity === "error").length;
        throw new Error(`Cannot write "${dir}": ${failed} consistency check(s) failed, nothing written`);
      }
      manifest = written.manifest;
    }
    progress.finish();
    const seconds = (performance.now() - started) / 1000;
    if (raw.stats) {
      console.log(JSON.stringify({ rows: manifest.rows, seconds, peak_rss_bytes: peakRss() }));
    } else {
      const bytes = manifest.files.reduce((s, f) => s + f.bytes, 0);
      const counts = MSP_TABLES.map((n) => `${n} ${manifest.tables[n].rows.toLocaleString("en-US")}`).join(", ");
      console.log(`msp: ${counts} -> ${target} (${(bytes / 1e6).toFixed(1)} MB, ${seconds.toFixed(2)} s)`);
    }
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
