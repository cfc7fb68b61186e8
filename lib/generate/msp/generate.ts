import pl from "nodejs-polars";
import type { Seed } from "@lib/random/mod.ts";
import {
  AFTER_HOURS_RATE_FACTOR,
  BILLING_RATE,
  CATEGORIES,
  CATEGORY_NAMES,
  IMPACT_PHRASES,
  PRIORITIES,
  SERVICE_TYPES,
} from "./_catalog.ts";
import { type Burst, burstsFromIncidents, synthesizeBursts } from "./bursts.ts";
import { isBusinessTime } from "./calendar.ts";
import type { MspConfig } from "./config.ts";
import {
  deriveClientActivity,
  deriveServiceDeliveryDaily,
  deriveSlaMetrics,
  deriveTechnicianProductivity,
  deriveTickets,
  type MspPeriod,
} from "./derive.ts";
import { simulateDesk } from "./dispatch.ts";
import { drawClientTickets, emptyDraws } from "./arrivals.ts";
import { clientsFrame, drawClient, drawTechnician, techniciansFrame } from "./entities.ts";
import type { MspTableName } from "./schema.ts";

const DAY_MS = 86_400_000;

/** Options of {@linkcode generateMsp}. */
export interface GenerateMspOptions {
  /**
   * An incident timeline: a frame with columns `start`, `end` and `severity` (1-4 or "sev1".."sev4"), e.g. from
   * the incidents generator. When given it replaces the synthetic bursts of `bursts_per_month`.
   * @default undefined (synthetic bursts)
   */
  incidents?: pl.DataFrame;
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
 * Each client and technician draws from its own stream (`entityStream(seed, "msp", "client-0001")`, ...), tickets
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
  const { incidents } = options;
  const seed: Seed = config.seed;
  const period = mspPeriod(config);
  const startDay = period.startMs / DAY_MS, endDay = period.asOfMs / DAY_MS;
  const bursts = incidents !== undefined
    ? burstsFromIncidents(incidents, seed)
    : config.bursts_per_month > 0
    ? synthesizeBursts(seed, period.startMs, period.asOfMs, config.bursts_per_month)
    : [];

  const clients = Array.from(
    { length: config.clients },
    (_, i) => drawClient(seed, i, startDay, endDay, config.ticket_rate_scale),
  );
  const technicians = Array.from({ length: config.technicians }, (_, i) => drawTechnician(seed, i));

  const draws = emptyDraws();
  clients.forEach((c, i) =>
    drawClientTickets(seed, c, i, bursts, period.startMs, period.asOfMs, config.survey_rate, draws)
  );
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
    technicians,
    period.asOfMs,
  );

  const ids = new Array<string>(n), titles = new Array<string>(n), descriptions = new Array<string>(n);
  const clientIds = new Array<string>(n), techIds = new Array<string | null>(n);
  const billing = new Float64Array(n), survey = new Array<boolean>(n), csat = new Float64Array(n);
  let burstTickets = 0;
  for (let i = 0; i < n; i++) {
    const k = order[i];
    const client = clients[draws.client[k]];
    const sub = CATEGORIES[category[i]].subcategories[subcategory[i]];
    const users = draws.users[k];
    ids[i] = `TKT-${String(i + 1).padStart(6, "0")}`;
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
    ticket_id: ids,
    title: titles,
    description: descriptions,
    priority: Array.from(priority, (p) => PRIORITIES[p]),
    created_at: pl.Series("created_at", created),
    assigned_at: pl.Series("assigned_at", desk.assigned),
    first_response_at: pl.Series("first_response_at", desk.firstResponse),
    resolved_at: pl.Series("resolved_at", desk.resolved),
    client_id: clientIds,
    technician_id: pl.Series("technician_id", techIds, pl.String),
    service_type: Array.from(serviceType, (s) => SERVICE_TYPES[s]),
    category: Array.from(category, (c) => CATEGORY_NAMES[c]),
    subcategory: Array.from({ length: n }, (_, i) => CATEGORIES[category[i]].subcategories[subcategory[i]].name),
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

  const clientsBase = clientsFrame(clients);
  const techniciansDf = techniciansFrame(technicians);
  const slaMetrics = deriveSlaMetrics(facts, clientsBase, period);
  const tickets = deriveTickets(facts, slaMetrics, period);
  const tables: MspTables = {
    clients: deriveClientActivity(clientsBase, tickets),
    technicians: techniciansDf,
    tickets,
    sla_metrics: slaMetrics,
    service_delivery_daily: deriveServiceDeliveryDaily(tickets, techniciansDf, period),
    technician_productivity: deriveTechnicianProductivity(tickets, techniciansDf, period),
  };
  return { tables, period, bursts, stats: summarize(tables, burstTickets) };
}

function summarize(tables: MspTables, burstTickets: number): Record<string, number> {
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
