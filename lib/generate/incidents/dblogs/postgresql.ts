/**
 * PostgreSQL stderr log with `log_line_prefix = '%m [%p] %q%u@%d '`, `log_connections`, `log_disconnections`,
 * `log_checkpoints`, `log_autovacuum_min_duration = 0` and `log_min_duration_statement = 1000`: background
 * sessions, checkpoints (restartpoints on a standby), autovacuum reports with tab-indented continuation lines,
 * slow statements and ordinary errors; incident patterns for brute force, privilege changes, recovery conflicts
 * on a lagging standby, archiver failures, a full disk, slow queries and connection storms.
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
  lsn,
  type PatternRenderer,
  sessionLength,
  sessionTime,
  walSegment,
  zipf,
} from "./_common.ts";
import { inline, QueryMix, type Statement } from "./_queries.ts";

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

/** A server's simulation state. */
export interface PgState {
  ctx: DbContext;
  replica: boolean;
  queries: QueryMix;
  /** The next backend PID (PIDs grow with gaps, as fork() hands them out). */
  pid: number;
  /** Offset of the checkpoint schedule in the timeout. */
  phase: number;
  /** A restart (minor-version upgrade) in the period, or NaN. */
  restartAt: number;
  /** The checkpointer's next start may not be before this. */
  busyUntil: number;
  /** The end of the period (a checkpoint that would complete after it does not start). */
  end: number;
  /** The walreceiver's PID (a new one after each timeout). */
  walreceiver: number;
  /** The open session of a privilege-change incident. */
  intruder?: { pid: number; port: number; since: number };
}

const CHECKPOINT_TIMEOUT = 900_000;
const VERSION =
  "16.2 (Debian 16.2-1.pgdg120+2) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit";

function nextPid(rng: Rng, s: PgState): number {
  s.pid += rng.int(1, 40);
  if (s.pid > 4_194_000) s.pid = 1000 + (s.pid % 1000);
  return s.pid;
}

function who(s: PgState): string {
  return `${s.ctx.appUser}@${s.ctx.database}`;
}

/** One record at `t`: a message of process `pid` and its DETAIL/HINT/STATEMENT lines. */
function at(t: number, pid: number, w: string | null, ...parts: [level: string, msg: string][]): DbRecord {
  return { file: 0, level: parts[0][0], lines: parts.map(([level, msg]) => line(t, pid, w, level, msg)) };
}

/** The statement as the extended protocol logs it (`execute <unnamed>` + parameters) or the simple one. */
function statementParts(rng: Rng, st: Statement, ms: number): [string, string][] {
  if (st.params.length === 0 || rng.bernoulli(0.3)) {
    return [["LOG", `duration: ${ms.toFixed(3)} ms  statement: ${inline(st)}`]];
  }
  return [
    ["LOG", `duration: ${ms.toFixed(3)} ms  execute <unnamed>: ${st.sql}`],
    ["DETAIL", `parameters: ${st.params.map((p, i) => `$${i + 1} = ${p.startsWith("'") ? p : `'${p}'`}`).join(", ")}`],
  ];
}

