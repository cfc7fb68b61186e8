/**
 * Database logs in native formats for every database server of the fleet: background records through the period
 * plus the records of incident patterns on the incident's server, each record labeled (sidecar) with its incident
 * index or -1. Engines are one module each, registered in {@linkcode DB_ENGINES}.
 *
 * Streams: background per server and hour `(seed, "incidents", "db/<server>/<hour>")`; incident events per
 * incident `(seed, "incidents", "<id>/db")`; per-server constants `(seed, "incidents", "db/<server>")`.
 * @module
 */
import { entityStream, type Rng } from "@lib/random/mod.ts";
import { type IncidentsConfig, period } from "../config.ts";
import { type Engine, SERVICE_BY_NAME, SERVICES } from "../catalog.ts";
import { databaseServers, type Fleet, type FleetServer } from "../fleet.ts";
import { BatchBuilder, LEVEL_CODE, type LogBatch } from "../batch.ts";
import type { Incident } from "../types/mod.ts";
import type { IncidentPlan } from "../plan.ts";
import type { DbContext, DbEngine, DbPattern, DbRecord, DbSink } from "./_common.ts";
import { postgresql } from "./postgresql.ts";
import { mysql } from "./mysql.ts";
import { mongodb } from "./mongodb.ts";

export type { DbContext, DbEngine, DbPattern, DbRecord, DbSink, PatternEvent, PatternRenderer } from "./_common.ts";
export { DB_PATTERNS } from "./_common.ts";

/** The engines, by name. */
// deno-lint-ignore no-explicit-any
export const DB_ENGINES: Readonly<Record<Engine, DbEngine<any>>> = { postgresql, mysql, mongodb };

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** One planned incident event on a database server. */
export interface DbEvent {
  t: number;
  pattern: string;
  step: number;
  incident: number;
}

/**
 * `n` times in `[from, to)` in clusters (a Neyman-Scott process): bursts of a few dozen events tens of seconds
 * apart around uniform centres, some centres busier than others, as an attack script or a failing job writes.
 */
function clustered(rng: Rng, n: number, from: number, to: number): number[] {
  const centres = Array.from({ length: Math.max(1, Math.round(n / 12)) }, () => rng.uniform(from, to));
  const weights = centres.map(() => rng.exponential(1));
  const span = to - from;
  const out = Array.from({ length: n }, () => {
    const t = centres[rng.weightedIndex(weights)] + rng.exponential(1 / 20_000) - 10_000;
    return Math.floor(from + ((((t - from) % span) + span) % span));
  });
  return out.sort((a, b) => a - b);
}

/**
 * The database events of one incident, in time order, all inside `[start, resolved - 1 s]`.
 * @param seed the dataset seed
 * @param inc the incident (with a `db` effect)
 * @returns the events
 */
export function planDbEvents(seed: IncidentsConfig["seed"], inc: Incident): DbEvent[] {
  if (!inc.db) return [];
  const rng = entityStream(seed, { dataset: "incidents", entity: `${inc.id}/db` });
  const last = inc.resolved - 1000;
  const out: DbEvent[] = [];
  const crash = inc.severity <= 2 && inc.db.engine !== "mysql";
  for (const pattern of inc.db.patterns) {
    let from = inc.start, to = Math.min(inc.mitigated, last);
    if (pattern === "replication_lag") to = Math.min(last, inc.mitigated + (inc.resolved - inc.mitigated) / 2);
    if (pattern === "disk_full") from = inc.start + (inc.detected - inc.start) * 0.2;
    if (pattern === "privilege_change") {
      let t = inc.start + (Math.min(inc.detected, inc.mitigated) - inc.start) * rng.uniform(0.4, 0.8);
      for (let k = 0; k < 5 && t < to; k++) {
        out.push({ t: Math.floor(t), pattern, step: k, incident: inc.index });
        t += rng.uniform(8_000, 60_000);
      }
      continue;
    }
    let times: number[];
    if (pattern === "archive_failure") {
      times = [];
      for (let t = from + rng.uniform(0, 60_000); t < to && times.length < 5000; t += 60_000 + rng.uniform(-500, 500)) {
        times.push(Math.floor(t));
      }
    } else {
      const minutes = Math.max(1, (to - from) / MINUTE);
      const n = Math.min(200_000, Math.max(8, rng.poisson(inc.db.perMinute * minutes)));
      times = clustered(rng, n, from, to);
    }
    times.forEach((t, k) => {
      const step = pattern === "disk_full" && !crash && k >= 6 ? k + 1 : k;
      out.push({ t, pattern, step, incident: inc.index });
    });
  }
  return out.sort((a, b) => a.t - b.t || a.step - b.step);
}

