/**
 * MongoDB 4.4+ structured log: one JSON document a line, `{"t":{"$date":...},"s":...,"c":...,"id":...,"ctx":...,
 * "msg":...,"attr":{...}}`, padded after `s`, `c` and `id` as mongod pads them. Background connections,
 * authentications, slow queries and checkpoints; incident patterns for failed authentications from one address,
 * role grants, slow oplog reads on a lagging secondary, WiredTiger write errors on a full disk, collection scans
 * and refused connections.
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
  uuid,
  zipf,
} from "./_common.ts";

/** `2024-03-04T14:30:22.123+00:00`. */
export function mongoTime(t: number): string {
  return `${new Date(t).toISOString().slice(0, 23)}+00:00`;
}

/** The fields of a mongod log line besides its time. */
export interface MongoFields {
  /** Severity (`I`, `W`, `E`, `F`). */
  s: string;
  /** Component (`NETWORK`, `COMMAND`, …). */
  c: string;
  /** Message id. */
  id: number;
  /** Thread context. */
  ctx: string;
  /** Message. */
  msg: string;
  /** Attributes. @default none */
  attr?: Record<string, unknown>;
}

/**
 * One mongod log line.
 * @param t the time, epoch ms
 * @param fields severity, component, id, context, message and attributes
 * @returns the JSON text
 */
export function mongoLine(t: number, fields: MongoFields): string {
  const { s, c, id, ctx, msg, attr } = fields;
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
  return { file: 0, level: s, lines: [mongoLine(t, { s, c, id, ctx, msg, attr })] };
}

const COLLECTIONS = ["products", "categories", "reviews", "price_history", "media"];

/** A server's simulation state: connection ids and the real count of open connections. */
export interface MongoState {
  ctx: DbContext;
  /** The last connection id handed out (ids only grow). */
  lastId: number;
  /** Open connections now (pooled ones opened before the log began included). */
  open: number;
  /** The shapes of the server's queries, Zipf-ranked. */
  shapes: { coll: string; field: string }[];
  weights: number[];
  /** When the server restarts in the period. */
  restartAt: number;
}

const FIELDS = ["sku", "categoryId", "slug", "brand", "updatedAt", "price", "attributes.color", "tags", "sellerId"];
const DRIVERS = [
  { name: "nodejs", version: "6.3.0" },
  { name: "PyMongo", version: "4.6.1" },
  { name: "mongo-java-driver|sync", version: "4.11.1" },
];

/** A connection's id, shared by the records of its session (set when its accept is written, in time order). */
interface Conn {
  id: number;
  remote: string;
}

function accept(s: MongoState, c: Conn, rng: Rng, t: number): DbRecord {
  c.id = ++s.lastId;
  s.open++;
  return logged(t, "I", "NETWORK", 22943, "listener", "Connection accepted", {
    remote: c.remote,
    uuid: { uuid: { $uuid: uuid(rng) } },
    connectionId: c.id,
    connectionCount: s.open,
  });
}

function slowQuery(rng: Rng, s: MongoState, t: number, c: Conn, app: string, scan: boolean, millis: number): DbRecord {
  const { coll, field } = scan
    ? { coll: rng.pick(COLLECTIONS), field: "attributes.color" }
    : rng.bernoulli(0.04)
    ? { coll: rng.pick(COLLECTIONS), field: `${rng.pick(FIELDS)}.${rng.pick(FIELDS)}` }
    : s.shapes[rng.weightedIndex(s.weights)];
  const docs = scan ? rng.int(200_000, 4_000_000) : rng.int(1, 5000);
  return logged(t, "I", "COMMAND", 51803, `conn${c.id}`, "Slow query", {
    type: "command",
    ns: `${s.ctx.database}.${coll}`,
    appName: app,
    command: scan
      ? {
        find: coll,
        filter: { [field]: rng.pick(["red", "blue", "green"]) },
        sort: { updatedAt: -1 },
        limit: 50,
        $db: s.ctx.database,
      }
      : { find: coll, filter: { [field]: `V-${rng.int(10000, 99999)}` }, limit: 1, $db: s.ctx.database },
    planSummary: scan ? "COLLSCAN" : `IXSCAN { ${field}: 1 }`,
    keysExamined: scan ? 0 : docs,
    docsExamined: docs,
    nreturned: rng.int(0, 50),
    reslen: rng.int(200, 90_000),
    remote: c.remote,
    protocol: "op_msg",
    durationMillis: Math.round(millis),
  });
}

