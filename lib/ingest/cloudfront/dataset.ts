import type pl from "nodejs-polars";
import { basename, dirname, join } from "node:path";
import { resolveConfig } from "@lib/config/mod.ts";
import type { Manifest } from "@lib/lake/mod.ts";
import { commitIngest, type IngestProgressHooks, type IngestReport } from "../common/mod.ts";
import { ingestSource, sourceDatasetName } from "../sources.ts";
import { CloudFrontIngestConfig } from "./config.ts";
import type { CloudFrontProcessed } from "./process.ts";
import { spillCloudFrontLogs } from "./read.ts";
import { writeCloudFrontTables } from "./write.ts";

/** Options of {@linkcode ingestCloudFront}. */
export interface IngestCloudFrontOptions extends IngestProgressHooks {
  /** The ingest config (snake_case keys, validated; missing keys take their defaults). @default {} */
  config?: Partial<CloudFrontIngestConfig>;
  /** The creation time in the manifest. @default now */
  created?: Date;
}

/** What {@linkcode ingestCloudFront} wrote and derived. */
export interface CloudFrontIngest {
  /** The manifest written. */
  manifest: Manifest;
  /** The report. */
  report: IngestReport;
  /** Lines set aside, with the reason. */
  quarantine: pl.DataFrame;
  /** The derived tables that are small enough to hold: traffic and incidents (requests stay on disk). */
  processed: Omit<CloudFrontProcessed, "requests">;
}

/**
 * Reads a folder of CloudFront logs, derives traffic and incidents and writes the dataset atomically:
 * `requests` (primary, anonymized), `traffic`, `incidents`, `quarantine`, `report.json`, licence/readme under
 * `source/`, and a manifest with lineage. The address salt is recorded as `<set>`, never its value.
 *
 * Memory stays bounded whatever the input size: checked rows go to Parquet batches in a scratch folder beside the
 * output ({@linkcode spillCloudFrontLogs}), and are sorted and reduced a time range at a time
 * ({@linkcode writeCloudFrontTables}); the scratch folder is removed at the end, whatever happens.
 * @param input the log folder
 * @param output the dataset folder
 * @param options config, creation time, progress
 * @returns manifest, report and the small derived frames
 */
export async function ingestCloudFront(
  input: string,
  output: string,
  options: IngestCloudFrontOptions = {},
): Promise<CloudFrontIngest> {
  const config = resolveConfig(CloudFrontIngestConfig, { flags: options.config ?? {}, what: "cloudfront ingest" });
  await Deno.mkdir(dirname(output), { recursive: true });
  // Named like commitDataset's temporary folders, so tools that find leftovers of killed runs find this one too.
  const scratch = await Deno.makeTempDir({ dir: dirname(output), prefix: `.${basename(output)}.tmp-${Deno.pid}-` });
  try {
    const batches = join(scratch, "batches");
    await Deno.mkdir(batches);
    const data = await spillCloudFrontLogs(input, batches, {
      ipMode: config.ip_mode,
      ipSalt: config.ip_salt,
      onUnreadable: config.on_unreadable,
      ...(options.onFile ? { onFile: options.onFile } : {}),
    });
    options.onStep?.("windows, traffic and incidents");
    const tables = await writeCloudFrontTables(data, scratch, {
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
    await Deno.remove(batches, { recursive: true });
    const src = ingestSource("cloudfront");
    options.onStep?.("writing");
    const manifest = await commitIngest(output, {
      name: sourceDatasetName("cloudfront"),
      kind: "cloudfront",
      generator: { name: "opslab/ingest/cloudfront", version: "1" },
      tables: {
        requests: tables.requests,
        traffic: tables.traffic,
        incidents: tables.incidents,
        quarantine: data.quarantine,
      },
      primary: "requests",
      report: tables.report,
      // The salt is a secret: the manifest records that one was used, never its value.
      config: { ...config, ip_salt: config.ip_salt === "" ? "" : "<set>" },
      inputRoot: input,
      inputs: data.inputs,
      source: { name: `kaggle:${src.kaggle}`, url: src.url, license: data.license ?? src.license },
      docs: data.docs,
      classification: "internal",
      seed: config.seed,
    }, options.created === undefined ? {} : { created: options.created });
    return {
      manifest,
      report: tables.report,
      quarantine: data.quarantine,
      processed: { traffic: tables.traffic, incidents: tables.incidents, report: tables.report },
    };
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}
