/**
 * `deno task ingest nab [--input DIR] [flags]`: the Numenta Anomaly Benchmark into
 * `data/processed/metrics/nab/` (hourly features with labels and split, clean points, windows, per-series facts,
 * quarantine, report).
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import { type FlagSpec, helpText } from "@lib/cli/args.ts";
import { progressHooks, runIngestTask } from "@lib/ingest/common/mod.ts";
import { ingestNab, NabIngestConfig } from "@lib/ingest/nab/mod.ts";

const HELP_FLAGS: Record<string, FlagSpec> = {
  input: { type: "string", arg: "DIR", help: "NAB folder (default data/raw/metrics/nab)" },
  output: { type: "string", arg: "DIR", help: "dataset folder (default data/processed/metrics/nab)" },
  overwrite: { type: "boolean", help: "replace the dataset at --output (only one of this source)" },
  lake: { type: "string", arg: "DIR", help: "lake root for the defaults (default data)" },
  config: {
    type: "string",
    arg: "FILE",
    help: "JSON/YAML config (keys below in snake_case); env OPSLAB_INGEST_NAB_<KEY> overrides",
  },
  select: {
    type: "string",
    arg: "LIST",
    help: `"all", categories or <category>/<name>.csv keys, comma-separated (default realAWSCloudwatch)`,
  },
  timezone: { type: "string", arg: "TZ", help: "zone the timestamps are written in (default UTC)" },
  duplicates: { type: "string", arg: "P", help: "keep the first or last of rows sharing a timestamp (default first)" },
  "out-of-order": { type: "string", arg: "P", help: "sort late rows into place, or quarantine them (default sort)" },
  every: { type: "string", arg: "D", help: "resampling interval (default 1h)" },
  agg: { type: "string", arg: "A", help: "mean | max | min | sum | median | p95 | last (default mean)" },
  fill: { type: "string", arg: "F", help: "none | forward | linear gap filling (default linear)" },
  "max-fill": { type: "string", arg: "N", help: "longest run of empty buckets filled (default 3)" },
  windows: { type: "string", arg: "LIST", help: "rolling windows in buckets (default 24,168)" },
  "train-ratio": { type: "string", arg: "R", help: "share of each series for training (default 0.7)" },
  "split-scope": { type: "string", arg: "S", help: "series | global boundary (default series)" },
  "split-gap": { type: "string", arg: "D", help: "embargo after the boundary (default 0h)" },
  stats: { type: "boolean", help: "print rows, seconds and peak RSS as JSON on a last stdout line" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

const USAGE = helpText("deno task ingest nab [--input DIR] [flags]", {
  description:
    `Reads a NAB-layout folder (data/<category>/<name>.csv + labels/combined_windows.json, or the Kaggle copy) and
writes data/processed/metrics/nab/: hourly.parquet (series_id, timestamp, value, rolling features, is_anomaly,
split), series.parquet (clean points), windows.parquet, series_info.parquet, quarantine.parquet, report.json.`,
  flags: HELP_FLAGS,
  examples: [
    "deno task ingest nab",
    "deno task ingest nab --input ~/Downloads/NAB --select realKnownCause --every 5m",
  ],
});

const CONFIG_FLAGS = [
  "select",
  "timezone",
  "duplicates",
  "out-of-order",
  "every",
  "agg",
  "fill",
  "max-fill",
  "windows",
  "train-ratio",
  "split-scope",
  "split-gap",
] as const;

/**
 * Runs the NAB ingest.
 * @param args command-line arguments after `nab`
 * @returns the exit code: 0 done, 1 bad input, 2 bad usage
 */
export function main(args: string[]): Promise<number> {
  return runIngestTask(args, {
    source: "nab",
    usage: USAGE,
    schema: NabIngestConfig,
    configFlags: CONFIG_FLAGS,
    listFlags: ["select", "windows"],
    run: async ({ input, output, config, created, progress }) =>
      (await ingestNab(input, output, { config, created, ...progressHooks(progress) })).report,
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
