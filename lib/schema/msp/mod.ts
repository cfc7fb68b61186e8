/**
 * The MSP service-desk tables, shared by the generator (`lib/generate/msp`) and the MSP API ingest
 * (`lib/ingest/msp_api`): their columns and enums, and the derivations of the SLA, daily delivery and technician
 * productivity tables from tickets, so a synced dataset and a generated one are derived by the same code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MSP_COLUMNS, slaPolicyFrame } from "@lib/schema/msp/mod.ts";
 * assert.equal(MSP_COLUMNS.tickets.ticket_id, "String");
 * assert.equal(slaPolicyFrame().height, 48);
 * ```
 * @module
 */
export * from "./tables.ts";
export {
  deriveClientActivity,
  deriveMspTables,
  deriveServiceDeliveryDaily,
  deriveSlaMetrics,
  deriveTechnicianProductivity,
  deriveTickets,
  type MspDerived,
  type MspPeriod,
  periodMonths,
  slaPolicyFrame,
} from "./derive.ts";