/**
 * The context of a database server: its database, account, clients and long-lived process ids.
 * @param server the server
 * @param dataset `seed`: the dataset seed; `fleet`: the fleet
 * @returns the context
 */
export function contextOf(
  server: FleetServer,
  { seed, fleet }: { seed: IncidentsConfig["seed"]; fleet: Fleet },
): DbContext {
  const info = SERVICE_BY_NAME.get(server.app);
  const database = info?.database ?? server.app.replace(/-.*$/, "");
  const callers = SERVICES.filter((s) => s.dependsOn.includes(server.app)).map((s) => s.name);
  const clientIps = callers.flatMap((c) => (fleet.byApp.get(c) ?? []).map((s) => s.ip));
  const rng = entityStream(seed, { dataset: "incidents", entity: `db/${server.id}` });
  return {
    server,
    database,
    appUser: `${database}_app`,
    clients: callers.length ? callers : [server.app],
    clientIps: clientIps.length ? clientIps : [server.ip],
    pids: {
      checkpointer: rng.int(800, 3000),
      archiver: rng.int(800, 3000),
      autovacuum: rng.int(800, 3000),
      walreceiver: rng.int(800, 3000),
      main: rng.int(500, 800),
    },
  };
}

/** Background records an hour, relative to the mean, by UTC hour (busy in the working day). */
const DIURNAL = Array.from({ length: 24 }, (_, h) => 0.55 + 0.9 * Math.exp(-((h - 14) ** 2) / 32));
const DIURNAL_MEAN = DIURNAL.reduce((a, b) => a + b, 0) / 24;

/** Options of {@linkcode dbLogBatches}. */
export interface DbLogOptions {
  /** Only these servers. @default every database server */
  servers?: readonly string[];
}

/**
 * Yields the database logs of the period as batches, server by server (id order), hour by hour, each file
 * complete before the next starts; memory stays bounded by one batch.
 *
 * @param plan the plan (config, fleet, timeline)
 * @param options which servers
 * @returns batches of lines with one label row per record
 * @example
 * ```ts
 * import { dbLogBatches, IncidentsConfig, planIncidents } from "@lib/generate/incidents/mod.ts";
 * const plan = planIncidents(IncidentsConfig.parse({ to: "2024-03-05" }));
 * for (const batch of dbLogBatches(plan)) console.log(batch.file, batch.records, batch.meta.engine);
 * ```
 */
