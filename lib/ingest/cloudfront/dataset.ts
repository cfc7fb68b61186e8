import { resolveConfig } from "@lib/config/mod.ts";
import type { Manifest } from "@lib/lake/mod.ts";
import { commitIngest, type IngestReport } from "../common/mod.ts";
import { sourceDatasetName, SOURCES } from "../sources.ts";
import { CloudFrontIngestConfig } from "./config.ts";
import { type CloudFrontProcessed, processCloudFront } from "./process.ts";
import { type CloudFrontData, readCloudFrontLogs } from "./read.ts";

/** Options of {@linkcode ingestCloudFront}. */
export interface IngestCloudFrontOptions {
  /** The ingest config (snake_case keys, validated; missing keys take their defaults). @default {} */
  config?: Partial<CloudFrontIngestConfig>;
  /** The creation time in the manifest. @default now */
  created?: Date;
  /** Called after each file read. @default none */
  onFile?: (done: number, total: number) => void;
}

/** What {@linkcode ingestCloudFront} read, derived and wrote. */
export interface CloudFrontIngest {
  /** The manifest written. */
  manifest: Manifest;
  /** The report. */
  report: IngestReport;
  /** The requests read. */
  data: CloudFrontData;
  /** The traffic and incidents derived. */
  processed: CloudFrontProcessed;
}

/**
 * Reads a folder of CloudFront logs, derives traffic and incidents and writes the dataset atomically:
 * `requests` (primary, anonymized), `traffic`, `incidents`, `quarantine`, `report.json`, licence/readme under
 * `source/`, and a manifest with lineage. The address salt is recorded as `<set>`, never its value.
 * @param input the log folder
 * @param output the dataset folder
 * @param options config, creation time, progress
 * @returns manifest, report and frames
 */
export async function ingestCloudFront(
  input: string,
  output: string,
  options: IngestCloudFrontOptions = {},
): Promise<CloudFrontIngest> {
  const config = resolveConfig(CloudFrontIngestConfig, { flags: options.config ?? {}, what: "cloudfront ingest" });
  const data = await readCloudFrontLogs(input, {
    ipMode: config.ip_mode,
    ipSalt: config.ip_salt,
    onUnreadable: config.on_unreadable,
    ...(options.onFile ? { onFile: options.onFile } : {}),
  });
  const processed = processCloudFront(data, {
    window: config.window,
    sampleWindows: config.sample_windows,
    seed: config.seed,
    every: config.every,
    incidentWindow: config.incident_window,
    minRequests: config.min_requests,
    thresholds: {
      rate_5xx: config.threshold_5xx,
      rate_4xx: config.threshold_4xx,
      time_taken_p95: config.threshold_p95,
    },
    mergeGap: config.merge_gap,
  });
  const src = SOURCES.cloudfront;
  const manifest = await commitIngest(output, {
    name: sourceDatasetName("cloudfront"),
    kind: "cloudfront",
    generator: { name: "opslab/ingest/cloudfront", version: "1" },
    tables: {
      requests: processed.requests,
      traffic: processed.traffic,
      incidents: processed.incidents,
      quarantine: data.quarantine,
    },
    primary: "requests",
    report: processed.report,
    // The salt is a secret: the manifest records that one was used, never its value.
    config: { ...config, ip_salt: config.ip_salt === "" ? "" : "<set>" },
    inputRoot: input,
    inputs: data.inputs,
    source: { name: `kaggle:${src.kaggle}`, url: src.url, license: data.license ?? src.license },
    docs: data.docs,
    classification: "internal",
    seed: config.seed,
  }, options.created === undefined ? {} : { created: options.created });
  return { manifest, report: processed.report, data, processed };
}
