/**
 * MySQL 8 logs: the error log (`log_error_verbosity = 3`, lines `timestamp thread [label] [MY-code] [subsystem]
 * message`) and the slow query log (`# Time`, `# User@Host`, `# Query_time` header lines, `SET timestamp`, the
 * statement). Incident patterns: access denied bursts, replica applier failures and lag statistics, disk-full
 * waits and InnoDB write failures, slow queries, aborted-connection storms.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { type DbContext, type DbEngine, type DbRecord, endpoint } from "./_common.ts";

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

function thread(t: number, rng: Rng): number {
  // Connection ids grow through the day; a little jitter keeps neighbours apart.
  return 10_000 + Math.floor((t % 86_400_000) / 2_000) + rng.int(0, 40);
}

function slowEntry(rng: Rng, ctx: DbContext, t: number, seconds: number, rows: number, sql: string): DbRecord {
  const ip = endpoint(rng, ctx.clientIps).split(":")[0];
  const lock = rng.uniform(0, 0.0005);
  const lines = [
    `# Time: ${mysqlTime(t, rng.int(0, 999))}`,
    `# User@Host: ${ctx.appUser}[${ctx.appUser}] @  [${ip}]  Id: ${String(thread(t, rng)).padStart(6)}`,
    `# Query_time: ${seconds.toFixed(6)}  Lock_time: ${lock.toFixed(6)} Rows_sent: ${
      rng.int(0, 500)
    }  Rows_examined: ${rows}`,
  ];
  if (rng.bernoulli(0.3)) lines.push(`use ${ctx.database};`);
  lines.push(`SET timestamp=${Math.floor(t / 1000)};`, sql);
  return { file: 1, level: "Slow", lines };
}

function queries(ctx: DbContext, rng: Rng): string {
  const table = rng.pick(TABLES[ctx.database] ?? TABLES.default);
  return rng.pick([
    `SELECT * FROM ${table} WHERE updated_at > '2024-01-01' ORDER BY updated_at DESC LIMIT 200;`,
    `SELECT customer_id, COUNT(*) FROM ${table} GROUP BY customer_id HAVING COUNT(*) > 10;`,
    `UPDATE ${table} SET last_seen = NOW() WHERE customer_id IN (SELECT customer_id FROM sessions WHERE expired = 0);`,
    `DELETE FROM ${table} WHERE created_at < NOW() - INTERVAL 90 DAY LIMIT 5000;`,
  ]);
}

/** Error-log labels and the record level each one is counted under. */
const LEVEL = { Note: "Note", Warning: "Warning", ERROR: "Error" } as const;

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

function background(rng: Rng, ctx: DbContext, t: number): DbRecord {
  const r = rng.weightedIndex([4, 1, 3, 1, 0.4]);
  if (r === 0) {
    const ip = endpoint(rng, ctx.clientIps).split(":")[0];
    const id = thread(t, rng);
    const why = rng.pick([
      "Got an error reading communication packets",
      "Got timeout reading communication packets",
      "Got an error writing communication packets",
    ]);
    return abortedConnection(t, rng, id, ctx.database, ctx.appUser, ip, why);
  }
  if (r === 1) {
    const ip = endpoint(rng, ctx.clientIps).split(":")[0];
    return record(
      t,
      rng,
      thread(t, rng),
      "Warning",
      "010055",
      "Server",
      `IP address '${ip}' could not be resolved: Name or service not known`,
    );
  }
  if (r === 2) {
    return slowEntry(rng, ctx, t, 2 + rng.exponential(1 / 3), rng.int(20_000, 4_000_000), queries(ctx, rng));
  }
  if (r === 3 && ctx.server.role === "replica") {
    return record(t, rng, 0, "Note", "010559", "Repl", replicaStatistics(rng, false));
  }
  const id = thread(t, rng);
  const ip = endpoint(rng, ctx.clientIps).split(":")[0];
  return abortedConnection(
    t,
    rng,
    id,
    "unconnected",
    "unauthenticated",
    ip,
    "Got an error reading communication packets",
  );
}

const ATTACK_USERS = ["root", "admin", "mysql", "dbadmin", "backup", "test"];

function binlog(rng: Rng): string {
  return `binlog.${String(rng.int(100, 999)).padStart(6, "0")}`;
}

function incident(rng: Rng, ctx: DbContext, pattern: string, step: number, t: number): DbRecord {
  const f = ctx.facts;
  const pos = rng.int(100_000, 90_000_000);
  switch (pattern) {
    case "auth_bruteforce": {
      const user = step % 3 === 0 ? String(f.account ?? "root") : rng.pick(ATTACK_USERS);
      return record(
        t,
        rng,
        thread(t, rng),
        "Note",
        "010926",
        "Server",
        `Access denied for user '${user}'@'${f.attacker_ip}' (using password: YES)`,
      );
    }
    case "replication_lag": {
      if (step % 4 === 1) return record(t, rng, 0, "Note", "010559", "Repl", replicaStatistics(rng, true));
      const table = rng.pick(TABLES[ctx.database] ?? TABLES.default);
      return record(
        t,
        rng,
        rng.int(5, 12),
        "ERROR",
        "010584",
        "Repl",
        `Replica SQL for channel '': Worker ${rng.int(1, 4)} failed executing transaction 'ANONYMOUS' at source log ${
          binlog(rng)
        }, end_log_pos ${pos}; Could not execute Update_rows event on table ${ctx.database}.${table}; Lock wait timeout exceeded; try restarting transaction, Error_code: 1205; handler error HA_ERR_LOCK_WAIT_TIMEOUT, Error_code: MY-001205`,
      );
    }
    case "disk_full": {
      if (step % 5 === 0) {
        return record(
          t,
          rng,
          thread(t, rng),
          "ERROR",
          "000035",
          "Server",
          `Disk is full writing './${
            binlog(rng)
          }' (OS errno 28 - No space left on device). Waiting for someone to free space... Retry in 60 secs. Message reprinted in 600 secs.`,
        );
      }
      const table = rng.pick(TABLES[ctx.database] ?? TABLES.default);
      return record(
        t,
        rng,
        0,
        "ERROR",
        "012639",
        "InnoDB",
        `Write to file ./${ctx.database}/${table}.ibd failed at offset ${
          pos * 16384
        }, 16384 bytes should have been written, only 0 were written. Operating system error number 28. Check that your OS and file system support files of this size. Check also that the disk is not full or a disk quota exceeded.`,
      );
    }
    case "slow_queries": {
      const table = rng.pick(TABLES[ctx.database] ?? TABLES.default);
      return slowEntry(
        rng,
        ctx,
        t,
        6 + rng.exponential(1 / 12),
        rng.int(5_000_000, 60_000_000),
        `SELECT * FROM ${table} WHERE LOWER(email_hash) = '${
          rng.int(100000, 999999).toString(16)
        }' ORDER BY created_at DESC;`,
      );
    }
    case "connection_storm":
    default: {
      const ip = endpoint(rng, ctx.clientIps).split(":")[0];
      const id = thread(t, rng);
      return abortedConnection(t, rng, id, ctx.database, ctx.appUser, ip, "Got timeout reading communication packets");
    }
  }
}

/** MySQL 8 error and slow query logs. */
export const mysql: DbEngine = {
  engine: "mysql",
  files: (ctx) => [`mysql/${ctx.server.host}-error.log`, `mysql/${ctx.server.host}-slow.log`],
  header: (_ctx, file) =>
    file === 1
      ? [
        "/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:",
        "Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock",
        "Time                 Id Command    Argument",
      ]
      : [],
  background,
  incident,
};
