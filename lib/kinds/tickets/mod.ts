/**
 * The tickets kind: a real public dataset ingested into `data/processed/` (`SOURCE` below says where it comes from and
 * its licence). Validated and reported generically; its columns are documented in `./columns.ts`.
 * @module
 */
import { TicketsIngestConfig } from "@lib/ingest/tickets/config.ts";
import { TICKETS_PROFILE } from "@lib/report/kinds.ts";
import type { KindDescriptor, SourceInfo } from "../registry.ts";
import { TICKETS_COLUMN_DOCS } from "./columns.ts";

/** Where the tickets data comes from. */
const SOURCE: SourceInfo = {
  id: "tickets",
  title: "IT support tickets labelled with type, category, urgency and impact",
  summary: "IT support tickets (CSV with a configurable column mapping)",
  task: "tasks/ingest_tickets.ts",
  kaggle: "aslanahmedov/tech-support-ticket-classification",
  url: "https://www.kaggle.com/datasets/aslanahmedov/tech-support-ticket-classification",
  license: "unknown: see the Kaggle dataset page",
  modality: "tickets",
  name: "support",
};

/** The tickets kind's descriptor. */
export const tickets: KindDescriptor = {
  kind: "tickets",
  origin: "ingested",
  description: SOURCE.title,
  primary: "tickets",
  columns: TICKETS_COLUMN_DOCS,
  config: TicketsIngestConfig,
  task: SOURCE.task,
  sources: [SOURCE],
  report: TICKETS_PROFILE,
};
