/**
 * `deno task generate capacity [flags]`: the server-capacity dataset.
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
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
import { datasetDir, mergeShards } from "@lib/lake/mod.ts";
import {
  buildTimeline,
  CapacityConfig,
  resolvedCapacityConfig,
  writeCapacityDataset,
} from "@lib/generate/capacity/mod.ts";

const FLAGS: Record<string, FlagSpec> = {
  preset: {
    type: "string",
    arg: "realistic|textbook",
    help: "defaults: realistic (servers that differ, persistent noise) or textbook (the idealised curves of 2.0.0)",
  },
  servers: { type: "string", arg: "N", help: "servers in the fleet (default 120)" },
  years: { type: "string", arg: "N", help: "whole years from --start-date (instead of --end-date)" },
  "start-date": { type: "string", arg: "YYYY-MM-DD", help: "first day, UTC (default 2022-01-01)" },
  "end-date": { type: "string", arg: "YYYY-MM-DD", help: "last day, inclusive (default 2025-12-31)" },
  granularity: { type: "string", arg: "daily|hourly", help: "one row per server per day or per hour (default daily)" },
  format: { type: "string", arg: "parquet|csv", help: "output format (default parquet)" },
  compress: { type: "boolean", help: "gzip the CSV output" },
  seed: { type: "string", arg: "N", help: "seed; equal seeds and configs give byte-identical files (default 42)" },
  name: { type: "string", arg: "NAME", help: "dataset name, the folder under data/synthetic/ (default capacity)" },
  "chunk-servers": { type: "string", arg: "N", help: "servers per chunk: memory, never output (default 256)" },
  "rows-per-file": { type: "string", arg: "N", help: "rows per file; more are split by server (default 1,000,000)" },
  ...SCALE_FLAGS,
  output: { type: "string", arg: "DIR", help: "dataset folder (default data/synthetic/<name>)", config: false },
  ...OVERWRITE_FLAG,
  ...CONFIG_FLAGS,
  stats: { type: "boolean", help: "print rows, seconds and peak RSS as JSON on stdout", config: false },
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

const HELP = helpText("deno task generate capacity [flags]", {
  description: `Generates server capacity metrics (CPU, memory, disk, network P95s) for a fleet of web, application,
database and batch servers on a business calendar, into data/synthetic/<name>/ with manifest.json and
the resolved config.json. The default run gives 175,320 rows (120 servers, daily, 2022-2025).

Config precedence, lowest first: defaults, --config file, flags, OPSLAB_CAPACITY_* environment variables
(e.g. OPSLAB_CAPACITY_SERVERS=150; nested keys with "__": OPSLAB_CAPACITY_EOQ__UPLIFT=0.2).
JSON Schema for config files: lib/config/schema/capacity.schema.json.


${SCALE_HELP}`,
  flags: FLAGS,
  examples: [
    "deno task generate capacity",
    "deno task generate capacity --servers 200 --years 5 --granularity hourly --format csv --compress --seed 7",
    "deno task generate capacity --preset textbook",
    "deno task generate capacity --print-config > capacity.yaml",
    "deno task generate capacity --config data/synthetic/capacity/config.json --years 2 --name capacity-2y",
  ],
});

/**
 * Runs the capacity generator.
 * @param args command-line arguments after `capacity`
 * @returns the exit code
 */
export function main(args: string[]): Promise<number> {
  return runTask(async () => {
    const { config: flags, flags: raw, positionals } = parseFlags(args, FLAGS);
    if (raw.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (see --help)`);
    const started = performance.now();
    const { config } = await resolveTaskConfig(CapacityConfig, {
      kind: "capacity",
      file: raw.config,
      flags,
      alternatives: [["years", "end_date"]],
    });
    if (raw["print-config"]) {
      console.log(configYaml("capacity", resolvedCapacityConfig(config)));
      return 0;
    }
    const dir = typeof raw.output === "string" ? raw.output : datasetDir("synthetic", config.name);
    const shard = shardFlag(raw.shard);
    const { target } = await claimTaskOutput(dir, {
      kind: "capacity",
      overwrite: raw.overwrite === true,
      shard: raw.merge ? undefined : shard,
      inputs: typeof raw.config === "string" ? [raw.config] : [],
    });
    let manifest = await scaleOut({
      kind: "capacity",
      args,
      flags: raw,
      dir,
      merge: () => mergeShards(dir, { created: creationTime() }),
    });
    if (manifest === undefined) {
      const total = config.servers * buildTimeline(config).ms.length;
      const progress = new Progress(shard ? `capacity ${shard.index}/${shard.count}` : "capacity", total);
      manifest = await writeCapacityDataset(config, dir, {
        created: creationTime(),
        onRows: (n) => progress.tick(n),
        shard,
      });
      progress.finish();
    }
    const seconds = (performance.now() - started) / 1000;
    if (raw.stats) {
      console.log(JSON.stringify({ rows: manifest.rows, seconds, peak_rss_bytes: peakRss() }));
    } else {
      const bytes = manifest.files.reduce((s, f) => s + f.bytes, 0);
      console.log(
        `capacity: ${manifest.rows.toLocaleString("en-US")} rows -> ${target}${
          shard && !raw.merge ? ` (shard ${shard.index}/${shard.count} of ${dir})` : ""
        } (${(bytes / 1e6).toFixed(1)} MB, ${seconds.toFixed(2)} s)`,
      );
    }
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
