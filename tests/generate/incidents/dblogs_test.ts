import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Database logs behave like a real server's (issue 15): sessions close under one PID / connection id, checkpoints
 * pair with true totals, the realism figures meet their targets on the default dataset, and pgbadger and
 * pt-query-digest read the logs whole.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { measureLog } from "@lib/generate/incidents/dblogs/_measure.ts";
import { makeDataset, readText } from "./_fixture.ts";

let cached: Promise<{ dir: string; files: Map<string, string> }> | undefined;

/** The default incidents config, database logs only (the figures' targets are per default file). */
function dataset() {
  cached ??= (async () => {
    const fx = await makeDataset({ modalities: ["db_logs"] });
    const files = new Map<string, string>();
    for (const f of fx.manifest.files ?? []) {
      const path = typeof f === "string" ? f : (f as { path: string }).path;
      if (path.startsWith("db_logs/") && path.endsWith(".log")) files.set(path, await readText(fx.dir, path));
    }
    if (files.size === 0) {
      for await (const e of Deno.readDir(join(fx.dir, "db_logs"))) {
        for await (const g of Deno.readDir(join(fx.dir, "db_logs", e.name))) {
          const p = `db_logs/${e.name}/${g.name}`;
          files.set(p, await readText(fx.dir, p));
        }
      }
    }
    return { dir: fx.dir, files };
  })();
  return cached;
}

const PG = /^(\S+ \S+) UTC \[(\d+)\] (?:\S+ )?(\w+): {2}(.*)$/;

/** PostgreSQL invariants: sessions close under their PID with true times, checkpoints pair, deadlocks agree. */
function checkPostgres(file: string, text: string, min: { checkpoints: number; deadlocks: number }): void {
  const received = new Map<number, number>();
  let closed = 0, authorized = 0, started: number | undefined, pairs = 0, deadlocks = 0;
  for (const line of text.split("\n")) {
    const m = PG.exec(line);
    if (!m) continue;
    const t = Date.parse(m[1].replace(" ", "T") + "Z"), pid = Number(m[2]), msg = m[4];
    if (msg.startsWith("connection received")) received.set(pid, t);
    if (msg.startsWith("connection authorized")) authorized++;
    const d = /^disconnection: session time: (\d+):(\d\d):(\d\d\.\d{3})/.exec(msg);
    if (d) {
      assert.ok(received.has(pid), `${file}: disconnection of PID ${pid} that was received`);
      const ms = Math.round((Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3])) * 1000);
      assert.equal(ms, t - received.get(pid)!, `${file}: true session time of ${pid}`);
      received.delete(pid);
      closed++;
    }
    assert.ok(!/statement: .*\$\d/.test(msg), `${file}: simple-protocol statement without $n: ${msg}`);
    if (/^(checkpoint|restartpoint) starting/.test(msg)) started = t;
    const c = /^(?:checkpoint|restartpoint) complete: .* total=([\d.]+) s/.exec(msg);
    if (c) {
      assert.ok(started !== undefined, `${file}: complete after a start`);
      assert.equal(t - started, Math.round(Number(c[1]) * 1000), `${file}: gap equals total`);
      started = undefined;
      pairs++;
    }
  }
  assert.ok(closed > 0.9 * authorized, `${file}: ${closed} of ${authorized} sessions close`);
  // A deadlock's STATEMENT is the query of the process that logs it, the first one its DETAIL names.
  for (
    const m of text.matchAll(
      /\[(\d+)\] \S+ DETAIL: {2}Process (\d+) waits[^\n]*\n(?:\t[^\n]*\n)*?\tProcess \2: ([^\n]*)\n(?:[^\n]*\n)*?[^\n]*\[(\d+)\] \S+ STATEMENT: {2}([^\n]*)/g,
    )
  ) {
    assert.equal(m[2], m[1], `${file}: DETAIL names the logging process first`);
    assert.equal(m[4], m[1], `${file}: STATEMENT of the same process`);
    assert.equal(m[5], m[3], `${file}: STATEMENT is the logging process's query`);
    deadlocks++;
  }
  assert.ok(pairs >= min.checkpoints, `${file}: ${pairs} checkpoints`);
  // A hot standby (restartpoints) is read-only: no deadlocks there; a primary has some.
  if (text.includes("restartpoint")) assert.equal(deadlocks, 0, `${file}: no deadlock on a standby`);
  else assert.ok(deadlocks >= min.deadlocks, `${file}: ${deadlocks} deadlocks`);
}

