/**
 * ITSM tickets: the ones incidents raise (a main ticket at detection, user reports linked to it as children) and
 * background noise (access, hardware, software, network requests, and minor service complaints), numbered in
 * opening order like a service desk does (`INC0010001`, ...).
 * @module
 */
import pl from "nodejs-polars";
import { entityStream, type Rng } from "@lib/random/mod.ts";
import { type IncidentsConfig, period } from "./config.ts";
import { CUSTOMER_ACTION, EXPOSED_SERVICES, MAILBOXES, SERVICE_BY_NAME } from "./catalog.ts";
import { capitalize, fill, hhmm, type Person, person } from "./text.ts";
import { CLOSINGS, DAYS, FORWARD_NOTES, IMPACT, OPENERS, TEAMS, TICKET_CASES, type TicketCase } from "./ticket_text.ts";
import type { Incident } from "./types/mod.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** One ticket. */
export interface Ticket {
  /** `INC0010001` ... in opening order. */
  ticket_id: string;
  opened_at: number;
  /** When it was resolved, if by the end of the period. */
  resolved_at: number | null;
  closed_at: number | null;
  state: "New" | "In Progress" | "Resolved" | "Closed";
  title: string;
  body: string;
  category: string;
  subcategory: string;
  /** 1 high ... 3 low. */
  urgency: 1 | 2 | 3;
  /** 1 high ... 3 low. */
  impact: 1 | 2 | 3;
  /** ITIL priority from impact and urgency: 1 critical ... 5 planning. */
  priority: number;
  /** `SEV1`..`SEV4` for incident tickets. */
  severity: string | null;
  service: string;
  assignment_group: string;
  /** How it came in. */
  channel: "monitoring" | "phone" | "email" | "portal" | "chat";
  caller: string;
  caller_email: string;
  /** The main ticket a user report is linked to. */
  parent_ticket_id: string | null;
  incident_id: string | null;
}

/** Tickets and each incident's main ticket. */
export interface TicketPlan {
  tickets: Ticket[];
  /** Main ticket id by incident index. */
  mainTicket: string[];
}

/** ITIL priority matrix. */
export function priorityOf(impact: number, urgency: number): number {
  const s = impact + urgency;
  return s <= 2 ? 1 : s === 3 ? 2 : s === 4 ? 3 : s === 5 ? 4 : 5;
}

const SEVERITY_IU: Record<number, [1 | 2 | 3, 1 | 2 | 3][]> = {
  1: [[1, 1]],
  2: [[1, 2], [2, 1]],
  3: [[2, 2]],
  4: [[3, 2], [2, 3]],
};

const REPORTS: Record<string, string[]> = {
  customer: [
    '[Customers|Several customers|A customer] [report|are reporting|say] {service} [is failing|keeps failing|returns errors] [since about|from about|starting around] {t}. [They get|The error is|They see] [an error page|a 5xx error|"something went wrong"].',
    "[Phone call|Call|Chat] from [a customer|the account manager of a large customer]: [can't|cannot|unable to] {action} on the site. [Tried twice.|Retried several times.|Cleared cache, same result.]",
    "[Our|The] {service} [page|screen] [hangs|is very slow|times out] [for users|for some users|intermittently]. [Started|First noticed] [around|at about] {t}.",
    "[Social media|Our community forum|The reviews page] [has complaints|is filling up with posts] that people cannot {action}. [Screenshots show|Posts mention] [a spinning wheel|an error page|a blank screen] [from about|since] {t}.",
    "[A key account|Our biggest reseller|A partner shop] [rang|emailed the account team]: their [staff|buyers] cannot {action} [since|from about] {t} and they [threaten to switch suppliers|want a credit note|ask for an ETA].",
  ],
  internal: [
    "[Getting|Seeing] [errors|timeouts] from {service} [in the back-office tools|in our reports|when I run exports] [since|from] {t}. [Is something down?|Anything known?|Please check.]",
    "{service} [not responding|slow|erroring] for [our team|the finance team|warehouse staff]. [Urgent, we have a deadline today.|It blocks our work.|Not urgent but annoying.]",
    "[The contact centre|Customer service|The returns desk] [cannot look up orders|has callers queueing] because {service} [keeps timing out|throws errors] [since about|from] {t}. [Queue is at forty callers.|Wait times are climbing.|Please hurry.]",
    "{service} down?",
  ],
};

