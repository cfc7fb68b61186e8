import pl from "nodejs-polars";
import { entityStream, type Seed } from "@lib/random/mod.ts";
import {
  AFTER_HOURS_RATE_FACTOR,
  BILLING_RATE,
  CATEGORIES,
  CATEGORY_NAMES,
  IMPACT_PHRASES,
  PRIORITIES,
  SERVICE_TYPES,
} from "@lib/schema/msp/catalog.ts";
import { type Burst, burstsFromIncidents, synthesizeBursts } from "./bursts.ts";
import { isBusinessTime, weekdaysBetween, WORKDAY_HOURS } from "@lib/calendar/business_hours.ts";
import type { MspConfig } from "./config.ts";
import { deriveMspTables, type MspPeriod } from "@lib/schema/msp/derive.ts";
import { simulateDesk } from "./dispatch.ts";
import { drawClientTickets, emptyDraws } from "./arrivals.ts";
import {
  type ClientDraw,
  clientsFrame,
  drawClient,
  drawTechnician,
  type TechnicianDraw,
  techniciansFrame,
} from "./entities.ts";
import { shardRange } from "@lib/lake/mod.ts";
import type { MspTableName } from "@lib/schema/msp/tables.ts";

const DAY_MS = 86_400_000;

/** Options of {@linkcode generateMsp}. */
export interface GenerateMspOptions {
  /**
   * An incident timeline: a frame with columns `start`, `end` and `severity` (1-4 or "sev1".."sev4"), e.g. from
   * the incidents generator. When given it replaces the synthetic bursts of `bursts_per_month`.
   * @default undefined (synthetic bursts)
   */
  incidents?: pl.DataFrame;
  /**
   * Generate only the desks `[from, to)` (a shard): their clients, technicians, tickets and SLA metrics are exactly
   * those of the whole dataset, while `service_delivery_daily`, which sums over every desk, is left empty (see
   * {@linkcode mergeMspShards}, which recomputes it).
   * @default every desk
   */
  desks?: { from: number; to: number };
}

/** The six linked tables of an MSP dataset. */
export type MspTables = Record<MspTableName, pl.DataFrame>;

/** A generated MSP dataset: its tables, the period they cover and the burst timeline that shaped arrivals. */
export interface MspDataset {
  tables: MspTables;
  period: MspPeriod;
  bursts: Burst[];
  /** Facts worth a manifest: ticket counts, burst tickets, SLA compliance, mean utilization. */
  stats: Record<string, number>;
}

/**
 * The period of a config: from midnight UTC of `start` to midnight UTC after `end`.
 * @param config the config
 * @returns the period
 */
export function mspPeriod(config: Pick<MspConfig, "start" | "end">): MspPeriod {
  return { startMs: Date.parse(`${config.start}T00:00:00Z`), asOfMs: Date.parse(`${config.end}T00:00:00Z`) + DAY_MS };
}

function datetimeColumn(name: string): pl.Expr {
  return pl.col(name).fillNan(null).cast(pl.Int64).cast(pl.Datetime("ms", "UTC")).alias(name);
}

/**
 * Generates the MSP service-desk dataset: clients, technicians, tickets, SLA metrics and the two derived
 * productivity tables, all linked by id and mutually consistent.
 *
 * Each client and technician draws from its own stream (`entityStream(seed, { dataset: "msp", entity: "client-0001" })`, ...), tickets
 * arrive by business hours, weekdays and incident bursts, a deterministic desk simulation assigns and works them,
 * and every SLA outcome and derived metric is then computed from the ticket timestamps with Polars expressions.
 * Pure: no file system, no unseeded randomness.
 *
 * @param config a validated config (`MspConfig.parse(...)`)
 * @param options an optional incident timeline
 * @returns the tables, period, bursts and stats
 * @example
 * ```ts ignore
 * import { generateMsp, MspConfig } from "@lib/generate/msp/mod.ts";
 * const { tables } = generateMsp(MspConfig.parse({ clients: 5, technicians: 3, end: "2024-01-31" }));
 * tables.tickets.height;
 * ```
 */
