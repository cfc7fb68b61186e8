/**
 * `deno task ingest gwa [--input DIR]`: GWA-T-12 VM traces (Bitbrains) into `data/processed/metrics/bitbrains/`
 * (hourly and daily P95 per VM-month, clean 5-minute samples, quarantine, report).
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import { type FlagSpec, helpText } from "@lib/cli/args.ts";
import { progressHooks, runIngestTask } from "@lib/ingest/common/mod.ts";
import { GwaIngestConfig, ingestGwa } from "@lib/ingest/gwa/mod.ts";

const HELP_FLAGS: Record<string, FlagSpec> = {
  input: { type: "string", arg: "DIR", help: "trace folder (default data/raw/metrics/bitbrains)" },
  output: { type: "string", arg: "DIR", help: "dataset folder (default data/processed/metrics/bitbrains)" },
  lake: { type: "string", arg: "DIR", help: "lake root for the defaults (default data)" },
  config: {
    type: "string",
    arg: "FILE",
    help: "JSON/YAML config (keys below in snake_case); env OPSLAB_INGEST_GWA_<KEY> overrides",
  },
  "utc-offset-hours": {
    type: "string",
    arg: "H",
    help: "hours the trace's local time is ahead of UTC, for weekends (default 2, CEST)",
  },
  help: { type: "boolean", short: "h", help: "show this help" },
};

const USAGE = helpText("deno task ingest gwa [--input DIR] [flags]", {
  description:
    `Reads a GWA-T-12 trace folder (<month>/<vm>.csv, ";"+TAB delimited, timestamps in seconds), e.g. the Bitbrains
"Rnd" VM-months, and writes data/processed/metrics/bitbrains/: hourly.parquet
(hourly P95 of CPU %, memory %, disk and network per VM-month), daily.parquet (daily P95 of the 5-minute
samples), samples.parquet (clean 5-minute rows),
quarantine.parquet (powered-off rows, repeated timestamps, malformed lines, with the reason), report.json.`,
  flags: HELP_FLAGS,
  examples: [
    "deno task ingest gwa --input ~/traces/bitbrains/Rnd",
  ],
});

/**
 * Runs the GWA ingest.
 * @param args command-line arguments after `gwa`
 * @returns the exit code: 0 done, 1 bad input, 2 bad usage
 */
export function main(args: string[]): Promise<number> {
  return runIngestTask(args, {
    source: "gwa",
    usage: USAGE,
    schema: GwaIngestConfig,
    configFlags: ["utc-offset-hours"],
    run: async ({ input, output, config, created, progress }) =>
      (await ingestGwa(input, output, { config, created, ...progressHooks(progress) })).report,
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