const REPORT_ERRORS = [
  "502 Bad Gateway\nThe server returned an invalid or incomplete response.",
  "Something went wrong on our side. Please try again later. (Reference: {ref})",
  "Error: timeout of 30000ms exceeded",
  "503 Service Temporarily Unavailable",
  "We could not complete your request. Error code {ref}.",
];

const REPORT_IMPACT = [
  "[Sales are down|Orders dropped] [noticeably|by half] [on the live dashboard|since lunch].",
  "[We have a promotion running today|The newsletter went out this morning], so [traffic is high|lots of people are affected].",
  "[Staff are|The team is] [writing orders on paper|telling callers to try later] [for now|meanwhile].",
];

function hexRef(rng: Rng): string {
  let s = "";
  for (let i = 0; i < 8; i++) s += "0123456789ABCDEF"[Math.floor(rng.next() * 16)];
  return s;
}

function alertBlock(rng: Rng, inc: Incident): string {
  const host = inc.servers[0] ?? inc.service;
  const name = inc.type.split("_").map(capitalize).join("");
  const lines = [
    `alertname: ${name}${rng.pick(["", "Critical", "High", "Warning"])}`,
    `service: ${inc.service}`,
    `instance: ${host}`,
    `severity: ${["critical", "critical", "major", "minor"][inc.severity - 1]}`,
    `summary: ${inc.words.symptom}`,
    `started: ${new Date(inc.start).toISOString().replace(".000", "")}`,
  ];
  if (inc.servers.length > 1) lines.push(`also firing on: ${inc.servers.slice(1, 4).join(", ")}`);
  return fill(rng, "[Alert details|Payload|Alert payload]:", {}) + "\n" + lines.map((l) => `  ${l}`).join("\n");
}

const BUSINESS_HOURS = [
  0.1,
  0.08,
  0.06,
  0.05,
  0.05,
  0.08,
  0.3,
  0.8,
  1.6,
  2,
  2,
  1.8,
  1.4,
  1.8,
  1.9,
  1.7,
  1.4,
  1,
  0.6,
  0.4,
  0.3,
  0.25,
  0.2,
  0.15,
];