export function generateMsp(config: MspConfig, options: GenerateMspOptions = {}): MspDataset {
  const { incidents, desks = { from: 0, to: config.desks } } = options;
  if (
    !(Number.isInteger(desks.from) && Number.isInteger(desks.to) && 0 <= desks.from && desks.from <= desks.to &&
      desks.to <= config.desks)
  ) {
    throw new RangeError(
      `Cannot generate "msp": desks must be a range within 0..${config.desks}, got ${desks.from}..${desks.to}`,
    );
  }
  const seed: Seed = config.seed;
  const period = mspPeriod(config);
  const startDay = period.startMs / DAY_MS, endDay = period.asOfMs / DAY_MS;
  const bursts = incidents !== undefined
    ? burstsFromIncidents(incidents, seed)
    : config.bursts_per_month > 0
    ? synthesizeBursts(seed, { startMs: period.startMs, endMs: period.asOfMs, perMonth: config.bursts_per_month })
    : [];

  const clients: ClientDraw[] = [], technicians: TechnicianDraw[] = [], facts: pl.DataFrame[] = [];
  let burstTickets = 0;
  for (let d = desks.from; d < desks.to; d++) {
    const c = deskClients(config, d), t = deskTechnicians(config, d);
    const deskClientDraws = Array.from(
      { length: c.to - c.from },
      (_, i) => drawClient(seed, { index: c.from + i, startDay, endDay, rateScale: config.ticket_rate_scale }),
    );
    const deskTechDraws = Array.from({ length: t.to - t.from }, (_, i) => drawTechnician(seed, t.from + i));
    const idPrefix = config.desks === 1 ? "TKT-" : `TKT-${String(d + 1).padStart(3, "0")}-`;
    const run = (drawn: readonly ClientDraw[]) =>
      deskFacts(seed, config.survey_rate, period, bursts, drawn, c.from, deskTechDraws, idPrefix);
    let desk = run(deskClientDraws);
    // Staffing: a desk whose drawn demand overloads its technicians gets its clients' rates scaled to a level drawn
    // per desk (its own stream), and is simulated again with them.
    if (config.max_utilization !== null) {
      const level = entityStream(seed, { dataset: "msp", entity: `desk-${d}/staffing` })
        .uniform(Math.min(0.55, config.max_utilization), config.max_utilization);
      // Twice at most: the work a desk finishes in the period is not linear in its demand (backlog).
      for (let pass = 0; pass < 2; pass++) {
        const load = deskUtilization(desk.facts, { technicians: deskTechDraws, period });
        if (load <= level) break;
        const scale = level / load;
        for (const [i, client] of deskClientDraws.entries()) {
          deskClientDraws[i] = { ...client, monthlyRate: client.monthlyRate * scale };
        }
        desk = run(deskClientDraws);
      }
    }
    clients.push(...deskClientDraws);
    technicians.push(...deskTechDraws);
    facts.push(desk.facts);
    burstTickets += desk.burstTickets;
  }

  const clientsBase = clientsFrame(clients);
  const techniciansDf = techniciansFrame(technicians);
  const allFacts = facts.length === 1 ? facts[0] : facts.length === 0 ? emptyFacts() : pl.concat(facts);
  const derived = deriveMspTables({ facts: allFacts, clients: clientsBase, technicians: techniciansDf }, period);
  const whole = desks.from === 0 && desks.to === config.desks;
  const tables: MspTables = {
    clients: derived.clients,
    technicians: techniciansDf,
    tickets: derived.tickets,
    sla_metrics: derived.sla_metrics,
    // The daily figures sum over every desk: a range of desks cannot give them (mergeMspShards recomputes them).
    service_delivery_daily: whole ? derived.service_delivery_daily : derived.service_delivery_daily.clear(),
    technician_productivity: derived.technician_productivity,
  };
  return { tables, period, bursts, stats: mspStats(tables, burstTickets) };
}

