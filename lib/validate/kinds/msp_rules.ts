/**
 * The MSP kind's own rules, run by the validation engine as the `msp` family after its per-table checks (schema,
 * keys, enums, foreign keys: see `./msp.ts`): one SLA row per type and ticket, technician set exactly when
 * assigned, timestamp order, SLA targets and statuses against the timestamps, and every derived column and table
 * against an independent recomputation.
 *
 * The recomputations here deliberately share no code with `derive.ts` (they are plain loops over columns, not
 * Polars expressions), so a bug in either shows up as a disagreement.
 * @module
 */
import pl from "nodejs-polars";
import type { CheckResult } from "../types.ts";
import {
  AFTER_HOURS_RATE_FACTOR,
  BILLING_RATE,
  CLOSE_AFTER_DAYS,
  CONTRACT_TYPES,
  EFFORT_OVERRUN_FACTOR,
  PRIORITIES,
  SERVICE_LEVEL_FACTOR,
  SERVICE_LEVELS,
  SLA_BASE_MINUTES,
  SLA_TYPES,
} from "@lib/schema/msp/catalog.ts";
import {
  businessSeconds,
  fromBusinessSeconds,
  isBusinessTime,
  weekdaysBetween,
  WORKDAY_HOURS,
} from "@lib/calendar/business_hours.ts";
import type { MspTableName } from "@lib/schema/msp/tables.ts";

/** The outcome of one check: the result type of the validation engine (`lib/validate/types.ts`). */
export type { CheckResult };

/** Options of {@linkcode checkMspTables}. */
export interface CheckMspOptions {
  /**
   * The snapshot instant (epoch ms) the tables describe.
   * @default midnight after the last date of `service_delivery_daily`
   */
  asOfMs?: number;
  /**
   * The first instant of the period (epoch ms).
   * @default midnight of the first date of `service_delivery_daily`
   */
  startMs?: number;
  /** Mean weekday utilization above which the desk counts as overloaded (a warning). @default 0.95 */
  maxUtilization?: number;
}

/** The tables checked; extra tables are ignored. */
export type MspTablesInput = Record<MspTableName, pl.DataFrame>;

const DAY_MS = 86_400_000;
type Cell = number | string | boolean | null;

function values(df: pl.DataFrame, name: string): Cell[] {
  const s = df.getColumn(name);
  const dtype = String(s.dtype);
  const raw: unknown[] = dtype.includes("Datetime")
    ? s.cast(pl.Datetime("ms")).cast(pl.Int64).toArray()
    : dtype.includes("Date")
    ? s.cast(pl.Int32).toArray()
    : s.toArray();
  return raw.map((v) => (typeof v === "bigint" ? Number(v) : v as Cell));
}

function nums(df: pl.DataFrame, name: string): (number | null)[] {
  return values(df, name).map((v) => (v === null || v === undefined ? null : Number(v)));
}

function strs(df: pl.DataFrame, name: string): (string | null)[] {
  return values(df, name).map((v) => (v === null || v === undefined ? null : String(v)));
}

/** The family of a check id (`msp.<family-ish>.…`), in the validation engine's vocabulary. */
function familyOf(id: string): string {
  const part = id.split(".")[1];
  return part === "schema"
    ? "schema"
    : part === "key"
    ? "uniqueness"
    : part === "enum"
    ? "validity"
    : part === "desk"
    ? "validity"
    : "integrity";
}

function result(
  id: string,
  severity: CheckResult["severity"],
  measured: number,
  limit: number,
  what: string,
  detail = "",
): CheckResult {
  const passed = severity === "info" || measured <= limit;
  const threshold = severity === "info" ? "" : `<= ${limit}`;
  const message = passed
    ? `${what}: ${measured}`
    : `${what}: ${measured}, expected ${threshold}${detail === "" ? "" : `; e.g. ${detail}`}`;
  return { id, family: familyOf(id), severity, passed, measured, threshold, message };
}

function violations(id: string, what: string, bad: string[], severity: CheckResult["severity"] = "error") {
  return result(id, severity, bad.length, 0, what, bad.slice(0, 3).join(", "));
}

