/**
 * Incident e-mails as RFC 5322 messages: internal incident updates (a thread from declaration to resolution),
 * vendor status notices, customer escalations, emergency maintenance and security notices and post-incident
 * reviews, plus background mail (planned maintenance, change approvals, reports, vendor maintenance, on-call
 * handovers). Threads carry `In-Reply-To` and `References`; the incident id lives only in the index table.
 * @module
 */
import pl from "nodejs-polars";
import { entityStream, type Rng } from "@lib/random/mod.ts";
import { period } from "./config.ts";
import type { IncidentPlan } from "./plan.ts";
import { CUSTOMER_ACTION, CUSTOMERS, MAILBOXES, SERVICE_BY_NAME, VENDORS } from "./catalog.ts";
import { capitalize, duration, fill, hhmm, type Person, person, wrap } from "./text.ts";
import type { Incident } from "./types/mod.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Kinds of e-mail. */
export type EmailKind =
  | "incident_update"
  | "vendor_notice"
  | "customer_escalation"
  | "maintenance_notice"
  | "security_notice"
  | "postmortem"
  | "change_notice"
  | "report"
  | "handover";

/** One e-mail message. */
export interface Email {
  /** `<...@example.com>` without the angle brackets. */
  messageId: string;
  /** Epoch ms, whole seconds. */
  date: number;
  from: Person;
  to: Person[];
  cc: Person[];
  subject: string;
  inReplyTo: string | null;
  references: string[];
  body: string;
  kind: EmailKind;
  /** The first message id of the thread. */
  threadId: string;
  incidentId: string | null;
}

const mailbox = (address: string, name = ""): Person => ({ name, address });

function hex(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(rng.next() * 16)];
  return s;
}

/** A thread builder: each message replies to the previous one. */
class Thread {
  readonly messages: Email[] = [];
  constructor(readonly rng: Rng, readonly incidentId: string | null, readonly kind: EmailKind) {}
  add(date: number, from: Person, to: Person[], subject: string, body: string, cc: Person[] = [], kind = this.kind) {
    const prev = this.messages[this.messages.length - 1];
    date = Math.round(date / 1000) * 1000;
    const domain = from.address.split("@")[1];
    const stamp = new Date(date).toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const messageId = `${stamp}.${hex(this.rng, 16)}@${domain}`;
    this.messages.push({
      messageId,
      date,
      from,
      to,
      cc,
      subject: prev ? (/^re: /i.test(subject) ? subject : `Re: ${subject}`) : subject,
      inReplyTo: prev ? prev.messageId : null,
      references: prev ? [...prev.references, prev.messageId] : [],
      body,
      kind,
      threadId: this.messages[0]?.messageId ?? messageId,
      incidentId: this.incidentId,
    });
    return this;
  }
}

const GREETING = ["Hi all,", "Hello team,", "All,", "Hi everyone,", "Team,", "Hello,"];
const SIGNOFF = ["Thanks,", "Regards,", "Best,", "Cheers,", "--", "Thank you,"];

function sign(rng: Rng, who: Person, role: string): string {
  return `${rng.pick(SIGNOFF)}\n${who.name}\n${role}`;
}

