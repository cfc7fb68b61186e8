/**
 * `security_notice`: the security analyst's notice of a brute-force or breach attempt, with the account, target,
 * source address and what was done.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { MAILBOXES } from "../catalog.ts";
import { fill, hhmm, person } from "../text.ts";
import {
  type Email,
  greet,
  type IncidentContext,
  type IncidentThreadKind,
  mailbox,
  MINUTE,
  sign,
  Thread,
} from "./_thread.ts";

/** Security notices of access breach attempts. */
export const securityNotice: IncidentThreadKind = {
  name: "security_notice",
  write(rng: Rng, { inc, ticket }: IncidentContext): Email[] {
    if (inc.type !== "access_breach_attempt") return [];
    const analyst = person(rng);
    const v = {
      ip: String(inc.facts.attacker_ip),
      target: String(inc.facts.target),
      account: String(inc.facts.account),
      ticket,
      detected: hhmm(inc.detected),
      mitigation: inc.words.mitigation,
    };
    const breached = inc.facts.breached === "yes";
    return new Thread(rng, inc.id, "security_notice").add(
      inc.detected + rng.int(5, 30) * MINUTE,
      analyst,
      [mailbox(MAILBOXES.security, "Security"), mailbox(MAILBOXES.dba, "DBA team")],
      fill(
        rng,
        `[Security|SECURITY] [alert|incident|notice]: [${
          breached ? "possible unauthorized access" : "brute-force attempt"
        }] [on|against] {target}`,
        v,
      ),
      [
        ...greet(rng),
        fill(
          rng,
          "[At|Around|From] {detected} [our detection flagged|the SIEM raised|we saw] [a burst of failed logins|repeated authentication failures] [for|against] {account} on {target} [from|originating at] {ip}.",
          v,
        ),
        breached
          ? fill(
            rng,
            "[One attempt succeeded|A login eventually succeeded] and [a privilege change followed|the account was granted elevated rights]. [Treat the host as compromised|Assume the credentials are burned] [until we finish the review|for now].",
            v,
          )
          : fill(rng, "[No attempt succeeded|All attempts failed] [as far as we can tell|according to the logs].", v),
        fill(
          rng,
          "[Actions|Done so far]: we {mitigation}. [Tracking in|Ticket] {ticket}. [Do not share details outside the team.|Please keep this confidential.|]",
          v,
        ),
        sign(rng, { ...analyst, role: "Security Operations" }),
      ].join("\n\n"),
    ).messages;
  },
};
