/**
 * MySQL 8 logs: the error log (`log_error_verbosity = 3`, lines `timestamp thread [label] [MY-code] [subsystem]
 * message`) and the slow query log (`# Time`, `# User@Host`, `# Query_time` header lines, `SET timestamp`, the
 * statement). Incident patterns: access denied bursts, replica applier failures and lag statistics, disk-full
 * waits and InnoDB write failures, slow queries, aborted-connection storms.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import {
  type DbContext,
  type DbEngine,
  type DbPattern,
  type DbRecord,
  type DbSink,
  endpoint,
  type PatternRenderer,
  sessionLength,
  zipf,
} from "./_common.ts";
import { inline, QueryMix } from "./_queries.ts";

/** `2024-01-15T14:30:22.123456Z` from epoch ms and 0-999 extra microseconds. */
export function mysqlTime(t: number, micros: number): string {
  return `${new Date(t).toISOString().slice(0, 23)}${String(micros).padStart(3, "0")}Z`;
}

function err(t: number, rng: Rng, thread: number, label: string, code: string, sub: string, msg: string): string {
  return `${mysqlTime(t, rng.int(0, 999))} ${thread} [${label}] [MY-${code}] [${sub}] ${msg}`;
}

const TABLES: Record<string, string[]> = {
  customers: ["customers", "addresses", "sessions", "consents", "loyalty_points"],
  analytics: ["page_views", "daily_revenue", "cohorts", "experiments"],
  default: ["items", "events"],
};

/** Error-log labels and the record level each one is counted under. */
const LEVEL = { Note: "Note", Warning: "Warning", ERROR: "Error", System: "System" } as const;

/**
 * One error-log record. The message is built by the caller (its draws come first), then `err` draws the
 * microseconds: the order every record has always drawn in.
 */
function record(
  t: number,
  rng: Rng,
  threadId: number,
  label: keyof typeof LEVEL,
  code: string,
  sub: string,
  msg: string,
): DbRecord {
  return { file: 0, level: LEVEL[label], lines: [err(t, rng, threadId, label, code, sub, msg)] };
}

function abortedConnection(t: number, rng: Rng, id: number, db: string, user: string, ip: string, why: string) {
  return record(
    t,
    rng,
    id,
    "Note",
    "010914",
    "Server",
    `Aborted connection ${id} to db: '${db}' user: '${user}' host: '${ip}' (${why}).`,
  );
}

/** The replica applier's periodic statistics; a lagging replica fills its queues and waits. */
function replicaStatistics(rng: Rng, lagging: boolean): string {
  const elapsed = rng.int(120, 125);
  const assigned = rng.int(100_000, 9_000_000);
  const overrun = lagging ? rng.int(200, 9000) : 0;
  const queueFull = lagging ? rng.int(50, 900) : 0;
  const totalSize = lagging ? rng.int(0, 40) : 0;
  const clock = lagging ? rng.int(100_000_000, 900_000_000) : rng.int(0, 90_000_000);
  const occupiedCount = lagging ? rng.int(1000, 90000) : rng.int(0, 200);
  const occupied = lagging ? rng.int(100_000_000, 900_000_000) : rng.int(0, 9_000_000);
  return `Multi-threaded replica statistics for channel '': seconds elapsed = ${elapsed}; events assigned = ${assigned}; ` +
    `worker queues filled over overrun level = ${overrun}; waited due a Worker queue full = ${queueFull}; ` +
    `waited due the total size = ${totalSize}; waited at clock conflicts = ${clock} ` +
    `waited (count) when Workers occupied = ${occupiedCount} waited when Workers occupied = ${occupied}`;
}

/** A server's simulation state: the connection-id counter and the query mix. */
export interface MysqlState {
  ctx: DbContext;
  /** The last connection (thread) id handed out. */
  lastId: number;
  queries: QueryMix;
  restartAt: number;
}

