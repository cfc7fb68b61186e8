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
import { capitalize, fill, hhmm, person } from "./text.ts";
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
  ],
  internal: [
    "[Getting|Seeing] [errors|timeouts] from {service} [in the back-office tools|in our reports|when I run exports] [since|from] {t}. [Is something down?|Anything known?|Please check.]",
    "{service} [not responding|slow|erroring] for [our team|the finance team|warehouse staff]. [Urgent, we have a deadline today.|It blocks our work.|Not urgent but annoying.]",
  ],
};

interface BackgroundKind {
  category: string;
  subcategory: string;
  service: string;
  group: string;
  weight: number;
  urgency: readonly [number, number, number];
  hours: readonly [number, number];
  title: string;
  body: string;
}

const BACKGROUND: readonly BackgroundKind[] = [
  {
    category: "Access",
    subcategory: "Password reset",
    service: "identity",
    group: "Service Desk",
    weight: 6,
    urgency: [0.1, 0.5, 0.4],
    hours: [0.2, 4],
    title: "[Password reset|Locked out of my account|Account locked after password change]",
    body:
      "[Hi,|Hello,|Hi team,] [I|I've] [forgot|forgotten|mistyped] my password [and|so] [my account is now locked|I can't log in]. [Could you|Can you please|Please] [reset it|unlock it|help]? [Thanks|Thank you|Cheers], {name}",
  },
  {
    category: "Access",
    subcategory: "Permission request",
    service: "identity",
    group: "Identity",
    weight: 3,
    urgency: [0.02, 0.3, 0.68],
    hours: [2, 48],
    title: "[Access request|Need access] [to|for] [the {app} dashboard|the {app} logs|the shared {team} folder]",
    body:
      "[I need|Requesting] [read-only|read] access to [the {app} dashboard|the {app} logs|the shared {team} folder] [for a project|to investigate a customer question|for the quarterly review]. [My manager approved.|Approval from my manager attached.|] [Thanks|Thank you], {name}",
  },
  {
    category: "Hardware",
    subcategory: "Laptop",
    service: "workplace",
    group: "Desktop Support",
    weight: 3,
    urgency: [0.05, 0.45, 0.5],
    hours: [4, 72],
    title: "[Laptop|Notebook] [battery not charging|very slow|screen flickering|fan very loud|won't wake from sleep]",
    body:
      "[My laptop|The laptop I was given] [has been|is] [acting up|having trouble] [since yesterday|since the last update|for a week]: [the battery does not charge|it is very slow|the screen flickers|the fan is loud all the time|it does not wake up]. [Asset tag|Tag] EX-{n}. {name}",
  },
  {
    category: "Hardware",
    subcategory: "Peripheral",
    service: "workplace",
    group: "Desktop Support",
    weight: 1.5,
    urgency: [0.02, 0.3, 0.68],
    hours: [4, 96],
    title:
      "[Printer on floor {floor} jammed|Docking station not detecting monitor|Need a new headset|Keyboard keys sticking]",
    body:
      "[The printer on floor {floor}|My docking station|My headset|My keyboard] [is broken|doesn't work|stopped working] [since this morning|since Monday|again]. [Can someone take a look?|Please replace it.|Thanks.] {name}",
  },
  {
    category: "Software",
    subcategory: "Installation",
    service: "workplace",
    group: "Desktop Support",
    weight: 2.5,
    urgency: [0.02, 0.25, 0.73],
    hours: [3, 72],
    title: "[Install request|Software request]: [a diff tool|a PDF editor|the database client|a newer Python]",
    body:
      "[Please install|Could you install|I need] [a diff tool|a PDF editor|the database client|a newer Python] on [my machine|my laptop] [for my work on {app}|for a data task|]. [Thank you|Thanks], {name}",
  },
  {
    category: "Network",
    subcategory: "VPN",
    service: "vpn",
    group: "Network Operations",
    weight: 2.5,
    urgency: [0.1, 0.5, 0.4],
    hours: [0.5, 12],
    title: "[VPN keeps disconnecting|Cannot connect to VPN|VPN very slow from home]",
    body:
      "[The VPN|VPN client] [drops every few minutes|won't connect|is extremely slow] [when working from home|since the client update|today]. [Error says authentication timed out.|No error shown.|I restarted, no change.] {name}",
  },
  {
    category: "Email",
    subcategory: "Phishing report",
    service: "email",
    group: "Security Operations",
    weight: 1.5,
    urgency: [0.2, 0.5, 0.3],
    hours: [0.3, 8],
    title:
      "[Suspicious e-mail|Possible phishing|Phishing?] [about an invoice|asking for my password|with a strange attachment]",
    body:
      "[I received|Got] [an e-mail|a message] [that looks like phishing|that seems suspicious] [about an unpaid invoice|asking me to confirm my password|with a zip attachment]. [I did not click anything.|I did not open it.|I forwarded it to security.] {name}",
  },
  {
    category: "Email",
    subcategory: "Mailbox",
    service: "email",
    group: "Service Desk",
    weight: 1.5,
    urgency: [0.02, 0.3, 0.68],
    hours: [1, 48],
    title: "[Mailbox almost full|Shared mailbox missing|Calendar invites not arriving]",
    body:
      "[My mailbox is almost full|I lost access to the {team} shared mailbox|Calendar invites from outside do not arrive]. [Could you help?|Please advise.|Thanks in advance.] {name}",
  },
  {
    category: "Application",
    subcategory: "Minor issue",
    service: "",
    group: "",
    weight: 2,
    urgency: [0.02, 0.3, 0.68],
    hours: [4, 120],
    title:
      "[{app}: small display glitch|{app}: export button label wrong|{app}: typo on a page|{app}: slow report once]",
    body:
      '[Not urgent:|Low priority:|FYI:] [in {app}|on a {app} page] [a label is cut off|the export button says "Exprot"|a report took a while once this morning|a date shows in the wrong format]. [No impact on work.|Just reporting it.|Can be fixed whenever.] {name}',
  },
];

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
    const text = fill(rng, rng.pick(REPORTS[customer ? "customer" : "internal"]), {
      service,
      action,
      t: hhmm(inc.start),
    });
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
  type Draft = Omit<Ticket, "ticket_id" | "parent_ticket_id"> & { key: string; main?: number; parentOf?: number };
  const drafts: Draft[] = [];
  for (const inc of incidents) {
    const rng = entityStream(config.seed, "incidents", `${inc.id}/tickets`);
    incidentTickets(rng, inc, pEnd).forEach((t, k) =>
      drafts.push({ ...t, key: `${inc.id}/${k}`, ...(k === 0 ? { main: inc.index } : { parentOf: inc.index }) })
    );
  }
  for (let day = pStart; day < pEnd; day += DAY) {
    const date = new Date(day).toISOString().slice(0, 10);
    const rng = entityStream(config.seed, "incidents", `tickets/${date}`);
    const dow = new Date(day).getUTCDay();
    const n = rng.poisson(config.volumes.tickets_per_day * (dow === 0 || dow === 6 ? 0.25 : 1));
    for (let k = 0; k < n; k++) {
      const hour = rng.weightedIndex(BUSINESS_HOURS);
      const opened = day + hour * HOUR + rng.int(0, 3599) * 1000;
      const kind = BACKGROUND[rng.weightedIndex(BACKGROUND.map((b) => b.weight))];
      const caller = person(rng);
      const app = rng.pick(apps);
      const vars = {
        name: caller.name.split(" ")[0],
        app,
        team: rng.pick(["finance", "marketing", "logistics", "hr"]),
        n: rng.int(10000, 99999),
        floor: rng.int(1, 6),
      };
      const urgency = (rng.weightedIndex(kind.urgency) + 1) as 1 | 2 | 3;
      const impact = (urgency === 1 ? 2 : 3) as 2 | 3;
      const took = Math.exp(rng.uniform(Math.log(kind.hours[0]), Math.log(kind.hours[1]))) * HOUR;
      const resolved = Math.round((opened + took) / 1000) * 1000;
      const closed = resolved + rng.int(1, 72) * HOUR;
      const service = kind.service || app;
      drafts.push({
        key: `bg/${date}/${String(k).padStart(5, "0")}`,
        opened_at: opened,
        resolved_at: resolved < pEnd ? resolved : null,
        closed_at: closed < pEnd ? closed : null,
        state: closed < pEnd ? "Closed" : resolved < pEnd ? "Resolved" : rng.bernoulli(0.2) ? "New" : "In Progress",
        title: fill(rng, kind.title, vars),
        body: fill(rng, kind.body, vars),
        category: kind.category,
        subcategory: kind.subcategory,
        urgency,
        impact,
        priority: priorityOf(impact, urgency),
        severity: null,
        service,
        assignment_group: kind.group || (SERVICE_BY_NAME.get(app)?.team ?? "Service Desk"),
        channel: rng.pick(["phone", "email", "portal", "portal", "chat"] as const),
        caller: caller.name,
        caller_email: caller.address,
        incident_id: null,
      });
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
