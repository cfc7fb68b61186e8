/**
 * `deno task ingest cloudfront [--input DIR] [flags]`: CloudFront standard logs into
 * `data/processed/logs/cloudfront/` (anonymized requests, per-minute traffic, incident windows, quarantine, report).
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import { type FlagSpec, helpText } from "@lib/cli/args.ts";
import { progressHooks, runIngestTask } from "@lib/ingest/common/mod.ts";
import { CloudFrontIngestConfig, ingestCloudFront } from "@lib/ingest/cloudfront/mod.ts";

const HELP_FLAGS: Record<string, FlagSpec> = {
  input: { type: "string", arg: "DIR", help: "log folder (default data/raw/logs/cloudfront)" },
  output: { type: "string", arg: "DIR", help: "dataset folder (default data/processed/logs/cloudfront)" },
  overwrite: { type: "boolean", help: "replace the dataset at --output (only one of this source)" },
  lake: { type: "string", arg: "DIR", help: "lake root for the defaults (default data)" },
  config: {
    type: "string",
    arg: "FILE",
    help: "JSON/YAML config (keys below in snake_case); env OPSLAB_INGEST_CLOUDFRONT_<KEY> overrides",
  },
  "ip-mode": { type: "string", arg: "M", help: "truncate (/24, /48) | hash (default truncate)" },
  "ip-salt": {
    type: "string",
    arg: "S",
    help: "secret salt for --ip-mode hash (better: env OPSLAB_INGEST_CLOUDFRONT_IP_SALT)",
  },
  "on-unreadable": { type: "string", arg: "P", help: "error | skip a file that cannot be decoded (default error)" },
  window: { type: "string", arg: "D", help: "window length (default 7d)" },
  "sample-windows": { type: "string", arg: "N", help: "traffic and incidents for N seeded windows only (default all)" },
  seed: { type: "string", arg: "S", help: "seed of the window sample (default 0)" },
  every: { type: "string", arg: "D", help: "traffic bucket (default 1m)" },
  "incident-window": { type: "string", arg: "N", help: "rolling window of the incident rules, in buckets (default 5)" },
  "min-requests": { type: "string", arg: "N", help: "requests a window needs to raise an incident (default 20)" },
  "threshold-5xx": { type: "string", arg: "R", help: "5xx rate threshold, null to turn off (default 0.05)" },
  "threshold-4xx": { type: "string", arg: "R", help: "4xx rate threshold (default null: off)" },
  "threshold-p95": { type: "string", arg: "S", help: "p95 time-taken threshold in seconds (default 1)" },
  "merge-gap": { type: "string", arg: "N", help: "quiet buckets bridged between incident runs (default 2)" },
  stats: { type: "boolean", help: "print rows, seconds and peak RSS as JSON on a last stdout line" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

const USAGE = helpText("deno task ingest cloudfront [--input DIR] [flags]", {
  description:
    `Reads every CloudFront standard log under a folder (gzipped or plain; 12, 19, 24, 26 or 33 fields, as each
file's #Fields header says) and writes data/processed/logs/cloudfront/: requests.parquet (anonymized, cookies
dropped, sorted by time), traffic.parquet (per-minute series per window), incidents.parquet, quarantine.parquet,
report.json.`,
  flags: HELP_FLAGS,
  examples: [
    "deno task ingest cloudfront",
    "deno task ingest cloudfront --input ~/logs/cloudfront --sample-windows 4 --seed 7",
  ],
});

const CONFIG_FLAGS = [
  "ip-mode",
  "ip-salt",
  "on-unreadable",
  "window",
  "sample-windows",
  "seed",
  "every",
  "incident-window",
  "min-requests",
  "threshold-5xx",
  "threshold-4xx",
  "threshold-p95",
  "merge-gap",
] as const;

/**
 * Runs the CloudFront ingest.
 * @param args command-line arguments after `cloudfront`
 * @returns the exit code: 0 done, 1 bad input, 2 bad usage
 */
export function main(args: string[]): Promise<number> {
  return runIngestTask(args, {
    source: "cloudfront",
    usage: USAGE,
    schema: CloudFrontIngestConfig,
    configFlags: CONFIG_FLAGS,
    // The task's display: files read, then the analysis (windows, traffic, incidents) while the elapsed time moves.
    run: async ({ input, output, config, created, progress }) =>
      (await ingestCloudFront(input, output, { config, created, ...progressHooks(progress) })).report,
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
