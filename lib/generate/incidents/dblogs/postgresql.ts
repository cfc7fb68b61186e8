/**
 * PostgreSQL stderr log with `log_line_prefix = '%m [%p] %q%u@%d '`, `log_connections`, `log_disconnections`,
 * `log_checkpoints`, `log_autovacuum_min_duration = 0` and `log_min_duration_statement = 1000`: background
 * sessions, checkpoints (restartpoints on a standby), autovacuum reports with tab-indented continuation lines,
 * slow statements and ordinary errors; incident patterns for brute force, privilege changes, recovery conflicts
 * on a lagging standby, archiver failures, a full disk, slow queries and connection storms.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { type DbContext, type DbEngine, type DbRecord, endpoint, lsn, walSegment } from "./_common.ts";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** `%m`: `2024-03-04 14:30:22.123 UTC`. */
export function pgTime(t: number): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${
    pad(d.getUTCMinutes())
  }:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} UTC`;
}

function line(t: number, pid: number, who: string | null, level: string, msg: string): string {
  return `${pgTime(t)} [${pid}] ${who === null ? "" : who + " "}${level}:  ${msg}`;
}

const TABLES: Record<string, string[]> = {
  orders: ["orders", "order_items", "shipments", "carts", "payments_outbox"],
  ledger: ["entries", "accounts", "journal", "settlements"],
  analytics: ["events_daily", "sessions_agg", "funnels"],
  default: ["items", "events", "audit_log"],
};

function tablesOf(ctx: DbContext): string[] {
  return TABLES[ctx.database] ?? TABLES.default;
}

const QUERIES = [
  (t: string) => `SELECT * FROM ${t} WHERE customer_ref = $1 ORDER BY created_at DESC LIMIT 50`,
  (t: string) => `UPDATE ${t} SET status = $1, updated_at = now() WHERE id = $2`,
  (t: string) => `SELECT count(*) FROM ${t} WHERE created_at >= $1 AND created_at < $2`,
  (t: string) => `INSERT INTO ${t} (id, customer_ref, status, created_at) VALUES ($1, $2, $3, now())`,
  (t: string) => `DELETE FROM ${t} WHERE expires_at < now() - interval '30 days'`,
];

function session(rng: Rng, ctx: DbContext): { pid: number; who: string } {
  return { pid: rng.int(1000, 4_000_000), who: `${ctx.appUser}@${ctx.database}` };
}

/**
 * What one process logs at one instant: a message and its DETAIL, HINT or STATEMENT lines, the first line's level
 * being the record's. The messages are built (and drawn) by the caller, in order.
 */
function at(t: number, pid: number, who: string | null, ...parts: [level: string, msg: string][]): DbRecord {
  return { file: 0, level: parts[0][0], lines: parts.map(([level, msg]) => line(t, pid, who, level, msg)) };
}

function background(rng: Rng, ctx: DbContext, t: number): DbRecord {
  const replica = ctx.server.role === "replica";
  const r = rng.weightedIndex([5, 4, 2, 1.2, 1.5, 0.8, 0.6, 0.3, 0.25, 0.1]);
  const table = rng.pick(tablesOf(ctx));
  if (r === 0) {
    const { pid, who } = session(rng, ctx);
    const [ip, port] = endpoint(rng, ctx.clientIps).split(":");
    return {
      file: 0,
      level: "LOG",
      lines: [
        line(t, pid, "[unknown]@[unknown]", "LOG", `connection received: host=${ip} port=${port}`),
        line(
          t + 2,
          pid,
          who,
          "LOG",
          `connection authorized: user=${ctx.appUser} database=${ctx.database} application_name=${
            rng.pick(ctx.clients)
          }`,
        ),
      ],
      entries: [{ start: 0, level: "LOG", offsetMs: 0 }, { start: 1, level: "LOG", offsetMs: 2 }],
    };
  }
  if (r === 1) {
    const { pid, who } = session(rng, ctx);
    const [ip, port] = endpoint(rng, ctx.clientIps).split(":");
    const secs = rng.exponential(1 / 40);
    const h = Math.floor(secs / 3600), m = Math.floor((secs % 3600) / 60), s = secs % 60;
    return at(t, pid, who, [
      "LOG",
      `disconnection: session time: ${h}:${pad(m)}:${
        s.toFixed(3).padStart(6, "0")
      } user=${ctx.appUser} database=${ctx.database} host=${ip} port=${port}`,
    ]);
  }
  if (r === 2) {
    const { pid, who } = session(rng, ctx);
    const ms = 1000 + rng.exponential(1 / 900);
    return at(t, pid, who, ["LOG", `duration: ${ms.toFixed(3)} ms  statement: ${rng.pick(QUERIES)(table)}`]);
  }
  if (r === 3) {
    const pid = ctx.pids.checkpointer;
    const word = replica ? "restartpoint" : "checkpoint";
    if (rng.bernoulli(0.5)) {
      return at(t, pid, null, ["LOG", `${word} starting: time`]);
    }
    const buffers = rng.int(200, 40000);
    const write = rng.uniform(20, 270);
    return at(t, pid, null, [
      "LOG",
      `${word} complete: wrote ${buffers} buffers (${(buffers / 1638.4).toFixed(1)}%); 0 WAL file(s) added, ${
        rng.int(0, 3)
      } removed, ${rng.int(0, 8)} recycled; write=${write.toFixed(3)} s, sync=${
        rng.uniform(0.001, 0.09).toFixed(3)
      } s, total=${(write + rng.uniform(0.01, 0.2)).toFixed(3)} s; sync files=${rng.int(3, 120)}, longest=${
        rng.uniform(0.001, 0.05).toFixed(3)
      } s, average=${rng.uniform(0.001, 0.01).toFixed(3)} s; distance=${rng.int(1000, 900000)} kB, estimate=${
        rng.int(1000, 900000)
      } kB; lsn=${lsn(t, ctx.pids.archiver)}, redo lsn=${lsn(t - 60_000, ctx.pids.archiver)}`,
    ]);
  }
  if (r === 4) {
    const pid = rng.int(1000, 4_000_000);
    const pages = rng.int(100, 90000);
    const removed = rng.int(0, 50000);
    return {
      file: 0,
      level: "LOG",
      lines: [
        line(
          t,
          pid,
          null,
          "LOG",
          `automatic vacuum of table "${ctx.database}.public.${table}": index scans: ${rng.int(0, 2)}`,
        ),
        `\tpages: 0 removed, ${pages} remain, ${rng.int(0, pages)} scanned (${
          rng.uniform(0, 100).toFixed(2)
        }% of total)`,
        `\ttuples: ${removed} removed, ${rng.int(1000, 5_000_000)} remain, 0 are dead but not yet removable`,
        `\tremovable cutoff: ${rng.int(100000, 9_000_000)}, which was ${rng.int(0, 50)} XIDs old when operation ended`,
        `\tindex scan needed: ${rng.int(0, pages)} pages from table (${
          rng.uniform(0, 30).toFixed(2)
        }% of total) had ${removed} dead item identifiers removed`,
        `\tavg read rate: ${rng.uniform(0, 40).toFixed(3)} MB/s, avg write rate: ${rng.uniform(0, 20).toFixed(3)} MB/s`,
        `\tbuffer usage: ${rng.int(100, 90000)} hits, ${rng.int(0, 5000)} misses, ${rng.int(0, 3000)} dirtied`,
        `\tWAL usage: ${rng.int(0, 50000)} records, ${rng.int(0, 3000)} full page images, ${
          rng.int(0, 9_000_000)
        } bytes`,
        `\tsystem usage: CPU: user: ${rng.uniform(0, 2).toFixed(2)} s, system: ${
          rng.uniform(0, 0.5).toFixed(2)
        } s, elapsed: ${rng.uniform(0.01, 9).toFixed(2)} s`,
      ],
    };
  }
  if (r === 5) {
    const pid = rng.int(1000, 4_000_000);
    return {
      file: 0,
      level: "LOG",
      lines: [
        line(t, pid, null, "LOG", `automatic analyze of table "${ctx.database}.public.${table}"`),
        `\tavg read rate: ${rng.uniform(0, 40).toFixed(3)} MB/s, avg write rate: ${rng.uniform(0, 5).toFixed(3)} MB/s`,
        `\tbuffer usage: ${rng.int(100, 9000)} hits, ${rng.int(0, 900)} misses, ${rng.int(0, 90)} dirtied`,
        `\tsystem usage: CPU: user: ${rng.uniform(0, 1).toFixed(2)} s, system: ${
          rng.uniform(0, 0.2).toFixed(2)
        } s, elapsed: ${rng.uniform(0.01, 3).toFixed(2)} s`,
      ],
    };
  }
  if (r === 6 && !replica) {
    const { pid, who } = session(rng, ctx);
    const id = rng.int(1, 9_000_000);
    return at(
      t,
      pid,
      who,
      ["ERROR", `duplicate key value violates unique constraint "${table}_pkey"`],
      ["DETAIL", `Key (id)=(${id}) already exists.`],
      [
        "STATEMENT",
        `INSERT INTO ${table} (id, customer_ref, status, created_at) VALUES (${id}, 'C-${
          rng.int(1000, 99999)
        }', 'new', now())`,
      ],
    );
  }
  if (r === 7) {
    const { pid, who } = session(rng, ctx);
    return at(
      t,
      pid,
      who,
      [
        "LOG",
        `temporary file: path "base/pgsql_tmp/pgsql_tmp${pid}.${rng.int(0, 9)}", size ${
          rng.int(8_000_000, 900_000_000)
        }`,
      ],
      ["STATEMENT", `SELECT customer_ref, sum(total) FROM ${table} GROUP BY customer_ref ORDER BY 2 DESC`],
    );
  }
  if (r === 8 && !replica) {
    const { pid, who } = session(rng, ctx);
    const other = rng.int(1000, 4_000_000);
    const tx1 = rng.int(1_000_000, 9_000_000);
    return {
      file: 0,
      level: "ERROR",
      lines: [
        line(t, pid, who, "ERROR", "deadlock detected"),
        line(
          t,
          pid,
          who,
          "DETAIL",
          `Process ${pid} waits for ShareLock on transaction ${tx1}; blocked by process ${other}.`,
        ),
        `\tProcess ${other} waits for ShareLock on transaction ${tx1 + rng.int(1, 90)}; blocked by process ${pid}.`,
        `\tProcess ${pid}: UPDATE ${table} SET status = 'paid' WHERE id = ${rng.int(1, 9_000_000)}`,
        `\tProcess ${other}: UPDATE ${table} SET status = 'shipped' WHERE id = ${rng.int(1, 9_000_000)}`,
        line(t, pid, who, "HINT", "See server log for query details."),
        line(
          t,
          pid,
          who,
          "CONTEXT",
          `while updating tuple (${rng.int(0, 9000)},${rng.int(1, 60)}) in relation "${table}"`,
        ),
        line(t, pid, who, "STATEMENT", `UPDATE ${table} SET status = 'paid' WHERE id = ${rng.int(1, 9_000_000)}`),
      ],
    };
  }
  const { pid, who } = session(rng, ctx);
  return at(t, pid, who, ["WARNING", "there is no transaction in progress"]);
}