function incidentTickets(rng: Rng, inc: Incident, pEnd: number): Omit<Ticket, "ticket_id" | "parent_ticket_id">[] {
  const [impact, urgency] = rng.pick(SEVERITY_IU[inc.severity]);
  const info = SERVICE_BY_NAME.get(inc.service);
  const group = info?.team ?? "Operations";
  const opened = inc.detected + rng.int(0, 180) * 1000;
  const resolvedAt = Math.min(inc.resolved + rng.int(5, 45) * MINUTE, inc.closed);
  const viaMonitoring = inc.detection === "monitoring_alert" || inc.detection === "log_alert" ||
    inc.detection === "security_alert";
  const caller = viaMonitoring ? { name: "Event Management", address: MAILBOXES.noc } : person(rng);
  const vars = {
    service: inc.service,
    symptom: inc.words.symptom,
    t: hhmm(inc.start),
    sev: `SEV${inc.severity}`,
    source: inc.detection.replaceAll("_", " "),
  };
  const body = [
    fill(
      rng,
      viaMonitoring
        ? "[Alert|Automated alert|Monitoring alert] [raised|fired|triggered] for {service}: {symptom}. [First seen|Condition started|Threshold breached] at {t}."
        : "[Reported|Raised|Logged] [via|through] {source}: {symptom}. [Impact started|Users affected|Problem seen] [around|from about] {t}.",
      vars,
    ),
    fill(
      rng,
      "[Severity|Initial severity|Assessed severity] {sev}. [Assigned to|Routed to|Escalated to] " + group + ".",
      vars,
    ),
    ...(viaMonitoring ? [alertBlock(rng, inc)] : []),
    ...(!viaMonitoring && inc.customerFacing && rng.bernoulli(0.6) ? [fill(rng, rng.pick(REPORT_IMPACT), vars)] : []),
    ...(rng.bernoulli(0.5)
      ? [fill(
        rng,
        "[Affected services|Services involved|Blast radius]: {services}.[ Runbook: see the {service} on-call page.|]",
        { ...vars, services: (inc.services.length ? inc.services : [inc.service]).join(", ") },
      )]
      : []),
  ].join("\n\n");
  const out: Omit<Ticket, "ticket_id" | "parent_ticket_id">[] = [{
    opened_at: opened,
    resolved_at: resolvedAt,
    closed_at: inc.closed,
    state: inc.closed < pEnd ? "Closed" : "Resolved",
    title: capitalize(inc.words.symptom),
    body,
    category: inc.words.category,
    subcategory: inc.words.subcategory,
    urgency,
    impact,
    priority: priorityOf(impact, urgency),
    severity: `SEV${inc.severity}`,
    service: inc.service,
    assignment_group: group,
    channel: viaMonitoring ? "monitoring" : rng.pick(["phone", "email", "chat"] as const),
    caller: caller.name,
    caller_email: caller.address,
    incident_id: inc.id,
  }];
  const reports = inc.customerFacing ? [rng.int(3, 8), rng.int(1, 4), rng.int(0, 2), 0][inc.severity - 1] : 0;
  for (let k = 0; k < reports; k++) {
    const exposed = inc.services.filter((s) => EXPOSED_SERVICES.has(s));
    const customer = exposed.length > 0 && rng.bernoulli(0.7);
    const at = inc.start + Math.round(rng.uniform(0.1, 1) * (inc.mitigated - inc.start) / 1000) * 1000;
    const reporter = person(rng);
    const service = rng.pick(customer ? exposed : inc.services.length ? inc.services : [inc.service]);
    const action = CUSTOMER_ACTION[service] ?? `use ${service}`;
    const rv = { service, action, t: hhmm(inc.start), ref: hexRef(rng) };
    const parts = [fill(rng, rng.pick(REPORTS[customer ? "customer" : "internal"]), rv)];
    if (rng.bernoulli(0.35)) {
      parts.push(
        fill(rng, "[The page shows:|Error on screen:|They sent this:|Message:]", rv) + "\n" +
          fill(rng, rng.pick(REPORT_ERRORS), rv),
      );
    }
    if (rng.bernoulli(0.3)) parts.push(fill(rng, rng.pick(REPORT_IMPACT), rv));
    const text = parts.join("\n\n");
    out.push({
      opened_at: at,
      resolved_at: resolvedAt,
      closed_at: inc.closed,
      state: inc.closed < pEnd ? "Closed" : "Resolved",
      title: fill(
        rng,
        "[{service} [not working|down|erroring|very slow]|Problem with {service}|{service} [errors|issue]]",
        { service },
      ),
      body: text + "\n\n" + reporter.name,
      category: inc.words.category,
      subcategory: inc.words.subcategory,
      urgency: 2,
      impact: 3,
      priority: priorityOf(3, 2),
      severity: `SEV${inc.severity}`,
      service,
      assignment_group: "Service Desk",
      channel: rng.pick(["phone", "email", "portal", "chat"] as const),
      caller: reporter.name,
      caller_email: reporter.address,
      incident_id: inc.id,
    });
  }
  return out;
}

type Draft = Omit<Ticket, "ticket_id" | "parent_ticket_id"> & { key: string; main?: number; parentOf?: number };

const STYLES = ["one-liner", "short", "standard", "detailed", "forwarded"] as const;
/** Shares of body styles, calibrated so the length spread of bodies comes near real tickets'. */
const STYLE_WEIGHTS = [0.27, 0.25, 0.22, 0.17, 0.09];