function close(a: number | null, b: number | null, tol: number): boolean {
  if (a === null || b === null || Number.isNaN(a) || Number.isNaN(b)) {
    return (a === null || Number.isNaN(a)) === (b === null || Number.isNaN(b));
  }
  return Math.abs(a - b) <= tol + 1e-9 * Math.max(1, Math.abs(a));
}

/** SLA target minutes and calendar of a priority, service level and SLA type, or undefined for unknown values. */
function policy(priority: string | null, level: string | null, type: string | null) {
  const p = PRIORITIES.indexOf(priority as typeof PRIORITIES[number]);
  const l = SERVICE_LEVELS.indexOf(level as typeof SERVICE_LEVELS[number]);
  const s = SLA_TYPES.indexOf(type as typeof SLA_TYPES[number]);
  if (p < 0 || l < 0 || s < 0) return undefined;
  return { target: SLA_BASE_MINUTES[p][s] * SERVICE_LEVEL_FACTOR[l], calendar: p === 0 ? "24x7" : "business_hours" };
}

function slaMinutes(calendar: string, from: number, to: number): number {
  return calendar === "24x7" ? (to - from) / 60_000 : (businessSeconds(to) - businessSeconds(from)) / 60;
}

function guard(id: string, fn: () => CheckResult[]): CheckResult[] {
  try {
    return fn();
  } catch (e) {
    const reason = String((e as Error).message ?? e).split("\n")[0];
    return [{
      id,
      family: familyOf(id),
      severity: "error",
      passed: false,
      measured: null,
      threshold: "",
      message: `Cannot run ${id}: ${reason}`,
    }];
  }
}

/**
 * Checks the links the engine's foreign keys cannot state: exactly one SLA row per SLA type for every ticket, and
 * `technician_id` null exactly when the ticket is not yet assigned.
 * @param tables the tables
 * @returns the results
 */
export function checkLinks(tables: MspTablesInput): CheckResult[] {
  const { tickets, sla_metrics } = tables;
  return [
    ...guard("msp.sla_metrics.complete", () => {
      const types = new Map<string, string[]>();
      const ids = strs(sla_metrics, "ticket_id"), t = strs(sla_metrics, "sla_type");
      ids.forEach((id, i) => {
        if (id !== null) types.set(id, [...(types.get(id) ?? []), t[i] ?? "null"]);
      });
      const bad = strs(tickets, "ticket_id").filter((id) => {
        const got = (types.get(id ?? "") ?? []).slice().sort().join(",");
        return got !== [...SLA_TYPES].sort().join(",");
      });
      return [violations("msp.sla_metrics.complete", "tickets without exactly one SLA row per type", bad.map(String))];
    }),
    ...guard("msp.tickets.technician_assigned", () => {
      const tech = strs(tickets, "technician_id"), assigned = nums(tickets, "assigned_at");
      const ids = strs(tickets, "ticket_id");
      const bad = ids.filter((_, i) => (tech[i] === null) !== (assigned[i] === null));
      return [
        violations(
          "msp.tickets.technician_assigned",
          "tickets whose technician_id is null while assigned (or set while unassigned)",
          bad.map(String),
        ),
      ];
    }),
  ];
}

function periodOf(tables: MspTablesInput, options: CheckMspOptions): { startMs: number; asOfMs: number } {
  const days = nums(tables.service_delivery_daily, "date").filter((d): d is number => d !== null);
  const startMs = options.startMs ?? Math.min(...days) * DAY_MS;
  const asOfMs = options.asOfMs ?? (Math.max(...days) + 1) * DAY_MS;
  if (!Number.isFinite(startMs) || !Number.isFinite(asOfMs)) {
    throw new RangeError("Cannot infer the period: service_delivery_daily has no dates and no asOfMs was given");
  }
  return { startMs, asOfMs };
}

interface TicketColumns {
  id: (string | null)[];
  client: (string | null)[];
  tech: (string | null)[];
  priority: (string | null)[];
  created: (number | null)[];
  due: (number | null)[];
  assigned: (number | null)[];
  first: (number | null)[];
  resolved: (number | null)[];
  estimated: (number | null)[];
  actual: (number | null)[];
  rate: (number | null)[];
  cost: (number | null)[];
  status: (string | null)[];
  slaStatus: (string | null)[];
  reason: (string | null)[];
  satisfaction: (number | null)[];
}