/** A MySQL restart: clients are disconnected 2.1 s after the shutdown request; nothing runs or aborts until ready. */
function checkMysqlRestart(file: string, error: string, slow: string): void {
  const at = (re: RegExp) => Date.parse(re.exec(error)![1]);
  const shutdown = at(/^(\S+) \d+ \[System\] \[MY-013172\]/m);
  const ready = at(/^(\S+) \d+ \[System\] \[MY-010931\]/m);
  const aborted = [...error.matchAll(/^(\S+) \d+ \[Note\] \[MY-010914\]/gm)].map((m) => Date.parse(m[1]));
  assert.deepEqual(aborted.filter((t) => t > shutdown && t < ready), [], `${file}: aborts while down`);
  const entries = [...slow.matchAll(/^# Time: (\S+)\n# User@Host: .*\n# Query_time: ([\d.]+)/gm)].map((m) => ({
    done: Date.parse(m[1]),
    start: Date.parse(m[1]) - Number(m[2]) * 1000,
  }));
  assert.ok(entries.length > 10, `${file}: slow entries`);
  const across = entries.filter((e) => e.done > shutdown + 2100 && e.start < ready);
  assert.deepEqual(across, [], `${file}: statements running across the restart`);
}

/**
 * MongoDB invariants: ids grow, ends match accepts, counts move by one, metadata follows accepts. A restart ends
 * every connection the log saw open before the new process starts; none is accepted while the server is down; the
 * new process numbers connections from 1 and counts from 0.
 */
function checkMongo(file: string, text: string, minEnds: number): void {
  let last = 0, count = NaN, ends = 0, restarts = 0, down = false;
  const open = new Set<number>();
  const metadata = new Set<number>();
  for (const line of text.split("\n")) {
    if (!line) continue;
    const doc = JSON.parse(line);
    if (doc.msg === "Received signal" && doc.attr.signal === 15) down = true;
    if (doc.msg === "Waiting for connections") down = false;
    if (doc.msg === "MongoDB starting") {
      assert.deepEqual([...open], [], `${file}: connections still open when the server restarts`);
      [last, count] = [0, 0];
      restarts++;
    }
    if (doc.msg === "Connection accepted") {
      assert.ok(!down, `${file}: a connection accepted while the server is down`);
      assert.ok(doc.attr.connectionId > last, `${file}: ids grow`);
      last = doc.attr.connectionId;
      if (!Number.isNaN(count)) assert.equal(doc.attr.connectionCount, count + 1, `${file}: count +1 on accept`);
      count = doc.attr.connectionCount;
      open.add(last);
    } else if (doc.msg === "Connection ended") {
      assert.ok(open.delete(doc.attr.connectionId), `${file}: end of an accepted connection`);
      if (!Number.isNaN(count)) assert.equal(doc.attr.connectionCount, count - 1, `${file}: count -1 on end`);
      count = doc.attr.connectionCount;
      ends++;
    } else if (doc.msg === "client metadata") {
      metadata.add(Number(String(doc.ctx).slice(4)));
    }
  }
  assert.ok(ends >= minEnds, `${file}: ${ends} ends`);
  assert.ok(metadata.size >= minEnds, `${file}: client metadata after accepts`);
  assert.equal(restarts, 1, `${file}: one restart in the period`);
}

Deno.test("PostgreSQL sessions close under their PID with their true session time, checkpoints pair with total", async () => {
  const { files } = await dataset();
  for (const [file, text] of files) {
    if (file.startsWith("db_logs/postgresql/")) checkPostgres(file, text, { checkpoints: 100, deadlocks: 1 });
  }
});

