import { resolveConfig } from "@lib/config/mod.ts";
import type { Manifest } from "@lib/lake/mod.ts";
import { commitIngest, type IngestProgressHooks, type IngestReport } from "../common/mod.ts";
import { ingestSource, sourceDatasetName } from "../sources.ts";
import { NabIngestConfig } from "./config.ts";
import { type NabProcessed, processNab } from "./process.ts";
import { type NabData, readNab } from "./read.ts";

/** Options of {@linkcode ingestNab}. */
export interface IngestNabOptions extends IngestProgressHooks {
  /** The ingest config (snake_case keys, validated; missing keys take their defaults). @default {} */
  config?: Partial<NabIngestConfig>;
  /** The creation time in the manifest. @default now */
  created?: Date;
}

/** What {@linkcode ingestNab} read, derived and wrote. */
export interface NabIngest {
  /** The manifest written. */
  manifest: Manifest;
  /** The report (also `report.json` and the manifest's `stats`). */
  report: IngestReport;
  /** The frames read. */
  data: NabData;
  /** The frames derived. */
  processed: NabProcessed;
}

/**
 * Reads a NAB folder, derives the hourly feature table and writes the dataset atomically: `hourly` (primary),
 * `series` (clean points with labels), `windows`, `labels`, `series_info`, `quarantine`, `report.json`, the
 * licence under `source/`, and a manifest with lineage (SHA-256 of every raw file).
 * @param input the NAB folder
 * @param output the dataset folder
 * @param options config and creation time
 * @returns manifest, report and frames
 * @throws {ConfigError} for a bad config (one line); the errors of {@linkcode readNab}
 */
export async function ingestNab(input: string, output: string, options: IngestNabOptions = {}): Promise<NabIngest> {
  const config = resolveConfig(NabIngestConfig, { flags: options.config ?? {}, what: "nab ingest" });
  const data = await readNab(input, {
    select: config.select,
    timezone: config.timezone,
    duplicates: config.duplicates,
    outOfOrder: config.out_of_order,
    ...(options.onFile ? { onFile: options.onFile } : {}),
  });
  options.onStep?.("processing");
  const processed = processNab(data, {
    every: config.every,
    agg: config.agg,
    fill: config.fill,
    maxFill: config.max_fill,
    windows: config.windows,
    trainRatio: config.train_ratio,
    splitScope: config.split_scope,
    splitGap: config.split_gap,
  });
  const src = ingestSource("nab");
  options.onStep?.("writing");
  const manifest = await commitIngest(output, {
    name: sourceDatasetName("nab"),
    kind: "nab",
    generator: { name: "opslab/ingest/nab", version: "1" },
    tables: {
      hourly: processed.hourly,
      series: processed.points,
      windows: data.windows,
      labels: data.points,
      series_info: data.info,
      quarantine: data.quarantine,
    },
    primary: "hourly",
    report: processed.report,
    config,
    inputRoot: input,
    inputs: data.inputs,
    source: { name: `kaggle:${src.kaggle}`, url: src.url, license: data.license ?? src.license },
    docs: data.docs,
    classification: "public",
  }, options.created === undefined ? {} : { created: options.created });
  return { manifest, report: processed.report, data, processed };
}