/**
 * The clients `[from, to)` of desk `d`: contiguous ranges by index, as even as they can be.
 * @param config the config (clients, desks)
 * @param desk the desk, 0-based
 * @returns the range of client indices
 */
export function deskClients(config: Pick<MspConfig, "clients" | "desks">, desk: number): { from: number; to: number } {
  return shardRange(config.clients, { index: desk, count: config.desks });
}

/**
 * The technicians `[from, to)` of desk `d`: contiguous ranges by index, as even as they can be.
 * @param config the config (technicians, desks)
 * @param desk the desk, 0-based
 * @returns the range of technician indices
 */
export function deskTechnicians(
  config: Pick<MspConfig, "technicians" | "desks">,
  desk: number,
): { from: number; to: number } {
  return shardRange(config.technicians, { index: desk, count: config.desks });
}

/** The ticket facts of one desk: its clients' tickets, worked by its technicians only. */
function deskFacts(
  seed: Seed,
  surveyRate: number,
  period: MspPeriod,
  bursts: readonly Burst[],
  clients: readonly ClientDraw[],
  firstClient: number,
  technicians: readonly TechnicianDraw[],
  idPrefix: string,
): { facts: pl.DataFrame; burstTickets: number } {
  const draws = emptyDraws();
  const context = { seed, period, bursts, surveyRate };
  clients.forEach((c, i) => drawClientTickets(context, { client: c, index: firstClient + i, out: draws }));
  const n = draws.created.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
    draws.created[a] - draws.created[b] || draws.client[a] - draws.client[b] || draws.seq[a] - draws.seq[b]
  );
  const pick = <T extends Float64Array | Uint8Array>(src: number[], make: new (n: number) => T): T => {
    const out = new make(n);
    for (let i = 0; i < n; i++) out[i] = src[order[i]];
    return out;
  };
  const created = pick(draws.created, Float64Array);
  const priority = pick(draws.priority, Uint8Array);
  const category = pick(draws.category, Uint8Array);
  const subcategory = pick(draws.subcategory, Uint8Array);
  const serviceType = pick(draws.serviceType, Uint8Array);
  const baseHours = new Float64Array(n);
  for (let i = 0; i < n; i++) baseHours[i] = CATEGORIES[category[i]].subcategories[subcategory[i]].hours;

  const desk = simulateDesk(
    {
      created,
      priority,
      category,
      baseHours,
      complexity: pick(draws.complexity, Float64Array),
      triage: pick(draws.triage, Float64Array),
      pickup: pick(draws.pickup, Float64Array),
      hold: pick(draws.hold, Float64Array),
    },
    { technicians, asOfMs: period.asOfMs },
  );

  const ids = new Array<string>(n), titles = new Array<string>(n), descriptions = new Array<string>(n);
  const clientIds = new Array<string>(n), techIds = new Array<string | null>(n);
  const billing = new Float64Array(n), survey = new Array<boolean>(n), csat = new Float64Array(n);
  let burstTickets = 0;
  for (let i = 0; i < n; i++) {
    const k = order[i];
    const client = clients[draws.client[k] - firstClient];
    const sub = CATEGORIES[category[i]].subcategories[subcategory[i]];
    const users = draws.users[k];
    ids[i] = `${idPrefix}${String(i + 1).padStart(6, "0")}`;
    titles[i] = sub.titles[draws.title[k]];
    descriptions[i] = `${titles[i]} at ${client.name}: ${users} user${users === 1 ? "" : "s"} affected. ${
      IMPACT_PHRASES[draws.impact[k]]
    }`;
    clientIds[i] = client.id;
    techIds[i] = desk.technician[i] >= 0 ? technicians[desk.technician[i]].id : null;
    billing[i] = BILLING_RATE[client.contract] * (isBusinessTime(created[i]) ? 1 : AFTER_HOURS_RATE_FACTOR);
    survey[i] = draws.survey[k] === 1;
    csat[i] = draws.csat[k];
    if (draws.burst[k] >= 0) burstTickets++;
  }

  const facts = pl.DataFrame({
    ticket_id: pl.Series("ticket_id", ids, pl.String),
    title: pl.Series("title", titles, pl.String),
    description: pl.Series("description", descriptions, pl.String),
    priority: pl.Series("priority", Array.from(priority, (p) => PRIORITIES[p]), pl.String),
    created_at: pl.Series("created_at", created),
    assigned_at: pl.Series("assigned_at", desk.assigned),
    first_response_at: pl.Series("first_response_at", desk.firstResponse),
    resolved_at: pl.Series("resolved_at", desk.resolved),
    client_id: pl.Series("client_id", clientIds, pl.String),
    technician_id: pl.Series("technician_id", techIds, pl.String),
    service_type: pl.Series("service_type", Array.from(serviceType, (s) => SERVICE_TYPES[s]), pl.String),
    category: pl.Series("category", Array.from(category, (c) => CATEGORY_NAMES[c]), pl.String),
    subcategory: pl.Series(
      "subcategory",
      Array.from({ length: n }, (_, i) => CATEGORIES[category[i]].subcategories[subcategory[i]].name),
      pl.String,
    ),
    estimated_hours: pl.Series("estimated_hours", desk.estimatedHours),
    actual_hours: pl.Series("actual_hours", desk.actualHours),
    billing_rate: pl.Series("billing_rate", billing),
    _survey: pl.Series("_survey", survey, pl.Bool),
    _csat: pl.Series("_csat", csat),
  }).withColumns(
    datetimeColumn("created_at"),
    datetimeColumn("assigned_at"),
    datetimeColumn("first_response_at"),
    datetimeColumn("resolved_at"),
    pl.col("actual_hours").fillNan(null),
  );
  return { facts, burstTickets };
}

