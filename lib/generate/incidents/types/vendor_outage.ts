/**
 * `vendor_outage`: an external provider (payment gateway, SMS, e-mail relay, object storage) fails; the services
 * that call it return errors and slow down until the vendor recovers or traffic is failed over.
 * @module
 */
import { dependents, EXPOSED_SERVICES, VENDORS } from "../catalog.ts";
import { type IncidentType, present, serversOf } from "./_common.ts";

function usable(fleet: Parameters<IncidentType["available"]>[0]) {
  return VENDORS.filter((v) => present(fleet, dependents(`vendor:${v.key}`)).length > 0);
}

/** A vendor outage. */
export const vendorOutage: IncidentType = {
  name: "vendor_outage",
  description: "an external provider fails; its callers return errors until it recovers",
  severity: [0.15, 0.4, 0.3, 0.15],
  durations: { detect: [3, 25], mitigate: [15, 120], resolve: [20, 240] },
  detection: { vendor_notice: 0.35, monitoring_alert: 0.45, customer_report: 0.2 },
  available: (fleet) => usable(fleet).length > 0,
  draw(rng, fleet, severity) {
    const vendor = rng.pick(usable(fleet));
    const services = present(fleet, dependents(`vendor:${vendor.key}`));
    const direct = services.filter((s) => fleet.byApp.has(s) && !s.endsWith("-db")).slice(0, 1);
    const service = direct[0] ?? services[0];
    const failShare = [0.85, 0.55, 0.3, 0.12][severity - 1] * rng.uniform(0.8, 1.1);
    const region = rng.pick(["us-east", "eu-west", "global"]);
    return {
      root: `vendor:${vendor.key}`,
      service,
      services,
      servers: serversOf(fleet, [service], { max: 4 }),
      customerFacing: severity <= 3 && services.some((s) => EXPOSED_SERVICES.has(s)),
      vendor,
      facts: {
        vendor: vendor.name,
        product: vendor.product,
        vendor_region: region,
        ref: `NWX-${rng.int(10000, 99999)}`,
      },
      metrics: [
        {
          table: "service",
          targets: services,
          shape: "incident",
          metrics: ["latency_ms", "error_rate_pct", "throughput_rps"],
          params: {
            error_add_pct: [failShare * 60, failShare * 90],
            latency_factor: [2, 4],
            throughput_drop: [0.1, 0.3],
          },
        },
        {
          table: "capacity",
          targets: serversOf(fleet, [service], { max: 4 }),
          shape: "level_shift",
          metrics: ["net_out_p95"],
          params: { magnitude: [3, 6], up_prob: 0, recovery: 1, ramp_in: [0, 0], ramp_out: [0, 1] },
        },
      ],
      cloudfront: {
        services,
        failShare,
        statuses: [[502, 0.45], [504, 0.35], [503, 0.2]],
        detailed: { 502: "OriginConnectError", 504: "OriginReadError" },
        latencyFactor: rng.uniform(2, 5),
        extraRate: 0,
      },
      words: {
        category: "Third-party service",
        subcategory: vendor.product,
        symptom: `${service} calls to ${vendor.name} failing or timing out`,
        cause: `an outage of the ${vendor.name} ${vendor.product} in ${region === "global" ? "all regions" : region}`,
        fix: `${vendor.name} restored their ${vendor.product} and our retry queues drained`,
        mitigation: `enabled the degraded-mode fallback for ${service} and paused non-essential calls`,
      },
    };
  },
};