const ticketCache = new WeakMap<pl.DataFrame, TicketColumns>();

/** The ticket columns as arrays, converted once per frame (three check families read them). */
function ticketColumns(t: pl.DataFrame): TicketColumns {
  const hit = ticketCache.get(t);
  if (hit !== undefined) return hit;
  const cols = readTicketColumns(t);
  ticketCache.set(t, cols);
  return cols;
}

function readTicketColumns(t: pl.DataFrame): TicketColumns {
  return {
    id: strs(t, "ticket_id"),
    client: strs(t, "client_id"),
    tech: strs(t, "technician_id"),
    priority: strs(t, "priority"),
    created: nums(t, "created_at"),
    due: nums(t, "due_at"),
    assigned: nums(t, "assigned_at"),
    first: nums(t, "first_response_at"),
    resolved: nums(t, "resolved_at"),
    estimated: nums(t, "estimated_hours"),
    actual: nums(t, "actual_hours"),
    rate: nums(t, "billing_rate"),
    cost: nums(t, "total_cost"),
    status: strs(t, "status"),
    slaStatus: strs(t, "sla_status"),
    reason: strs(t, "sla_breach_reason"),
    satisfaction: nums(t, "satisfaction"),
  };
}

/**
 * Checks ticket facts against each other: timestamps in order and before the snapshot, created inside the period
 * and the client's contract, lifecycle status from the timestamps, hours, billing rate from the contract, total
 * cost from hours and rate, satisfaction only on resolved tickets and within 1-5, and clients' `last_activity`.
 * @param tables the tables
 * @param options the period (inferred by default)
 * @returns the results
 */