function caseVars(rng: Rng, kase: TicketCase, base: Record<string, string | number>): Record<string, string | number> {
  const vars: Record<string, string | number> = { ...base, item: rng.pick(kase.item) };
  for (const [name, values] of Object.entries(kase.vars ?? {})) vars[name] = fill(rng, rng.pick(values), vars);
  for (const [name, values] of Object.entries(kase.pairs ?? {})) {
    const [short, long, error] = rng.pick(values);
    vars[name] = fill(rng, short, vars);
    vars[`${name}_text`] = fill(rng, long, vars);
    if (error !== undefined) vars[`${name}_error`] = error;
  }
  return vars;
}

function sentence(text: string): string {
  return /[.!?:]$/.test(text) ? text : text + ".";
}

/** What a ticket body is written from. */
interface BodySpec {
  kase: TicketCase;
  vars: Record<string, string | number>;
  style: (typeof STYLES)[number];
  /** The writer. */
  who: Person;
}

/** A body written by `who` about the case, in one of the styles. */
function writeBody(rng: Rng, { kase, vars, style, who }: BodySpec): string {
  const first = who.name.split(" ")[0];
  const f = (t: string) => fill(rng, t, vars);
  if (style === "one-liner") {
    const line = f(rng.pick(kase.oneLiners));
    return rng.bernoulli(0.4) ? line : `${line}\n${first}`;
  }
  const parts: string[] = [];
  if (rng.bernoulli(0.7)) parts.push(rng.pick(OPENERS));
  let para = f(rng.pick(kase.problems));
  if (style === "short") {
    if (rng.bernoulli(0.4)) para += " " + sentence(f(rng.pick(kase.details)));
    parts.push(para, `${rng.pick(CLOSINGS)}\n${first}`);
    return parts.join("\n\n");
  }
  const details = rng.shuffle(kase.details).slice(0, style === "standard" ? 1 : 2);
  para += " " + details.map((d) => sentence(f(d))).join(" ");
  parts.push(para);
  const tried = rng.shuffle(kase.tried).slice(0, style === "standard" ? rng.int(1, 2) : rng.int(2, 3)).map(f);
  if (style === "standard") {
    if (tried.length && rng.bernoulli(0.6)) {
      parts.push(
        f("[I already|So far I have|Already]") + " " + tried.join(" and ") +
          f("[, no luck.|, same result.|, but it did not help.]"),
      );
    } else parts.push(f(rng.pick(IMPACT)));
  } else {
    const errors = "fault_error" in vars ? [String(vars.fault_error)] : kase.errors;
    if (errors.length && rng.bernoulli(0.8)) {
      parts.push(
        f("[The error says:|Error message:|This is what I get:|Screen text below:]") + "\n\n" + f(rng.pick(errors)),
      );
    }
    if (tried.length) {
      parts.push(
        f("[What I tried:|Steps already tried:|Tried so far:]") + "\n" + tried.map((t) => `- ${t}`).join("\n"),
      );
    }
    parts.push(f(rng.pick(IMPACT)));
  }
  parts.push(
    `${rng.pick(CLOSINGS)}\n${who.name}${rng.bernoulli(0.5) ? `\n${capitalize(String(vars.team))} team` : ""}`,
  );
  return parts.join("\n\n");
}

/** Where a background ticket falls: its day, the period's end, its key and the fleet's services. */
interface BackgroundSlot {
  day: number;
  pEnd: number;
  key: string;
  apps: readonly string[];
}