export function* dbLogBatches(plan: IncidentPlan, options: DbLogOptions = {}): Generator<LogBatch> {
  const { config, fleet, timeline: { incidents } } = plan;
  const span = period(config);
  const only = options.servers ? new Set(options.servers) : undefined;
  const events = new Map<string, DbEvent[]>();
  for (const inc of incidents) {
    if (!inc.db) continue;
    const list = events.get(inc.db.server) ?? [];
    list.push(...planDbEvents(config.seed, inc));
    events.set(inc.db.server, list);
  }
  for (const server of databaseServers(fleet)) {
    if (only && !only.has(server.id)) continue;
    const engine = DB_ENGINES[server.engine!];
    const ctx = contextOf(server, { seed: config.seed, fleet });
    const meta = { server_id: server.id, engine: engine.engine };
    const builders = engine.files(ctx).map((f, i) => {
      const b = new BatchBuilder(`db_logs/${f}`, meta, config.chunk_lines);
      b.header(engine.header(ctx, i));
      return b;
    });
    const planned = (events.get(server.id) ?? []).sort((a, b) => a.t - b.t || a.step - b.step);
    // One pass per file: every pass simulates the whole server (same draws, same state), keeps its file's records,
    // so each file is written whole before the next and the batches never depend on the chunk size.
    for (let file = 0; file < builders.length; file++) {
      for (const { t, rec, incident } of simulateServer(engine, { config, ctx, planned, incidents, span })) {
        if (rec.file !== file) continue;
        const entries = rec.entries ?? [{ start: 0, level: rec.level, offsetMs: 0 }];
        for (let k = 0; k < entries.length; k++) {
          const e = entries[k];
          const lines = entries.length === 1
            ? rec.lines
            : rec.lines.slice(e.start, entries[k + 1]?.start ?? rec.lines.length);
          const out = builders[file].add(t + e.offsetMs, lines, incident, LEVEL_CODE.get(e.level) ?? 0);
          if (out) yield out;
        }
      }
      yield builders[file].flush(true);
    }
  }
}

/** What {@linkcode simulateServer} simulates: one server of a dataset over a period. */
export interface ServerSimulation {
  /** The dataset config (seed, volume). */
  config: Pick<IncidentsConfig, "seed" | "volumes">;
  /** The server. */
  ctx: DbContext;
  /** The incident events on this server, in time order. */
  planned: readonly DbEvent[];
  /** The incidents (their facts), by index. */
  incidents: readonly Pick<Incident, "facts">[];
  /** The period. */
  span: { start: number; end: number };
}

/** One scheduled record of a server's simulation. */
export interface ScheduledRecord {
  t: number;
  rec: DbRecord;
  /** Incident index, or -1 for background. */
  incident: number;
}

/**
 * Simulates one database server through the period, hour by hour, and yields its records in time order. State
 * (open sessions, connection ids, the arrival process) carries from hour to hour; each hour draws from its own
 * stream `db/<server>/<hour>`, the server's constants from `db/<server>/state`.
 * @param engine the server's engine
 * @param sim the dataset config (seed, volume), the server, its planned incident events, the incidents and the period
 * @returns the records, in time order
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IncidentsConfig, planIncidents } from "@lib/generate/incidents/mod.ts";
 * import { contextOf, DB_ENGINES, simulateServer } from "@lib/generate/incidents/dblogs/mod.ts";
 * import { databaseServers } from "@lib/generate/incidents/fleet.ts";
 * const config = IncidentsConfig.parse({ to: "2024-03-05" });
 * const plan = planIncidents(config);
 * const server = databaseServers(plan.fleet)[0];
 * const ctx = contextOf(server, { seed: config.seed, fleet: plan.fleet });
 * const span = { start: Date.UTC(2024, 2, 4), end: Date.UTC(2024, 2, 5) };
 * const sim = { config, ctx, planned: [], incidents: [], span };
 * const records = [...simulateServer(DB_ENGINES[server.engine!], sim)];
 * assert.ok(records.length > 0);
 * assert.ok(records.every((r, i) => i === 0 || records[i - 1].t <= r.t)); // in time order
 * ```
 */
