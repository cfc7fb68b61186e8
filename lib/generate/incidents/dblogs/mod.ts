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
import type { DbContext, DbEngine } from "./_common.ts";
import { postgresql } from "./postgresql.ts";
import { mysql } from "./mysql.ts";
import { mongodb } from "./mongodb.ts";

export type { DbContext, DbEngine, DbRecord } from "./_common.ts";
export { DB_PATTERNS } from "./_common.ts";

/** The engines, by name. */
export const DB_ENGINES: Readonly<Record<Engine, DbEngine>> = { postgresql, mysql, mongodb };

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** One planned incident event on a database server. */
export interface DbEvent {
  t: number;
  pattern: string;
  step: number;
  incident: number;
}

function sortedUniform(rng: Rng, n: number, from: number, to: number): number[] {
  const out = Array.from({ length: n }, () => Math.floor(rng.uniform(from, to)));
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
  const rng = entityStream(seed, "incidents", `${inc.id}/db`);
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
      times = sortedUniform(rng, n, from, to);
    }
    times.forEach((t, k) => {
      const step = pattern === "disk_full" && !crash && k >= 6 ? k + 1 : k;
      out.push({ t, pattern, step, incident: inc.index });
    });
  }
  return out.sort((a, b) => a.t - b.t || a.step - b.step);
}

function contextOf(seed: IncidentsConfig["seed"], server: FleetServer, fleet: Fleet): DbContext {
  const info = SERVICE_BY_NAME.get(server.app);
  const database = info?.database ?? server.app.replace(/-.*$/, "");
  const callers = SERVICES.filter((s) => s.dependsOn.includes(server.app)).map((s) => s.name);
  const clientIps = callers.flatMap((c) => (fleet.byApp.get(c) ?? []).map((s) => s.ip));
  const rng = entityStream(seed, "incidents", `db/${server.id}`);
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
    facts: {},
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
  const { start, end } = period(config);
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
    const ctx = contextOf(config.seed, server, fleet);
    const meta = { server_id: server.id, engine: engine.engine };
    const builders = engine.files(ctx).map((f, i) => {
      const b = new BatchBuilder(`db_logs/${f}`, meta, config.chunk_lines);
      b.header(engine.header(ctx, i));
      return b;
    });
    const planned = (events.get(server.id) ?? []).sort((a, b) => a.t - b.t || a.step - b.step);
    // One pass per file: every pass renders every record (same draws), keeps its file's, so each file is written
    // whole before the next and the batches never depend on the chunk size.
    for (let file = 0; file < builders.length; file++) {
      let next = 0;
      for (let hour = start; hour < end; hour += HOUR) {
        const rng = entityStream(
          config.seed,
          "incidents",
          `db/${server.id}/${new Date(hour).toISOString().slice(0, 13)}`,
        );
        const h = new Date(hour).getUTCHours();
        const n = rng.poisson(config.volumes.db_records_per_server_hour * DIURNAL[h] / DIURNAL_MEAN);
        const times = sortedUniform(rng, n, hour, hour + HOUR);
        let b = 0;
        for (;;) {
          const ev = next < planned.length && planned[next].t < hour + HOUR ? planned[next] : undefined;
          const bg = b < times.length ? times[b] : undefined;
          if (ev === undefined && bg === undefined) break;
          let rec, t, incident;
          if (ev !== undefined && (bg === undefined || ev.t < bg)) {
            const inc = incidents[ev.incident];
            rec = engine.incident(rng, { ...ctx, facts: inc.facts }, ev.pattern, ev.step, ev.t);
            t = ev.t;
            incident = ev.incident;
            next++;
          } else {
            rec = engine.background(rng, ctx, bg!);
            t = bg!;
            incident = -1;
            b++;
          }
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
      }
      yield builders[file].flush(true);
    }
  }
}