/** What a session does besides slow statements: Zipf-ranked, so some errors are common and others rare. */
const SESSION_EVENTS: ((rng: Rng, s: PgState, t: number, pid: number, table: string) => DbRecord)[] = [
  (rng, s, t, pid, table) => {
    const key = rng.int(1, 9_000_000);
    return at(
      t,
      pid,
      who(s),
      ["ERROR", `duplicate key value violates unique constraint "${table}_pkey"`],
      ["DETAIL", `Key (id)=(${key}) already exists.`],
      [
        "STATEMENT",
        `INSERT INTO ${table} (id, customer_ref, status, created_at) VALUES (${key}, 'C-${
          rng.int(1000, 99999)
        }', 'new', now())`,
      ],
    );
  },
  (rng, s, t, pid, table) =>
    at(
      t,
      pid,
      who(s),
      [
        "LOG",
        `temporary file: path "base/pgsql_tmp/pgsql_tmp${pid}.${rng.int(0, 9)}", size ${
          rng.int(8_000_000, 900_000_000)
        }`,
      ],
      ["STATEMENT", `SELECT customer_ref, sum(total) FROM ${table} GROUP BY customer_ref ORDER BY 2 DESC`],
    ),
  (_rng, s, t, pid) => at(t, pid, who(s), ["LOG", "could not receive data from client: Connection reset by peer"]),
  (rng, s, t, pid, _table) =>
    at(t, pid, who(s), ["ERROR", "canceling statement due to statement timeout"], [
      "STATEMENT",
      inline(s.queries.draw(rng)),
    ]),
  (_rng, s, t, pid) => at(t, pid, who(s), ["WARNING", "there is no transaction in progress"]),
  (rng, s, t, pid, table) =>
    at(
      t,
      pid,
      who(s),
      ["ERROR", `null value in column "customer_ref" of relation "${table}" violates not-null constraint`],
      ["DETAIL", `Failing row contains (${rng.int(1, 9_000_000)}, null, new, ${pgTime(t).slice(0, 19)}+00).`],
      [
        "STATEMENT",
        `INSERT INTO ${table} (id, customer_ref, status, created_at) VALUES (${
          rng.int(1, 9_000_000)
        }, NULL, 'new', now())`,
      ],
    ),
  (_rng, s, t, pid) => at(t, pid, who(s), ["LOG", "unexpected EOF on client connection with an open transaction"]),
  (rng, s, t, pid, table) =>
    at(t, pid, who(s), ["ERROR", "could not serialize access due to concurrent update"], [
      "STATEMENT",
      `UPDATE ${table} SET status = 'paid' WHERE id = ${rng.int(1, 9_000_000)}`,
    ]),
  (rng, s, t, pid, table) =>
    at(
      t,
      pid,
      who(s),
      ["ERROR", `insert or update on table "${table}" violates foreign key constraint "${table}_customer_ref_fkey"`],
      ["DETAIL", `Key (customer_ref)=(C-${rng.int(1000, 99999)}) is not present in table "customers".`],
      [
        "STATEMENT",
        `INSERT INTO ${table} (id, customer_ref, status, created_at) VALUES (${rng.int(1, 9_000_000)}, 'C-${
          rng.int(1000, 99999)
        }', 'new', now())`,
      ],
    ),
  (rng, s, t, pid) =>
    at(t, pid, who(s), [
      "ERROR",
      `relation "${rng.pick(["tmp_import", "orders_old", "legacy_refs"])}" does not exist at character ${
        rng.int(15, 40)
      }`,
    ], [
      "STATEMENT",
      `SELECT * FROM ${rng.pick(["tmp_import", "orders_old", "legacy_refs"])} LIMIT 10`,
    ]),
  (rng, s, t, pid) =>
    at(t, pid, who(s), ["ERROR", `invalid input syntax for type integer: "${rng.pick(["", "null", "NaN", "12a"])}"`]),
  (rng, s, t, pid, table) =>
    at(t, pid, who(s), ["ERROR", `value too long for type character varying(${rng.pick([32, 64, 255])})`], [
      "STATEMENT",
      `UPDATE ${table} SET status = 'x' WHERE id = ${rng.int(1, 9_000_000)}`,
    ]),
  (_rng, s, t, pid) => at(t, pid, who(s), ["LOG", "could not send data to client: Broken pipe"]),
  (_rng, s, t, pid) => at(t, pid, who(s), ["FATAL", "terminating connection due to idle-in-transaction timeout"]),
  (rng, s, t, pid) =>
    at(t, pid, who(s), [
      "ERROR",
      `syntax error at or near "${rng.pick(["FROM", "WHERE", ")", "LIMIT"])}" at character ${rng.int(8, 90)}`,
    ]),
  (rng, s, t, pid) =>
    at(t, pid, who(s), ["ERROR", "out of memory"], [
      "DETAIL",
      `Failed on request of size ${rng.int(1_000_000, 900_000_000)} in memory context "ExecutorState".`,
    ]),
];
SESSION_EVENTS.splice(4, 0, (rng, s, t, pid, table) => {
  // The logging process is the first one its DETAIL names; its STATEMENT is the query that DETAIL shows for it.
  const other = s.pid - rng.int(1, 300);
  const tx = rng.int(1_000_000, 9_000_000);
  const mine = `UPDATE ${table} SET status = 'paid' WHERE id = ${rng.int(1, 9_000_000)}`;
  const theirs = `UPDATE ${table} SET status = 'shipped' WHERE id = ${rng.int(1, 9_000_000)}`;
  return {
    file: 0,
    level: "ERROR",
    lines: [
      line(t, pid, who(s), "ERROR", "deadlock detected"),
      line(
        t,
        pid,
        who(s),
        "DETAIL",
        `Process ${pid} waits for ShareLock on transaction ${tx}; blocked by process ${other}.`,
      ),
      `\tProcess ${other} waits for ShareLock on transaction ${tx + rng.int(1, 90)}; blocked by process ${pid}.`,
      `\tProcess ${pid}: ${mine}`,
      `\tProcess ${other}: ${theirs}`,
      line(t, pid, who(s), "HINT", "See server log for query details."),
      line(
        t,
        pid,
        who(s),
        "CONTEXT",
        `while updating tuple (${rng.int(0, 9000)},${rng.int(1, 60)}) in relation "${table}"`,
      ),
      line(t, pid, who(s), "STATEMENT", mine),
    ],
  };
});
const SESSION_WEIGHTS = zipf(SESSION_EVENTS.length, 1.2);
/** Session events that write (duplicate key, deadlock, not-null, serialization, foreign key, varchar, lock waits). */
const WRITE_EVENTS = new Set([0, 4, 6, 8, 9, 12]);
/** What a standby's session logs instead: a statement timeout. */
const READ_EVENT = 3;

