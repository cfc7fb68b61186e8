/**
 * MongoDB 4.4+ structured log: one JSON document a line, `{"t":{"$date":...},"s":...,"c":...,"id":...,"ctx":...,
 * "msg":...,"attr":{...}}`, padded after `s`, `c` and `id` as mongod pads them. Background connections,
 * authentications, slow queries and checkpoints; incident patterns for failed authentications from one address,
 * role grants, slow oplog reads on a lagging secondary, WiredTiger write errors on a full disk, collection scans
 * and refused connections.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { type DbContext, type DbEngine, type DbRecord, endpoint, uuid } from "./_common.ts";

/** `2024-03-04T14:30:22.123+00:00`. */
export function mongoTime(t: number): string {
  return `${new Date(t).toISOString().slice(0, 23)}+00:00`;
}

/**
 * One mongod log line.
 * @returns the JSON text
 */
export function mongoLine(
  t: number,
  s: string,
  c: string,
  id: number,
  ctx: string,
  msg: string,
  attr?: Record<string, unknown>,
): string {
  const ids = String(id);
  return `{"t":{"$date":"${mongoTime(t)}"},"s":"${s}",${" ".repeat(Math.max(1, 3 - s.length))}"c":"${c}",${
    " ".repeat(Math.max(1, 9 - c.length))
  }"id":${ids},${" ".repeat(Math.max(0, 8 - ids.length))}"ctx":${JSON.stringify(ctx)},"msg":${JSON.stringify(msg)}${
    attr === undefined ? "" : `,"attr":${JSON.stringify(attr)}`
  }}`;
}

/** A one-line record: its severity is the record's level. The attributes are built (and drawn) by the caller. */
function logged(
  t: number,
  s: string,
  c: string,
  id: number,
  ctx: string,
  msg: string,
  attr?: Record<string, unknown>,
): DbRecord {
  return { file: 0, level: s, lines: [mongoLine(t, s, c, id, ctx, msg, attr)] };
}

const COLLECTIONS = ["products", "categories", "reviews", "price_history", "media"];

function conn(rng: Rng): string {
  return `conn${rng.int(1000, 900_000)}`;
}

function slow(rng: Rng, ctx: DbContext, t: number, coll: string, scan: boolean, millis: number): DbRecord {
  const docs = scan ? rng.int(200_000, 4_000_000) : rng.int(1, 5000);
  return logged(t, "I", "COMMAND", 51803, conn(rng), "Slow query", {
    type: "command",
    ns: `${ctx.database}.${coll}`,
    appName: rng.pick(ctx.clients),
    command: scan
      ? {
        find: coll,
        filter: { "attributes.color": rng.pick(["red", "blue", "green"]) },
        sort: { updatedAt: -1 },
        limit: 50,
        $db: ctx.database,
      }
      : { find: coll, filter: { sku: `SKU-${rng.int(10000, 99999)}` }, limit: 1, $db: ctx.database },
    planSummary: scan ? "COLLSCAN" : "IXSCAN { sku: 1 }",
    keysExamined: scan ? 0 : docs,
    docsExamined: docs,
    nreturned: rng.int(0, 50),
    reslen: rng.int(200, 90_000),
    remote: endpoint(rng, ctx.clientIps),
    protocol: "op_msg",
    durationMillis: Math.round(millis),
  });
}

function background(rng: Rng, ctx: DbContext, t: number): DbRecord {
  const r = rng.weightedIndex([4, 3, 3, 2, 1]);
  const remote = endpoint(rng, ctx.clientIps);
  const id = rng.int(1000, 900_000);
  if (r === 0) {
    return logged(t, "I", "NETWORK", 22943, "listener", "Connection accepted", {
      remote,
      uuid: { uuid: { $uuid: uuid(rng) } },
      connectionId: id,
      connectionCount: rng.int(20, 400),
    });
  }
  if (r === 1) {
    return logged(t, "I", "ACCESS", 5286306, `conn${id}`, "Successfully authenticated", {
      client: remote,
      isSpeculative: true,
      isClusterMember: false,
      mechanism: "SCRAM-SHA-256",
      user: ctx.appUser,
      db: "admin",
      result: 0,
      metrics: { conversation_duration: { micros: rng.int(500, 9000) } },
    });
  }
  if (r === 2) {
    return logged(t, "I", "NETWORK", 22944, `conn${id}`, "Connection ended", {
      remote,
      uuid: { uuid: { $uuid: uuid(rng) } },
      connectionId: id,
      connectionCount: rng.int(20, 400),
    });
  }
  if (r === 3) return slow(rng, ctx, t, rng.pick(COLLECTIONS), false, 100 + rng.exponential(1 / 150));
  const secs = Math.floor(t / 1000);
  return logged(t, "I", "STORAGE", 22430, "Checkpointer", "WiredTiger message", {
    message: {
      ts_sec: secs,
      ts_usec: rng.int(0, 999_999),
      thread: `${ctx.pids.checkpointer}:0x7f${rng.int(0x10000000, 0x7fffffff).toString(16)}`,
      session_name: "WT_SESSION.checkpoint",
      category: "WT_VERB_CHECKPOINT_PROGRESS",
      category_id: 6,
      verbose_level: "DEBUG_1",
      verbose_level_id: 1,
      msg: `saving checkpoint snapshot min: ${secs % 100000}, snapshot max: ${
        secs % 100000
      }, snapshot count: 0, oldest timestamp: (${secs - 300}, 1) , meta checkpoint timestamp: (${
        secs - 60
      }, 1) base write gen: ${rng.int(1000, 90000)}`,
    },
  });
}

const ATTACK_USERS = ["admin", "root", "mongo", "dbadmin", "test"];