function internalThread(rng: Rng, inc: Incident, ticket: string): Email[] {
  const ic = person(rng);
  const role = rng.pick(["Incident Commander", "Incident commander, SRE", "On-call lead", "Duty manager"]);
  const to = [mailbox(MAILBOXES.incidents, "Incident updates")];
  const cc = inc.severity <= 2 ? [mailbox(MAILBOXES.noc, "NOC")] : [];
  const v = {
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
    source: inc.detection.replaceAll("_", " "),
    next: rng.pick([20, 30, 30, 45, 60]),
    length: duration(inc.resolved - inc.start),
  };
  const status = rng.pick(["Investigating", "Incident declared", "Ongoing incident", "Active incident"]);
  const subject = `[${v.sev}] [${ticket}] ` + fill(rng, `${status}: {symptom}`, v);
  const impact = inc.customerFacing
    ? "[Customers are affected|Customer-facing impact|Customers may see errors]: [{services}|requests to {services}] [are failing or slow|show errors and timeouts|are degraded]."
    : "[No customer impact so far|Internal impact only|Customers are not affected at this point]; [{services} [is|are] affected|the affected component is {service}].";
  const thread = new Thread(rng, inc.id, "incident_update");
  const first = [
    rng.pick(GREETING),
    fill(
      rng,
      "[We are investigating|We're looking into|We have declared an incident for|Investigation under way:] {symptom}. " +
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
    sign(rng, ic, role),
  ].join("\n\n");
  thread.add(inc.detected + rng.int(60, 600) * 1000, ic, to, subject, first, cc);
  let t = thread.messages[0].date;
  let k = 1;
  while (k <= 3) {
    t += rng.int(20, 70) * MINUTE;
    if (t >= inc.mitigated - 2 * MINUTE) break;
    const body = [
      rng.pick(GREETING),
      fill(
        rng,
        `[Update|Status update|Progress update] ${k}: [still investigating|work continues|responders are still on it]. ` +
          "[Current hypothesis|Working theory|What we think so far]: [it looks related to|it seems to be caused by|the problem is probably] {cause}.",
        v,
      ),
      fill(
        rng,
        "[Impact is unchanged|Impact continues|No change in impact][ since the last update|]. [Next update in|More in] {next} minutes.",
        v,
      ),
      sign(rng, ic, role),
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
      rng.pick(GREETING),
      fill(
        rng,
        "[Mitigated|Mitigation in place|Impact mitigated] at {mitigated}: [we|the team] {mitigation}. " +
          "[Error rates are dropping|Metrics are recovering|Things look better]; [we keep watching|monitoring continues|we stay on the bridge] until [the fix is confirmed|full recovery].",
        v,
      ),
      sign(rng, ic, role),
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
      rng.pick(GREETING),
      fill(
        rng,
        "[Resolved|All clear|The incident is resolved] at {resolved} after {length}. " +
          "[Root cause|Cause|What happened]: {cause}. [Fix|Resolution|What fixed it]: {fix}." + review,
        v,
      ),
      fill(
        rng,
        "[Thanks to everyone who helped|Thank you all for the quick response|Thanks for the help on this one]. [Ticket {ticket} stays open for follow-up actions.|Follow-ups are tracked in {ticket}.|]",
        v,
      ),
      sign(rng, ic, role),
    ].join("\n\n"),
    cc,
  );
  return thread.messages;
}

function vendorThread(rng: Rng, inc: Incident): Email[] {
  const vendor = inc.vendor!;
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
      "[We are investigating|We are aware of|Our engineers are looking into] {title} [in {region}|({region})]. [Some requests may fail or time out.|Customers may see failures.] [Incident reference|Reference] {ref}.",
    ],
    [
      inc.start + Math.round((inc.mitigated - inc.start) * rng.uniform(0.5, 0.9)),
      "Identified",
      "[The issue has been identified|We have identified the cause] and [a fix is being rolled out|mitigation is in progress]. [Reference|Incident] {ref}.",
    ],
    [
      inc.mitigated + rng.int(1, 10) * MINUTE,
      "Monitoring",
      "[A fix has been implemented|Mitigation is complete] and we are [monitoring the results|watching error rates closely].",
    ],
    [
      Math.min(inc.resolved + rng.int(0, 15) * MINUTE, inc.closed),
      "Resolved",
      "[This incident has been resolved|The issue is resolved]. [Service|The {product}] [operated normally again from|has been healthy since] {resolved}. [We apologise for the inconvenience.|We are sorry for the disruption.] [A root-cause summary will be published within five business days.|]",
    ],
  ];
  let last = 0;
  for (const [at, stage, text] of stages) {
    const when = Math.max(at, last + MINUTE);
    last = when;
    const body = [
      fill(rng, text, { ...v, title: title[0].toLowerCase() + title.slice(1) }),
      `${stage} - ${new Date(when).toISOString().slice(0, 16).replace("T", " ")} UTC`,
      `${vendor.name} Status Team\nYou receive this because your account subscribed to status notifications.`,
    ].join("\n\n");
    thread.add(when, from, to, `[${vendor.name}] ${stage} - ${capitalize(title)}`, body, [], "vendor_notice");
    // Every stage is a new notice with its own subject, threaded by the vendor's tooling.
    thread.messages[thread.messages.length - 1].subject = `[${vendor.name}] ${stage} - ${capitalize(title)}`;
  }
  return thread.messages;
}