/**
 * A client session: connection received, authorized, its slow statements and errors, a lock wait now and then,
 * disconnection with the true session time; every line under one PID.
 */
function session(rng: Rng, s: PgState, t0: number, out: DbSink): void {
  const pid = nextPid(rng, s);
  const [ip, port] = endpoint(rng, s.ctx.clientIps).split(":");
  const app = rng.pick(s.ctx.clients);
  out.at(t0, at(t0, pid, "[unknown]@[unknown]", ["LOG", `connection received: host=${ip} port=${port}`]));
  let t = t0 + rng.int(2, 12);
  out.at(
    t,
    at(t, pid, who(s), [
      "LOG",
      `connection authorized: user=${s.ctx.appUser} database=${s.ctx.database} application_name=${app}`,
    ]),
  );
  const length = sessionLength(rng);
  const end = t0 + length;
  const n = rng.bernoulli(0.35) ? 0 : 1 + Math.floor(rng.exponential(0.7));
  for (let k = 0; k < n; k++) {
    const started = t + Math.floor(rng.uniform(0, Math.max(1, end - t) / (n - k + 1)));
    const table = rng.pick(s.queries.tables);
    if (rng.bernoulli(0.12)) {
      const done = started + rng.int(1, 400);
      if (done >= end) break;
      const k = rng.weightedIndex(SESSION_WEIGHTS);
      const event = s.replica && WRITE_EVENTS.has(k) ? SESSION_EVENTS[READ_EVENT] : SESSION_EVENTS[k];
      out.at(done, event(rng, s, done, pid, table));
      t = done;
      continue;
    }
    const ms = 1000 + rng.lognormal(Math.log(900), 1.1);
    const done = started + Math.round(ms);
    if (done >= end) break;
    const st = s.queries.draw(rng);
    if (rng.bernoulli(0.04) && !s.replica) {
      // log_lock_waits: the wait is logged after deadlock_timeout, the grant when it ends.
      const tx = rng.int(1_000_000, 9_000_000);
      const holder = s.pid - rng.int(1, 300);
      const waited = started + 1000;
      const lock = `ShareLock on transaction ${tx}`;
      out.at(
        waited,
        at(
          waited,
          pid,
          who(s),
          ["LOG", `process ${pid} still waiting for ${lock} after 1000.${rng.int(100, 999)} ms`],
          ["DETAIL", `Process holding the lock: ${holder}. Wait queue: ${pid}.`],
          ["CONTEXT", `while updating tuple (${rng.int(0, 9000)},${rng.int(1, 60)}) in relation "${table}"`],
          ["STATEMENT", inline(st)],
        ),
      );
      out.at(
        done - 1,
        at(done - 1, pid, who(s), [
          "LOG",
          `process ${pid} acquired ${lock} after ${(done - 1 - started).toFixed(3)} ms`,
        ], [
          "CONTEXT",
          `while updating tuple (${rng.int(0, 9000)},${rng.int(1, 60)}) in relation "${table}"`,
        ], ["STATEMENT", inline(st)]),
      );
    }
    out.at(done, at(done, pid, who(s), ...statementParts(rng, st, ms)));
    t = done;
  }
  const stop = Math.max(end, t + 1);
  out.at(
    stop,
    at(stop, pid, who(s), [
      "LOG",
      `disconnection: session time: ${
        sessionTime(stop - t0)
      } user=${s.ctx.appUser} database=${s.ctx.database} host=${ip} port=${port}`,
    ]),
  );
}

