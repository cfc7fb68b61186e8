/**
 * What the database log writers share: the server context, one rendered record, and the engine interface (one
 * module per engine, registered in `dblogs/mod.ts`).
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import type { Engine } from "../catalog.ts";
import type { FleetServer } from "../fleet.ts";

/** A database server while its logs are written. */
export interface DbContext {
  server: FleetServer;
  /** Logical database name, e.g. `orders`. */
  database: string;
  /** The application account, e.g. `orders_app`. */
  appUser: string;
  /** Client services (application name in connection logs). */
  clients: readonly string[];
  /** Addresses of application servers that connect (documentation ranges). */
  clientIps: readonly string[];
  /** Process id of the long-lived background processes (checkpointer, archiver, walreceiver...). */
  pids: { checkpointer: number; archiver: number; autovacuum: number; walreceiver: number; main: number };
}

/** One log record: one event, one or more physical lines. */
export interface DbRecord {
  /** Index into the engine's files. */
  file: number;
  /** The physical lines, without newlines. */
  lines: string[];
  /** Severity word of the record (LOG/ERROR/..., Note/Warning/..., I/W/E/F). */
  level: string;
  /**
   * When one event writes several log entries (a connection received then authorized, a crash and recovery
   * sequence): the index of each entry's first line and its level. Each entry becomes its own labeled record.
   * @default one entry
   */
  entries?: { start: number; level: string; offsetMs: number }[];
}

/** Patterns every engine renders. */
export const DB_PATTERNS = [
  "auth_bruteforce",
  "privilege_change",
  "replication_lag",
  "archive_failure",
  "disk_full",
  "slow_queries",
  "connection_storm",
] as const;

/** An incident pattern name. */
export type DbPattern = typeof DB_PATTERNS[number];

/** Where an engine puts its records: each is scheduled at its own time and written in time order. */
export interface DbSink {
  /**
   * Schedules a record at `t` (epoch ms, never before the event that schedules it). A function is called when the
   * record's time comes, in time order, so it can read state that earlier records changed (open connections).
   */
  at(t: number, rec: DbRecord | (() => DbRecord)): void;
}

/** One planned event of an incident pattern. */
export interface PatternEvent {
  /** Counts the pattern's events from 0. */
  step: number;
  t: number;
  /** The incident's facts (attacker address, account, lag...). */
  facts: Record<string, string | number>;
}

/** One incident pattern of one engine: schedules the records of one event. */
export type PatternRenderer<S> = (rng: Rng, s: S, ev: PatternEvent, out: DbSink) => void;

/**
 * A database engine's log formats and its server's behaviour. A server's logs are simulated in time order from
 * `init`'s state: `tick` runs the periodic processes of each hour (checkpoints), `background` schedules what one
 * arrival of background work writes (a client session, a maintenance run, a rare server message), and `patterns`
 * holds one renderer per incident pattern (the registry: a new pattern is one entry).
 */
export interface DbEngine<S> {
  readonly engine: Engine;
  /** Background records one arrival writes on average (holds `db_records_per_server_hour`). */
  readonly recordsPerArrival: number;
  /** The log files of a server, relative to `db_logs/`. */
  files(ctx: DbContext): string[];
  /** Lines at the top of a file (e.g. the slow log's banner). */
  header(ctx: DbContext, file: number): string[];
  /** The server's state at the start of the period, drawn from the server's stream. */
  init(rng: Rng, ctx: DbContext, span: { start: number; end: number }): S;
  /** Periodic processes in `[from, to)`. */
  tick(rng: Rng, s: S, from: number, to: number, out: DbSink): void;
  /** One arrival of background work at `t`. */
  background(rng: Rng, s: S, t: number, out: DbSink): void;
  /** The incident patterns. */
  readonly patterns: Readonly<Record<DbPattern, PatternRenderer<S>>>;
}

/**
 * Zipf weights `1 / rank^s` for `n` ranks: a few items dominate and the tail is rare.
 * @param n the number of items
 * @param s the exponent
 * @returns the weights, rank 1 first
 */
export function zipf(n: number, s: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
}

/** `H:MM:SS.mmm` as PostgreSQL prints a session time. */
export function sessionTime(ms: number): string {
  const h = Math.floor(ms / 3_600_000), m = Math.floor((ms % 3_600_000) / 60_000), s = (ms % 60_000) / 1000;
  return `${h}:${String(m).padStart(2, "0")}:${s.toFixed(3).padStart(6, "0")}`;
}

/**
 * A heavy-tailed session length in ms: most client sessions last seconds, pooled ones minutes to hours.
 * @param rng the stream
 * @returns milliseconds
 */
export function sessionLength(rng: Rng): number {
  return Math.round(rng.bernoulli(0.7) ? rng.lognormal(Math.log(2_500), 1) : rng.lognormal(Math.log(600_000), 1.2));
}

/**
 * A random documentation-range client address with a port, e.g. `192.0.2.15:53412`.
 * @param rng the stream
 * @param ips candidate addresses
 * @returns `ip:port`
 */
export function endpoint(rng: Rng, ips: readonly string[]): string {
  return `${ips[Math.floor(rng.next() * ips.length)]}:${rng.int(32768, 60999)}`;
}

const HEX = "0123456789abcdef";

/**
 * A random version-4 UUID text.
 * @param rng the stream
 * @returns the UUID
 */
export function uuid(rng: Rng): string {
  let s = "";
  for (let i = 0; i < 32; i++) {
    let d = Math.floor(rng.next() * 16);
    if (i === 12) d = 4;
    if (i === 16) d = 8 + (d & 3);
    s += HEX[d];
    if (i === 7 || i === 11 || i === 15 || i === 19) s += "-";
  }
  return s;
}

/**
 * A WAL segment name that advances with time (one segment every ~40 s on a busy primary).
 * @param t epoch ms
 * @param offset a per-server offset
 * @returns e.g. `0000000100000A2B000000C4`
 */
export function walSegment(t: number, offset: number): string {
  const n = Math.floor(t / 40_000) + offset;
  const hi = Math.floor(n / 256);
  const lo = n % 256;
  return `00000001${hi.toString(16).toUpperCase().padStart(8, "0")}${lo.toString(16).toUpperCase().padStart(8, "0")}`;
}

/**
 * An LSN text like `A2B/C4001F28`.
 * @param t epoch ms
 * @param offset a per-server offset
 * @returns the LSN
 */
export function lsn(t: number, offset: number): string {
  const n = Math.floor(t / 40_000) + offset;
  return `${Math.floor(n / 256).toString(16).toUpperCase()}/${
    ((n % 256) * 0x1000000 + (t % 0x1000000)).toString(16).toUpperCase()
  }`;
}