function tablesOf(ctx: DbContext): string[] {
  return TABLES[ctx.database] ?? TABLES.default;
}

/**
 * A slow-log entry: `# Time` is when the statement ended, `SET timestamp` when it started, the difference its
 * `Query_time`; `Id: %5u` as mysqld prints it.
 */
function slowEntry(
  rng: Rng,
  s: MysqlState,
  t: number,
  id: number,
  ip: string,
  seconds: number,
  rows: number,
  sql: string,
): DbRecord {
  const lock = rng.uniform(0, 0.0005);
  const lines = [
    `# Time: ${mysqlTime(t, rng.int(0, 999))}`,
    `# User@Host: ${s.ctx.appUser}[${s.ctx.appUser}] @  [${ip}]  Id: ${String(id).padStart(5)}`,
    `# Query_time: ${seconds.toFixed(6)}  Lock_time: ${lock.toFixed(6)} Rows_sent: ${
      rng.int(0, 500)
    }  Rows_examined: ${rows}`,
  ];
  if (rng.bernoulli(0.3)) lines.push(`use ${s.ctx.database};`);
  lines.push(`SET timestamp=${Math.floor((t - seconds * 1000) / 1000)};`, sql.endsWith(";") ? sql : `${sql};`);
  return { file: 1, level: "Slow", lines };
}

/** After the shutdown request, mysqld disconnects the remaining clients here (ms). */
const DISCONNECTED_AT = 2100;
/** After the shutdown request, mysqld is ready for connections again here (ms). */
const READY_AT = 12000;

/**
 * A client connection: its slow statements in the slow log under its id, now and then an abort note. A
 * connection open at the restart is disconnected with it (no statement finishes after); none starts while the
 * server is down.
 */
function session(rng: Rng, s: MysqlState, t0: number, out: DbSink): void {
  if (t0 >= s.restartAt && t0 < s.restartAt + READY_AT) return;
  const id = ++s.lastId;
  const ip = endpoint(rng, s.ctx.clientIps).split(":")[0];
  const planned = t0 + sessionLength(rng);
  const cut = t0 < s.restartAt && planned > s.restartAt;
  const end = cut ? s.restartAt + DISCONNECTED_AT : planned;
  let t = t0;
  const n = rng.bernoulli(0.3) ? 1 : 1 + Math.floor(rng.exponential(0.6));
  for (let k = 0; k < n; k++) {
    const seconds = 2 + rng.lognormal(Math.log(2), 1);
    const started = t + Math.floor(rng.uniform(0, Math.max(1, end - t) / (n - k + 1)));
    const done = started + Math.round(seconds * 1000);
    if (cut && done >= end) break;
    const st = s.queries.draw(rng);
    out.at(done, slowEntry(rng, s, done, id, ip, seconds, rng.int(20_000, 4_000_000), inline(st)));
    t = done;
  }
  if (rng.bernoulli(0.25) && !cut) {
    const stop = Math.max(end, t + 1);
    const why = rng.pick([
      "Got an error reading communication packets",
      "Got timeout reading communication packets",
      "Got an error writing communication packets",
    ]);
    out.at(stop, abortedConnection(stop, rng, id, s.ctx.database, s.ctx.appUser, ip, why));
  }
}