function vacuumLines(rng: Rng, s: PgState, t: number, pid: number, table: string, elapsed: number): string[] {
  const pages = rng.int(100, 90000);
  const removed = rng.int(0, 50000);
  const misses = rng.int(0, 5000), dirtied = rng.int(0, 3000);
  const secs = elapsed / 1000;
  return [
    line(
      t,
      pid,
      null,
      "LOG",
      `automatic vacuum of table "${s.ctx.database}.public.${table}": index scans: ${rng.int(0, 2)}`,
    ),
    `\tpages: 0 removed, ${pages} remain, ${rng.int(0, pages)} scanned (${rng.uniform(0, 100).toFixed(2)}% of total)`,
    `\ttuples: ${removed} removed, ${rng.int(1000, 5_000_000)} remain, 0 are dead but not yet removable`,
    `\tremovable cutoff: ${rng.int(100000, 9_000_000)}, which was ${rng.int(0, 50)} XIDs old when operation ended`,
    `\tindex scan needed: ${rng.int(0, pages)} pages from table (${
      rng.uniform(0, 30).toFixed(2)
    }% of total) had ${removed} dead item identifiers removed`,
    // The rates are what the buffer counts over the elapsed time make them.
    `\tavg read rate: ${(misses * 8192 / 1048576 / secs).toFixed(3)} MB/s, avg write rate: ${
      (dirtied * 8192 / 1048576 / secs).toFixed(3)
    } MB/s`,
    `\tbuffer usage: ${rng.int(100, 90000)} hits, ${misses} misses, ${dirtied} dirtied`,
    `\tWAL usage: ${rng.int(0, 50000)} records, ${rng.int(0, 3000)} full page images, ${rng.int(0, 9_000_000)} bytes`,
    `\tsystem usage: CPU: user: ${(secs * rng.uniform(0.05, 0.5)).toFixed(2)} s, system: ${
      (secs * rng.uniform(0.01, 0.1)).toFixed(2)
    } s, elapsed: ${secs.toFixed(2)} s`,
  ];
}

/** An autovacuum worker: vacuum of a table, then (often) analyze of the same table by the same worker. */
function autovacuum(rng: Rng, s: PgState, t0: number, out: DbSink): void {
  const pid = nextPid(rng, s);
  const table = rng.pick(s.queries.tables);
  const elapsed = Math.round(rng.lognormal(Math.log(1500), 1.2)) + 10;
  const t = t0 + elapsed;
  out.at(t, { file: 0, level: "LOG", lines: vacuumLines(rng, s, t, pid, table, elapsed) });
  if (rng.bernoulli(0.6)) {
    const e2 = rng.int(20, 3000);
    const t2 = t + e2;
    const misses = rng.int(0, 900), dirtied = rng.int(0, 90);
    out.at(t2, {
      file: 0,
      level: "LOG",
      lines: [
        line(t2, pid, null, "LOG", `automatic analyze of table "${s.ctx.database}.public.${table}"`),
        `\tavg read rate: ${(misses * 8192 / 1048576 / (e2 / 1000)).toFixed(3)} MB/s, avg write rate: ${
          (dirtied * 8192 / 1048576 / (e2 / 1000)).toFixed(3)
        } MB/s`,
        `\tbuffer usage: ${rng.int(100, 9000)} hits, ${misses} misses, ${dirtied} dirtied`,
        `\tsystem usage: CPU: user: ${(e2 / 1000 * 0.3).toFixed(2)} s, system: ${
          (e2 / 1000 * 0.05).toFixed(2)
        } s, elapsed: ${(e2 / 1000).toFixed(2)} s`,
      ],
    });
  }
}

