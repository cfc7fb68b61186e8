/**
 * One incident timeline told by every modality: a seeded timeline of incidents (vendor outages, replication lag,
 * backup failures, breach attempts, capacity spikes, bad deploys, certificate expiries, full disks) over the
 * capacity fleet is the ground truth (`incidents` table); metrics (labeled anomalies), database logs (PostgreSQL,
 * MySQL, MongoDB native formats), CloudFront access logs (33-field W3C), e-mails (RFC 5322) and ITSM tickets all
 * read it, so one `incident_id` appears consistently across them at consistent times, with background traffic
 * filling the rest. Every log line or record carries its incident (or none) in a sidecar label table.
 *
 * @example
 * ```ts
 * import { IncidentsConfig, planIncidents } from "@lib/generate/incidents/mod.ts";
 * const plan = planIncidents(IncidentsConfig.parse({ from: "2024-03-04", to: "2024-03-11", seed: 7 }));
 * console.log(plan.timeline.incidents.map((i) => `${i.id} ${i.type} SEV${i.severity}`));
 * ```
 * @module
 */
export { IncidentsConfig, type IncidentsConfigInput, MODALITIES, type Modality, period } from "./config.ts";
export { buildFleet, databaseServers, type Fleet, type FleetServer, serverIp } from "./fleet.ts";
export {
  CUSTOMERS,
  dependents,
  type Engine,
  ENGINES,
  EXPOSED_SERVICES,
  PATH_GROUPS,
  SERVICE_BY_NAME,
  SERVICES,
  VENDORS,
} from "./catalog.ts";
export {
  type CloudfrontEffect,
  type DbEffect,
  type Incident,
  INCIDENT_TYPE_NAMES,
  INCIDENT_TYPES,
  type IncidentType,
  type IncidentTypeName,
  type MetricEffect,
  type Severity,
} from "./types/mod.ts";
export { generateTimeline, incidentsFrame, type Timeline } from "./timeline.ts";
export { type IncidentPlan, planIncidents } from "./plan.ts";
export { planTickets, priorityOf, type Ticket, type TicketPlan, type TicketScope, ticketsFrame } from "./tickets.ts";
export {
  BACKGROUND_THREADS,
  type BackgroundThreadKind,
  type Email,
  emailIndexFrame,
  emlPath,
  INCIDENT_THREADS,
  type IncidentThreadKind,
  planEmails,
  renderEml,
  rfc5322Date,
} from "./emails/mod.ts";
export { contentWords, itemsNamed, openingStats, ticketTextStats } from "./text_stats.ts";
export { jaccard, type NearDuplicateResult, nearDuplicates, shingles } from "./neardup.ts";
export {
  capacityMetricChunks,
  metricAnomaliesFrame,
  type MetricAnomaly,
  type MetricChunk,
  metricServices,
  serviceMetricChunks,
} from "./metrics.ts";
export { DB_ENGINES, DB_PATTERNS, dbLogBatches, planDbEvents } from "./dblogs/mod.ts";
export {
  CLOUDFRONT_HEADER,
  CLOUDFRONT_W3C_FIELDS,
  cloudfrontBatches,
  type CloudfrontBatchOptions,
  cloudfrontEncode,
  cloudfrontFileName,
  cloudfrontModel,
} from "./cloudfront.ts";
export { LEVELS, type LogBatch } from "./batch.ts";
export { fill, wrap } from "./text.ts";
export {
  combineIncidentStats,
  GENERATOR_VERSION,
  mergeIncidentsShards,
  type ModalityStats,
  type ModalityTiming,
  writeIncidentsDataset,
  type WriteIncidentsOptions,
} from "./write.ts";
