/**
 * The gwa kind: a real public dataset ingested into `data/processed/` (`SOURCE` below says where it comes from and
 * its licence). Validated and reported generically; its columns are documented in `./columns.ts`.
 * @module
 */
import { GwaIngestConfig } from "@lib/ingest/gwa/config.ts";
import type { KindDescriptor, SourceInfo } from "../registry.ts";
import { GWA_COLUMN_DOCS } from "./columns.ts";

/** Where the gwa data comes from. */
const SOURCE: SourceInfo = {
  id: "gwa",
  title: 'GWA-T-12 Bitbrains VM traces ("Rnd" subset), Grid Workloads Archive, TU Delft',
  summary: "GWA-T-12 VM traces (Bitbrains fastStorage / Rnd folders)",
  task: "tasks/ingest_gwa.ts",
  url: "http://gwa.ewi.tudelft.nl/datasets/gwa-t-12-bitbrains",
  license: "GWA trace terms (cite the paper below); hosting repository BSD-2-Clause",
  modality: "metrics",
  name: "bitbrains",
  repository: "github JessieRayeBauer/Time-Series-Forecasting- (path rnd/<month>/<vm>.csv)",
  commit: "0901a0da3024507c7732c782621e590077abca64",
  citation:
    'Siqi Shen, Vincent van Beek, Alexandru Iosup, "Statistical Characterization of Business-Critical Workloads Hosted in Cloud Datacenters", 15th IEEE/ACM CCGrid, 2015',
};

/** The gwa kind's descriptor. */
export const gwa: KindDescriptor = {
  kind: "gwa",
  origin: "ingested",
  description: SOURCE.title,
  primary: "hourly",
  columns: GWA_COLUMN_DOCS,
  config: GwaIngestConfig,
  task: SOURCE.task,
  sources: [SOURCE],
};
