/**
 * `postmortem`: the post-incident review of a SEV1 or SEV2, with its timeline, cause, fix and action items.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { MAILBOXES } from "../catalog.ts";
import { duration, fill, hhmm, person } from "../text.ts";
import { type Email, greet, type IncidentContext, type IncidentThreadKind, mailbox, sign, Thread } from "./_thread.ts";

const ACTIONS = [
  "add an alert on the leading indicator we missed",
  "write a runbook entry for this failure mode",
  "add a game-day exercise for this scenario",
  "review the on-call escalation path",
  "add a dashboard panel for the affected dependency",
  "automate the manual mitigation step",
  "agree a status-page template with customer support",
  "test the restore path quarterly",
];

/** Post-incident reviews. */
export const postmortem: IncidentThreadKind = {
  name: "postmortem",
  write(rng: Rng, { inc, ticket }: IncidentContext): Email[] {
    if (inc.severity > 2) return [];
    const author = person(rng);
    const v = {
      title: inc.title,
      ticket,
      service: inc.service,
      start: hhmm(inc.start),
      detected: hhmm(inc.detected),
      mitigated: hhmm(inc.mitigated),
      resolved: hhmm(inc.resolved),
      day: new Date(inc.start).toISOString().slice(0, 10),
      cause: inc.words.cause,
      fix: inc.words.fix,
      ttd: duration(inc.detected - inc.start),
      ttm: duration(inc.mitigated - inc.start),
    };
    const at = inc.resolved + Math.round((inc.closed - inc.resolved) * rng.uniform(0.5, 0.95));
    const actions = rng.shuffle(ACTIONS).slice(0, rng.int(2, 4));
    return new Thread(rng, inc.id, "postmortem").add(
      at,
      author,
      [mailbox(MAILBOXES.incidents, "Incident updates")],
      fill(rng, "[Post-incident review|Incident review|Postmortem]: {title} ({ticket})", v),
      [
        ...greet(rng),
        fill(
          rng,
          "[Here is the summary of|Sharing the review of|Below is the write-up for|Please find below the review of] the {service} incident on {day}.",
          v,
        ),
        [
          "Timeline (UTC):",
          `- ${v.start.slice(0, 5)} impact starts`,
          `- ${v.detected.slice(0, 5)} detected (time to detect ${v.ttd})`,
          `- ${v.mitigated.slice(0, 5)} mitigated (time to mitigate ${v.ttm})`,
          `- ${v.resolved.slice(0, 5)} resolved`,
        ].join("\n"),
        fill(rng, "[Root cause|Cause]: {cause}.\n[Resolution|Fix]: {fix}.", v),
        "Action items:\n" + actions.map((a) => `- ${a}`).join("\n"),
        sign(rng, { ...author, role: "Site Reliability Engineering" }),
      ].join("\n\n"),
    ).messages;
  },
};