function customerThread(rng: Rng, inc: Incident, ticket: string): Email[] {
  const company = rng.pick(CUSTOMERS);
  const contact = person(rng, "example.org");
  const agent = person(rng);
  const am = person(rng);
  const seen = inc.services.find((s) => CUSTOMER_ACTION[s]) ?? inc.service;
  const action = CUSTOMER_ACTION[seen] ?? `use ${seen}`;
  const v = {
    service: seen,
    action,
    company,
    start: hhmm(inc.start),
    ticket,
    symptom: inc.words.symptom,
    fix: inc.words.fix,
  };
  const thread = new Thread(rng, inc.id, "customer_escalation");
  const subject = fill(
    rng,
    "[Urgent|URGENT|Escalation|Service problem]: [errors on your site|our users cannot {action}|outage affecting {company}|your service is down for us]",
    v,
  );
  const at = inc.start + Math.round((inc.mitigated - inc.start) * rng.uniform(0.25, 0.8));
  thread.add(
    at,
    contact,
    [mailbox(MAILBOXES.support, "Support")],
    subject,
    [
      fill(rng, "[Hello|Hi|Dear support],", v),
      fill(
        rng,
        "[Since about|From around|Starting] {start} [our staff|our customers|our team at {company}] [cannot|are unable to] {action}[: they see errors| - everything times out|, the pages just fail]. " +
          "[This is costing us sales.|We are losing business every minute.|This is blocking our operations.] [Please escalate.|Can you give us an ETA?|What is going on?]",
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
      fill(rng, "[Hello|Hi|Dear] " + contact.name.split(" ")[0] + ",", v),
      fill(
        rng,
        "[Thank you for reaching out|Thanks for letting us know|I'm sorry for the trouble]. [We are aware of the problem|Our engineers are already working on it|This is a known incident] ([ticket|reference] {ticket}) [and we will update you as soon as it is fixed|and I will keep you posted].",
        v,
      ),
      sign(rng, agent, "Customer Support"),
    ].join("\n\n"),
    [am],
  );
  thread.add(
    Math.min(inc.resolved + rng.int(10, 90) * MINUTE, inc.closed),
    agent,
    [contact],
    subject,
    [
      fill(rng, "[Hello|Hi] " + contact.name.split(" ")[0] + ",", v),
      fill(
        rng,
        "[The problem is fixed|Service is fully restored|The incident is resolved]: {fix}. [Please let us know if you still see any issue.|Everything should work normally again.] [A written summary will follow on request.|]",
        v,
      ),
      sign(rng, agent, "Customer Support"),
    ].join("\n\n"),
    [am],
  );
  return thread.messages;
}

function maintenanceThread(rng: Rng, inc: Incident): Email[] {
  const from = mailbox(MAILBOXES.changes, "Change Advisory Board");
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
    from,
    [mailbox(MAILBOXES.allStaff, "IT announcements")],
    fill(rng, "[Emergency maintenance|Unplanned maintenance|Emergency change]: {service} [now|today]", v),
    [
      rng.pick(GREETING),
      fill(
        rng,
        "[We are carrying out emergency maintenance on|An emergency change is under way for|We need to perform urgent maintenance on] {service} [until about|expected to finish by|with completion planned at] {resolved}. " +
          "[Brief interruptions are possible.|You may notice short slowdowns.|No action is needed from you.]",
        v,
      ),
      fill(
        rng,
        "[Background|Context]: [this follows|this is part of the recovery from] an incident earlier today, in which the team {mitigation}.",
        v,
      ),
      "Change Advisory Board",
    ].join("\n\n"),
  ).messages;
}

function securityThread(rng: Rng, inc: Incident, ticket: string): Email[] {
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
      rng.pick(GREETING),
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
      sign(rng, analyst, "Security Operations"),
    ].join("\n\n"),
  ).messages;
}