Deno.test("MongoDB connection ids only grow, ends match accepts, counts are the open connections", async () => {
  const { files } = await dataset();
  for (const [file, text] of files) if (file.startsWith("db_logs/mongodb/")) checkMongo(file, text, 100);
});

Deno.test("the session and restart invariants hold under seeds 1337 and 1211 too", async (t) => {
  for (const seed of [1337, 1211]) {
    await t.step(`seed ${seed}`, async () => {
      const fx = await makeDataset({
        seed,
        from: "2024-03-04",
        to: "2024-03-08",
        incidents_per_week: 14,
        modalities: ["db_logs"],
      });
      for (const engine of ["postgresql", "mongodb", "mysql"]) {
        for await (const e of Deno.readDir(join(fx.dir, "db_logs", engine))) {
          const file = `db_logs/${engine}/${e.name}`;
          const text = await readText(fx.dir, file);
          if (engine === "postgresql") checkPostgres(file, text, { checkpoints: 5, deadlocks: 0 });
          else if (engine === "mongodb") checkMongo(file, text, 10);
          else if (file.endsWith("-error.log")) {
            checkMysqlRestart(file, text, await readText(fx.dir, file.replace(/-error\.log$/, "-slow.log")));
          }
        }
      }
    });
  }
});

Deno.test("a MySQL restart cuts its sessions: no statement ends and no connection aborts while it is down", async () => {
  const { files } = await dataset();
  let checked = 0;
  for (const [file, text] of files) {
    if (!file.startsWith("db_logs/mysql/") || !file.endsWith("-error.log")) continue;
    checkMysqlRestart(file, text, files.get(file.replace(/-error\.log$/, "-slow.log")) ?? "");
    checked++;
  }
  assert.ok(checked > 0, "MySQL error logs checked");
});

Deno.test("MySQL slow log prints Id: %5u and true query times", async () => {
  const { files } = await dataset();
  for (const [file, text] of files) {
    if (!file.endsWith("-slow.log")) continue;
    const ids = [...text.matchAll(/ {2}Id: ( *\d+)$/gm)].map((m) => m[1]);
    assert.ok(ids.length > 100);
    for (const id of ids) assert.equal(id.length, Math.max(5, id.trim().length), `${file}: Id: %5u`);
  }
});

Deno.test("each default database log meets the realism targets (templates, singletons, query entropy, Fano)", async () => {
  const { files } = await dataset();
  for (const [file, text] of files) {
    const m = measureLog(text);
    const slow = file.endsWith("-slow.log");
    if (!slow) {
      assert.ok(m.templatesPer500 >= 15, `${file}: ${m.templatesPer500.toFixed(1)} templates per 500 records`);
      assert.ok(m.singletonShare >= 0.1, `${file}: ${(m.singletonShare * 100).toFixed(1)} % templates once`);
    }
    if (!Number.isNaN(m.slowQueryEntropy)) {
      assert.ok(m.slowQueryEntropy <= 0.95, `${file}: slow-query entropy ${m.slowQueryEntropy.toFixed(3)}`);
    }
    assert.ok(m.fano >= 2, `${file}: Fano factor ${m.fano.toFixed(2)}`);
  }
});

Deno.test("measureLog() tells a flat one-template log from a bursty varied one", () => {
  const at = (_i: number, m: number) =>
    `2024-03-04 ${String(Math.floor(m / 60)).padStart(2, "0")}:${
      String(m % 60).padStart(2, "0")
    }:00.000 UTC [1] LOG:  `;
  const flat = Array.from({ length: 2000 }, (_, i) => `${at(i, Math.floor(i / 2))}same message ${i}`).join("\n");
  const f = measureLog(flat + "\n");
  assert.equal(f.templatesPer500, 1);
  assert.equal(f.singletonShare, 0);
  assert.ok(f.fano < 0.5, `flat: Fano ${f.fano}`);
  // 20 minutes of 100 lines, the rest of the hours silent; 40 message kinds, one of them once.
  const bursty = Array.from(
    { length: 2000 },
    (_, i) => `${at(i, 60 * Math.floor(i / 100))}kind ${"abcdefghij"[i % 10]}${"klmn"[i % 4]}`,
  );
  bursty.push(`${at(0, 1000)}one-off message`);
  const b = measureLog(bursty.join("\n") + "\n");
  assert.ok(b.templatesPer500 >= 20 && b.singletonShare > 0 && b.fano > 50, JSON.stringify(b));
});

