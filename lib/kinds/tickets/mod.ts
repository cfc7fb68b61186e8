/**
 * The tickets kind: a real public dataset ingested into `data/processed/` (see `SOURCES.tickets` in
 * `lib/ingest/sources.ts` for where it comes from and its licence). Validated and reported generically; its columns are documented in `./columns.ts`.
 * @module
 */
import { TicketsIngestConfig } from "@lib/ingest/tickets/config.ts";
import { SOURCES } from "@lib/ingest/sources.ts";
import { TICKETS_PROFILE } from "@lib/report/kinds.ts";
import type { KindDescriptor } from "../registry.ts";
import { TICKETS_COLUMN_DOCS } from "./columns.ts";

/** The tickets kind's descriptor. */
export const tickets: KindDescriptor = {
  kind: "tickets",
  origin: "ingested",
  description: SOURCES.tickets.title,
  primary: "tickets",
  columns: TICKETS_COLUMN_DOCS,
  config: TicketsIngestConfig,
  task: "tasks/ingest_tickets.ts",
  report: TICKETS_PROFILE,
};
