/**
 * MSP service-desk dataset: six linked tables (clients, technicians, tickets, sla_metrics,
 * service_delivery_daily, technician_productivity) from a seeded, deterministic simulation of a managed-service
 * provider's desk; the validation engine checks them (`validateMspTables`) before they are committed.
 *
 * Tickets arrive by business hours and weekdays with incident bursts; a desk simulation triages, assigns and
 * works them with technician skills and queues; SLA outcomes and every derived metric are computed from the ticket
 * timestamps with Polars expressions, so the tables agree with each other (see {@linkcode validateMspTables}).
 *
 * @example
 * ```ts ignore
 * import { generateMsp, MspConfig, validateMspTables } from "@lib/generate/msp/mod.ts";
 * const { tables } = generateMsp(MspConfig.parse({ clients: 10, technicians: 4, end: "2024-03-31" }));
 * const failed = validateMspTables(tables).filter((r) => !r.passed);
 * ```
 * @module
 */
export { MspConfig, mspConfigJsonSchema } from "./config.ts";
export {
  deskClients,
  deskTechnicians,
  generateMsp,
  type GenerateMspOptions,
  type MspDataset,
  mspPeriod,
  mspStats,
  type MspTables,
} from "./generate.ts";
export {
  mergeMspShards,
  type MergeMspShardsOptions,
  type MergeMspShardsResult,
  MSP_GENERATOR,
  writeMspDataset,
  type WriteMspDatasetOptions,
  type WriteMspDatasetResult,
  writeMspShard,
  type WriteMspShardOptions,
} from "./shard.ts";
export { type Burst, burstsFromIncidents, synthesizeBursts } from "./bursts.ts";
export {
  deriveClientActivity,
  deriveMspTables,
  deriveServiceDeliveryDaily,
  deriveSlaMetrics,
  deriveTechnicianProductivity,
  deriveTickets,
  type MspDerived,
  type MspPeriod,
  slaPolicyFrame,
} from "@lib/schema/msp/derive.ts";
export {
  businessSeconds,
  businessSecondsExpr,
  fromBusinessSeconds,
  fromBusinessSecondsExpr,
  isBusinessTime,
} from "@lib/calendar/business_hours.ts";
export * from "@lib/schema/msp/tables.ts";
// The MSP rules run in the validation engine (lib/validate/kinds/msp.ts); re-exported for the generator's users.
export { type CheckMspOptions, type CheckResult, validateMspTables } from "@lib/validate/mod.ts";
