/**
 * The nab kind: a real public dataset ingested into `data/processed/` (see `SOURCES.nab` in
 * `lib/ingest/sources.ts` for where it comes from and its licence). Validated and reported generically; its columns are documented in `./columns.ts`.
 * @module
 */
import { NabIngestConfig } from "@lib/ingest/nab/config.ts";
import { SOURCES } from "@lib/ingest/sources.ts";
import { NAB_PROFILE } from "@lib/report/kinds.ts";
import type { KindDescriptor } from "../registry.ts";
import { NAB_COLUMN_DOCS } from "./columns.ts";

/** The nab kind's descriptor. */
export const nab: KindDescriptor = {
  kind: "nab",
  origin: "ingested",
  description: SOURCES.nab.title,
  primary: "hourly",
  columns: NAB_COLUMN_DOCS,
  config: NabIngestConfig,
  task: "tasks/ingest_nab.ts",
  report: NAB_PROFILE,
};