function incident(rng: Rng, ctx: DbContext, pattern: string, step: number, t: number): DbRecord {
  const f = ctx.facts;
  const client = `${f.attacker_ip}:${rng.int(32768, 60999)}`;
  switch (pattern) {
    case "auth_bruteforce": {
      const user = step % 3 === 0 ? String(f.account ?? "admin") : rng.pick(ATTACK_USERS);
      return logged(t, "I", "ACCESS", 5286307, conn(rng), "Failed to authenticate", {
        client,
        isSpeculative: false,
        isClusterMember: false,
        mechanism: "SCRAM-SHA-256",
        user,
        db: "admin",
        error: step % 3 === 0
          ? "AuthenticationFailed: SCRAM authentication failed, storedKey mismatch"
          : `UserNotFound: Could not find user "${user}" for db "admin"`,
        result: step % 3 === 0 ? 18 : 11,
        metrics: { conversation_duration: { micros: rng.int(500, 9000) } },
      });
    }
    case "privilege_change": {
      if (step % 3 === 0) {
        return logged(t, "I", "ACCESS", 5286306, conn(rng), "Successfully authenticated", {
          client,
          isSpeculative: false,
          isClusterMember: false,
          mechanism: "SCRAM-SHA-256",
          user: "svc_reporting",
          db: "admin",
          result: 0,
        });
      }
      return logged(t, "I", "COMMAND", 51803, conn(rng), "Slow query", {
        type: "command",
        ns: "admin.$cmd",
        appName: "mongosh 2.1.5",
        command: step % 3 === 1
          ? { grantRolesToUser: "svc_reporting", roles: [{ role: "root", db: "admin" }], $db: "admin" }
          : { createUser: "svc_sync", roles: [{ role: "readWriteAnyDatabase", db: "admin" }], $db: "admin" },
        numYields: 0,
        reslen: 38,
        remote: client,
        protocol: "op_msg",
        durationMillis: rng.int(110, 260),
      });
    }
    case "replication_lag": {
      if (step % 5 === 2) {
        return {
          file: 0,
          level: "I",
          lines: [
            mongoLine(t, "I", "REPL_HB", 23974, `ReplCoord-${rng.int(0, 9)}`, "Heartbeat failed after max retries", {
              target: `${ctx.server.host.replace(/-\d+$/, "-01")}:27017`,
              maxHeartbeatRetries: 2,
              error: { code: 202, codeName: "NetworkInterfaceExceededTimeLimit", errmsg: "Request timed out" },
            }),
          ],
        };
      }
      return logged(t, "I", "COMMAND", 51803, conn(rng), "Slow query", {
        type: "command",
        ns: "local.oplog.rs",
        command: {
          getMore: rng.int(100000, 9_000_000),
          collection: "oplog.rs",
          batchSize: 13981010,
          maxTimeMS: 5000,
          $db: "local",
        },
        originatingCommand: {
          find: "oplog.rs",
          filter: { ts: { $gte: { $timestamp: { t: Math.floor(t / 1000) - Number(f.lag_seconds ?? 60), i: 1 } } } },
          tailable: true,
          awaitData: true,
        },
        planSummary: "COLLSCAN",
        docsExamined: rng.int(1000, 90000),
        nreturned: rng.int(1000, 90000),
        reslen: rng.int(1_000_000, 16_000_000),
        remote: endpoint(rng, ctx.clientIps),
        durationMillis: rng.int(2000, 9000),
      });
    }
    case "disk_full": {
      if (step === 6) {
        return {
          file: 0,
          level: "F",
          lines: [
            mongoLine(t, "F", "-", 23089, "Checkpointer", "Fatal assertion", {
              msgid: 28559,
              file: "src/mongo/db/storage/wiredtiger/wiredtiger_util.cpp",
              line: 84,
            }),
            mongoLine(t + 1, "F", "-", 23090, "Checkpointer", "\n\n***aborting after fassert() failure\n\n"),
          ],
          entries: [{ start: 0, level: "F", offsetMs: 0 }, { start: 1, level: "F", offsetMs: 1 }],
        };
      }
      const secs = Math.floor(t / 1000);
      return logged(t, "E", "STORAGE", 22435, conn(rng), "WiredTiger error", {
        error: 28,
        message: {
          ts_sec: secs,
          ts_usec: rng.int(0, 999_999),
          thread: `${ctx.pids.main}:0x7f${rng.int(0x10000000, 0x7fffffff).toString(16)}`,
          session_name: "WT_SESSION.commit_transaction",
          category: "WT_VERB_DEFAULT",
          category_id: 9,
          verbose_level: "ERROR",
          verbose_level_id: -3,
          msg: `__posix_file_write:617:/var/lib/mongodb/journal/WiredTigerLog.${
            String(rng.int(1, 9999)).padStart(10, "0")
          }: handle-write: pwrite: failed to write 128 bytes at offset ${rng.int(0, 99_999_999)}`,
          error_str: "No space left on device",
          error_code: 28,
        },
      });
    }
    case "slow_queries":
      return slow(rng, ctx, t, rng.pick(COLLECTIONS), true, 2000 + rng.exponential(1 / 6000));
    case "connection_storm":
    default:
      return {
        file: 0,
        level: "I",
        lines: [
          mongoLine(
            t,
            "I",
            "NETWORK",
            22942,
            "listener",
            "Connection refused because there are too many open connections",
            {
              remote: endpoint(rng, ctx.clientIps),
              connectionCount: 51200,
            },
          ),
        ],
      };
  }
}

/** MongoDB structured JSON logs. */
export const mongodb: DbEngine = {
  engine: "mongodb",
  files: (ctx) => [`mongodb/${ctx.server.host}.log`],
  header: () => [],
  background,
  incident,
};
