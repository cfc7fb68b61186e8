/**
 * The incidents kind: one seeded incident timeline told by metrics, database logs, CloudFront logs, e-mails and
 * tickets, with the ground truth (`incidents`) and per-line labels. Validated generically (against the dtypes its
 * manifest records), reported generically.
 * @module
 */
import { IncidentsConfig } from "@lib/generate/incidents/config.ts";
import { INCIDENTS_PROFILE } from "@lib/report/kinds.ts";
import type { KindDescriptor } from "../registry.ts";
import { INCIDENTS_COLUMN_DOCS } from "./columns.ts";

/** The incidents kind's descriptor. */
export const incidents: KindDescriptor = {
  kind: "incidents",
  origin: "generated",
  description: "one incident timeline told by metrics, database logs, CloudFront logs, e-mails and ITSM tickets",
  primary: "incidents",
  columns: INCIDENTS_COLUMN_DOCS,
  config: IncidentsConfig,
  task: "tasks/generate_incidents.ts",
  report: INCIDENTS_PROFILE,
};