export function checkTicketFacts(tables: MspTablesInput, options: CheckMspOptions = {}): CheckResult[] {
  return guard("msp.tickets.facts", () => {
    const { startMs, asOfMs } = periodOf(tables, options);
    const t = ticketColumns(tables.tickets);
    const clientIds = strs(tables.clients, "client_id");
    const contractType = new Map(clientIds.map((id, i) => [id, strs(tables.clients, "contract_type")[i]]));
    const cStart = nums(tables.clients, "contract_start"), cEnd = nums(tables.clients, "contract_end");
    const window = new Map(clientIds.map((id, i) => [id, [cStart[i], cEnd[i]]]));
    const order: string[] = [], period: string[] = [], contract: string[] = [], status: string[] = [];
    const hours: string[] = [], rate: string[] = [], cost: string[] = [], sat: string[] = [];
    const lastActivity = new Map<string, number>();
    for (let i = 0; i < t.id.length; i++) {
      const id = t.id[i] ?? `row ${i}`;
      const c = t.created[i], a = t.assigned[i], f = t.first[i], r = t.resolved[i];
      const chain = [c, a, f, r];
      const firstNull = chain.indexOf(null);
      const broken = c === null || (firstNull >= 0 && chain.slice(firstNull).some((v) => v !== null)) ||
        chain.some((v, k) => k > 0 && v !== null && chain[k - 1] !== null && v < (chain[k - 1] as number)) ||
        chain.some((v) => v !== null && v >= asOfMs);
      if (broken) order.push(id);
      if (c === null) continue;
      if (c < startMs || c >= asOfMs) period.push(id);
      const w = window.get(t.client[i] ?? "");
      if (w && w[0] !== null && w[1] !== null && (c < w[0] * DAY_MS || c >= w[1] * DAY_MS)) contract.push(id);
      if (t.client[i] !== null) {
        lastActivity.set(t.client[i]!, Math.max(lastActivity.get(t.client[i]!) ?? -Infinity, c));
      }
      const expected = r !== null
        ? (r <= asOfMs - CLOSE_AFTER_DAYS * DAY_MS ? "closed" : "resolved")
        : f !== null
        ? "in_progress"
        : a !== null
        ? "assigned"
        : "new";
      if (t.status[i] !== expected) status.push(`${id} is ${t.status[i]}, timestamps say ${expected}`);
      const est = t.estimated[i], act = t.actual[i];
      if (est === null || !(est > 0) || (r === null) !== (act === null) || (act !== null && !(act >= 0.25))) {
        hours.push(id);
      }
      const ct = CONTRACT_TYPES.indexOf(contractType.get(t.client[i] ?? "") as typeof CONTRACT_TYPES[number]);
      if (ct >= 0) {
        const want = BILLING_RATE[ct] * (isBusinessTime(c) ? 1 : AFTER_HOURS_RATE_FACTOR);
        if (!close(t.rate[i], want, 1e-9)) rate.push(`${id} rate ${t.rate[i]}, contract says ${want}`);
      }
      const wantCost = act === null || t.rate[i] === null ? null : act * t.rate[i]!;
      if (!close(t.cost[i], wantCost, 0.005)) cost.push(`${id} cost ${t.cost[i]}, hours x rate ${wantCost}`);
      const s = t.satisfaction[i];
      if (s !== null && (r === null || !Number.isInteger(s) || s < 1 || s > 5)) sat.push(`${id} satisfaction ${s}`);
    }
    const last = nums(tables.clients, "last_activity");
    const activity = clientIds.filter((id, i) => !close(last[i], lastActivity.get(id ?? "") ?? null, 0))
      .map((id) => `${id}`);
    return [
      violations(
        "msp.tickets.timestamps_ordered",
        "tickets whose created/assigned/first response/resolved times are out of order, have gaps or pass the snapshot",
        order,
      ),
      violations("msp.tickets.in_period", "tickets created outside the period", period),
      violations("msp.tickets.in_contract", "tickets created outside their client's contract window", contract),
      violations("msp.tickets.status", "tickets whose status disagrees with their timestamps", status),
      violations(
        "msp.tickets.hours",
        "tickets with a non-positive estimate or actual hours not set exactly when resolved",
        hours,
      ),
      violations(
        "msp.tickets.billing_rate",
        "tickets whose billing rate disagrees with the contract and after-hours rule",
        rate,
      ),
      violations("msp.tickets.total_cost", "tickets whose total cost is not actual hours x billing rate", cost),
      violations("msp.tickets.satisfaction", "satisfaction scores outside 1-5 or on unresolved tickets", sat),
      violations("msp.clients.last_activity", "clients whose last_activity is not their latest ticket", activity),
    ];
  });
}

/**
 * Checks SLA rows against the policy and the timestamps, and tickets against their SLA rows: target and calendar
 * from the priority and the client's service level, measured minutes from the timestamps, status from measured,
 * target and the snapshot, ticket `due_at`, `sla_status` and `sla_breach_reason` from the three SLAs.
 * @param tables the tables
 * @param options the period (inferred by default)
 * @returns the results
 */