/** Messages of the server itself (postmaster, walsender, stats, config reloads): Zipf-ranked, the tail rare. */
const SERVER_EVENTS: ((rng: Rng, s: PgState, t: number, out: DbSink) => void)[] = [
  (rng, s, t, out) => {
    const pid = nextPid(rng, s);
    const [ip, port] = endpoint(rng, s.ctx.clientIps).split(":");
    out.at(t, at(t, pid, "[unknown]@[unknown]", ["LOG", `connection received: host=${ip} port=${port}`]));
    out.at(t + 1, at(t + 1, pid, "[unknown]@[unknown]", ["LOG", "incomplete startup packet"]));
  },
  (_rng, s, t, out) =>
    out.at(t, at(t, s.ctx.pids.main, null, ["LOG", "received SIGHUP, reloading configuration files"])),
  (rng, s, t, out) => {
    out.at(t, at(t, s.ctx.pids.main, null, ["LOG", "received SIGHUP, reloading configuration files"]));
    const [name, value] = rng.pick([
      ["work_mem", `${rng.pick([16, 32, 64, 128])}MB`],
      ["log_min_duration_statement", `${rng.pick([500, 1000, 2000])}`],
      ["statement_timeout", `${rng.pick([30, 60, 120])}s`],
      ["autovacuum_vacuum_cost_limit", `${rng.pick([400, 800, 2000])}`],
    ]);
    out.at(t + 1, at(t + 1, s.ctx.pids.main, null, ["LOG", `parameter "${name}" changed to "${value}"`]));
  },
  (rng, s, t, out) => {
    const pid = nextPid(rng, s);
    const [ip] = endpoint(rng, s.ctx.clientIps).split(":");
    out.at(
      t,
      at(t, pid, `${s.ctx.appUser}@${s.ctx.database}`, [
        "FATAL",
        `no pg_hba.conf entry for host "${ip}", user "${
          rng.pick(["monitoring", "readonly", s.ctx.appUser])
        }", database "${s.ctx.database}", no encryption`,
      ]),
    );
  },
  (rng, s, t, out) =>
    out.at(
      t,
      at(t, s.ctx.pids.checkpointer, null, [
        "LOG",
        `checkpoints are occurring too frequently (${rng.int(9, 29)} seconds apart)`,
      ], ["HINT", `Consider increasing the configuration parameter "max_wal_size".`]),
    ),
  (rng, s, t, out) => {
    const pid = nextPid(rng, s);
    out.at(
      t,
      at(t, pid, null, [
        "LOG",
        "using stale statistics instead of current ones because stats collector is not responding",
      ]),
    );
  },
  (rng, s, t, out) => {
    const pid = nextPid(rng, s);
    const table = rng.pick(s.queries.tables);
    out.at(
      t,
      at(t, pid, null, ["ERROR", "canceling autovacuum task"], [
        "CONTEXT",
        `while scanning block ${rng.int(0, 90000)} of relation "public.${table}"`,
      ]),
    );
  },
  (rng, s, t, out) => {
    const pid = nextPid(rng, s);
    out.at(t, at(t, pid, null, ["LOG", `skipping vacuum of "${rng.pick(s.queries.tables)}" --- lock not available`]));
  },
  (rng, s, t, out) => {
    const pid = nextPid(rng, s);
    const user = rng.pick(["reporting", "grafana", "backup"]);
    out.at(
      t,
      at(t, pid, `${user}@${s.ctx.database}`, ["FATAL", `password authentication failed for user "${user}"`], [
        "DETAIL",
        `Connection matched file "/etc/postgresql/16/main/pg_hba.conf" line ${
          rng.int(90, 130)
        }: "host    all    all    10.0.0.0/8    scram-sha-256"`,
      ]),
    );
  },
  (rng, s, t, out) => {
    const pid = nextPid(rng, s);
    out.at(
      t,
      at(t, pid, `${rng.pick(["analyst", "etl"])}@${s.ctx.database}`, [
        "FATAL",
        `role "${rng.pick(["analyst", "etl"])}" does not exist`,
      ]),
    );
  },
  (rng, s, t, out) => {
    const pid = nextPid(rng, s);
    out.at(
      t,
      at(t, pid, `${s.ctx.appUser}@${s.ctx.database}_test`, [
        "FATAL",
        `database "${s.ctx.database}_test" does not exist`,
      ]),
    );
  },
  (rng, s, t, out) => {
    const pid = nextPid(rng, s);
    const table = rng.pick(s.queries.tables);
    const elapsed = rng.int(60_000, 900_000);
    const t2 = t + elapsed;
    out.at(t2, {
      file: 0,
      level: "LOG",
      lines: vacuumLines(rng, s, t2, pid, table, elapsed).map((l, i) =>
        i === 0 ? l.replace("automatic vacuum", "automatic aggressive vacuum to prevent wraparound") : l
      ),
    });
  },
  (_rng, s, t, out) =>
    out.at(
      t,
      at(t, s.ctx.pids.main, null, [
        "LOG",
        `background worker "logical replication launcher" (PID ${s.ctx.pids.main + 3}) exited with exit code 1`,
      ]),
    ),
  (rng, s, t, out) => {
    const pid = nextPid(rng, s);
    out.at(t, at(t, pid, `${s.ctx.appUser}@${s.ctx.database}`, ["LOG", "SSL error: unexpected eof while reading"]));
  },
  (_rng, s, t, out) => out.at(t, at(t, s.ctx.pids.main, null, ["WARNING", `worker took too long to start; canceled`])),
  (rng, s, t, out) => {
    const pid = nextPid(rng, s);
    out.at(
      t,
      at(t, pid, null, [
        "LOG",
        `could not open temporary statistics file "pg_stat_tmp/global.tmp": No such file or directory`,
      ]),
    );
  },
];
const SERVER_WEIGHTS = zipf(SERVER_EVENTS.length, 1.4);

