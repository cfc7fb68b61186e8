/**
 * `replication_lag`: a database replica falls behind its primary (long write bursts, a slow disk, a long query
 * holding replay); reads served by the replica go stale and slow.
 * @module
 */
import { dependents, EXPOSED_SERVICES } from "../catalog.ts";
import type { Fleet } from "../fleet.ts";
import { type IncidentType, present } from "./_common.ts";

function replicated(fleet: Fleet) {
  return [...fleet.byApp.values()].filter((list) => list.length >= 2 && list[0].engine !== undefined);
}

/** Replication lag on a database replica. */
export const replicationLag: IncidentType = {
  name: "database_replication_lag",
  description: "a database replica falls behind its primary; reads go stale and slow",
  severity: [0.05, 0.25, 0.45, 0.25],
  durations: { detect: [4, 40], mitigate: [15, 150], resolve: [15, 180] },
  detection: { monitoring_alert: 0.7, log_alert: 0.2, customer_report: 0.1 },
  available: (fleet) => replicated(fleet).length > 0,
  draw(rng, fleet, severity) {
    const group = rng.pick(replicated(fleet));
    const primary = group[0];
    const replica = group[1 + Math.floor(rng.next() * (group.length - 1))];
    const services = present(fleet, dependents(primary.app));
    const lag = Math.round(rng.uniform(30, 300) * [6, 3, 1.5, 1][severity - 1]);
    const customerFacing = severity <= 2 && services.some((s) => EXPOSED_SERVICES.has(s));
    return {
      root: primary.app,
      service: primary.app,
      services,
      servers: [replica.id, primary.id],
      customerFacing,
      facts: { replica: replica.host, primary: primary.host, lag_seconds: lag, engine: primary.engine! },
      metrics: [
        {
          table: "capacity",
          targets: [primary.id],
          shape: "batch_window",
          metrics: ["disk_p95", "net_out_p95"],
          params: {},
        },
        {
          table: "capacity",
          targets: [replica.id],
          shape: "level_shift",
          metrics: ["disk_p95"],
          params: { magnitude: [4, 7], up_prob: 1, recovery: 1, ramp_in: [0, 1], ramp_out: [0, 1] },
        },
        {
          table: "service",
          targets: services.filter((s) => s !== primary.app).slice(0, 3),
          shape: "incident",
          metrics: ["latency_ms", "error_rate_pct"],
          params: { latency_factor: [1.5, 3], error_add_pct: [0.5, 3] },
        },
      ],
      cloudfront: customerFacing
        ? {
          services: services.filter((s) => s !== primary.app),
          failShare: rng.uniform(0.02, 0.08),
          statuses: [[504, 0.7], [500, 0.3]],
          detailed: { 504: "OriginReadError" },
          latencyFactor: rng.uniform(1.8, 3.5),
          extraRate: 0,
        }
        : undefined,
      db: { server: replica.id, engine: replica.engine!, patterns: ["replication_lag"], perMinute: 1.5 },
      words: {
        category: "Database",
        subcategory: "Replication",
        symptom: `replica ${replica.host} lagging ${lag} seconds behind ${primary.host}`,
        cause: `a burst of bulk writes on ${primary.host} that the replica could not replay fast enough`,
        fix: `replay caught up after the bulk job was throttled and a long-running report query was cancelled`,
        mitigation: `routed read traffic for ${primary.app} back to the primary`,
      },
    };
  },
};
