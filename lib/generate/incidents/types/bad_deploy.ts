/**
 * `bad_deploy`: a release of an application service brings a regression (a memory leak, an allocation storm that
 * makes the garbage collector thrash, a query without an index); errors rise until it is rolled back.
 * @module
 */
import { EXPOSED_SERVICES, SERVICE_BY_NAME } from "../catalog.ts";
import { hours, type IncidentType, present, serversOf, version } from "./_common.ts";

const TARGETS = [
  "orders-api",
  "payments-api",
  "search-svc",
  "inventory-svc",
  "auth-svc",
  "billing-svc",
  "storefront",
  "customer-portal",
];

/** A bad deploy. */
export const badDeploy: IncidentType = {
  name: "bad_deploy",
  description: "a release brings a regression (memory leak, GC thrash, unindexed query) until rolled back",
  severity: [0.1, 0.3, 0.4, 0.2],
  startHours: hours(13, 21, { outside: 0.05 }),
  durations: { detect: [3, 45], mitigate: [10, 60], resolve: [15, 180] },
  detection: { monitoring_alert: 0.6, customer_report: 0.25, log_alert: 0.15 },
  available: (fleet) => present(fleet, TARGETS).length > 0,
  draw(rng, fleet, severity) {
    const service = rng.pick(present(fleet, TARGETS));
    const servers = serversOf(fleet, [service]);
    const from = version(rng);
    const [maj, min, patch] = from.split(".").map(Number);
    const to = `${maj}.${min}.${patch + 1}`;
    const flavor = rng.pick(["memory_leak", "gc_sawtooth", "slow_query"] as const);
    const db = (SERVICE_BY_NAME.get(service)?.dependsOn ?? [])
      .map((d) => fleet.byApp.get(d)?.[0])
      .find((s) => s?.engine !== undefined);
    const shape = flavor === "memory_leak" ? "memory_leak" : "gc_sawtooth";
    const cause = {
      memory_leak: `a cache in release ${to} that never evicted entries, leaking memory until the pods were OOM-killed`,
      gc_sawtooth: `an allocation-heavy serializer in release ${to} that made the garbage collector thrash`,
      slow_query: `a new query in release ${to} without a supporting index`,
    }[flavor];
    return {
      root: service,
      service,
      services: present(fleet, [service]),
      servers: [...servers, ...(flavor === "slow_query" && db ? [db.id] : [])],
      customerFacing: severity <= 3 && EXPOSED_SERVICES.has(service),
      facts: { from_version: from, to_version: to, change: `CHG${rng.int(100000, 999999)}`, flavor },
      metrics: [
        {
          table: "capacity",
          targets: servers,
          shape,
          metrics: shape === "memory_leak" ? ["mem_p95"] : ["mem_p95", "cpu_p95"],
          params: {},
        },
        {
          table: "service",
          targets: [service],
          shape: "incident",
          metrics: ["latency_ms", "error_rate_pct", "throughput_rps"],
          params: { error_add_pct: [[25, 40], [10, 25], [4, 10], [1, 4]][severity - 1], throughput_drop: [0.05, 0.3] },
        },
      ],
      cloudfront: {
        services: [service],
        failShare: [0.6, 0.3, 0.1, 0.04][severity - 1],
        statuses: [[500, 0.75], [502, 0.15], [503, 0.1]],
        detailed: { 502: "OriginCommError" },
        latencyFactor: rng.uniform(1.3, 3),
        extraRate: 0,
      },
      db: flavor === "slow_query" && db
        ? { server: db.id, engine: db.engine!, patterns: ["slow_queries"], perMinute: 8 }
        : undefined,
      words: {
        category: "Application",
        subcategory: "Release regression",
        symptom: `${service} errors rising after the deploy of ${to}`,
        cause,
        fix: `shipped ${maj}.${min}.${patch + 2} with the fix after the rollback`,
        mitigation: `rolled ${service} back to ${from}`,
      },
    };
  },
};
