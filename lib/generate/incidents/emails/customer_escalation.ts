/**
 * `customer_escalation`: a customer's complaint while the incident hurts them, the support agent's answer naming
 * the incident ticket, sometimes a follow-up from the customer, and the all-clear with the fix.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { CUSTOMER_ACTION, CUSTOMERS, MAILBOXES } from "../catalog.ts";
import { fill, hhmm, person } from "../text.ts";
import {
  type Email,
  greetPerson,
  type IncidentContext,
  type IncidentThreadKind,
  mailbox,
  MINUTE,
  quote,
  sign,
  Thread,
} from "./_thread.ts";

const COMPLAINT = [
  "[Since about|From around|Starting] {start} [our staff|our customers|our team at {company}] [cannot|are unable to] {action}[: they see errors| - everything times out|, the pages just fail].",
  "[Is your platform down?|What is happening on your side?|Are you aware of an outage?] [Nobody here can|We cannot] {action} [since about {start}|for the last hour|since {start}].",
  "[We are|{company} is] [escalating|raising] this [formally|as a priority]: [it is impossible to|our people cannot] {action}.",
  "[Our shop floor staff|Our order desk people|Our buyers] [have been stuck|are stuck] [since|from] {start} because they cannot {action}.",
];

/** Customer escalations of customer-facing incidents. */
export const customerEscalation: IncidentThreadKind = {
  name: "customer_escalation",
  write(rng: Rng, { inc, ticket }: IncidentContext): Email[] {
    if (!inc.customerFacing || !(inc.severity <= 2 || rng.bernoulli(0.3))) return [];
    const company = rng.pick(CUSTOMERS);
    const contact = person(rng, "example.org");
    const agent = person(rng);
    const am = person(rng);
    const seen = inc.services.find((s) => CUSTOMER_ACTION[s]) ?? inc.service;
    const v = {
      service: seen,
      action: CUSTOMER_ACTION[seen] ?? `use ${seen}`,
      company,
      start: hhmm(inc.start),
      ticket,
      symptom: inc.words.symptom,
      fix: inc.words.fix,
    };
    const thread = new Thread(rng, inc.id, "customer_escalation");
    const subject = fill(
      rng,
      "[Urgent|URGENT|Escalation|Service problem|Outage?]: [errors on your site|our users cannot {action}|outage affecting {company}|your service is down for us]",
      v,
    );
    const at = inc.start + Math.round((inc.mitigated - inc.start) * rng.uniform(0.25, 0.8));
    const support = [mailbox(MAILBOXES.support, "Support")];
    thread.add(
      at,
      contact,
      support,
      subject,
      [
        ...(rng.bernoulli(0.6) ? [fill(rng, "[Hello|Hi|Dear support|Support team],", v)] : []),
        fill(rng, rng.pick(COMPLAINT), v) + " " + fill(
          rng,
          "[This is costing us sales.|We are losing business every minute.|This is blocking our operations.|Our own customers are calling us.] [Please escalate.|Can you give us an ETA?|What is going on?|Call me back as soon as possible.]",
          v,
        ),
        `${contact.name}\n${company}`,
      ].join("\n\n"),
      [am],
    );
    thread.add(
      at + rng.int(4, 25) * MINUTE,
      agent,
      [contact],
      subject,
      [
        ...greetPerson(rng, contact),
        fill(
          rng,
          "[Thank you for reaching out|Thanks for letting us know|I'm sorry for the trouble|Apologies for the disruption]. [We are aware of the problem|Our engineers are already working on it|This is a known incident] ([ticket|reference] {ticket}) [and we will update you as soon as it is fixed|and I will keep you posted|and I will write again the moment it is resolved].",
          v,
        ),
        sign(rng, { ...agent, role: "Customer Support" }),
        quote(thread.last!, 2),
      ].join("\n\n"),
      [am],
    );
    if (rng.bernoulli(0.4) && inc.mitigated - thread.last!.date > 10 * MINUTE) {
      thread.add(
        thread.last!.date + Math.round((inc.mitigated - thread.last!.date) * rng.uniform(0.3, 0.9)),
        contact,
        [agent],
        subject,
        [
          fill(
            rng,
            "[Any news?|Still broken here.|Any update? It has been a while.] [Our management is asking for|I need] [an ETA|a written statement] [for|by] [the end of the day|our customers].",
            v,
          ),
          contact.name.split(" ")[0],
        ].join("\n\n"),
        [am],
      );
    }
    thread.add(
      Math.min(inc.resolved + rng.int(10, 90) * MINUTE, inc.closed),
      agent,
      [contact],
      subject,
      [
        ...greetPerson(rng, contact),
        fill(
          rng,
          "[The problem is fixed|Service is fully restored|The incident is resolved|Good news, it is fixed]: {fix}. [Please let us know if you still see any issue.|Everything should work normally again.|Your users can {action} again.] [A written summary will follow on request.|Your account manager will follow up.|]",
          v,
        ),
        sign(rng, { ...agent, role: "Customer Support" }),
      ].join("\n\n"),
      [am],
    );
    return thread.messages;
  },
};
