/**
 * `maintenance_notice` for an incident: the emergency change announced to staff while a fix that needs downtime
 * (disk, backup, certificate work) is carried out after mitigation.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { MAILBOXES } from "../catalog.ts";
import { fill, hhmm } from "../text.ts";
import {
  type Email,
  greet,
  type IncidentContext,
  type IncidentThreadKind,
  mailbox,
  MINUTE,
  Thread,
} from "./_thread.ts";

const TYPES = ["disk_full", "backup_failure", "certificate_expiry"];

/** Emergency maintenance announcements. */
export const emergencyMaintenance: IncidentThreadKind = {
  name: "emergency_maintenance",
  write(rng: Rng, { inc }: IncidentContext): Email[] {
    if (!TYPES.includes(inc.type) || inc.resolved - inc.mitigated <= 2 * MINUTE) return [];
    const v = {
      service: inc.service,
      mitigated: hhmm(inc.mitigated),
      resolved: hhmm(inc.resolved),
      fix: inc.words.fix,
      mitigation: inc.words.mitigation,
    };
    const at = inc.mitigated + Math.round((inc.resolved - inc.mitigated) * rng.uniform(0.05, 0.4));
    return new Thread(rng, inc.id, "maintenance_notice").add(
      at,
      mailbox(MAILBOXES.changes, "Change Advisory Board"),
      [mailbox(MAILBOXES.allStaff, "IT announcements")],
      fill(rng, "[Emergency maintenance|Unplanned maintenance|Emergency change]: {service} [now|today]", v),
      [
        ...greet(rng),
        fill(
          rng,
          "[We are carrying out emergency maintenance on|An emergency change is under way for|We need to perform urgent maintenance on|Urgent work has started on] {service} [until about|expected to finish by|with completion planned at] {resolved}. " +
            "[Brief interruptions are possible.|You may notice short slowdowns.|No action is needed from you.]",
          v,
        ),
        fill(
          rng,
          "[Background|Context|Why]: [this follows|this is part of the recovery from] an incident earlier today, in which the team {mitigation}. [The permanent fix|Today's work]: {fix}.",
          v,
        ),
        "Change Advisory Board",
      ].join("\n\n"),
    ).messages;
  },
};