function checkpointComplete(rng: Rng, s: PgState, t: number, word: string, totalMs: number): string {
  const buffers = rng.int(200, 40000);
  const sync = rng.int(1, 90);
  const write = Math.max(1, totalMs - sync - rng.int(1, 40));
  return `${word} complete: wrote ${buffers} buffers (${(buffers / 1638.4).toFixed(1)}%); 0 WAL file(s) added, ${
    rng.int(0, 3)
  } removed, ${rng.int(0, 8)} recycled; write=${(write / 1000).toFixed(3)} s, sync=${
    (sync / 1000).toFixed(3)
  } s, total=${(totalMs / 1000).toFixed(3)} s; sync files=${rng.int(3, 120)}, longest=${
    rng.uniform(0.001, 0.05).toFixed(3)
  } s, average=${rng.uniform(0.001, 0.01).toFixed(3)} s; distance=${rng.int(1000, 900000)} kB, estimate=${
    rng.int(1000, 900000)
  } kB; lsn=${lsn(t, s.ctx.pids.archiver)}, redo lsn=${lsn(t - totalMs, s.ctx.pids.archiver)}`;
}

/** A checkpoint (restartpoint on a standby): `starting` then `complete` exactly `total` later. */
function checkpoint(rng: Rng, s: PgState, t: number, reason: string, totalMs: number, out: DbSink): number {
  const word = s.replica ? "restartpoint" : "checkpoint";
  const pid = s.ctx.pids.checkpointer;
  out.at(t, at(t, pid, null, ["LOG", `${word} starting: ${reason}`]));
  const done = t + totalMs;
  const rec = at(done, pid, null, ["LOG", checkpointComplete(rng, s, done, word, totalMs)]);
  if (s.replica) {
    rec.lines.push(
      line(done, pid, null, "LOG", `recovery restart point at ${lsn(done - totalMs, s.ctx.pids.archiver)}`),
    );
    rec.lines.push(
      line(
        done,
        pid,
        null,
        "DETAIL",
        `Last completed transaction was at log time ${pgTime(done - rng.int(1, 900)).replace(" UTC", "+00")}.`,
      ),
    );
    rec.entries = [{ start: 0, level: "LOG", offsetMs: 0 }, { start: 1, level: "LOG", offsetMs: 0 }];
  }
  out.at(done, rec);
  return done;
}

/** A minor-version restart: shutdown checkpoint and banners, then the startup banners. */
function restart(rng: Rng, s: PgState, t: number, out: DbSink): void {
  const main = s.ctx.pids.main;
  out.at(t, at(t, main, null, ["LOG", "received fast shutdown request"]));
  out.at(t + 2, at(t + 2, main, null, ["LOG", "aborting any active transactions"]));
  out.at(
    t + 5,
    at(t + 5, main, null, [
      "LOG",
      `background worker "logical replication launcher" (PID ${main + 3}) exited with exit code 1`,
    ]),
  );
  out.at(t + 9, at(t + 9, s.ctx.pids.checkpointer, null, ["LOG", "shutting down"]));
  const done = checkpoint(rng, s, t + 10, "shutdown immediate", rng.int(20, 400), out);
  out.at(done + 30, at(done + 30, main, null, ["LOG", "database system is shut down"]));
  const up = done + rng.int(8_000, 40_000);
  const pm = main;
  const lines: [number, number, string][] = [
    [0, pm, `starting PostgreSQL ${VERSION}`],
    [1, pm, `listening on IPv4 address "0.0.0.0", port 5432`],
    [1, pm, `listening on IPv6 address "::", port 5432`],
    [2, pm, `listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"`],
    [20, pm + 1, `database system was shut down at ${pgTime(done + 30).slice(0, 19)} UTC`],
    [60, pm, "database system is ready to accept connections"],
  ];
  for (const [dt, pid, msg] of lines) out.at(up + dt, at(up + dt, pid, null, ["LOG", msg]));
  if (s.replica) out.at(up + 25, at(up + 25, pm + 1, null, ["LOG", "entering standby mode"]));
}

const ATTACK_USERS = ["postgres", "admin", "root", "dbadmin", "replication", "test"];

