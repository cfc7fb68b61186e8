/**
 * Incident e-mails as RFC 5322 messages: internal incident updates (a thread from declaration through findings to
 * resolution), vendor status notices, customer escalations, emergency maintenance and security notices and
 * post-incident reviews, plus background mail (planned maintenance, change decisions, capacity reports, vendor
 * maintenance, on-call handovers). Threads carry `In-Reply-To` and `References`; the incident id lives only in the
 * index table. A new thread kind is one file in this folder plus one line in {@linkcode INCIDENT_THREADS} or
 * {@linkcode BACKGROUND_THREADS}.
 * @module
 */
import { entityStream } from "@lib/random/mod.ts";
import { period } from "../config.ts";
import type { IncidentPlan } from "../plan.ts";
import { type BackgroundThreadKind, DAY, type Email, type IncidentThreadKind } from "./_thread.ts";
import { incidentUpdate } from "./incident_update.ts";
import { vendorNotice } from "./vendor_notice.ts";
import { customerEscalation } from "./customer_escalation.ts";
import { emergencyMaintenance } from "./emergency_maintenance.ts";
import { securityNotice } from "./security_notice.ts";
import { postmortem } from "./postmortem.ts";
import { plannedMaintenance } from "./planned_maintenance.ts";
import { changeNotice } from "./change_notice.ts";
import { capacityReport } from "./capacity_report.ts";
import { vendorMaintenance } from "./vendor_maintenance.ts";
import { handover } from "./handover.ts";

export type {
  BackgroundContext,
  BackgroundThreadKind,
  Email,
  EmailKind,
  IncidentContext,
  IncidentThreadKind,
} from "./_thread.ts";
export { emailIndexFrame, emlPath, renderEml, rfc5322Date } from "./render.ts";

/** The threads an incident may start, each deciding from the incident whether it applies. */
export const INCIDENT_THREADS: readonly IncidentThreadKind[] = [
  incidentUpdate,
  vendorNotice,
  customerEscalation,
  emergencyMaintenance,
  securityNotice,
  postmortem,
];

/** Background mail, drawn by weight. */
export const BACKGROUND_THREADS: readonly BackgroundThreadKind[] = [
  plannedMaintenance,
  changeNotice,
  capacityReport,
  vendorMaintenance,
  handover,
];

/**
 * Plans every e-mail of the period: each incident thread from its own stream
 * `(seed, "incidents", "<id>/emails/<kind>")`; per day, the number of background threads from
 * `(seed, "incidents", "emails/<date>")` and each thread from `(seed, "incidents", "emails/<date>/<k>")`; sorted
 * by date then message id.
 *
 * @param plan the plan (config, timeline, main tickets, services)
 * @returns the messages
 * @example
 * ```ts
 * import { IncidentsConfig, planEmails, planIncidents, renderEml } from "@lib/generate/incidents/mod.ts";
 * const emails = planEmails(planIncidents(IncidentsConfig.parse({ to: "2024-03-06" })));
 * console.log(renderEml(emails[0]));
 * ```
 */
export function planEmails(plan: IncidentPlan): Email[] {
  const { config, apps, timeline: { incidents }, tickets: { mainTicket } } = plan;
  const { start: pStart, end: pEnd } = period(config);
  const out: Email[] = [];
  for (const inc of incidents) {
    const ticket = mainTicket[inc.index] || "INC0000000";
    for (const kind of INCIDENT_THREADS) {
      out.push(
        ...kind.write(entityStream(config.seed, { dataset: "incidents", entity: `${inc.id}/emails/${kind.name}` }), {
          inc,
          ticket,
        }),
      );
    }
  }
  const weights = BACKGROUND_THREADS.map((k) => k.weight);
  for (let day = pStart; day < pEnd; day += DAY) {
    const date = new Date(day).toISOString().slice(0, 10);
    const rng = entityStream(config.seed, { dataset: "incidents", entity: `emails/${date}` });
    const dow = new Date(day).getUTCDay();
    const n = rng.poisson(config.volumes.emails_per_day * (dow === 0 || dow === 6 ? 0.3 : 1));
    for (let k = 0; k < n; k++) {
      const own = entityStream(config.seed, { dataset: "incidents", entity: `emails/${date}/${k}` });
      const kind = BACKGROUND_THREADS[own.weightedIndex(weights)];
      for (const e of kind.write(own, { day, apps })) if (e.date < pEnd) out.push(e);
    }
  }
  return out.sort((a, b) => a.date - b.date || (a.messageId < b.messageId ? -1 : 1));
}