/** Messages of the server itself (InnoDB, replication, access, plugins), Zipf-ranked so the tail is rare. */
const SERVER_EVENTS: ((rng: Rng, s: MysqlState, t: number) => DbRecord)[] = [
  (rng, s, t) =>
    record(
      t,
      rng,
      ++s.lastId,
      "Warning",
      "010055",
      "Server",
      `IP address '${endpoint(rng, s.ctx.clientIps).split(":")[0]}' could not be resolved: Name or service not known`,
    ),
  (rng, s, t) => {
    const id = ++s.lastId;
    return abortedConnection(
      t,
      rng,
      id,
      "unconnected",
      "unauthenticated",
      endpoint(rng, s.ctx.clientIps).split(":")[0],
      "Got an error reading communication packets",
    );
  },
  (rng, s, t) =>
    record(
      t,
      rng,
      ++s.lastId,
      "Note",
      "010926",
      "Server",
      `Access denied for user '${rng.pick(["monitor", "backup", s.ctx.appUser])}'@'${
        endpoint(rng, s.ctx.clientIps).split(":")[0]
      }' (using password: YES)`,
    ),
  (rng, _s, t) =>
    record(
      t,
      rng,
      0,
      "Note",
      "011953",
      "InnoDB",
      `Page cleaner took ${rng.int(4000, 9000)}ms to flush ${rng.int(100, 2000)} and evict 0 pages`,
    ),
  (rng, s, t) =>
    s.ctx.server.role === "replica"
      ? record(t, rng, 0, "Note", "010559", "Repl", replicaStatistics(rng, false))
      : record(
        t,
        rng,
        0,
        "Note",
        "012557",
        "InnoDB",
        `Buffer pool(s) dump completed at ${mysqlTime(t, 0).slice(2, 19).replace("T", " ").replace(/-/g, "")}`,
      ),
  (rng, s, t) =>
    record(
      t,
      rng,
      ++s.lastId,
      "Warning",
      "013360",
      "Server",
      "Plugin mysql_native_password reported: ''mysql_native_password' is deprecated and will be removed in a future release. Please use caching_sha2_password instead'",
    ),
  (rng, _s, t) =>
    record(
      t,
      rng,
      0,
      "Warning",
      "012191",
      "InnoDB",
      `A long semaphore wait: --Thread ${rng.int(139000000000000, 140000000000000)} has waited at buf0flu.cc line ${
        rng.int(1000, 3000)
      } for ${rng.int(241, 900)} seconds the semaphore:`,
    ),
  (rng, s, t) =>
    record(
      t,
      rng,
      ++s.lastId,
      "Warning",
      "010957",
      "Server",
      `The transaction was rolled back because of a lock wait timeout on table ${s.ctx.database}.${
        rng.pick(tablesOf(s.ctx))
      }`,
    ),
  (rng, _s, t) => record(t, rng, 0, "Note", "010065", "Server", "Event Scheduler: Purging the queue. 0 events"),
  (rng, s, t) =>
    record(
      t,
      rng,
      ++s.lastId,
      "Warning",
      "011825",
      "InnoDB",
      `Cannot add field \`notes\` in table \`${s.ctx.database}\`.\`${
        rng.pick(tablesOf(s.ctx))
      }\` because after adding it, the row size is ${
        rng.int(8127, 9000)
      } which is greater than maximum allowed size (8126) for a record on index leaf page.`,
    ),
  (rng, _s, t) => record(t, rng, 0, "Warning", "010068", "Server", "CA certificate ca.pem is self signed."),
  (rng, s, t) =>
    record(
      t,
      rng,
      ++s.lastId,
      "Note",
      "010930",
      "Server",
      `Aborted connection ${s.lastId} to db: '${s.ctx.database}' user: 'root' host: 'localhost' (Got an error writing communication packets).`,
    ),
  (rng, _s, t) =>
    record(
      t,
      rng,
      0,
      "Warning",
      "012637",
      "InnoDB",
      `${rng.int(1, 30)} threads created by InnoDB had not exited at shutdown!`,
    ),
];
SERVER_EVENTS.push(
  (rng, _s, t) =>
    record(t, rng, 0, "Note", "010051", "Server", `Event Scheduler: scheduler thread started with id ${rng.int(5, 9)}`),
  (rng, s, t) =>
    record(
      t,
      rng,
      0,
      "Warning",
      "010909",
      "Server",
      `/usr/sbin/mysqld: Forcing close of thread ${s.lastId} user: '${s.ctx.appUser}'.`,
    ),
  (rng, s, t) => {
    const ip = endpoint(rng, s.ctx.clientIps).split(":")[0];
    return record(
      t,
      rng,
      ++s.lastId,
      "Warning",
      "010284",
      "Server",
      `IP address '${ip}' has been resolved to the host name '${ip}', which resembles IPv4-address itself.`,
    );
  },
  (rng, s, t) =>
    record(
      t,
      rng,
      0,
      "Note",
      "010735",
      "Repl",
      `Replica I/O thread for channel '': connected to source 'repl@${
        s.ctx.server.host.replace(/-\d+$/, "-01")
      }:3306',replication started in log '${binlog(rng)}' at position 4`,
    ),
  (rng, _s, t) =>
    record(
      t,
      rng,
      0,
      "Warning",
      "012582",
      "InnoDB",
      `Log writer overwriting data after checkpoint - waited too long (1 second), lag: ${
        rng.int(1_000_000_000, 4_000_000_000)
      } bytes, checkpoint LSN: ${rng.int(10_000_000_000, 90_000_000_000)}`,
    ),
  (rng, s, t) =>
    record(
      t,
      rng,
      ++s.lastId,
      "Warning",
      "010426",
      "Server",
      "Unsafe statement written to the binary log using statement format since BINLOG_FORMAT = STATEMENT. The statement is unsafe because it uses a LIMIT clause.",
    ),
  (rng, _s, t) =>
    record(t, rng, 0, "ERROR", "012592", "InnoDB", "Operating system error number 2 in a file operation."),
  (rng, s, t) =>
    record(
      t,
      rng,
      0,
      "Warning",
      "010045",
      "Server",
      `Event Scheduler: [root@localhost][${s.ctx.database}.purge_sessions] Data truncated for column 'note' at row ${
        rng.int(1, 90)
      }`,
    ),
  (rng, _s, t) =>
    record(
      t,
      rng,
      0,
      "Warning",
      "013711",
      "Server",
      "Manifest file '/usr/sbin/mysqld.my' is not read-only. For better security, please make sure that the file is read-only.",
    ),
  (rng, _s, t) =>
    record(
      t,
      rng,
      0,
      "Warning",
      "010139",
      "Server",
      `Changed limits: max_open_files: ${rng.pick([5000, 10000])} (requested ${rng.int(10001, 10100)})`,
    ),
  (rng, _s, t) =>
    record(
      t,
      rng,
      0,
      "Warning",
      "010101",
      "Server",
      "Insecure configuration for --secure-file-priv: Location is accessible to all OS users. Consider choosing a different directory.",
    ),
  (rng, s, t) =>
    record(
      t,
      rng,
      ++s.lastId,
      "ERROR",
      "010584",
      "Repl",
      `Replica SQL for channel '': Error 'Duplicate entry '${rng.int(1, 9_000_000)}' for key '${
        rng.pick(tablesOf(s.ctx))
      }.PRIMARY'' on query. Default database: '${s.ctx.database}'. Error_code: MY-001062`,
    ),
  (rng, _s, t) =>
    record(
      t,
      rng,
      0,
      "Note",
      "013907",
      "InnoDB",
      `Deprecated configuration parameters innodb_log_file_size and/or innodb_log_files_in_group have been used to compute innodb_redo_log_capacity=${
        rng.pick([1073741824, 2147483648])
      }.`,
    ),
  (rng, s, t) =>
    record(
      t,
      rng,
      ++s.lastId,
      "Warning",
      "011068",
      "Server",
      "The syntax 'log_slave_updates' is deprecated and will be removed in a future release. Please use log_replica_updates instead.",
    ),
  (rng, s, t) =>
    record(
      t,
      rng,
      ++s.lastId,
      "Note",
      "010926",
      "Auth",
      `Access denied for user 'root'@'localhost' (using password: NO)`,
    ),
);
const SERVER_WEIGHTS = zipf(SERVER_EVENTS.length, 1.6);