async function tool(cmd: string, args: string[], pkg: string): Promise<string> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    if (!out.success) throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr).slice(0, 400)}`);
    return new TextDecoder().decode(out.stdout);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`${cmd} is missing: apt-get update && apt-get install -y --no-install-recommends ${pkg}`);
    }
    throw e;
  }
}

Deno.test("pgbadger reads every PostgreSQL line: sessions close with queries, checkpoints complete as started", async () => {
  const { dir, files } = await dataset();
  const file = [...files.keys()].find((f) => f.startsWith("db_logs/postgresql/"))!;
  const text = files.get(file)!;
  const out = await Deno.makeTempFile({ suffix: ".json" });
  await tool("pgbadger", [
    "-q",
    "-f",
    "stderr",
    "--prefix",
    "%m [%p] %q%u@%d ",
    "-x",
    "json",
    "-o",
    out,
    join(dir, file),
  ], "pgbadger");
  const report = JSON.parse(await Deno.readTextFile(out));
  await Deno.remove(out);
  const lines = text.split("\n").length - 1;
  assert.equal(report.nlines, lines, "every line read");
  const queries = report.overall_stat.postgres.queries_number;
  const sessions = report.session_info.postgres.count;
  const disconnections = (text.match(/ LOG: {2}disconnection: session time: /g) ?? []).length;
  assert.equal(sessions, disconnections, "pgbadger counts every closed session");
  assert.ok(queries / sessions > 0, `${sessions} sessions, ${queries} queries`);
  const started = Object.values(report.checkpoint_info.starting as Record<string, number>).reduce((a, b) => a + b, 0);
  const totals = [...text.matchAll(/ (?:checkpoint|restartpoint) complete: .* total=([\d.]+) s/g)].map((m) =>
    Number(m[1])
  );
  assert.equal(started, totals.length, `checkpoints: ${totals.length} completed, ${started} started (pgbadger)`);
  const sum = totals.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(report.checkpoint_info.total - sum) < 0.01, `pgbadger read every completion (${sum} s)`);
  console.log(
    `pgbadger ${file}: ${lines} of ${lines} lines, ${sessions} sessions, ${queries} queries (${
      (queries / sessions).toFixed(2)
    } per session), ${started} checkpoints started, ${totals.length} completed`,
  );
});

Deno.test("pt-query-digest parses every # Time: entry of the MySQL slow logs and finds a few dominant queries", async () => {
  const { dir, files } = await dataset();
  const slow = [...files.keys()].filter((f) => f.endsWith("-slow.log"));
  for (const file of slow.slice(0, 2)) {
    const json = await tool(
      "pt-query-digest",
      ["--limit", "100%", "--output", "json", join(dir, file)],
      "percona-toolkit",
    );
    const report = JSON.parse(json) as { global: { query_count: number }; classes: { query_count: number }[] };
    const entries = (files.get(file)!.match(/^# Time: /gm) ?? []).length;
    assert.equal(report.global.query_count, entries, `${file}: every entry parsed`);
    const n = report.classes.reduce((a, c) => a + c.query_count, 0);
    const h = -report.classes.reduce((a, c) => a + (c.query_count / n) * Math.log(c.query_count / n), 0);
    const entropy = h / Math.log(report.classes.length);
    assert.ok(entropy <= 0.95, `${file}: normalized entropy of pt-query-digest's classes ${entropy.toFixed(3)}`);
    const once = report.classes.filter((c) => c.query_count === 1).length;
    assert.ok(once > 0, `${file}: one-off queries`);
    console.log(
      `pt-query-digest ${file}: ${entries} of ${entries} entries, ${report.classes.length} classes (${once} seen once), entropy ${
        entropy.toFixed(3)
      }`,
    );
  }
});
