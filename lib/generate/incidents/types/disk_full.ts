/**
 * `disk_full`: a database volume fills up (runaway logging, a forgotten dump, bloat); writes fail, and the
 * engine may crash and restart once space is freed.
 * @module
 */
import { dependents, EXPOSED_SERVICES } from "../catalog.ts";
import { databaseServers } from "../fleet.ts";
import { type IncidentType, present } from "./_common.ts";

/** A full disk on a database server. */
export const diskFull: IncidentType = {
  name: "disk_full",
  description: "a database volume fills up; writes fail until space is freed",
  severity: [0.15, 0.35, 0.35, 0.15],
  durations: { detect: [5, 60], mitigate: [10, 90], resolve: [15, 240] },
  detection: { monitoring_alert: 0.6, log_alert: 0.25, customer_report: 0.15 },
  available: (fleet) => databaseServers(fleet).length > 0,
  draw(rng, fleet, severity) {
    const db = rng.pick(databaseServers(fleet));
    const services = present(fleet, dependents(db.app));
    const culprit = rng.pick([
      {
        text: "verbose statement logging left on after a debugging session",
        fix: "turned statement logging back off and rotated the logs",
      },
      { text: "a forgotten 300 GB dump in the data volume", fix: "moved the dump to cold storage" },
      {
        text: "table bloat after a failed bulk delete",
        fix: "ran a rebuild of the bloated tables in a maintenance window",
      },
    ]);
    const customerFacing = severity <= 2 && services.some((s) => EXPOSED_SERVICES.has(s));
    return {
      root: db.app,
      service: db.app,
      services,
      servers: [db.id],
      customerFacing,
      facts: {
        host: db.host,
        mount: "/var/lib/" + (db.engine === "postgresql" ? "postgresql" : db.engine),
        culprit: culprit.text,
      },
      metrics: [
        {
          table: "capacity",
          targets: [db.id],
          shape: "memory_leak",
          metrics: ["disk_p95"],
          params: { target: [0.97, 1] },
        },
        ...(customerFacing
          ? [{
            table: "service" as const,
            targets: services.filter((s) => s !== db.app).slice(0, 3),
            shape: "incident",
            metrics: ["error_rate_pct", "latency_ms"],
            params: { error_add_pct: [10, 40], latency_factor: [1.5, 2.5] },
          }]
          : []),
      ],
      cloudfront: customerFacing
        ? {
          services: services.filter((s) => s !== db.app),
          failShare: rng.uniform(0.1, 0.35),
          statuses: [[500, 0.7], [503, 0.3]],
          detailed: {},
          latencyFactor: rng.uniform(1.2, 2),
          extraRate: 0,
        }
        : undefined,
      db: { server: db.id, engine: db.engine!, patterns: ["disk_full"], perMinute: 4 },
      words: {
        category: "Infrastructure",
        subcategory: "Storage",
        symptom: `writes failing on ${db.host}: no space left on device`,
        cause: culprit.text,
        fix: culprit.fix + " and grew the volume by 50%",
        mitigation: `freed space on ${db.host} by removing old archived logs`,
      },
    };
  },
};