function backgroundTicket(rng: Rng, { day, pEnd, key, apps }: BackgroundSlot): Draft {
  const hour = rng.weightedIndex(BUSINESS_HOURS);
  const opened = day + hour * HOUR + rng.int(0, 3599) * 1000;
  const kase = TICKET_CASES[rng.weightedIndex(TICKET_CASES.map((b) => b.weight))];
  const caller = person(rng);
  const app = rng.pick(apps);
  const vars = caseVars(rng, kase, {
    name: caller.name.split(" ")[0],
    app,
    team: rng.pick(TEAMS),
    n: rng.int(10000, 99999),
    floor: rng.int(1, 6),
    room: String(rng.int(1, 30)).padStart(2, "0"),
    day: rng.pick(DAYS),
  });
  const style = STYLES[rng.weightedIndex(STYLE_WEIGHTS)];
  let title = fill(rng, rng.pick(kase.titles), vars);
  let body: string;
  if (style === "forwarded") {
    const other = person(rng);
    const sent = new Date(opened - rng.int(20, 60 * 30) * 60_000);
    const inner = writeBody(rng, { kase, vars, style: "detailed", who: other });
    const note = fill(rng, rng.pick(FORWARD_NOTES), { other: other.name.split(" ")[0] });
    body = [
      note,
      `${caller.name.split(" ")[0]}`,
      "---------- Forwarded message ---------",
      `From: ${other.name} <${other.address}>\nDate: ${DAYS_SHORT[sent.getUTCDay()]}, ${sent.getUTCDate()} ${
        MONTHS[sent.getUTCMonth()]
      } ${sent.getUTCFullYear()} at ${
        sent.toISOString().slice(11, 16)
      }\nSubject: ${title}\nTo: ${caller.name} <${caller.address}>`,
      inner,
      ...(rng.bernoulli(0.5) ? earlier(rng, { kase, vars, before: sent }) : []),
    ].join("\n\n");
    title = `${rng.pick(["FW", "Fwd", "FW"])}: ${title}`;
  } else body = writeBody(rng, { kase, vars, style, who: caller });
  const urgency = (rng.weightedIndex(kase.urgency) + 1) as 1 | 2 | 3;
  const impact = (urgency === 1 ? 2 : 3) as 2 | 3;
  const took = Math.exp(rng.uniform(Math.log(kase.hours[0]), Math.log(kase.hours[1]))) * HOUR;
  const resolved = Math.round((opened + took) / 1000) * 1000;
  const closed = resolved + rng.int(1, 72) * HOUR;
  return {
    key: `bg/${key}`,
    opened_at: opened,
    resolved_at: resolved < pEnd ? resolved : null,
    closed_at: closed < pEnd ? closed : null,
    state: closed < pEnd ? "Closed" : resolved < pEnd ? "Resolved" : rng.bernoulli(0.2) ? "New" : "In Progress",
    title,
    body,
    category: kase.category,
    subcategory: kase.subcategory,
    urgency,
    impact,
    priority: priorityOf(impact, urgency),
    severity: null,
    service: kase.service || app,
    assignment_group: kase.group || (SERVICE_BY_NAME.get(app)?.team ?? "Service Desk"),
    channel: style === "forwarded" ? "email" : rng.pick(["phone", "email", "portal", "portal", "chat"] as const),
    caller: caller.name,
    caller_email: caller.address,
    incident_id: null,
  };
}

/** An earlier message of a forwarded thread: someone the writer asked first, quoted below the writer's text. */
function earlier(rng: Rng, { kase, vars, before }: Omit<BodySpec, "style" | "who"> & { before: Date }): string[] {
  const colleague = person(rng);
  const at = new Date(before.getTime() - rng.int(30, 60 * 24) * 60_000);
  const text = writeBody(rng, { kase, vars, style: "standard", who: colleague });
  return [
    `On ${DAYS_SHORT[at.getUTCDay()]}, ${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} at ${
      at.toISOString().slice(11, 16)
    }, ${colleague.name} <${colleague.address}> wrote:`,
    text.split("\n").map((l) => (l ? `> ${l}` : ">")).join("\n"),
  ];
}

const DAYS_SHORT = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** What tickets are planned for. */
export interface TicketScope {
  /** The timeline's incidents. */
  incidents: readonly Incident[];
  /** Services of the fleet. */
  apps: readonly string[];
}

