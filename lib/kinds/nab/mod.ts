/**
 * The nab kind: a real public dataset ingested into `data/processed/` (see `SOURCES.nab` in
 * `lib/ingest/sources.ts` for where it comes from and its licence). Validated and reported generically.
 * @module
 */
import { NabIngestConfig } from "@lib/ingest/nab/config.ts";
import { SOURCES } from "@lib/ingest/sources.ts";
import type { KindDescriptor } from "../registry.ts";

/** The nab kind's descriptor. */
export const nab: KindDescriptor = {
  kind: "nab",
  origin: "ingested",
  description: SOURCES.nab.title,
  primary: "hourly",
  config: NabIngestConfig,
  task: "tasks/ingest_nab.ts",
};
