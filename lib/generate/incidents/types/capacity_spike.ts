/**
 * `capacity_spike`: a thundering herd (a flash sale, a mobile push, clients reconnecting after a blip) drives a
 * service past its capacity: requests queue, latency climbs, some get 503s; its database sees a connection storm.
 * @module
 */
import { SERVICE_BY_NAME } from "../catalog.ts";
import { type IncidentType, present, serversOf } from "./_common.ts";

const TARGETS = ["storefront", "search-svc", "orders-api", "customer-portal", "inventory-svc"];

/** A capacity spike. */
export const capacitySpike: IncidentType = {
  name: "capacity_spike",
  description: "a thundering herd drives a service past capacity: queueing, latency, 503s, a connection storm",
  severity: [0.1, 0.35, 0.4, 0.15],
  startHours: [1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 3, 2, 1, 1],
  durations: { detect: [2, 15], mitigate: [10, 60], resolve: [10, 120] },
  detection: { monitoring_alert: 0.8, customer_report: 0.2 },
  available: (fleet) => present(fleet, TARGETS).length > 0,
  draw(rng, fleet, severity) {
    const service = rng.pick(present(fleet, TARGETS));
    const db = (SERVICE_BY_NAME.get(service)?.dependsOn ?? [])
      .map((d) => fleet.byApp.get(d)?.[0])
      .find((s) => s?.engine !== undefined);
    const trigger = rng.pick([
      "a flash sale e-mail",
      "a mobile push notification",
      "clients reconnecting after a network blip",
    ]);
    const factor = Math.round(rng.uniform(3, 8) * 10) / 10;
    const services = [service];
    return {
      root: service,
      service,
      services,
      servers: [...serversOf(fleet, [service]), ...(db ? [db.id] : [])],
      customerFacing: true,
      facts: { trigger, traffic_factor: factor },
      metrics: [
        {
          table: "capacity",
          targets: serversOf(fleet, [service]),
          shape: "thundering_herd",
          metrics: ["cpu_p95", "net_in_p95", "net_out_p95"],
          params: {},
        },
        {
          table: "service",
          targets: services,
          shape: "thundering_herd",
          metrics: ["throughput_rps", "latency_ms", "error_rate_pct"],
          params: {},
        },
      ],
      cloudfront: {
        services,
        failShare: [0.5, 0.3, 0.15, 0.06][severity - 1],
        statuses: [[503, 0.8], [504, 0.2]],
        detailed: { 504: "OriginReadError" },
        latencyFactor: rng.uniform(2.5, 6),
        extraRate: factor - 1,
      },
      db: db ? { server: db.id, engine: db.engine!, patterns: ["connection_storm"], perMinute: 6 } : undefined,
      words: {
        category: "Performance",
        subcategory: "Capacity",
        symptom: `${service} slow and returning 503 errors under ${factor}x normal traffic`,
        cause: `${trigger} sent ${factor}x the usual traffic to ${service} within minutes`,
        fix: `autoscaling caught up and the connection pool limits were raised`,
        mitigation: `scaled ${service} out and switched on the waiting room`,
      },
    };
  },
};