/**
 * Plans every ticket of the period: incident tickets from each incident's stream `(seed, "incidents",
 * "<id>/tickets")`, background tickets per day from `(seed, "incidents", "tickets/<date>")`, numbered in opening
 * order.
 *
 * @param config the resolved config
 * @param scope the incidents and the services of the fleet (for minor service complaints)
 * @returns the tickets and each incident's main ticket id
 * @example
 * ```ts
 * import { buildFleet, generateTimeline, IncidentsConfig, planTickets } from "@lib/generate/incidents/mod.ts";
 * const config = IncidentsConfig.parse({ to: "2024-03-06" });
 * const fleet = buildFleet(config.seed, config.servers);
 * const { incidents } = generateTimeline(config, fleet);
 * const { tickets } = planTickets(config, { incidents, apps: [...fleet.byApp.keys()] });
 * ```
 */
export function planTickets(config: IncidentsConfig, scope: TicketScope): TicketPlan {
  const { incidents, apps } = scope;
  const { start: pStart, end: pEnd } = period(config);
  const drafts: Draft[] = [];
  for (const inc of incidents) {
    const rng = entityStream(config.seed, { dataset: "incidents", entity: `${inc.id}/tickets` });
    incidentTickets(rng, inc, pEnd).forEach((t, k) =>
      drafts.push({ ...t, key: `${inc.id}/${k}`, ...(k === 0 ? { main: inc.index } : { parentOf: inc.index }) })
    );
  }
  for (let day = pStart; day < pEnd; day += DAY) {
    const date = new Date(day).toISOString().slice(0, 10);
    const rng = entityStream(config.seed, { dataset: "incidents", entity: `tickets/${date}` });
    const dow = new Date(day).getUTCDay();
    const n = rng.poisson(config.volumes.tickets_per_day * (dow === 0 || dow === 6 ? 0.25 : 1));
    for (let k = 0; k < n; k++) {
      const key = `${date}/${String(k).padStart(5, "0")}`;
      drafts.push(
        backgroundTicket(entityStream(config.seed, { dataset: "incidents", entity: `tickets/${key}` }), {
          day,
          pEnd,
          key,
          apps,
        }),
      );
    }
  }
  drafts.sort((a, b) => a.opened_at - b.opened_at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const mainTicket: string[] = new Array(incidents.length).fill("");
  const ids = drafts.map((_, i) => `INC${String(10001 + i).padStart(7, "0")}`);
  drafts.forEach((d, i) => {
    if (d.main !== undefined) mainTicket[d.main] = ids[i];
  });
  const tickets = drafts.map(({ key: _key, main: _main, parentOf, ...t }, i) => ({
    ...t,
    ticket_id: ids[i],
    parent_ticket_id: parentOf !== undefined ? mainTicket[parentOf] : null,
  }));
  return { tickets, mainTicket };
}

/**
 * The `tickets` table.
 * @param tickets the planned tickets
 * @returns the frame, in ticket order
 */
export function ticketsFrame(tickets: readonly Ticket[]): pl.DataFrame {
  const time = (name: string, f: (t: Ticket) => number | null) =>
    pl.Series(name, tickets.map(f), pl.Float64).cast(pl.Int64).cast(pl.Datetime("ms", "UTC"));
  const str = (name: keyof Ticket) => pl.Series(name, tickets.map((t) => t[name] as string | null), pl.String);
  const int = (name: keyof Ticket) => pl.Series(name, Int8Array.from(tickets, (t) => t[name] as number));
  return pl.DataFrame([
    str("ticket_id"),
    time("opened_at", (t) => t.opened_at),
    time("resolved_at", (t) => t.resolved_at),
    time("closed_at", (t) => t.closed_at),
    str("state"),
    str("title"),
    str("body"),
    str("category"),
    str("subcategory"),
    int("urgency"),
    int("impact"),
    int("priority"),
    str("severity"),
    str("service"),
    str("assignment_group"),
    str("channel"),
    str("caller"),
    str("caller_email"),
    str("parent_ticket_id"),
    str("incident_id"),
  ]);
}