/** The incident patterns (one entry each). */
const PG_PATTERNS: Record<DbPattern, PatternRenderer<PgState>> = {
  auth_bruteforce(rng, s, { step, t, facts: f }, out) {
    const pid = nextPid(rng, s);
    const user = step % 3 === 0 ? String(f.account ?? "postgres") : rng.pick(ATTACK_USERS);
    const db = rng.pick(["postgres", s.ctx.database, "template1"]);
    out.at(
      t,
      at(t, pid, "[unknown]@[unknown]", [
        "LOG",
        `connection received: host=${f.attacker_ip} port=${rng.int(32768, 60999)}`,
      ]),
    );
    out.at(
      t + 3,
      at(t + 3, pid, `${user}@${db}`, ["FATAL", `password authentication failed for user "${user}"`], [
        "DETAIL",
        `Connection matched file "/etc/postgresql/16/main/pg_hba.conf" line 118: "host    all    all    0.0.0.0/0    scram-sha-256"`,
      ]),
    );
  },
  privilege_change(rng, s, { step, t, facts: f }, out) {
    // One session of the compromised account: connect (step 0), four statements, then disconnect.
    const w = `etl_service@${s.ctx.database}`;
    const statements = [
      "GRANT pg_read_all_data TO etl_service;",
      "CREATE ROLE sync_helper WITH LOGIN;",
      "GRANT pg_write_all_data TO sync_helper;",
      "ALTER ROLE sync_helper WITH CREATEROLE;",
    ];
    if (step === 0 || s.intruder === undefined) {
      const pid = nextPid(rng, s);
      s.intruder = { pid, port: rng.int(32768, 60999), since: t };
      out.at(
        t,
        at(t, pid, "[unknown]@[unknown]", [
          "LOG",
          `connection received: host=${f.attacker_ip} port=${s.intruder.port}`,
        ]),
      );
      out.at(
        t + 4,
        at(t + 4, pid, w, [
          "LOG",
          `connection authorized: user=etl_service database=${s.ctx.database} application_name=psql`,
        ]),
      );
      return;
    }
    const { pid, port, since } = s.intruder;
    out.at(t, at(t, pid, w, ["LOG", `statement: ${statements[(step - 1) % statements.length]}`]));
    if (step === statements.length) {
      const u = t + rng.int(200, 900);
      out.at(
        u,
        at(u, pid, w, [
          "LOG",
          `disconnection: session time: ${
            sessionTime(u - since)
          } user=etl_service database=${s.ctx.database} host=${f.attacker_ip} port=${port}`,
        ]),
      );
      s.intruder = undefined;
    }
  },
  replication_lag(rng, s, { step, t }, out) {
    if (step % 7 === 3) {
      // One episode: the walreceiver times out, a new one starts streaming a few seconds later.
      out.at(t, at(t, s.walreceiver, null, ["FATAL", "terminating walreceiver due to timeout"]));
      s.walreceiver = nextPid(rng, s);
      const u = t + rng.int(3_000, 6_000);
      out.at(
        u,
        at(u, s.walreceiver, null, [
          "LOG",
          `started streaming WAL from primary at ${lsn(t - 600_000, s.ctx.pids.archiver)} on timeline 1`,
        ]),
      );
      return;
    }
    if (step % 7 === 4) return;
    const pid = nextPid(rng, s);
    out.at(
      t,
      at(t, pid, who(s), ["ERROR", "canceling statement due to conflict with recovery"], [
        "DETAIL",
        rng.bernoulli(0.7)
          ? "User query might have needed to see row versions that must be removed."
          : "User was holding shared buffer pin for too long.",
      ], ["STATEMENT", inline(s.queries.draw(rng))]),
    );
  },
  archive_failure(_rng, s, { step, t }, out) {
    const seg = walSegment(t - 120_000, s.ctx.pids.archiver);
    if (step % 3 === 2) {
      out.at(
        t,
        at(t, s.ctx.pids.archiver, null, [
          "WARNING",
          `archiving write-ahead log file "${seg}" failed too many times, will try again later`,
        ]),
      );
      return;
    }
    out.at(
      t,
      at(t, s.ctx.pids.archiver, null, ["LOG", "archive command failed with exit code 1"], [
        "DETAIL",
        `The failed archive command was: pgbackrest --stanza=${s.ctx.database} archive-push pg_wal/${seg}`,
      ]),
    );
  },
  disk_full(rng, s, { step, t }, out) {
    if (step === 6) {
      const pid = nextPid(rng, s);
      const main = s.ctx.pids.main;
      const next = pid + 7;
      const seq: [number, number, string, string][] = [
        [0, pid, "PANIC", `could not write to file "pg_wal/xlogtemp.${pid}": No space left on device`],
        [40, main, "LOG", `server process (PID ${pid}) was terminated by signal 6: Aborted`],
        [40, main, "LOG", "terminating any other active server processes"],
        [95, main, "LOG", "all server processes terminated; reinitializing"],
        [120, next, "LOG", `database system was interrupted; last known up at ${pgTime(t - 300_000).slice(0, 19)} UTC`],
        [140, next, "LOG", "database system was not properly shut down; automatic recovery in progress"],
        [170, next, "FATAL", `could not write to file "pg_wal/xlogtemp.${next}": No space left on device`],
      ];
      for (const [dt, p, level, msg] of seq) out.at(t + dt, at(t + dt, p, dt === 0 ? who(s) : null, [level, msg]));
      return;
    }
    const pid = nextPid(rng, s);
    const table = rng.pick(s.queries.tables);
    out.at(
      t,
      at(t, pid, who(s), [
        "ERROR",
        `could not extend file "base/16384/${rng.int(16385, 99999)}": No space left on device`,
      ], [
        "HINT",
        "Check free disk space.",
      ], [
        "STATEMENT",
        `INSERT INTO ${table} (id, customer_ref, status, created_at) VALUES (${rng.int(1, 9_000_000)}, 'C-${
          rng.int(1000, 99999)
        }', 'new', now())`,
      ]),
    );
  },
  slow_queries(rng, s, { t }, out) {
    // A request's session: connect, the slow lookup (logged when it ends, duration true), disconnect.
    const pid = nextPid(rng, s);
    const [ip, port] = endpoint(rng, s.ctx.clientIps).split(":");
    const table = rng.pick(s.queries.tables);
    const ms = 3000 + rng.exponential(1 / 9000);
    const done = t + Math.round(ms) + 5;
    out.at(t, at(t, pid, "[unknown]@[unknown]", ["LOG", `connection received: host=${ip} port=${port}`]));
    out.at(
      t + 4,
      at(t + 4, pid, who(s), [
        "LOG",
        `connection authorized: user=${s.ctx.appUser} database=${s.ctx.database} application_name=${
          rng.pick(s.ctx.clients)
        }`,
      ]),
    );
    out.at(
      done,
      at(done, pid, who(s), [
        "LOG",
        `duration: ${
          ms.toFixed(3)
        } ms  execute <unnamed>: SELECT * FROM ${table} WHERE lower(customer_email_hash) = $1 ORDER BY created_at DESC`,
      ], ["DETAIL", `parameters: $1 = '${rng.int(100000, 999999).toString(16)}'`]),
    );
    const end = done + rng.int(1, 50);
    out.at(
      end,
      at(end, pid, who(s), [
        "LOG",
        `disconnection: session time: ${
          sessionTime(end - t)
        } user=${s.ctx.appUser} database=${s.ctx.database} host=${ip} port=${port}`,
      ]),
    );
  },
  connection_storm(rng, s, { t }, out) {
    const pid = nextPid(rng, s);
    out.at(
      t,
      at(t, pid, who(s), [
        "FATAL",
        rng.bernoulli(0.7)
          ? "sorry, too many clients already"
          : "remaining connection slots are reserved for roles with the SUPERUSER attribute",
      ]),
    );
  },
};

