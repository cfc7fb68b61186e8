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
  /** Facts of the incident being rendered (attacker address, account, lag...). */
  facts: Record<string, string | number>;
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

/** A database engine's log formats. */
export interface DbEngine {
  readonly engine: Engine;
  /**
   * The log files of a server, relative to `db_logs/`.
   * @param ctx the server
   */
  files(ctx: DbContext): string[];
  /**
   * Lines at the top of a file (e.g. the slow log's banner).
   * @param ctx the server
   * @param file index into `files`
   */
  header(ctx: DbContext, file: number): string[];
  /** A background record at `t`. */
  background(rng: Rng, ctx: DbContext, t: number): DbRecord;
  /** A record of an incident pattern at `t`; `step` counts events of the pattern from 0. */
  incident(rng: Rng, ctx: DbContext, pattern: string, step: number, t: number): DbRecord;
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
