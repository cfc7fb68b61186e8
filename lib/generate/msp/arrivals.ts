import { entityStream, type Rng, type Seed } from "@lib/random/mod.ts";
import {
  BURST_CATEGORY_SHARE,
  BURST_FLOOR,
  BURST_PRIORITY_WEIGHTS,
  BURST_REACH,
  BURST_SURGE,
  CATEGORIES,
  IMPACT_PHRASES,
  INDUSTRIES,
  PRIORITY_WEIGHTS,
} from "@lib/schema/msp/catalog.ts";
import type { Burst } from "./bursts.ts";
import type { ClientDraw } from "./entities.ts";
import type { MspPeriod } from "@lib/schema/msp/derive.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Relative arrival weight of each UTC hour of a weekday: a morning peak, a lunch dip and an afternoon peak. */
const HOUR_SHARE = [
  0.1,
  0.08,
  0.08,
  0.08,
  0.1,
  0.2,
  0.45,
  1.1,
  2.6,
  3.4,
  3.2,
  2.8,
  2.0,
  2.6,
  2.9,
  2.6,
  2.0,
  1.2,
  0.6,
  0.4,
  0.3,
  0.25,
  0.2,
  0.15,
];
/** Relative arrival weight of each weekday, Monday first: Monday catches the weekend's problems. */
const DAY_FACTOR = [1.15, 1.05, 1.0, 0.97, 0.85, 0.12, 0.08];

/** Category weight multipliers by industry (the rest keep weight 1). */
const INDUSTRY_CATEGORY: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  healthcare: { security: 1.5, accounts: 1.2 },
  legal: { security: 1.4, email: 1.3 },
  finance: { security: 1.6, accounts: 1.2 },
  manufacturing: { hardware: 1.4, network: 1.3 },
  construction: { hardware: 1.3, network: 1.3 },
  logistics: { network: 1.4, hardware: 1.2 },
  technology: { cloud: 1.8, software: 1.2, hardware: 0.7 },
  education: { accounts: 1.4 },
  retail: { hardware: 1.2, network: 1.2 },
};

/** Per-ticket draws of every client, one array per field, unsorted across clients. */
export interface TicketDraws {
  /** Creation time, epoch ms, whole seconds. */
  created: number[];
  client: number[];
  /** Index of the ticket within its client, in time order. */
  seq: number[];
  /** Index of the burst that raised it, or -1. */
  burst: number[];
  category: number[];
  /** Index into the category's subcategories. */
  subcategory: number[];
  serviceType: number[];
  priority: number[];
  title: number[];
  users: number[];
  impact: number[];
  /** Lognormal multiplier of hands-on effort (the part no estimate foresees). */
  complexity: number[];
  /** Minutes the desk takes to triage and assign at nominal load. */
  triage: number[];
  /** Minutes between a technician taking the ticket and the first contact. */
  pickup: number[];
  /** Minutes the ticket waits on the client or a vendor. */
  hold: number[];
  /** 1 when the client answers the satisfaction survey. */
  survey: number[];
  /** Normal noise of the satisfaction score. */
  csat: number[];
}

/** Empty draws. */
export function emptyDraws(): TicketDraws {
  return {
    created: [],
    client: [],
    seq: [],
    burst: [],
    category: [],
    subcategory: [],
    serviceType: [],
    priority: [],
    title: [],
    users: [],
    impact: [],
    complexity: [],
    triage: [],
    pickup: [],
    hold: [],
    survey: [],
    csat: [],
  };
}

/** Median triage minutes by priority (critical on the clock, the rest in business minutes). */
const TRIAGE_MEDIAN = [4, 8, 15, 40];
/** Probability of waiting on the client, by service type. */
const HOLD_PROBABILITY = [0.12, 0.3, 0.45, 0.2];

function categoryWeights(industry: number): number[] {
  const mult = INDUSTRY_CATEGORY[INDUSTRIES[industry]] ?? {};
  return CATEGORIES.map((c) => c.weight * (mult[c.name] ?? 1));
}

/** What the arrivals of every client of a dataset share. */
export interface ArrivalContext {
  /** The dataset seed. */
  seed: Seed;
  /** The period: tickets arrive in [startMs, asOfMs). */
  period: MspPeriod;
  /** The burst timeline. */
  bursts: readonly Burst[];
  /** Share of resolved tickets with a survey answer. */
  surveyRate: number;
}

/** The client {@linkcode drawClientTickets} draws for, and where its tickets go. */
export interface ClientTicketsTarget {
  /** The client. */
  client: ClientDraw;
  /** Its index (0-based, dataset-wide). */
  index: number;
  /** The draws to append to. */
  out: TicketDraws;
}

/**
 * Draws the tickets of one client and appends them to `out`.
 *
 * Arrivals are a Poisson process per hour whose rate follows the hour of day and the weekday
 * (stream `<client>/arrivals`); each burst that reaches the client adds arrivals over its window at a surge rate
 * set by its severity (stream `<client>/bursts`, one reach draw per burst whether or not it overlaps the contract).
 * Tickets are then given, in time order, their category, service type, priority and the draws the simulation of
 * the desk needs (stream `<client>/tickets`). Only the contract window inside the period raises tickets.
 *
 * @param context the dataset seed, period, burst timeline and survey rate (the same for every client)
 * @param target the client, its index and the draws to append to
 */