/** A restart for a minor upgrade: shutdown and startup banners. */
function restart(rng: Rng, _s: MysqlState, t: number, out: DbSink): void {
  const seq: [number, keyof typeof LEVEL, string, string, string][] = [
    [
      0,
      "System",
      "013172",
      "Server",
      "Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: 8.0.36).",
    ],
    [900, "Note", "010067", "Server", "Giving 2 client threads a chance to die gracefully"],
    [1500, "Note", "010117", "Server", "Shutting down slave threads"],
    [2100, "Note", "010118", "Server", "Forcefully disconnecting 0 remaining clients"],
    [
      3000,
      "System",
      "010910",
      "Server",
      "/usr/sbin/mysqld: Shutdown complete (mysqld 8.0.36)  MySQL Community Server - GPL.",
    ],
    [9000, "System", "010116", "Server", `/usr/sbin/mysqld (mysqld 8.0.36) starting as process ${rng.int(1000, 9000)}`],
    [9100, "System", "013576", "InnoDB", "InnoDB initialization has started."],
    [11000, "System", "013577", "InnoDB", "InnoDB initialization has ended."],
    [11800, "Warning", "010068", "Server", "CA certificate ca.pem is self signed."],
    [
      12000,
      "System",
      "010931",
      "Server",
      "/usr/sbin/mysqld: ready for connections. Version: '8.0.36'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.",
    ],
    [
      12001,
      "System",
      "011323",
      "Server",
      "X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock",
    ],
  ];
  for (const [dt, label, code, sub, msg] of seq) out.at(t + dt, record(t + dt, rng, 0, label, code, sub, msg));
}

