/**
 * The incident types, by name. A new type is one file in this folder plus one line in {@linkcode INCIDENT_TYPES}.
 *
 * @example
 * ```ts
 * import { INCIDENT_TYPES } from "@lib/generate/incidents/types/mod.ts";
 * console.log(Object.keys(INCIDENT_TYPES)); // ["vendor_outage", ...]
 * ```
 * @module
 */
import type { IncidentType } from "./_common.ts";
import { vendorOutage } from "./vendor_outage.ts";
import { replicationLag } from "./replication_lag.ts";
import { backupFailure } from "./backup_failure.ts";
import { accessBreachAttempt } from "./access_breach_attempt.ts";
import { capacitySpike } from "./capacity_spike.ts";
import { badDeploy } from "./bad_deploy.ts";
import { certificateExpiry } from "./certificate_expiry.ts";
import { diskFull } from "./disk_full.ts";

export * from "./_common.ts";

/** Every incident type, keyed by its name. */
export const INCIDENT_TYPES = {
  vendor_outage: vendorOutage,
  database_replication_lag: replicationLag,
  backup_failure: backupFailure,
  access_breach_attempt: accessBreachAttempt,
  capacity_spike: capacitySpike,
  bad_deploy: badDeploy,
  certificate_expiry: certificateExpiry,
  disk_full: diskFull,
} as const satisfies Record<string, IncidentType>;

/** The name of an incident type. */
export type IncidentTypeName = keyof typeof INCIDENT_TYPES;

/** The type names, in registry order. */
export const INCIDENT_TYPE_NAMES = Object.keys(INCIDENT_TYPES) as IncidentTypeName[];