export function drawClientTickets(context: ArrivalContext, target: ClientTicketsTarget): void {
  const { seed, period: { startMs: periodStartMs, asOfMs }, bursts, surveyRate } = context;
  const { client, index: clientIndex, out } = target;
  const winStart = Math.max(periodStartMs, client.contractStartDay * DAY_MS);
  const winEnd = Math.min(asOfMs, client.contractEndDay * DAY_MS);
  const weekly = client.monthlyRate * 12 / (365.25 / 7);
  const dayTotal = DAY_FACTOR.reduce((a, b) => a + b, 0);
  const hourTotal = HOUR_SHARE.reduce((a, b) => a + b, 0);
  const times: number[] = [];
  const from: number[] = [];

  const arrivals = entityStream(seed, { dataset: "msp", entity: `${client.id}/arrivals` });
  for (let t = winStart; t < winEnd; t += HOUR_MS) {
    const day = Math.floor(t / DAY_MS);
    const dow = ((day - 4) % 7 + 7) % 7;
    const hour = Math.floor((t - day * DAY_MS) / HOUR_MS);
    const lambda = weekly * DAY_FACTOR[dow] / dayTotal * HOUR_SHARE[hour] / hourTotal;
    const n = arrivals.poisson(lambda);
    for (let k = 0; k < n; k++) {
      times.push(t + arrivals.int(0, 3599) * 1000);
      from.push(-1);
    }
  }

  const reach = entityStream(seed, { dataset: "msp", entity: `${client.id}/bursts` });
  const meanBusinessHour = weekly / 50;
  bursts.forEach((b, bi) => {
    const reached = reach.bernoulli(BURST_REACH[b.severity - 1]);
    const lo = Math.max(b.start, winStart), hi = Math.min(b.end, winEnd);
    if (!reached || hi <= lo) return;
    const rate = Math.max(BURST_SURGE[b.severity - 1] * meanBusinessHour, BURST_FLOOR[b.severity - 1]);
    const n = reach.poisson(rate * (hi - lo) / HOUR_MS);
    for (let k = 0; k < n; k++) {
      times.push(Math.floor(reach.uniform(lo, hi) / 1000) * 1000);
      from.push(bi);
    }
  });

  const order = times.map((_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  const rng = entityStream(seed, { dataset: "msp", entity: `${client.id}/tickets` });
  const catWeights = categoryWeights(client.industry);
  order.forEach((i, seq) => {
    const bi = from[i];
    drawAttributes(rng, bi >= 0 ? bursts[bi] : undefined, catWeights, client, surveyRate, out);
    out.created.push(times[i]);
    out.client.push(clientIndex);
    out.seq.push(seq);
    out.burst.push(bi);
  });
}

function drawAttributes(
  rng: Rng,
  burst: Burst | undefined,
  catWeights: readonly number[],
  client: ClientDraw,
  surveyRate: number,
  out: TicketDraws,
): void {
  const inBurstCategory = burst !== undefined && rng.bernoulli(BURST_CATEGORY_SHARE);
  const category = inBurstCategory ? burst.category : rng.weightedIndex(catWeights);
  const subs = CATEGORIES[category].subcategories;
  // a burst raises incidents, so its tickets come from subcategories that can be incidents
  const subWeights = subs.map((s) => burst ? s.types[0] : s.types.reduce((a, b) => a + b, 0));
  const subcategory = rng.weightedIndex(subWeights.some((w) => w > 0) ? subWeights : subs.map(() => 1));
  const sub = subs[subcategory];
  const serviceType = burst && sub.types[0] > 0 ? 0 : rng.weightedIndex(sub.types);
  const priority = burst && serviceType === 0
    ? rng.weightedIndex(BURST_PRIORITY_WEIGHTS[burst.severity - 1])
    : rng.weightedIndex(PRIORITY_WEIGHTS[serviceType]);
  out.category.push(category);
  out.subcategory.push(subcategory);
  out.serviceType.push(serviceType);
  out.priority.push(priority);
  out.title.push(rng.int(0, sub.titles.length - 1));
  out.users.push(
    priority === 0
      ? rng.int(Math.min(10, client.employees), client.employees)
      : priority === 1
      ? rng.int(1, Math.min(25, client.employees))
      : rng.bernoulli(0.75)
      ? 1
      : rng.int(1, Math.min(5, client.employees)),
  );
  out.impact.push(rng.int(0, IMPACT_PHRASES.length - 1));
  out.complexity.push(rng.lognormal(0, 0.45));
  out.triage.push(rng.lognormal(Math.log(TRIAGE_MEDIAN[priority]), 0.5));
  out.pickup.push(rng.lognormal(Math.log(10), 0.5));
  const holdP = priority === 0 ? 0.05 : HOLD_PROBABILITY[serviceType];
  out.hold.push(rng.bernoulli(holdP) ? rng.lognormal(Math.log(priority === 0 ? 60 : 240), 0.9) : 0);
  out.survey.push(rng.bernoulli(surveyRate) ? 1 : 0);
  out.csat.push(rng.normal(0, 0.6));
}