export function* simulateServer<S>(engine: DbEngine<S>, sim: ServerSimulation): Generator<ScheduledRecord> {
  const { config, ctx, planned, incidents, span } = sim;
  const state = engine.init(
    entityStream(config.seed, { dataset: "incidents", entity: `db/${ctx.server.id}/state` }),
    ctx,
    span,
  );
  const heap = new RecordHeap();
  let seq = 0;
  const sink = (incident: number): DbSink => ({
    at: (t, rec) => heap.push({ t, seq: seq++, incident, rec }),
  });
  const bg = sink(-1);
  const arrivals = new Arrivals(config.volumes.db_records_per_server_hour / engine.recordsPerArrival);
  let next = 0;
  for (let hour = span.start; hour < span.end; hour += HOUR) {
    const rng = entityStream(config.seed, {
      dataset: "incidents",
      entity: `db/${ctx.server.id}/${new Date(hour).toISOString().slice(0, 13)}`,
    });
    const end = hour + HOUR;
    engine.tick(rng, state, hour, end, bg);
    const times = arrivals.hour(rng, hour, DIURNAL[new Date(hour).getUTCHours()] / DIURNAL_MEAN);
    let b = 0;
    for (;;) {
      const ev = next < planned.length && planned[next].t < end ? planned[next] : undefined;
      const t = b < times.length ? times[b] : undefined;
      if (ev === undefined && t === undefined) break;
      if (ev !== undefined && (t === undefined || ev.t < t)) {
        const render = engine.patterns[ev.pattern as DbPattern];
        render(rng, state, { step: ev.step, t: ev.t, facts: incidents[ev.incident].facts }, sink(ev.incident));
        next++;
      } else {
        engine.background(rng, state, t!, bg);
        b++;
      }
    }
    while (heap.size > 0 && heap.peek().t < end) {
      const { t, rec, incident } = heap.pop();
      if (t >= span.start) yield { t, rec: typeof rec === "function" ? rec() : rec, incident };
    }
  }
}

interface Pending {
  t: number;
  seq: number;
  incident: number;
  rec: DbRecord | (() => DbRecord);
}

/** A binary min-heap of scheduled records by (time, scheduling order). */
class RecordHeap {
  #a: Pending[] = [];
  get size(): number {
    return this.#a.length;
  }
  peek(): Pending {
    return this.#a[0];
  }
  #less(i: number, j: number): boolean {
    const a = this.#a[i], b = this.#a[j];
    return a.t < b.t || (a.t === b.t && a.seq < b.seq);
  }
  push(p: Pending): void {
    const a = this.#a;
    a.push(p);
    let i = a.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.#less(i, up)) break;
      [a[i], a[up]] = [a[up], a[i]];
      i = up;
    }
  }
  pop(): Pending {
    const a = this.#a;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && this.#less(l, m)) m = l;
        if (r < a.length && this.#less(r, m)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Bursty background arrivals: a self-exciting (Hawkes) cluster process, each arrival triggering on average
 * `BRANCHING` more within tens of seconds, under a slow three-state Markov modulation (quiet, normal, busy hours).
 * Clusters that run past an hour carry into the next.
 */
class Arrivals {
  #carry: number[] = [];
  #state = 1;
  constructor(readonly perHour: number) {}
  hour(rng: Rng, from: number, diurnal: number): number[] {
    const to = from + HOUR;
    const p = MODULATION[this.#state];
    this.#state = rng.weightedIndex(p.next);
    const rate = this.perHour * diurnal * MODULATION[this.#state].factor * (1 - BRANCHING);
    const out = this.#carry.filter((t) => t < to);
    const later = this.#carry.filter((t) => t >= to);
    const roots = rng.poisson(rate);
    for (let i = 0; i < roots; i++) {
      const stack = [Math.floor(rng.uniform(from, to))];
      while (stack.length > 0 && out.length + later.length < 100_000) {
        const t = stack.pop()!;
        (t < to ? out : later).push(t);
        const kids = rng.poisson(BRANCHING);
        for (let k = 0; k < kids; k++) stack.push(t + Math.floor(rng.exponential(1 / CHILD_DELAY_MS)));
      }
    }
    this.#carry = later;
    return out.sort((a, b) => a - b);
  }
}

/** Mean offspring per arrival (cluster size 1 / (1 - b) on average, heavy-tailed). */
const BRANCHING = 0.65;
/** Mean delay of a triggered arrival. */
const CHILD_DELAY_MS = 15_000;
/** Hourly rate factors of the modulating chain and its transition weights. */
const MODULATION = [
  { factor: 0.35, next: [0.75, 0.25, 0] },
  { factor: 1, next: [0.1, 0.8, 0.1] },
  { factor: 2.6, next: [0, 0.35, 0.65] },
];