function postmortemThread(rng: Rng, inc: Incident, ticket: string): Email[] {
  const author = person(rng);
  const v = {
    title: inc.title,
    ticket,
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
  const actions = rng.shuffle([
    "add an alert on the leading indicator we missed",
    "write a runbook entry for this failure mode",
    "add a game-day exercise for this scenario",
    "review the on-call escalation path",
    "add a dashboard panel for the affected dependency",
    "automate the manual mitigation step",
  ]).slice(0, rng.int(2, 4));
  return new Thread(rng, inc.id, "postmortem").add(
    at,
    author,
    [mailbox(MAILBOXES.incidents, "Incident updates")],
    fill(rng, "[Post-incident review|Incident review|Postmortem]: {title} ({ticket})", v),
    [
      rng.pick(GREETING),
      fill(rng, "[Here is the summary of|Sharing the review of|Below is the write-up for] the incident on {day}.", v),
      [
        "Timeline (UTC):",
        `- ${v.start.slice(0, 5)} impact starts`,
        `- ${v.detected.slice(0, 5)} detected (time to detect ${v.ttd})`,
        `- ${v.mitigated.slice(0, 5)} mitigated (time to mitigate ${v.ttm})`,
        `- ${v.resolved.slice(0, 5)} resolved`,
      ].join("\n"),
      fill(rng, "[Root cause|Cause]: {cause}.\n[Resolution|Fix]: {fix}.", v),
      "Action items:\n" + actions.map((a) => `- ${a}`).join("\n"),
      sign(rng, author, "Site Reliability Engineering"),
    ].join("\n\n"),
  ).messages;
}

function incidentEmails(rng: Rng, inc: Incident, ticket: string): Email[] {
  const out = internalThread(rng, inc, ticket);
  if (inc.vendor) out.push(...vendorThread(rng, inc));
  if (inc.customerFacing && (inc.severity <= 2 || rng.bernoulli(0.3))) out.push(...customerThread(rng, inc, ticket));
  if (
    ["disk_full", "backup_failure", "certificate_expiry"].includes(inc.type) &&
    inc.resolved - inc.mitigated > 2 * MINUTE
  ) {
    out.push(...maintenanceThread(rng, inc));
  }
  if (inc.type === "access_breach_attempt") out.push(...securityThread(rng, inc, ticket));
  if (inc.severity <= 2) out.push(...postmortemThread(rng, inc, ticket));
  return out;
}

const BG_HOURS = [
  0.05,
  0.05,
  0.05,
  0.05,
  0.05,
  0.1,
  0.3,
  0.8,
  1.5,
  1.8,
  1.6,
  1.3,
  1,
  1.3,
  1.5,
  1.4,
  1.1,
  0.8,
  0.4,
  0.2,
  0.15,
  0.1,
  0.08,
  0.05,
];

function backgroundEmails(rng: Rng, day: number, apps: readonly string[]): Email[] {
  const kind = rng.weightedIndex([3, 3, 1.5, 1.5, 1]);
  const at = day + rng.weightedIndex(BG_HOURS) * HOUR + rng.int(0, 3599) * 1000;
  const app = rng.pick(apps);
  const when = new Date(day + rng.int(2, 10) * DAY).toISOString().slice(0, 10);
  const v = {
    app,
    when,
    from: `${String(rng.int(18, 23)).padStart(2, "0")}:00`,
    to: `${String(rng.int(0, 5)).padStart(2, "0")}:${rng.pick(["00", "30"])}`,
    chg: `CHG${rng.int(100000, 999999)}`,
    week: Math.ceil(((day - Date.UTC(new Date(day).getUTCFullYear(), 0, 1)) / DAY + 1) / 7),
    cpu: rng.int(28, 71),
    mem: rng.int(35, 82),
    growth: (rng.uniform(-2, 6)).toFixed(1),
    tickets: rng.int(40, 180),
    team: SERVICE_BY_NAME.get(app)?.team ?? "Operations",
  };
  const staff = person(rng);
  if (kind === 0) {
    return new Thread(rng, null, "maintenance_notice").add(
      at,
      mailbox(MAILBOXES.changes, "Change Advisory Board"),
      [mailbox(MAILBOXES.allStaff, "IT announcements")],
      fill(rng, "[Planned maintenance|Scheduled maintenance|Maintenance window]: {app} [on|-] {when}", v),
      [
        rng.pick(GREETING),
        fill(
          rng,
          "[Planned maintenance|A maintenance window|Scheduled work] on {app} [is booked for|will take place on] {when} [from {from} to {to}|between {from} and {to}] UTC. " +
            "[We will|The team will] [patch the operating system|upgrade the runtime|rotate certificates|resize the volumes|apply database minor updates] [on every server of the service|one server at a time].",
          v,
        ),
        fill(
          rng,
          "[No downtime is expected.|Expect up to 10 minutes of degraded performance.|Short interruptions are possible.] [Change reference|Reference] {chg}.",
          v,
        ),
        "Change Advisory Board",
      ].join("\n\n"),
    ).messages;
  }
  if (kind === 1) {
    const t = new Thread(rng, null, "change_notice").add(
      at,
      mailbox(MAILBOXES.changes, "Change Advisory Board"),
      [mailbox(`${v.team.toLowerCase().replace(/[^a-z]+/g, "-")}@example.com`, v.team)],
      fill(
        rng,
        "[{chg} approved|Approved: {chg}|CAB decision on {chg}]: [{app} configuration update|{app} release|{app} scaling change]",
        v,
      ),
      [
        rng.pick(GREETING),
        fill(
          rng,
          "[The CAB approved|Approval granted for|CAB reviewed and approved] {chg} ([{app} configuration update|{app} release|{app} scaling change]). " +
            "[Implement within the agreed window.|Please attach the rollback plan before you start.|Remember to update the change record when done.]",
          v,
        ),
        "Change Advisory Board",
      ].join("\n\n"),
    );
    if (rng.bernoulli(0.4)) {
      t.add(
        at + rng.int(10, 240) * MINUTE,
        staff,
        [mailbox(MAILBOXES.changes, "Change Advisory Board")],
        t.messages[0].subject,
        fill(
          rng,
          "[Thanks|Thank you|Noted], [will do|we will schedule it|rollback plan attached][ for {chg}|]. " +
            "[We start at {from} UTC.|Owner on our side: {owner}.|]",
          { ...v, owner: staff.name.split(" ")[0] },
        ) + "\n\n" + staff.name,
      );
    }
    return t.messages;
  }
  if (kind === 2) {
    return new Thread(rng, null, "report").add(
      at,
      mailbox("reports@example.com", "Capacity reports"),
      [mailbox(MAILBOXES.noc, "NOC")],
      fill(rng, "[Weekly capacity report|Capacity summary|Fleet utilisation report] - week {week}", v),
      [
        fill(rng, "[Fleet summary|Summary] for week {week}:", v),
        fill(
          rng,
          "- mean CPU P95: {cpu}%\n- mean memory P95: {mem}%\n- week-over-week traffic change: {growth}%\n- tickets opened: {tickets}",
          v,
        ),
        fill(
          rng,
          "[No action needed.|Two services are above 75% memory; see the dashboard.|Disk headroom is below target on one database host.]",
          v,
        ),
        "This report is generated automatically.",
      ].join("\n\n"),
    ).messages;
  }
  if (kind === 3) {
    const vendor = rng.pick(VENDORS);
    return new Thread(rng, null, "vendor_notice").add(
      at,
      mailbox(vendor.from, `${vendor.name} Status`),
      [mailbox(MAILBOXES.noc, "NOC")],
      `[${vendor.name}] ` + fill(rng, "[Scheduled maintenance|Planned maintenance|Maintenance notice] - {when}", v),
      [
        fill(
          rng,
          `[${vendor.name} will perform|We will carry out] [scheduled|routine|planned] maintenance [on|of] [the ${vendor.product}|our ${vendor.product} platform] on {when} [between {from} and {to}|from {from} to {to}] UTC. ` +
            "[No impact is expected.|API requests may see brief elevated latency.|Some requests may need a retry.]",
          v,
        ),
        `${vendor.name} Status Team\nYou receive this because your account subscribed to status notifications.`,
      ].join("\n\n"),
    ).messages;
  }
  const next = person(rng);
  return new Thread(rng, null, "handover").add(
    at,
    staff,
    [next, mailbox(MAILBOXES.noc, "NOC")],
    fill(rng, "[On-call handover|Handover|Shift handover] {when}", { when: new Date(day).toISOString().slice(0, 10) }),
    [
      fill(rng, "[Hi|Hey] " + next.name.split(" ")[0] + ",", v),
      fill(
        rng,
        "[Quiet shift|Uneventful night|Fairly calm shift]. [One page for {app} that cleared by itself.|Nothing open from my side.|Watch {app}: memory has crept up a little.] " +
          "[Dashboards are green.|No open incidents.|The {chg} change is scheduled for tomorrow.]",
        v,
      ),
      staff.name,
    ].join("\n\n"),
  ).messages;
}

/**
 * Plans every e-mail of the period: each incident's threads from its stream `(seed, "incidents", "<id>/emails")`,
 * background mail per day from `(seed, "incidents", "emails/<date>")`; sorted by date then message id.
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
    const rng = entityStream(config.seed, "incidents", `${inc.id}/emails`);
    out.push(...incidentEmails(rng, inc, mainTicket[inc.index] || "INC0000000"));
  }
  for (let day = pStart; day < pEnd; day += DAY) {
    const rng = entityStream(config.seed, "incidents", `emails/${new Date(day).toISOString().slice(0, 10)}`);
    const dow = new Date(day).getUTCDay();
    const n = rng.poisson(config.volumes.emails_per_day * (dow === 0 || dow === 6 ? 0.3 : 1));
    for (let k = 0; k < n; k++) {
      for (const e of backgroundEmails(rng, day, apps)) if (e.date < pEnd) out.push(e);
    }
  }
  return out.sort((a, b) => a.date - b.date || (a.messageId < b.messageId ? -1 : 1));
}

function formatAddress(p: Person): string {
  return p.name ? `"${p.name.replace(/["\\]/g, "")}" <${p.address}>` : p.address;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * An RFC 5322 date-time, e.g. `Mon, 04 Mar 2024 14:30:22 +0000`.
 * @param ms epoch milliseconds
 * @returns the text
 */
export function rfc5322Date(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${
    p(d.getUTCHours())
  }:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Folds one header field at spaces so no line exceeds 78 characters where a space allows it. */
function header(name: string, value: string): string {
  const words = value.split(" ");
  const lines: string[] = [];
  let cur = `${name}:`;
  for (const w of words) {
    if (cur.length + 1 + w.length > 78 && cur.trim() !== `${name}:`) {
      lines.push(cur);
      cur = " " + w;
    } else cur += " " + w;
  }
  lines.push(cur);
  return lines.join("\r\n");
}

/**
 * Renders a message as RFC 5322 text (CRLF line endings, US-ASCII, folded headers, body wrapped at 72).
 * @param e the message
 * @returns the `.eml` text
 * @example
 * ```ts
 * import { IncidentsConfig, planEmails, planIncidents, renderEml } from "@lib/generate/incidents/mod.ts";
 * const [first] = planEmails(planIncidents(IncidentsConfig.parse({ to: "2024-03-06" })));
 * renderEml(first).startsWith("Date: "); // true
 * ```
 */
export function renderEml(e: Email): string {
  const lines = [
    header("Date", rfc5322Date(e.date)),
    header("From", formatAddress(e.from)),
    header("To", e.to.map(formatAddress).join(", ")),
    ...(e.cc.length ? [header("Cc", e.cc.map(formatAddress).join(", "))] : []),
    header("Subject", e.subject),
    header("Message-ID", `<${e.messageId}>`),
    ...(e.inReplyTo ? [header("In-Reply-To", `<${e.inReplyTo}>`)] : []),
    ...(e.references.length ? [header("References", e.references.map((r) => `<${r}>`).join(" "))] : []),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=us-ascii",
    "Content-Transfer-Encoding: 7bit",
    "",
    ...wrap(e.body, 72),
    "",
  ];
  return lines.join("\r\n");
}

/**
 * The file of a message inside the dataset: `emails/<date>/<hhmmss>-<id hash>.eml`.
 * @param e the message
 * @returns the relative path
 */
export function emlPath(e: Email): string {
  const iso = new Date(e.date).toISOString();
  const tag = e.messageId.split(".")[1].slice(0, 10);
  return `emails/${iso.slice(0, 10)}/${iso.slice(11, 19).replaceAll(":", "")}-${tag}.eml`;
}

/**
 * The e-mail index table: one row per message with its file, headers, thread, kind and incident label.
 * @param emails the messages
 * @param nearDuplicate per message, whether another message is a near-duplicate of it
 * @returns the frame
 */
export function emailIndexFrame(emails: readonly Email[], nearDuplicate: readonly boolean[]): pl.DataFrame {
  const s = (name: string, f: (e: Email) => string | null) => pl.Series(name, emails.map(f), pl.String);
  const l = (name: string, f: (e: Email) => string[]) => pl.Series(name, emails.map(f), pl.List(pl.String));
  return pl.DataFrame([
    s("message_id", (e) => e.messageId),
    s("file", emlPath),
    pl.Series("date", Float64Array.from(emails, (e) => e.date)).cast(pl.Int64).cast(pl.Datetime("ms", "UTC")),
    s("from_address", (e) => e.from.address),
    s("from_name", (e) => e.from.name),
    l("to", (e) => e.to.map((p) => p.address)),
    l("cc", (e) => e.cc.map((p) => p.address)),
    s("subject", (e) => e.subject),
    s("in_reply_to", (e) => e.inReplyTo),
    l("references", (e) => e.references),
    s("thread_id", (e) => e.threadId),
    s("kind", (e) => e.kind),
    pl.Series("body_chars", Int32Array.from(emails, (e) => e.body.length)),
    pl.Series("near_duplicate", [...nearDuplicate], pl.Bool),
    s("incident_id", (e) => e.incidentId),
  ]);
}
