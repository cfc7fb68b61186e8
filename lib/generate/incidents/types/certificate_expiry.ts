/**
 * `certificate_expiry`: the TLS certificate of an origin expires (renewal automation failed silently); CloudFront
 * cannot complete the TLS handshake with the origin and returns 502s until a new certificate is installed.
 * @module
 */
import { type IncidentType, present, serversOf } from "./_common.ts";

const TARGETS = ["storefront", "customer-portal", "partner-portal", "cdn-origin", "marketing-site"];

/** A certificate expiry. */
export const certificateExpiry: IncidentType = {
  name: "certificate_expiry",
  description: "an origin TLS certificate expires; CloudFront returns 502s until it is replaced",
  severity: [0.25, 0.4, 0.25, 0.1],
  onTheHour: true,
  durations: { detect: [3, 40], mitigate: [15, 90], resolve: [5, 60] },
  detection: { monitoring_alert: 0.55, customer_report: 0.35, on_call_check: 0.1 },
  available: (fleet) => present(fleet, TARGETS).length > 0,
  draw(rng, fleet, severity) {
    const service = rng.pick(present(fleet, TARGETS));
    const cn = `${service.replace(/-/g, "")}.origin.example.com`;
    return {
      root: service,
      service,
      services: [service],
      servers: serversOf(fleet, [service]),
      customerFacing: true,
      facts: {
        common_name: cn,
        issuer: "Example Internal CA G2",
        serial: `${rng.int(0x10000000, 0x7fffffff).toString(16)}`,
      },
      metrics: [
        {
          table: "capacity",
          targets: serversOf(fleet, [service]),
          shape: "level_shift",
          metrics: ["net_in_p95", "net_out_p95"],
          params: {
            magnitude: [0.5, 0.8],
            unit: "relative",
            up_prob: 0,
            recovery: 1,
            ramp_in: [0, 0],
            ramp_out: [0, 0],
          },
        },
        {
          table: "service",
          targets: [service],
          shape: "incident",
          metrics: ["error_rate_pct", "throughput_rps"],
          params: {
            error_add_pct: [[70, 95], [50, 80], [25, 50], [10, 25]][severity - 1],
            throughput_drop: [0.5, 0.9],
            ramp_in: [0, 0],
          },
        },
      ],
      cloudfront: {
        services: [service],
        failShare: [0.97, 0.9, 0.6, 0.35][severity - 1],
        statuses: [[502, 1]],
        detailed: { 502: "OriginCommError" },
        latencyFactor: 1.2,
        extraRate: 0,
      },
      words: {
        category: "Security",
        subcategory: "Certificate",
        symptom: `${service} returning 502 errors through the CDN`,
        cause: `the origin certificate ${cn} expired because the renewal job had been failing silently for weeks`,
        fix: `issued a new certificate, fixed the renewal job and added an expiry alert at 21 days`,
        mitigation: `installed a manually issued certificate on the ${service} origin`,
      },
    };
  },
};