/** After the shutdown signal, mongod closes client connections here (ms). */
const CLOSED_AT = 40;
/** After the shutdown signal, mongod waits for connections again here (ms). */
const LISTENING_AT = 9951;

/** Whether a connection starting at t meets a stopped server (or its shutdown before its handshake ends). */
function serverDown(s: MongoState, t: number): boolean {
  return t >= s.restartAt - 50 && t < s.restartAt + LISTENING_AT;
}

/** A time the server is up at: t, or as long after the restart's listening as t was after its start. */
function whenUp(s: MongoState, t: number): number {
  return serverDown(s, t) ? t + LISTENING_AT + 50 : t;
}

/**
 * A client connection: accepted, client metadata, authenticated, slow queries, ended (same id, true counts). A
 * connection open at the restart ends when the server closes it; none starts while the server is down.
 */
function session(rng: Rng, s: MongoState, t0: number, out: DbSink, opts: { scans?: number; app?: string } = {}): void {
  if (serverDown(s, t0)) return;
  const c: Conn = { id: 0, remote: endpoint(rng, s.ctx.clientIps) };
  const app = opts.app ?? rng.pick(s.ctx.clients);
  const u = uuid(rng);
  out.at(t0, () => accept(s, c, rng, t0));
  const driver = rng.pick(DRIVERS);
  out.at(t0 + 1, () =>
    logged(t0 + 1, "I", "NETWORK", 51800, `conn${c.id}`, "client metadata", {
      remote: c.remote,
      client: `conn${c.id}`,
      doc: {
        driver,
        os: { type: "Linux", name: "linux", architecture: "x64", version: "6.1.0-18-amd64" },
        platform: driver.name === "nodejs"
          ? "Node.js v20.11.1, LE"
          : driver.name === "PyMongo"
          ? "CPython 3.11.2.final.0"
          : "Java/Eclipse Adoptium/21.0.2+13-LTS",
        application: { name: app },
      },
    }));
  const micros = rng.int(500, 9000);
  const auth = t0 + 2 + Math.ceil(micros / 1000);
  out.at(auth, () =>
    logged(auth, "I", "ACCESS", 20250, `conn${c.id}`, "Authentication succeeded", {
      mechanism: "SCRAM-SHA-256",
      speculative: true,
      principalName: s.ctx.appUser,
      authenticationDatabase: "admin",
      remote: c.remote,
      extraInfo: {},
    }));
  const planned = auth + sessionLength(rng);
  const cut = t0 < s.restartAt && planned > s.restartAt;
  const end = cut ? s.restartAt + CLOSED_AT : planned;
  let t = auth;
  const n = opts.scans ?? (rng.bernoulli(0.4) ? 0 : 1 + Math.floor(rng.exponential(0.8)));
  for (let k = 0; k < n; k++) {
    const millis = opts.scans ? 2000 + rng.exponential(1 / 6000) : 100 + rng.lognormal(Math.log(150), 1);
    const done = t + Math.floor(rng.uniform(0, Math.max(1, end - t) / (n - k + 1))) + Math.round(millis);
    if (done >= end && (!opts.scans || cut)) break;
    const scan = !!opts.scans;
    out.at(done, () => slowQuery(rng, s, done, c, app, scan, millis));
    t = done;
  }
  const stop = Math.max(end, t + 1);
  out.at(stop, () => {
    s.open--;
    return logged(stop, "I", "NETWORK", 22944, `conn${c.id}`, "Connection ended", {
      remote: c.remote,
      uuid: { uuid: { $uuid: u } },
      connectionId: c.id,
      connectionCount: s.open,
    });
  });
}