/**
 * The mean weekday utilization of a desk's facts, as `service_delivery_daily` measures it: hands-on hours of the
 * tickets resolved on weekdays over the technicians' available hours (availability x 8 h) on weekdays.
 */
function deskUtilization(
  facts: pl.DataFrame,
  desk: { technicians: readonly TechnicianDraw[]; period: MspPeriod },
): number {
  const { technicians, period } = desk;
  const first = Math.floor(period.startMs / DAY_MS), last = Math.floor(period.asOfMs / DAY_MS);
  const weekdays = weekdaysBetween(first, last);
  const hours = technicians.reduce((s, t) => s + t.availability, 0) * WORKDAY_HOURS * weekdays;
  if (!(hours > 0)) return 0;
  const worked = facts.filter(
    pl.col("resolved_at").isNotNull().and(pl.col("resolved_at").dt.weekday().lt(6)),
  ).select(pl.col("actual_hours").sum()).getColumn("actual_hours").get(0) as number | null;
  return (worked ?? 0) / hours;
}

/** Facts of no ticket (a range of no desk), with the dtypes of real ones. */
function emptyFacts(): pl.DataFrame {
  return deskFacts(0, 0, { startMs: 0, asOfMs: 0 }, [], [], 0, [], "").facts;
}

/**
 * The facts of a dataset worth a manifest: ticket counts, burst tickets, SLA compliance of resolved tickets and the
 * mean weekday technician utilization (0 when `service_delivery_daily` is empty, as in a shard).
 * @param tables the tables
 * @param burstTickets how many tickets incident bursts raised
 * @returns the stats
 */
export function mspStats(tables: MspTables, burstTickets: number): Record<string, number> {
  const t = tables.tickets;
  const resolved = t.filter(pl.col("resolved_at").isNotNull());
  const met = resolved.filter(pl.col("sla_status").eq(pl.lit("met"))).height;
  const util = tables.service_delivery_daily.getColumn("technician_utilization").mean() as number;
  return {
    tickets: t.height,
    tickets_resolved: resolved.height,
    tickets_from_bursts: burstTickets,
    sla_compliance_rate: resolved.height > 0 ? Math.round(met / resolved.height * 10_000) / 10_000 : 0,
    mean_weekday_utilization: Math.round((util ?? 0) * 10_000) / 10_000,
  };
}
