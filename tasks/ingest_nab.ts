/**
 * `deno task ingest nab [--input DIR] [flags]`: the Numenta Anomaly Benchmark into
 * `data/processed/metrics/nab/` (hourly features with labels and split, clean points, windows, per-series facts,
 * quarantine, report).
 * @module
 */
import { runIngestTask } from "@lib/ingest/common/mod.ts";
import { ingestNab, NabIngestConfig } from "@lib/ingest/nab/mod.ts";

const USAGE = `Usage: deno task ingest nab [--input DIR] [flags]

Reads a NAB-layout folder (data/<category>/<name>.csv + labels/combined_windows.json, or the Kaggle copy) and
writes data/processed/metrics/nab/: hourly.parquet (series_id, timestamp, value, rolling features, is_anomaly,
split), series.parquet (clean points), windows.parquet, series_info.parquet, quarantine.parquet, report.json.

Flags:
  --input DIR          NAB folder (default data/raw/metrics/nab)
  --output DIR         dataset folder (default data/processed/metrics/nab)
  --overwrite          replace the dataset at --output (only one of this source)
  --lake DIR           lake root for the defaults (default data)
  --config FILE        JSON/YAML config (keys below in snake_case); env OPSLAB_INGEST_NAB_<KEY> overrides
  --select LIST        "all", categories or <category>/<name>.csv keys, comma-separated (default realAWSCloudwatch)
  --timezone TZ        zone the timestamps are written in (default UTC)
  --duplicates P       keep the first or last of rows sharing a timestamp (default first)
  --out-of-order P     sort late rows into place, or quarantine them (default sort)
  --every D            resampling interval (default 1h)
  --agg A              mean | max | min | sum | median | p95 | last (default mean)
  --fill F             none | forward | linear gap filling (default linear)
  --max-fill N         longest run of empty buckets filled (default 3)
  --windows LIST       rolling windows in buckets (default 24,168)
  --train-ratio R      share of each series for training (default 0.7)
  --split-scope S      series | global boundary (default series)
  --split-gap D        embargo after the boundary (default 0h)
  --stats              print rows, seconds and peak RSS as JSON on a last stdout line
  -h, --help           this text`;

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
    run: async (input, output, config, created) => (await ingestNab(input, output, { config, created })).report,
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