export function checkSla(tables: MspTablesInput, options: CheckMspOptions = {}): CheckResult[] {
  return guard("msp.sla", () => {
    const { asOfMs } = periodOf(tables, options);
    const t = ticketColumns(tables.tickets);
    const level = new Map(
      strs(tables.clients, "client_id").map((id, i) => [id, strs(tables.clients, "service_level")[i]]),
    );
    const row = new Map(t.id.map((id, i) => [id, i]));
    const s = tables.sla_metrics;
    const sid = strs(s, "ticket_id"), type = strs(s, "sla_type"), cal = strs(s, "calendar");
    const target = nums(s, "target_minutes"), actual = nums(s, "actual_minutes"), status = strs(s, "status");
    const targets: string[] = [], measured: string[] = [], statuses: string[] = [];
    const byTicket = new Map<string, Record<string, string | null>>();
    const resolutionTarget = new Map<string, number>();
    for (let k = 0; k < sid.length; k++) {
      const i = row.get(sid[k]);
      if (i === undefined) continue; // reported by the foreign-key check
      const id = sid[k]!;
      const want = policy(t.priority[i], level.get(t.client[i]) ?? null, type[k]);
      if (want === undefined || !close(target[k], want.target, 1e-9) || cal[k] !== want.calendar) {
        targets.push(`${id} ${type[k]} target ${target[k]} ${cal[k]}, policy ${want?.target} ${want?.calendar}`);
      }
      const calendar = want?.calendar ?? cal[k] ?? "24x7";
      const c = t.created[i];
      const event = type[k] === "response" ? t.assigned[i] : type[k] === "first_response" ? t.first[i] : t.resolved[i];
      const wantActual = c === null || event === null ? null : slaMinutes(calendar, c, event);
      if (!close(actual[k], wantActual, 1e-6)) measured.push(`${id} ${type[k]} ${actual[k]}, timestamps ${wantActual}`);
      const tg = want?.target ?? target[k] ?? 0;
      const wantStatus = wantActual !== null
        ? (wantActual <= tg ? "met" : "breached")
        : c !== null && slaMinutes(calendar, c, asOfMs) > tg
        ? "breached"
        : "pending";
      if (status[k] !== wantStatus) statuses.push(`${id} ${type[k]} ${status[k]}, timestamps say ${wantStatus}`);
      byTicket.set(id, { ...(byTicket.get(id) ?? {}), [type[k] ?? ""]: wantStatus });
      if (type[k] === "resolution") resolutionTarget.set(id, tg);
    }
    const slaStatus: string[] = [], reasons: string[] = [], due: string[] = [];
    t.id.forEach((id, i) => {
      const st = byTicket.get(id ?? "");
      if (st === undefined) return;
      const all = SLA_TYPES.map((x) => st[x]);
      const want = all.includes("breached") ? "breached" : all.every((x) => x === "met") ? "met" : "pending";
      if (t.slaStatus[i] !== want) slaStatus.push(`${id} ${t.slaStatus[i]}, SLA rows say ${want}`);
      const reason = st.response === "breached"
        ? "dispatch_delay"
        : st.first_response === "breached"
        ? "technician_backlog"
        : st.resolution !== "breached"
        ? null
        : t.resolved[i] === null
        ? "open_past_due"
        : (t.actual[i] ?? 0) > (t.estimated[i] ?? 0) * EFFORT_OVERRUN_FACTOR
        ? "effort_overrun"
        : "extended_wait";
      if (t.reason[i] !== reason) reasons.push(`${id} ${t.reason[i]}, facts say ${reason}`);
      const tg = resolutionTarget.get(id ?? ""), c = t.created[i];
      if (tg !== undefined && c !== null) {
        const wantDue = t.priority[i] === "critical"
          ? Math.round(c + tg * 60_000)
          : fromBusinessSeconds(businessSeconds(c) + tg * 60);
        if (!close(t.due[i], wantDue, 1)) due.push(`${id} due ${t.due[i]}, policy ${wantDue}`);
      }
    });
    return [
      violations("msp.sla_metrics.targets", "SLA rows whose target or calendar disagrees with the policy", targets),
      violations(
        "msp.sla_metrics.actual_minutes",
        "SLA rows whose measured minutes disagree with the timestamps",
        measured,
      ),
      violations("msp.sla_metrics.status", "SLA rows whose status disagrees with the timestamps", statuses),
      violations("msp.tickets.due_at", "tickets whose due_at is not created + resolution target", due),
      violations("msp.tickets.sla_status", "tickets whose sla_status disagrees with their SLA rows", slaStatus),
      violations("msp.tickets.sla_breach_reason", "tickets whose breach reason disagrees with their facts", reasons),
    ];
  });
}

interface Acc {
  n: number;
  resHours: number;
  met: number;
  satSum: number;
  satN: number;
  worked: number;
  revenue: number;
  labor: number;
  overtime: number;
}

function acc(): Acc {
  return { n: 0, resHours: 0, met: 0, satSum: 0, satN: 0, worked: 0, revenue: 0, labor: 0, overtime: 0 };
}

