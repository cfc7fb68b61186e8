/**
 * Column roles: which column is the entity, the time, each metric (by a short role name such as `cpu`) and the
 * anomaly label. Roles make any dataset comparable with any other: `--metric cpu=cpu_usage_pct` maps an
 * ingested real table onto the same roles a synthetic one has.
 */

/** How a dataset's columns map onto fidelity roles. */
export interface FidelityRoles {
  /** The entity column (server, VM-month, series). */
  entity: string;
  /** The timestamp column (Datetime or Date). */
  time: string;
  /** Metric role to column, e.g. `{ cpu: "cpu_p95" }`. */
  metrics: Record<string, string>;
  /** A Boolean anomaly-label column, for labelled data. */
  label?: string;
  /** Hours added to UTC for the calendar statistics (weekend, hour of week). @default 0 */
  utcOffsetHours?: number;
}

/** What a metric role is: its physical bounds and whether it counts events (requests, bytes). */
export interface RoleTraits {
  /** Lower and upper bound of the values; a share of values sitting on them is measured. */
  bounds: [number | null, number | null];
  /** A count or rate series, whose median step / median level is measured. */
  count: boolean;
}

/** Traits of the known roles; other role names have no bounds and are not counts. */
export const ROLE_TRAITS: Readonly<Record<string, RoleTraits>> = {
  cpu: { bounds: [0, 100], count: false },
  mem: { bounds: [0, 100], count: false },
  disk: { bounds: [0, 100], count: false },
  net: { bounds: [0, null], count: true },
  net_out: { bounds: [0, null], count: true },
  latency: { bounds: [0, null], count: false },
  errors: { bounds: [0, 100], count: false },
  throughput: { bounds: [0, null], count: true },
};

/**
 * The traits of a role.
 * @param role the role name
 * @returns its traits (no bounds, not a count for unknown roles)
 */
export function roleTraits(role: string): RoleTraits {
  return ROLE_TRAITS[role] ?? { bounds: [null, null], count: false };
}

/** Default roles per dataset kind (manifest `kind`). */
export const DEFAULT_ROLES: Readonly<Record<string, FidelityRoles>> = {
  capacity: {
    entity: "server_id",
    time: "timestamp",
    metrics: { cpu: "cpu_p95", mem: "mem_p95", disk: "disk_p95", net: "net_in_p95" },
  },
  anomalies: {
    entity: "series_id",
    time: "timestamp",
    metrics: { latency: "latency_ms", errors: "error_rate_pct", throughput: "throughput_rps" },
    label: "is_anomaly",
  },
  gwa: {
    entity: "vm_month",
    time: "timestamp",
    metrics: { cpu: "cpu_pct", mem: "mem_pct", net: "net_in_kbps" },
  },
  nab: { entity: "series_id", time: "timestamp", metrics: { value: "value" }, label: "is_anomaly" },
};

/**
 * The roles of a dataset: the kind's defaults with the given overrides on top (a metric override replaces the
 * kind's whole metric map, so `--metric cpu=x` profiles only `cpu`).
 * @param kind the dataset kind
 * @param overrides roles given by the caller
 * @returns the roles
 * @throws {RangeError} when neither the kind nor the overrides give an entity, a time and a metric
 * @example
 * ```ts
 * import { resolveRoles } from "@lib/fidelity/roles.ts";
 * resolveRoles("capacity", { metrics: { cpu: "cpu_p95" } }).metrics; // { cpu: "cpu_p95" }
 * ```
 */
export function resolveRoles(kind: string, overrides: Partial<FidelityRoles> = {}): FidelityRoles {
  const base = DEFAULT_ROLES[kind];
  const out: Partial<FidelityRoles> = {
    ...base,
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
  if (!out.entity || !out.time || !out.metrics || Object.keys(out.metrics).length === 0) {
    throw new RangeError(
      `Cannot profile kind "${kind}": no default roles, give --entity, --time and at least one --metric role=column`,
    );
  }
  return out as FidelityRoles;
}

/**
 * Parses `role=column` pairs as `--metric` gives them.
 * @param pairs e.g. `["cpu=cpu_p95", "net=net_in_p95"]`
 * @returns role to column
 * @throws {RangeError} for a pair without `=`, an empty side or a repeated role
 */
export function parseMetricRoles(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(p.trim());
    if (!m) throw new RangeError(`Cannot read --metric "${p}": expected role=column, e.g. cpu=cpu_p95`);
    if (m[1] in out) throw new RangeError(`Cannot read --metric "${p}": role "${m[1]}" given twice`);
    out[m[1]] = m[2];
  }
  return out;
}