const ATTACK_USERS = ["root", "admin", "mysql", "dbadmin", "backup", "test"];

function binlog(rng: Rng): string {
  return `binlog.${String(rng.int(100, 999)).padStart(6, "0")}`;
}

/** The incident patterns (one entry each). */
const MYSQL_PATTERNS: Record<DbPattern, PatternRenderer<MysqlState>> = {
  auth_bruteforce(rng, s, { step, t, facts: f }, out) {
    const user = step % 3 === 0 ? String(f.account ?? "root") : rng.pick(ATTACK_USERS);
    out.at(
      t,
      record(
        t,
        rng,
        ++s.lastId,
        "Note",
        "010926",
        "Server",
        `Access denied for user '${user}'@'${f.attacker_ip}' (using password: YES)`,
      ),
    );
  },
  privilege_change(rng, s, { t, facts: f }, out) {
    out.at(
      t,
      record(
        t,
        rng,
        ++s.lastId,
        "Note",
        "010926",
        "Server",
        `Access denied for user 'etl_service'@'${f.attacker_ip}' (using password: YES)`,
      ),
    );
  },
  replication_lag(rng, s, { step, t }, out) {
    if (step % 4 === 1) {
      out.at(t, record(t, rng, 0, "Note", "010559", "Repl", replicaStatistics(rng, true)));
      return;
    }
    const pos = rng.int(100_000, 90_000_000);
    const table = rng.pick(tablesOf(s.ctx));
    out.at(
      t,
      record(
        t,
        rng,
        rng.int(5, 12),
        "ERROR",
        "010584",
        "Repl",
        `Replica SQL for channel '': Worker ${rng.int(1, 4)} failed executing transaction 'ANONYMOUS' at source log ${
          binlog(rng)
        }, end_log_pos ${pos}; Could not execute Update_rows event on table ${s.ctx.database}.${table}; Lock wait timeout exceeded; try restarting transaction, Error_code: 1205; handler error HA_ERR_LOCK_WAIT_TIMEOUT, Error_code: MY-001205`,
      ),
    );
  },
  archive_failure(rng, _s, { t }, out) {
    out.at(
      t,
      record(
        t,
        rng,
        0,
        "ERROR",
        "010584",
        "Repl",
        `Error writing file '/var/lib/mysql/${binlog(rng)}' (errno: 28 - No space left on device)`,
      ),
    );
  },
  disk_full(rng, s, { step, t }, out) {
    const pos = rng.int(100_000, 90_000_000);
    if (step % 5 === 0) {
      out.at(
        t,
        record(
          t,
          rng,
          s.lastId,
          "ERROR",
          "000035",
          "Server",
          `Disk is full writing './${
            binlog(rng)
          }' (OS errno 28 - No space left on device). Waiting for someone to free space... Retry in 60 secs. Message reprinted in 600 secs.`,
        ),
      );
      return;
    }
    const table = rng.pick(tablesOf(s.ctx));
    out.at(
      t,
      record(
        t,
        rng,
        0,
        "ERROR",
        "012639",
        "InnoDB",
        `Write to file ./${s.ctx.database}/${table}.ibd failed at offset ${
          pos * 16384
        }, 16384 bytes should have been written, only 0 were written. Operating system error number 28. Check that your OS and file system support files of this size. Check also that the disk is not full or a disk quota exceeded.`,
      ),
    );
  },
  slow_queries(rng, s, { t }, out) {
    const table = rng.pick(tablesOf(s.ctx));
    const seconds = 6 + rng.exponential(1 / 12);
    const ip = endpoint(rng, s.ctx.clientIps).split(":")[0];
    const done = t + Math.round(seconds * 1000);
    out.at(
      done,
      slowEntry(
        rng,
        s,
        done,
        ++s.lastId,
        ip,
        seconds,
        rng.int(5_000_000, 60_000_000),
        `SELECT * FROM ${table} WHERE LOWER(email_hash) = '${
          rng.int(100000, 999999).toString(16)
        }' ORDER BY created_at DESC;`,
      ),
    );
  },
  connection_storm(rng, s, { t }, out) {
    const ip = endpoint(rng, s.ctx.clientIps).split(":")[0];
    out.at(
      t,
      abortedConnection(
        t,
        rng,
        ++s.lastId,
        s.ctx.database,
        s.ctx.appUser,
        ip,
        "Got timeout reading communication packets",
      ),
    );
  },
};