function compareTable(
  id: string,
  what: string,
  df: pl.DataFrame,
  keyOf: (row: number) => string,
  expected: Map<string, Record<string, number | null>>,
  tolerances: Record<string, number>,
): CheckResult {
  const cols = Object.fromEntries(Object.keys(tolerances).map((c) => [c, nums(df, c)]));
  const bad: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < df.height; i++) {
    const key = keyOf(i);
    seen.add(key);
    const want = expected.get(key);
    if (want === undefined) {
      bad.push(`${key}: unexpected row`);
      continue;
    }
    for (const [c, tol] of Object.entries(tolerances)) {
      if (!close(cols[c][i], want[c], tol)) bad.push(`${key} ${c} ${cols[c][i]}, recomputed ${want[c]}`);
    }
  }
  for (const key of expected.keys()) if (!seen.has(key)) bad.push(`${key}: missing row`);
  return violations(id, what, bad);
}

/**
 * Recomputes `service_delivery_daily` and `technician_productivity` from the tickets and technicians and compares
 * every cell (within the rounding of each column).
 * @param tables the tables
 * @param options the period (inferred by default)
 * @returns one result per derived table
 */
export function checkDerived(tables: MspTablesInput, options: CheckMspOptions = {}): CheckResult[] {
  return guard("msp.derived", () => {
    const { startMs, asOfMs } = periodOf(tables, options);
    const t = ticketColumns(tables.tickets);
    const techIds = strs(tables.technicians, "technician_id");
    const hourly = new Map(techIds.map((id, i) => [id, nums(tables.technicians, "hourly_rate")[i] ?? 0]));
    const avail = new Map(techIds.map((id, i) => [id, nums(tables.technicians, "availability")[i] ?? 0]));
    const teamHours = [...avail.values()].reduce((a, b) => a + b, 0) * WORKDAY_HOURS;
    const firstDay = Math.floor(startMs / DAY_MS), lastDay = Math.floor(asOfMs / DAY_MS);
    const created = new Map<number, number>();
    const daily = new Map<number, Acc>();
    const monthly = new Map<string, Acc>();
    for (let i = 0; i < t.id.length; i++) {
      const c = t.created[i], r = t.resolved[i];
      if (c === null) continue;
      const cd = Math.floor(c / DAY_MS);
      created.set(cd, (created.get(cd) ?? 0) + 1);
      if (r === null) continue;
      const rd = Math.floor(r / DAY_MS);
      const month = new Date(r).toISOString().slice(0, 7);
      const tech = t.tech[i] ?? "";
      const targets = [daily.get(rd) ?? acc(), monthly.get(`${tech} ${month}`) ?? acc()];
      daily.set(rd, targets[0]);
      monthly.set(`${tech} ${month}`, targets[1]);
      const act = t.actual[i] ?? 0;
      for (const a of targets) {
        a.n++;
        a.resHours += (r - c) / 3_600_000;
        a.met += t.slaStatus[i] === "met" ? 1 : 0;
        if (t.satisfaction[i] !== null) {
          a.satSum += t.satisfaction[i]!;
          a.satN++;
        }
        a.worked += act;
        a.revenue += t.cost[i] ?? 0;
        a.labor += act * (hourly.get(tech) ?? 0);
        if (t.first[i] !== null && !isBusinessTime(t.first[i]!)) a.overtime += act;
      }
    }
    const expectedDaily = new Map<string, Record<string, number | null>>();
    let open = 0;
    for (let d = firstDay; d < lastDay; d++) {
      const a = daily.get(d) ?? acc();
      const made = created.get(d) ?? 0;
      open += made - a.n;
      const weekday = weekdaysBetween(d, d + 1) === 1;
      expectedDaily.set(String(d), {
        tickets_created: made,
        tickets_resolved: a.n,
        open_tickets: open,
        avg_resolution_hours: a.n ? a.resHours / a.n : null,
        sla_compliance_rate: a.n ? a.met / a.n : null,
        avg_satisfaction: a.satN ? a.satSum / a.satN : null,
        technician_utilization: weekday ? a.worked / teamHours : null,
        revenue: a.revenue,
        cost_per_ticket: a.n ? a.labor / a.n : null,
      });
    }
    const dates = nums(tables.service_delivery_daily, "date");
    const dailyResult = compareTable(
      "msp.service_delivery_daily.recompute",
      "service_delivery_daily cells that disagree with a recomputation from tickets",
      tables.service_delivery_daily,
      (i) => String(dates[i]),
      expectedDaily,
      {
        tickets_created: 0,
        tickets_resolved: 0,
        open_tickets: 0,
        avg_resolution_hours: 0.0005,
        sla_compliance_rate: 0.00005,
        avg_satisfaction: 0.0005,
        technician_utilization: 0.00005,
        revenue: 0.005,
        cost_per_ticket: 0.005,
      },
    );

    const expectedMonthly = new Map<string, Record<string, number | null>>();
    const months: { key: string; weekdays: number }[] = [];
    for (let d = firstDay; d < lastDay; d++) {
      const key = new Date(d * DAY_MS).toISOString().slice(0, 7);
      if (months.length === 0 || months[months.length - 1].key !== key) months.push({ key, weekdays: 0 });
      months[months.length - 1].weekdays += weekdaysBetween(d, d + 1);
    }
    for (const tech of techIds) {
      for (const m of months) {
        const a = monthly.get(`${tech} ${m.key}`) ?? acc();
        const availability = avail.get(tech) ?? 0;
        const util = m.weekdays > 0 ? a.worked / (availability * WORKDAY_HOURS * m.weekdays) : null;
        const sla = a.n ? a.met / a.n : null;
        const sat = a.satN ? a.satSum / a.satN : null;
        const score = a.n
          ? 100 * (0.4 * (sla ?? 0) + 0.3 * ((sat ?? 3) - 1) / 4 + 0.3 * Math.min(Math.max((util ?? 0) / 0.8, 0), 1))
          : null;
        expectedMonthly.set(`${tech} ${m.key}`, {
          tickets_resolved: a.n,
          avg_resolution_hours: a.n ? a.resHours / a.n : null,
          avg_satisfaction: sat,
          sla_compliance_rate: sla,
          utilization: util,
          overtime_hours: a.overtime,
          performance_score: score,
        });
      }
    }
    const p = tables.technician_productivity;
    const pt = strs(p, "technician_id"), pp = strs(p, "period");
    const productivityResult = compareTable(
      "msp.technician_productivity.recompute",
      "technician_productivity cells that disagree with a recomputation from tickets",
      p,
      (i) => `${pt[i]} ${pp[i]}`,
      expectedMonthly,
      {
        tickets_resolved: 0,
        avg_resolution_hours: 0.0005,
        avg_satisfaction: 0.0005,
        sla_compliance_rate: 0.00005,
        utilization: 0.00005,
        overtime_hours: 0.005,
        performance_score: 0.05,
      },
    );

    const weekdayUtil = [...expectedDaily.values()].map((r) => r.technician_utilization).filter((u) =>
      u !== null
    ) as number[];
    const meanUtil = weekdayUtil.length ? weekdayUtil.reduce((a, b) => a + b, 0) / weekdayUtil.length : 0;
    const maxUtil = options.maxUtilization ?? 0.95;
    const resolved = t.resolved.filter((r) => r !== null).length;
    const met = t.slaStatus.filter((s, i) => s === "met" && t.resolved[i] !== null).length;
    return [
      dailyResult,
      productivityResult,
      {
        ...result(
          "msp.desk.utilization",
          "warning",
          Math.round(meanUtil * 1e4) / 1e4,
          maxUtil,
          "mean weekday technician utilization (above the limit queues grow and SLAs collapse)",
        ),
      },
      result(
        "msp.tickets.sla_compliance",
        "info",
        resolved ? Math.round(met / resolved * 1e4) / 1e4 : 0,
        1,
        "share of resolved tickets that met every SLA",
      ),
    ];
  });
}

/**
 * The MSP kind's own rules (the engine's `msp` family): links, ticket facts, SLA, derived tables. The schema, keys,
 * enums and foreign keys are the engine's per-table checks (`./msp.ts`); {@linkcode validateMspTables} runs both.
 *
 * @param tables the six tables
 * @param options the period (inferred from `service_delivery_daily` by default) and the utilization bound
 * @returns the results, in the order above
 */
export function checkMspRules(tables: MspTablesInput, options: CheckMspOptions = {}): CheckResult[] {
  return [
    ...checkLinks(tables),
    ...checkTicketFacts(tables, options),
    ...checkSla(tables, options),
    ...checkDerived(tables, options),
  ];
}
