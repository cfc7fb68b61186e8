/**
 * The gwa kind: a real public dataset ingested into `data/processed/` (see `SOURCES.gwa` in
 * `lib/ingest/sources.ts` for where it comes from and its licence). Validated and reported generically; its columns are documented in `./columns.ts`.
 * @module
 */
import { GwaIngestConfig } from "@lib/ingest/gwa/config.ts";
import { SOURCES } from "@lib/ingest/sources.ts";
import type { KindDescriptor } from "../registry.ts";
import { GWA_COLUMN_DOCS } from "./columns.ts";

/** The gwa kind's descriptor. */
export const gwa: KindDescriptor = {
  kind: "gwa",
  origin: "ingested",
  description: SOURCES.gwa.title,
  primary: "hourly",
  columns: GWA_COLUMN_DOCS,
  config: GwaIngestConfig,
  task: "tasks/ingest_gwa.ts",
};
