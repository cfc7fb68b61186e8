/**
 * `incident_update`: the internal incident thread, from declaration through responders' findings and progress
 * updates to mitigation and resolution, all on the incident's own times and words.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { MAILBOXES } from "../catalog.ts";
import { duration, fill, hhmm, person } from "../text.ts";
import type { Incident } from "../types/mod.ts";
import {
  type Email,
  greet,
  type IncidentContext,
  type IncidentThreadKind,
  mailbox,
  MINUTE,
  quote,
  sign,
  Thread,
} from "./_thread.ts";

function vars(rng: Rng, inc: Incident, ticket: string) {
  return {
    sev: `SEV${inc.severity}`,
    ticket,
    service: inc.service,
    symptom: inc.words.symptom,
    cause: inc.words.cause,
    fix: inc.words.fix,
    mitigation: inc.words.mitigation,
    start: hhmm(inc.start),
    detected: hhmm(inc.detected),
    mitigated: hhmm(inc.mitigated),
    resolved: hhmm(inc.resolved),
    services: inc.services.slice(0, 4).join(", ") || inc.service,
    server: inc.servers[0] ?? inc.service,
    source: inc.detection.replaceAll("_", " "),
    next: rng.pick([20, 30, 30, 45, 60]),
    length: duration(inc.resolved - inc.start),
  };
}

const DECLARE = [
  "[We are investigating|We're looking into|We have declared an incident for|Investigation under way:] {symptom}.",
  "[Declaring|Opening] a {sev} for {service}: {symptom}.",
  "{sev} declared at {detected}. [Symptom|What we see]: {symptom}.",
  "[Heads up|FYI], {service} is in trouble: {symptom}.",
  "[Paged at|Got paged at] {detected} for {service}; [confirmed|this is real]: {symptom}.",
];

const FINDINGS = [
  "[Had a look at|Checked] {server}. [I think|Looks like|My guess is] {cause}. [Unless someone objects|If nobody has a better idea], I will report back once we have {mitigation}.",
  "[Graphs for|Dashboards for] {service} [show the problem starting|line up with an onset] at {start}. [It points at|Smells like] {cause}.",
  "[Confirmed from the logs on|Seen in the logs of] {server}: [the errors match|same pattern as] {symptom}. [I'll shout|Will update the thread] once we have {mitigation}.",
  "[Not the network|Network is clean]; [the problem sits on|it is local to] {server}. [Working on it|On it now]: [I'll post again|will confirm] once we have {mitigation}.",
];

const PROGRESS = [
  "[Update|Status update|Progress update] {k}: [still investigating|work continues|responders are still on it].",
  "[No resolution yet|Still working on it]; [current hypothesis|working theory|what we think so far]: {cause}.",
  "{k}. update: [impact unchanged|impact continues], [the team is|we are] [testing the fix|preparing a change|checking {server}].",
  "[Quick one|Short update]: [still degraded|not fixed yet], [looking into|focusing on] {cause}.",
];

const MITIGATED = [
  "[Mitigated|Mitigation in place|Impact mitigated] at {mitigated}: [we|the team] {mitigation}.",
  "[Good news|Some relief]: [since|as of] {mitigated} [impact has stopped|error rates are back down] after we {mitigation}.",
  "[We|The team] {mitigation} at {mitigated} and [the symptoms are gone|the service recovered].",
];

const RESOLVED = [
  "[Resolved|All clear|The incident is resolved] at {resolved} after {length}.",
  "[Closing this out|Standing down the bridge]: {service} [is healthy again|is back to normal] since {resolved}.",
  "{service} [fully recovered|is fully back] at {resolved}; total impact {length}.",
];

/** The internal incident thread. */
export const incidentUpdate: IncidentThreadKind = {
  name: "incident_update",
  write(rng: Rng, { inc, ticket }: IncidentContext): Email[] {
    const ic = person(rng);
    const role = rng.pick(["Incident Commander", "Incident commander, SRE", "On-call lead", "Duty manager"]);
    const engineer = person(rng);
    const to = [mailbox(MAILBOXES.incidents, "Incident updates")];
    const cc = inc.severity <= 2 ? [mailbox(MAILBOXES.noc, "NOC")] : [];
    const v = vars(rng, inc, ticket);
    const status = rng.pick(["Investigating", "Incident declared", "Ongoing incident", "Active incident"]);
    const subject = `[${v.sev}] [${ticket}] ` + fill(rng, `${status}: {symptom}`, v);
    const impact = inc.customerFacing
      ? "[Customers are affected|Customer-facing impact|Customers may see errors]: [{services}|requests to {services}] [are failing or slow|show errors and timeouts|are degraded]."
      : "[No customer impact so far|Internal impact only|Customers are not affected at this point]; [{services} [is|are] affected|the affected component is {service}].";
    const thread = new Thread(rng, inc.id, "incident_update");
    const first = [
      ...greet(rng),
      fill(rng, rng.pick(DECLARE), v) + " " + fill(
        rng,
        "[It started at about|Impact began around|First signs at] {start} [and was detected by|and we learned of it through|, detected via] {source} at {detected}.",
        v,
      ),
      fill(rng, impact, v),
      fill(
        rng,
        "[I am|I'm] [incident commander|running the incident|coordinating]. [Bridge is open|The incident bridge is open|Join the bridge] [for responders|if you are on call for {service}|]. [Ticket|Tracking in] {ticket}.",
        v,
      ),
      fill(rng, "[Next update in|I will send the next update in|Expect another update within] {next} minutes.", v),
      sign(rng, { ...ic, role }),
    ].join("\n\n");
    thread.add(inc.detected + rng.int(60, 600) * 1000, ic, to, subject, first, cc);
    let t = thread.messages[0].date;
    // A responder's findings: what the logs show, and the mitigation they propose (which the next messages confirm).
    if (inc.mitigated - t > 8 * MINUTE) {
      t += Math.round((inc.mitigated - t) * rng.uniform(0.2, 0.6));
      thread.add(
        t,
        engineer,
        to,
        subject,
        [fill(rng, rng.pick(FINDINGS), v), engineer.name.split(" ")[0], quote(thread.last!)].join("\n\n"),
        cc,
      );
    }
    let k = 1;
    while (k <= 3) {
      t += rng.int(20, 70) * MINUTE;
      if (t >= inc.mitigated - 2 * MINUTE) break;
      const body = [
        ...greet(rng, 0.3),
        fill(rng, rng.pick(PROGRESS), { ...v, k }),
        fill(
          rng,
          "[Impact is unchanged|Impact continues|No change in impact][ since the last update|]. [Next update in|More in] {next} minutes.",
          v,
        ),
        sign(rng, { ...ic, role }),
      ].join("\n\n");
      thread.add(t, ic, to, subject, body, cc);
      k++;
    }
    thread.add(
      inc.mitigated + rng.int(60, 480) * 1000,
      ic,
      to,
      subject,
      [
        ...greet(rng, 0.3),
        fill(rng, rng.pick(MITIGATED), v) + " " + fill(
          rng,
          "[Error rates are dropping|Metrics are recovering|Things look better]; [we keep watching|monitoring continues|we stay on the bridge] until [the fix is confirmed|full recovery].",
          v,
        ),
        sign(rng, { ...ic, role }),
      ].join("\n\n"),
      cc,
    );
    const review = inc.severity <= 2
      ? " [A post-incident review will be scheduled|We will hold a blameless review|Review to follow] [this week|in the next few days|]."
      : "";
    thread.add(
      Math.min(inc.resolved + rng.int(2, 25) * MINUTE, inc.closed),
      ic,
      to,
      subject,
      [
        ...greet(rng, 0.4),
        fill(rng, rng.pick(RESOLVED), v) + " " + fill(
          rng,
          "[Root cause|Cause|What happened]: {cause}. [Fix|Resolution|What fixed it]: {fix}." + review,
          v,
        ),
        fill(
          rng,
          "[Thanks to everyone who helped|Thank you all for the quick response|Thanks for the help on this one]. [Ticket {ticket} stays open for follow-up actions.|Follow-ups are tracked in {ticket}.|]",
          v,
        ),
        sign(rng, { ...ic, role }),
      ].join("\n\n"),
      cc,
    );
    return thread.messages;
  },
};
