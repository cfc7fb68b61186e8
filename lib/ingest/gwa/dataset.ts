import { resolveConfig } from "@lib/config/mod.ts";
import type { Manifest } from "@lib/lake/mod.ts";
import { commitIngest, type IngestProgressHooks, type IngestReport } from "../common/mod.ts";
import { ingestSource, sourceDatasetName } from "../sources.ts";
import { GwaIngestConfig } from "./config.ts";
import { type GwaData, periodP95, readGwa } from "./read.ts";

/** Options of {@linkcode ingestGwa}. */
export interface IngestGwaOptions extends IngestProgressHooks {
  /** The ingest config (snake_case keys). @default {} */
  config?: Partial<GwaIngestConfig>;
  /** The creation time in the manifest. @default now */
  created?: Date;
}

/** What {@linkcode ingestGwa} read and wrote. */
export interface GwaIngest {
  manifest: Manifest;
  report: IngestReport;
  data: GwaData;
}

/**
 * Reads a GWA-T-12 trace folder and writes `data/processed/metrics/bitbrains`: `hourly` (primary: hourly P95 per
 * VM-month), `daily` (daily P95 of the 5-minute samples per VM-month), `samples` (clean 5-minute rows), `quarantine`, `report.json`, the licence under `source/`, and a
 * manifest naming the trace, its hosting repository and commit, and the citation the GWA terms ask for.
 * @param input the trace folder, e.g. `../shared/real/bitbrains_rnd`
 * @param output the dataset folder
 * @param options config and creation time
 * @returns manifest, report and frames
 */
export async function ingestGwa(input: string, output: string, options: IngestGwaOptions = {}): Promise<GwaIngest> {
  const config = resolveConfig(GwaIngestConfig, { flags: options.config ?? {}, what: "gwa ingest" });
  const data = await readGwa(input, options.onFile ? { onFile: options.onFile } : {});
  options.onStep?.("hourly and daily P95");
  const hourly = periodP95(data.samples, "1h");
  const daily = periodP95(data.samples, "1d");
  const report: IngestReport = {
    ...data.report,
    preprocessing: {
      ...data.report.preprocessing,
      hourly_rows: hourly.height,
      hourly_agg: "p95",
      daily_rows: daily.height,
      daily_agg: "p95",
    },
  };
  const src = ingestSource("gwa");
  options.onStep?.("writing");
  const manifest = await commitIngest(output, {
    name: sourceDatasetName("gwa"),
    kind: "gwa",
    generator: { name: "opslab/ingest/gwa", version: "1" },
    tables: { hourly, daily, samples: data.samples, quarantine: data.quarantine },
    primary: "hourly",
    report,
    config,
    inputRoot: input,
    inputs: data.inputs,
    source: {
      name: src.title,
      url: src.url,
      license: src.license,
      ...(src.repository ? { repository: src.repository } : {}),
      ...(src.commit ? { commit: src.commit } : {}),
      ...(src.citation ? { citation: src.citation } : {}),
    },
    docs: data.docs,
    classification: "public",
  }, options.created === undefined ? {} : { created: options.created });
  return { manifest, report, data };
}
