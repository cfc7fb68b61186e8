/**
 * `vendor_notice`: a vendor's status notices for an outage it causes (investigating, identified, monitoring,
 * resolved), each a new notice with its own subject, threaded by the vendor's tooling.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { MAILBOXES } from "../catalog.ts";
import { capitalize, fill, hhmm } from "../text.ts";
import { type Email, type IncidentContext, type IncidentThreadKind, mailbox, MINUTE, Thread } from "./_thread.ts";

/** The footer of every status notice. */
export function statusFooter(vendor: string): string {
  return `${vendor} Status Team\nYou receive this because your account subscribed to status notifications.`;
}

/** A vendor's status notices. */
export const vendorNotice: IncidentThreadKind = {
  name: "vendor_notice",
  write(rng: Rng, { inc }: IncidentContext): Email[] {
    if (!inc.vendor) return [];
    const vendor = inc.vendor;
    const from = mailbox(vendor.from, `${vendor.name} Status`);
    const to = [mailbox(MAILBOXES.noc, "NOC")];
    const v = {
      vendor: vendor.name,
      product: vendor.product,
      ref: String(inc.facts.ref ?? "NWX-00000"),
      region: String(inc.facts.vendor_region ?? "global"),
      start: hhmm(inc.start),
      resolved: hhmm(inc.resolved),
    };
    const title = fill(
      rng,
      "[Elevated error rates|Degraded performance|Service disruption|Partial outage] [for|affecting] [the {product}|{product} requests]",
      v,
    );
    const thread = new Thread(rng, inc.id, "vendor_notice");
    const first = inc.detection === "vendor_notice" ? inc.detected : inc.detected + rng.int(0, 20) * MINUTE;
    const stages: [number, string, string][] = [
      [
        Math.min(first, inc.mitigated - MINUTE),
        "Investigating",
        "[We are investigating|We are aware of|Our engineers are looking into|We are currently seeing] {title} [in {region}|({region})] [since about {start}|]. [Some requests may fail or time out.|Customers may see failures.|Retries may succeed.] [Incident reference|Reference] {ref}.",
      ],
      [
        inc.start + Math.round((inc.mitigated - inc.start) * rng.uniform(0.5, 0.9)),
        "Identified",
        "[The issue has been identified|We have identified the cause|Our engineers found the cause] and [a fix is being rolled out|mitigation is in progress|traffic is being moved to healthy capacity]. [Reference|Incident] {ref}.",
      ],
      [
        inc.mitigated + rng.int(1, 10) * MINUTE,
        "Monitoring",
        "[A fix has been implemented|Mitigation is complete|Error rates have returned to normal levels] and we are [monitoring the results|watching error rates closely|confirming full recovery in {region}].",
      ],
      [
        Math.min(inc.resolved + rng.int(0, 15) * MINUTE, inc.closed),
        "Resolved",
        "[This incident has been resolved|The issue is resolved|Service has been restored]. [Service|The {product}] [operated normally again from|has been healthy since] {resolved}. [We apologise for the inconvenience.|We are sorry for the disruption.|Thank you for your patience.] [A root-cause summary will be published within five business days.|]",
      ],
    ];
    let last = 0;
    for (const [at, stage, text] of stages) {
      const when = Math.max(at, last + MINUTE);
      last = when;
      const body = [
        fill(rng, text, { ...v, title: title[0].toLowerCase() + title.slice(1) }),
        `${stage} - ${new Date(when).toISOString().slice(0, 16).replace("T", " ")} UTC`,
        statusFooter(vendor.name),
      ].join("\n\n");
      thread.add(when, from, to, `[${vendor.name}] ${stage} - ${capitalize(title)}`, body, [], "vendor_notice");
      // Every stage is a new notice with its own subject, threaded by the vendor's tooling.
      thread.last!.subject = `[${vendor.name}] ${stage} - ${capitalize(title)}`;
    }
    return thread.messages;
  },
};