const ATTACK_USERS = ["postgres", "admin", "root", "dbadmin", "replication", "test"];

function incident(rng: Rng, ctx: DbContext, pattern: string, step: number, t: number): DbRecord {
  const f = ctx.facts;
  switch (pattern) {
    case "auth_bruteforce": {
      const pid = rng.int(1000, 4_000_000);
      const user = step % 3 === 0 ? String(f.account ?? "postgres") : rng.pick(ATTACK_USERS);
      const db = rng.pick(["postgres", ctx.database, "template1"]);
      return {
        file: 0,
        level: "FATAL",
        lines: [
          line(
            t,
            pid,
            "[unknown]@[unknown]",
            "LOG",
            `connection received: host=${f.attacker_ip} port=${rng.int(32768, 60999)}`,
          ),
          line(t + 3, pid, `${user}@${db}`, "FATAL", `password authentication failed for user "${user}"`),
          line(
            t + 3,
            pid,
            `${user}@${db}`,
            "DETAIL",
            `Connection matched file "/etc/postgresql/16/main/pg_hba.conf" line 118: "host    all    all    0.0.0.0/0    scram-sha-256"`,
          ),
        ],
        entries: [{ start: 0, level: "LOG", offsetMs: 0 }, { start: 1, level: "FATAL", offsetMs: 3 }],
      };
    }
    case "privilege_change": {
      const pid = 4_100_000 + (step % 1000);
      const who = `etl_service@${ctx.database}`;
      const statements = [
        null,
        "GRANT pg_read_all_data TO etl_service;",
        "CREATE ROLE sync_helper WITH LOGIN;",
        "GRANT pg_write_all_data TO sync_helper;",
        "ALTER ROLE sync_helper WITH CREATEROLE;",
      ];
      const s = statements[step % statements.length];
      if (s === null) {
        return {
          file: 0,
          level: "LOG",
          lines: [
            line(
              t,
              pid,
              "[unknown]@[unknown]",
              "LOG",
              `connection received: host=${f.attacker_ip} port=${rng.int(32768, 60999)}`,
            ),
            line(
              t + 4,
              pid,
              who,
              "LOG",
              `connection authorized: user=etl_service database=${ctx.database} application_name=psql`,
            ),
          ],
          entries: [{ start: 0, level: "LOG", offsetMs: 0 }, { start: 1, level: "LOG", offsetMs: 4 }],
        };
      }
      return at(t, pid, who, ["LOG", `statement: ${s}`]);
    }
    case "replication_lag": {
      if (step % 7 === 3) return at(t, ctx.pids.walreceiver, null, ["FATAL", "terminating walreceiver due to timeout"]);
      if (step % 7 === 4) {
        const from = lsn(t - 600_000, ctx.pids.archiver);
        return at(t, ctx.pids.walreceiver + 1, null, [
          "LOG",
          `started streaming WAL from primary at ${from} on timeline 1`,
        ]);
      }
      const { pid, who } = session(rng, ctx);
      const table = rng.pick(tablesOf(ctx));
      return at(
        t,
        pid,
        who,
        ["ERROR", "canceling statement due to conflict with recovery"],
        [
          "DETAIL",
          rng.bernoulli(0.7)
            ? "User query might have needed to see row versions that must be removed."
            : "User was holding shared buffer pin for too long.",
        ],
        ["STATEMENT", rng.pick(QUERIES)(table)],
      );
    }
    case "archive_failure": {
      const seg = walSegment(t - 120_000, ctx.pids.archiver);
      if (step % 3 === 2) {
        return at(t, ctx.pids.archiver, null, [
          "WARNING",
          `archiving write-ahead log file "${seg}" failed too many times, will try again later`,
        ]);
      }
      return at(
        t,
        ctx.pids.archiver,
        null,
        ["LOG", "archive command failed with exit code 1"],
        ["DETAIL", `The failed archive command was: pgbackrest --stanza=${ctx.database} archive-push pg_wal/${seg}`],
      );
    }
    case "disk_full": {
      if (step === 6) {
        const pid = rng.int(1000, 4_000_000);
        return {
          file: 0,
          level: "PANIC",
          lines: [
            line(
              t,
              pid,
              `${ctx.appUser}@${ctx.database}`,
              "PANIC",
              `could not write to file "pg_wal/xlogtemp.${pid}": No space left on device`,
            ),
            line(t + 40, ctx.pids.main, null, "LOG", `server process (PID ${pid}) was terminated by signal 6: Aborted`),
            line(t + 40, ctx.pids.main, null, "LOG", "terminating any other active server processes"),
            line(t + 95, ctx.pids.main, null, "LOG", "all server processes terminated; reinitializing"),
            line(
              t + 120,
              pid + 7,
              null,
              "LOG",
              `database system was interrupted; last known up at ${pgTime(t - 300_000).slice(0, 19)} UTC`,
            ),
            line(
              t + 140,
              pid + 7,
              null,
              "LOG",
              "database system was not properly shut down; automatic recovery in progress",
            ),
            line(
              t + 170,
              pid + 7,
              null,
              "FATAL",
              `could not write to file "pg_wal/xlogtemp.${pid + 7}": No space left on device`,
            ),
          ],
          entries: [
            { start: 0, level: "PANIC", offsetMs: 0 },
            { start: 1, level: "LOG", offsetMs: 40 },
            { start: 2, level: "LOG", offsetMs: 40 },
            { start: 3, level: "LOG", offsetMs: 95 },
            { start: 4, level: "LOG", offsetMs: 120 },
            { start: 5, level: "LOG", offsetMs: 140 },
            { start: 6, level: "FATAL", offsetMs: 170 },
          ],
        };
      }
      const { pid, who } = session(rng, ctx);
      const table = rng.pick(tablesOf(ctx));
      return at(
        t,
        pid,
        who,
        ["ERROR", `could not extend file "base/16384/${rng.int(16385, 99999)}": No space left on device`],
        ["HINT", "Check free disk space."],
        ["STATEMENT", `INSERT INTO ${table} (id, customer_ref, status, created_at) VALUES ($1, $2, $3, now())`],
      );
    }
    case "slow_queries": {
      const { pid, who } = session(rng, ctx);
      const table = rng.pick(tablesOf(ctx));
      return at(
        t,
        pid,
        who,
        [
          "LOG",
          `duration: ${
            (3000 + rng.exponential(1 / 9000)).toFixed(3)
          } ms  execute <unnamed>: SELECT * FROM ${table} WHERE lower(customer_email_hash) = $1 ORDER BY created_at DESC`,
        ],
        ["DETAIL", `parameters: $1 = '${rng.int(100000, 999999).toString(16)}'`],
      );
    }
    default: {
      const { pid, who } = session(rng, ctx);
      return at(t, pid, who, [
        "FATAL",
        rng.bernoulli(0.7)
          ? "sorry, too many clients already"
          : "remaining connection slots are reserved for roles with the SUPERUSER attribute",
      ]);
    }
  }
}

/** PostgreSQL stderr logs. */
export const postgresql: DbEngine = {
  engine: "postgresql",
  files: (ctx) => [`postgresql/${ctx.server.host}.log`],
  header: () => [],
  background,
  incident,
};