function init(rng: Rng, ctx: DbContext, span: { start: number; end: number }): MysqlState {
  // A rolling minor upgrade restarts every server once in the period (as the MongoDB fleet's).
  const restartAt = Math.floor(rng.uniform(span.start + 3_600_000, span.end - 3_600_000));
  return { ctx, lastId: rng.int(10_000, 900_000), queries: new QueryMix(rng, tablesOf(ctx)), restartAt };
}

function tick(rng: Rng, s: MysqlState, from: number, to: number, out: DbSink): void {
  if (s.restartAt >= from && s.restartAt < to) restart(rng, s, s.restartAt, out);
}

function background(rng: Rng, s: MysqlState, t: number, out: DbSink): void {
  if (rng.bernoulli(0.75)) session(rng, s, t, out);
  else {
    // Connection-level messages come in bursts (a pool reset aborts several connections at once).
    const k = rng.weightedIndex(SERVER_WEIGHTS);
    const event = SERVER_EVENTS[k];
    const n = k < 3 ? 1 + Math.floor(rng.exponential(0.4)) : 1;
    for (let k = 0, u = t; k < n; k++, u += rng.int(1, 900)) out.at(u, event(rng, s, u));
  }
}

/** MySQL 8 error and slow query logs. */
export const mysql: DbEngine<MysqlState> = {
  engine: "mysql",
  recordsPerArrival: 2.6,
  files: (ctx) => [`mysql/${ctx.server.host}-error.log`, `mysql/${ctx.server.host}-slow.log`],
  header: (_ctx, file) =>
    file === 1
      ? [
        "/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:",
        "Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock",
        "Time                 Id Command    Argument",
      ]
      : [],
  init,
  tick,
  background,
  patterns: MYSQL_PATTERNS,
};