/** Messages of the server itself, Zipf-ranked so the tail is rare. */
const SERVER_EVENTS: ((rng: Rng, s: MongoState, t: number) => DbRecord)[] = [
  (rng, s, t) => {
    const secs = Math.floor(t / 1000);
    return logged(t, "I", "STORAGE", 22430, "Checkpointer", "WiredTiger message", {
      message: {
        ts_sec: secs,
        ts_usec: rng.int(0, 999_999),
        thread: `${s.ctx.pids.checkpointer}:0x7f${rng.int(0x10000000, 0x7fffffff).toString(16)}`,
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
  },
  (rng, _s, t) =>
    logged(t, "I", "STORAGE", 22260, "TimestampMonitor", "Removing historical entries older than", {
      timestamp: { $timestamp: { t: Math.floor(t / 1000) - 300, i: rng.int(1, 9) } },
    }),
  (_rng, _s, t) =>
    logged(
      t,
      "I",
      "CONTROL",
      20712,
      "LogicalSessionCacheReap",
      "Sessions collection is not set up; waiting until next sessions reap interval",
      { error: "NamespaceNotFound: config.system.sessions does not exist" },
    ),
  (_rng, _s, t) =>
    logged(t, "I", "NETWORK", 4333208, "ReplicaSetMonitor-TaskExecutor", "RSM host selection timeout", {
      replicaSet: "rs0",
      error:
        'FailedToSatisfyReadPreference: Could not find host matching read preference { mode: "primary" } for set rs0',
    }),
  (_rng, s, t) =>
    logged(t, "W", "NETWORK", 4615610, `conn${s.lastId}`, "Failed to check socket connectivity", {
      error: { code: 6, codeName: "HostUnreachable", errmsg: "Connection closed by peer" },
    }),
  (rng, s, t) =>
    logged(t, "I", "ACCESS", 5286307, `conn${s.lastId}`, "Failed to authenticate", {
      client: endpoint(rng, s.ctx.clientIps),
      isSpeculative: true,
      isClusterMember: false,
      mechanism: "SCRAM-SHA-256",
      user: "monitoring",
      db: "admin",
      error: "AuthenticationFailed: SCRAM authentication failed, storedKey mismatch",
      result: 18,
      metrics: { conversation_duration: { micros: rng.int(500, 9000) } },
    }),
  (rng, s, t) =>
    logged(t, "I", "INDEX", 20438, `IndexBuildsCoordinatorMongod-${rng.int(0, 9)}`, "Index build: registering", {
      buildUUID: { uuid: { $uuid: uuid(rng) } },
      namespace: `${s.ctx.database}.${rng.pick(COLLECTIONS)}`,
      indexes: 1,
    }),
  (rng, _s, t) =>
    logged(t, "I", "REPL", 21340, "RstlKillOpThread", "State transition ops metrics", {
      metrics: { lastStateTransition: "stepDown", userOpsKilled: rng.int(0, 20), userOpsRunning: rng.int(0, 200) },
    }),
  (_rng, s, t) =>
    logged(t, "W", "QUERY", 23798, `conn${s.lastId}`, "Plan executor error during find command", {
      error: { code: 96, codeName: "OperationFailed", errmsg: "Sort exceeded memory limit of 104857600 bytes" },
    }),
  (rng, _s, t) =>
    logged(t, "I", "COMMAND", 20499, "ftdc", "serverStatus was very slow", {
      timeStats: {
        after_basic: 0,
        after_asserts: 0,
        after_wiredTiger: rng.int(1000, 3000),
        at_end: rng.int(1000, 3100),
      },
    }),
  (rng, s, t) =>
    logged(t, "I", "SHARDING", 22727, `conn${s.lastId}`, "Marking collection as sharded", {
      namespace: `${s.ctx.database}.${rng.pick(COLLECTIONS)}`,
    }),
  (_rng, _s, t) =>
    logged(
      t,
      "W",
      "CONTROL",
      22120,
      "initandlisten",
      "Access control is not enabled for the database. Read and write access to data and configuration is unrestricted",
      { tags: ["startupWarnings"] },
    ),
  (rng, _s, t) =>
    logged(t, "I", "STORAGE", 22315, "initandlisten", "Opening WiredTiger", {
      config: `create,cache_size=${rng.pick([7680, 15360])}M,session_max=33000,eviction=(threads_min=4,threads_max=4)`,
    }),
  (_rng, _s, t) =>
    logged(t, "I", "CONTROL", 23377, "SignalHandler", "Received signal", {
      signal: 10,
      error: "User defined signal 1",
    }),
  (_rng, _s, t) => logged(t, "I", "CONTROL", 23379, "SignalHandler", "Log rotation initiated", {}),
];
SERVER_EVENTS.push(
  (rng, s, t) =>
    logged(t, "I", "COMMAND", 20400, `conn${s.lastId}`, "createCollection", {
      namespace: `${s.ctx.database}.tmp_${rng.int(1, 99)}`,
      uuidDisposition: "generated",
      uuid: { uuid: { $uuid: uuid(rng) } },
      options: {},
    }),
  (rng, _s, t) =>
    logged(t, "I", "INDEX", 20447, `IndexBuildsCoordinatorMongod-${rng.int(0, 9)}`, "Index build: completed", {
      buildUUID: { uuid: { $uuid: uuid(rng) } },
    }),
  (_rng, s, t) =>
    logged(t, "I", "COMMAND", 20337, `conn${s.lastId}`, "dropDatabase - starting", { db: `${s.ctx.database}_scratch` }),
  (rng, s, t) =>
    logged(
      t,
      "I",
      "STORAGE",
      5695101,
      `conn${s.lastId}`,
      "Slow WT transaction. Lifetime of SnapshotId was greater than the threshold",
      { snapshotId: rng.int(1_000_000, 90_000_000), lifetime_ms: rng.int(100, 9000) },
    ),
  (rng, s, t) =>
    logged(
      t,
      "W",
      "COMMAND",
      5578800,
      `conn${s.lastId}`,
      "Deprecated operation requested. For more details see https://dochub.mongodb.org/core/legacy-opcode-compatibility",
      { op: "query", clientInfo: { application: { name: rng.pick(s.ctx.clients) } } },
    ),
  (rng, s, t) =>
    logged(
      t,
      "I",
      "SH_REFR",
      4619902,
      `CatalogCache-${rng.int(0, 9)}`,
      "Collection has found to be unsharded after refresh",
      { namespace: `${s.ctx.database}.${rng.pick(COLLECTIONS)}`, durationMillis: rng.int(0, 40) },
    ),
  (rng, s, t) =>
    logged(t, "I", "REPL", 21401, "conn" + s.lastId, "Scheduling heartbeat to fetch a newer config", {
      configTerm: rng.int(1, 9),
      configVersion: rng.int(1, 90),
      senderHost: `${s.ctx.server.host}:27017`,
    }),
  (rng, s, t) =>
    logged(t, "I", "QUERY", 20529, `conn${s.lastId}`, "Interrupted operation as its client disconnected", {
      opId: rng.int(1_000_000, 90_000_000),
    }),
  (_rng, s, t) =>
    logged(t, "W", "ACCESS", 20436, `conn${s.lastId}`, "Checking authorization failed", {
      error: {
        code: 13,
        codeName: "Unauthorized",
        errmsg: `not authorized on admin to execute command { serverStatus: 1 }`,
      },
    }),
  (_rng, _s, t) =>
    logged(t, "E", "REPL", 21799, "BackgroundSync", "Sync source was cleared", {
      error: { code: 91, codeName: "ShutdownInProgress" },
    }),
);
const SERVER_WEIGHTS = zipf(SERVER_EVENTS.length, 1.1);

/** A rolling minor upgrade: shutdown, then the startup banners, once in the period. */
function restart(rng: Rng, s: MongoState, t: number, out: DbSink): void {
  const seq: [number, string, string, number, string, string, Record<string, unknown>?][] = [
    [0, "I", "CONTROL", 23377, "SignalHandler", "Received signal", { signal: 15, error: "Terminated" }],
    [1, "I", "CONTROL", 23381, "SignalHandler", "will terminate after current cmd ends"],
    [2, "I", "REPL", 4784900, "SignalHandler", "Stepping down the ReplicationCoordinator for shutdown", {
      waitTimeMillis: 15000,
    }],
    [40, "I", "NETWORK", 4784923, "SignalHandler", "Shutting down the ServiceEntryPoint"],
    [900, "I", "STORAGE", 4795902, "SignalHandler", "Closing WiredTiger", { closeConfig: "leak_memory=true," }],
    [2400, "I", "CONTROL", 20565, "SignalHandler", "Now exiting"],
    [2401, "I", "CONTROL", 23138, "SignalHandler", "Shutting down", { exitCode: 0 }],
    [9000, "I", "CONTROL", 4615611, "initandlisten", "MongoDB starting", {
      pid: rng.int(1000, 9000),
      port: 27017,
      dbPath: "/var/lib/mongodb",
      architecture: "64-bit",
      host: s.ctx.server.host,
    }],
    [9001, "I", "CONTROL", 23403, "initandlisten", "Build Info", {
      buildInfo: {
        version: "7.0.5",
        gitVersion: "7809d71e84e314b497f282ea8aa06d7ded3eb205",
        openSSLVersion: "OpenSSL 3.0.11 19 Sep 2023",
        modules: [],
        allocator: "tcmalloc",
        environment: { distmod: "debian12", distarch: "x86_64", target_arch: "x86_64" },
      },
    }],
    [9002, "I", "CONTROL", 51765, "initandlisten", "Operating System", {
      os: { name: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"', version: "Kernel 6.1.0-18-amd64" },
    }],
    [9003, "I", "CONTROL", 21951, "initandlisten", "Options set by command line", {
      options: {
        config: "/etc/mongod.conf",
        net: { bindIp: "0.0.0.0", port: 27017 },
        replication: { replSetName: "rs0" },
        storage: { dbPath: "/var/lib/mongodb" },
      },
    }],
    [9800, "I", "REPL", 21311, "initandlisten", "Did not find local initialized voted for document at startup"],
    [9900, "I", "REPL", 21392, "ReplCoord-0", "New replica set config in use", {
      config: { _id: "rs0", version: rng.int(1, 40), term: rng.int(1, 9) },
    }],
    [9950, "I", "NETWORK", 23015, "listener", "Listening on", { address: "0.0.0.0" }],
    [9951, "I", "NETWORK", 23016, "listener", "Waiting for connections", { port: 27017, ssl: "off" }],
    [12000, "I", "REPL", 21358, "ReplCoord-0", "Replica set state transition", {
      newState: "SECONDARY",
      oldState: "STARTUP2",
    }],
  ];
  for (const [dt, sev, c, id, ctx, msg, attr] of seq) {
    out.at(
      t + dt,
      dt === 9000
        // A new process: connection ids start again at 1 and no connection is open.
        ? () => {
          s.lastId = 0;
          s.open = 0;
          return logged(t + dt, sev, c, id, ctx, msg, attr);
        }
        : logged(t + dt, sev, c, id, ctx, msg, attr),
    );
  }
}

const ATTACK_USERS = ["admin", "root", "mongo", "dbadmin", "test"];

/** The incident patterns (one entry each). */
const MONGO_PATTERNS: Record<DbPattern, PatternRenderer<MongoState>> = {
  auth_bruteforce(rng, s, { step, t: at, facts: f }, out) {
    const t = whenUp(s, at);
    const user = step % 3 === 0 ? String(f.account ?? "admin") : rng.pick(ATTACK_USERS);
    const c: Conn = { id: 0, remote: `${f.attacker_ip}:${rng.int(32768, 60999)}` };
    const u = uuid(rng);
    const micros = rng.int(500, 9000);
    out.at(t, () => accept(s, c, rng, t));
    out.at(t + 2, () =>
      logged(t + 2, "I", "ACCESS", 5286307, `conn${c.id}`, "Failed to authenticate", {
        client: c.remote,
        isSpeculative: false,
        isClusterMember: false,
        mechanism: "SCRAM-SHA-256",
        user,
        db: "admin",
        error: step % 3 === 0
          ? "AuthenticationFailed: SCRAM authentication failed, storedKey mismatch"
          : `UserNotFound: Could not find user "${user}" for db "admin"`,
        result: step % 3 === 0 ? 18 : 11,
        metrics: { conversation_duration: { micros } },
      }));
    out.at(t + 5, () => {
      s.open--;
      return logged(t + 5, "I", "NETWORK", 22944, `conn${c.id}`, "Connection ended", {
        remote: c.remote,
        uuid: { uuid: { $uuid: u } },
        connectionId: c.id,
        connectionCount: s.open,
      });
    });
  },
  privilege_change(rng, s, { step, t: at, facts: f }, out) {
    const t = whenUp(s, at);
    const c: Conn = { id: 0, remote: `${f.attacker_ip}:${rng.int(32768, 60999)}` };
    out.at(t, () => accept(s, c, rng, t));
    out.at(t + 3, () =>
      logged(t + 3, "I", "ACCESS", 20250, `conn${c.id}`, "Authentication succeeded", {
        mechanism: "SCRAM-SHA-256",
        speculative: false,
        principalName: "svc_reporting",
        authenticationDatabase: "admin",
        remote: c.remote,
        extraInfo: {},
      }));
    const millis = step % 3 === 0 ? 0 : rng.int(110, 260);
    const stop = t + 8 + millis;
    out.at(stop, () => {
      s.open--;
      return logged(stop, "I", "NETWORK", 22944, `conn${c.id}`, "Connection ended", {
        remote: c.remote,
        uuid: { uuid: { $uuid: uuid(rng) } },
        connectionId: c.id,
        connectionCount: s.open,
      });
    });
    if (step % 3 === 0) return;
    out.at(t + 5 + millis, () =>
      logged(t + 5 + millis, "I", "COMMAND", 51803, `conn${c.id}`, "Slow query", {
        type: "command",
        ns: "admin.$cmd",
        appName: "mongosh 2.1.5",
        command: step % 3 === 1
          ? { grantRolesToUser: "svc_reporting", roles: [{ role: "root", db: "admin" }], $db: "admin" }
          : { createUser: "svc_sync", roles: [{ role: "readWriteAnyDatabase", db: "admin" }], $db: "admin" },
        numYields: 0,
        reslen: 38,
        remote: c.remote,
        protocol: "op_msg",
        durationMillis: millis,
      }));
  },
  replication_lag(rng, s, { step, t, facts: f }, out) {
    if (step % 5 === 2) {
      out.at(
        t,
        logged(t, "I", "REPL_HB", 23974, `ReplCoord-${rng.int(0, 9)}`, "Heartbeat failed after max retries", {
          target: `${s.ctx.server.host.replace(/-\d+$/, "-01")}:27017`,
          maxHeartbeatRetries: 2,
          error: { code: 202, codeName: "NetworkInterfaceExceededTimeLimit", errmsg: "Request timed out" },
        }),
      );
      return;
    }
    const millis = rng.int(2000, 9000);
    out.at(
      t + millis,
      logged(t + millis, "I", "COMMAND", 51803, `conn${s.lastId}`, "Slow query", {
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
        remote: endpoint(rng, s.ctx.clientIps),
        durationMillis: millis,
      }),
    );
  },
  archive_failure() {},
  disk_full(rng, s, { step, t }, out) {
    if (step === 6) {
      out.at(t, {
        file: 0,
        level: "F",
        lines: [
          mongoLine(t, {
            s: "F",
            c: "-",
            id: 23089,
            ctx: "Checkpointer",
            msg: "Fatal assertion",
            attr: {
              msgid: 28559,
              file: "src/mongo/db/storage/wiredtiger/wiredtiger_util.cpp",
              line: 84,
            },
          }),
          mongoLine(t + 1, {
            s: "F",
            c: "-",
            id: 23090,
            ctx: "Checkpointer",
            msg: "\n\n***aborting after fassert() failure\n\n",
          }),
        ],
        entries: [{ start: 0, level: "F", offsetMs: 0 }, { start: 1, level: "F", offsetMs: 1 }],
      });
      return;
    }
    const secs = Math.floor(t / 1000);
    out.at(
      t,
      logged(t, "E", "STORAGE", 22435, `conn${s.lastId}`, "WiredTiger error", {
        error: 28,
        message: {
          ts_sec: secs,
          ts_usec: rng.int(0, 999_999),
          thread: `${s.ctx.pids.main}:0x7f${rng.int(0x10000000, 0x7fffffff).toString(16)}`,
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
      }),
    );
  },
  slow_queries(rng, s, { t }, out) {
    session(rng, s, t, out, { scans: 1 });
  },
  connection_storm(rng, s, { t }, out) {
    const remote = endpoint(rng, s.ctx.clientIps);
    out.at(
      t,
      () =>
        logged(t, "I", "NETWORK", 22942, "listener", "Connection refused because there are too many open connections", {
          remote,
          connectionCount: s.open,
        }),
    );
  },
};

function init(rng: Rng, ctx: DbContext, span: { start: number; end: number }): MongoState {
  const shapes = rng.shuffle(COLLECTIONS.flatMap((coll) => FIELDS.slice(0, 5).map((field) => ({ coll, field }))));
  return {
    ctx,
    lastId: rng.int(1000, 900_000),
    open: rng.int(20, 120),
    shapes,
    weights: zipf(shapes.length, 1.3),
    restartAt: Math.floor(rng.uniform(span.start + 3_600_000, span.end - 3_600_000)),
  };
}

function background(rng: Rng, s: MongoState, t: number, out: DbSink): void {
  if (rng.bernoulli(0.7)) session(rng, s, t, out);
  else out.at(t, SERVER_EVENTS[rng.weightedIndex(SERVER_WEIGHTS)](rng, s, t));
}

/** MongoDB structured JSON logs. */
export const mongodb: DbEngine<MongoState> = {
  engine: "mongodb",
  recordsPerArrival: 4.3,
  files: (ctx) => [`mongodb/${ctx.server.host}.log`],
  header: () => [],
  init,
  tick: (rng, s, from, to, out) => {
    if (s.restartAt >= from && s.restartAt < to) restart(rng, s, s.restartAt, out);
  },
  background,
  patterns: MONGO_PATTERNS,
};