function init(rng: Rng, ctx: DbContext, span: { start: number; end: number }): PgState {
  const s: PgState = {
    ctx,
    replica: ctx.server.role === "replica",
    queries: new QueryMix(rng, tablesOf(ctx), 0.04, ctx.server.role === "replica"),
    pid: rng.int(10_000, 2_000_000),
    phase: rng.int(0, CHECKPOINT_TIMEOUT - 1),
    restartAt: NaN,
    busyUntil: 0,
    walreceiver: ctx.pids.walreceiver,
    end: span.end,
  };
  if (rng.bernoulli(0.5)) s.restartAt = Math.floor(rng.uniform(span.start + 3_600_000, span.end - 3_600_000));
  return s;
}

function tick(rng: Rng, s: PgState, from: number, to: number, out: DbSink): void {
  if (s.restartAt >= from && s.restartAt < to) {
    restart(rng, s, s.restartAt, out);
    s.busyUntil = s.restartAt + 60_000;
  }
  // Timed checkpoints spread over checkpoint_completion_target (0.9) of the timeout; idle periods skip some.
  for (
    let t = from + ((s.phase - from) % CHECKPOINT_TIMEOUT + CHECKPOINT_TIMEOUT) % CHECKPOINT_TIMEOUT;
    t < to;
    t += CHECKPOINT_TIMEOUT
  ) {
    if (t < s.busyUntil || rng.bernoulli(0.25)) continue;
    const total = Math.round(CHECKPOINT_TIMEOUT * 0.9 * rng.uniform(0.2, 1) + rng.int(5, 900));
    if (t + total >= s.end) break;
    s.busyUntil = checkpoint(rng, s, t, "time", total, out) + 1;
  }
}

function background(rng: Rng, s: PgState, t: number, out: DbSink): void {
  const r = rng.weightedIndex([0.8, 0.1, 0.1]);
  if (r === 0) session(rng, s, t, out);
  else if (r === 1) autovacuum(rng, s, t, out);
  else SERVER_EVENTS[rng.weightedIndex(SERVER_WEIGHTS)](rng, s, t, out);
}

/** PostgreSQL stderr logs. */
export const postgresql: DbEngine<PgState> = {
  engine: "postgresql",
  recordsPerArrival: 5.3,
  files: (ctx) => [`postgresql/${ctx.server.host}.log`],
  header: () => [],
  init,
  tick,
  background,
  patterns: PG_PATTERNS,
};
