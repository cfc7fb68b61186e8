/**
 * The msp kind: linked MSP service-desk tables (clients, technicians, tickets, SLA metrics, daily delivery and
 * monthly technician productivity).
 * @module
 */
import { MspConfig } from "@lib/generate/msp/config.ts";
import { MSP_REPLAY } from "@lib/stream/source.ts";
import { mspKind } from "@lib/validate/kinds/mod.ts";
import { MSP_PROFILE } from "@lib/report/kinds.ts";
import type { KindDescriptor } from "../registry.ts";
import { MSP_COLUMN_DOCS } from "./columns.ts";

/** The msp kind's descriptor. */
export const msp: KindDescriptor = {
  kind: "msp",
  origin: "generated",
  description: mspKind.description,
  primary: "tickets",
  columns: MSP_COLUMN_DOCS,
  config: MspConfig,
  task: "tasks/generate_msp.ts",
  validation: mspKind,
  replay: MSP_REPLAY,
  report: MSP_PROFILE,
};
