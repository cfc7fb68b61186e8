import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import { writeCapacity, writeMsp } from "./_fixtures.ts";

const root = await Deno.makeTempDir({ prefix: "opslab-replay-task-" });
const capDir = join(root, "cap"), mspDir = join(root, "msp");
await writeCapacity(capDir, { servers: 2, hours: 30 });
await writeMsp(mspDir);

/** The permissions of `deno task replay`, with reads of the temp folder. */
const PERMS = [
  "--allow-ffi=./node_modules",
  "--allow-sys",
  "--allow-env",
  "--allow-read",
  "--allow-net=127.0.0.1,localhost",
];

function task(args: string[], env: Record<string, string> = {}): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMS, "tasks/replay.ts", ...args],
    stdout: "piped",
    stderr: "piped",
    env,
  });
}

async function run(args: string[], env: Record<string, string> = {}) {
  const out = await task(args, env).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("replay task plays two datasets with --max to NDJSON in time order", async () => {
  const { code, stdout, stderr } = await run([capDir, mspDir, "--max"]);
  assert.equal(code, 0, stderr);
  const lines = stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  const summary = /replay: (\d+) events/.exec(stderr);
  assert.ok(summary, stderr);
  assert.equal(lines.length, Number(summary[1]));
  assert.match(stderr, new RegExp(`ndjson +sent ${lines.length}, dropped 0`));
  const ts = lines.map((l) => Date.parse(l.ts));
  for (let i = 1; i < ts.length; i++) assert.ok(ts[i - 1] <= ts[i], `line ${i} out of order`);
  assert.ok(lines.some((l) => l.channel === "system_health"));
  assert.ok(lines.some((l) => l.channel === "sla_alerts"));
  const only = await run([capDir, "--max", "--channels", "system_health", "--to", "2024-01-01T12:00"]);
  assert.equal(only.code, 0, only.stderr);
  const health = only.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.ok(health.length > 0 && health.every((l) => l.channel === "system_health"));
  assert.ok(health.every((l) => Date.parse(l.ts) < Date.UTC(2024, 0, 1, 12)));
});

Deno.test("replay task --speed keeps the data clock: 30 h of data at 360000x take about 0.3 s", async () => {
  const started = performance.now();
  const { code, stderr } = await run([capDir, "--speed", "360000", "--channels", "metrics"]);
  const wall = performance.now() - started;
  assert.equal(code, 0, stderr);
  const m = /events in ([\d.]+) s/.exec(stderr);
  assert.ok(m, stderr);
  // 29 hours between the first and the last row: 290 ms of wall time
  assert.ok(Number(m[1]) >= 0.28 && Number(m[1]) < 0.6, `replay took ${m[1]} s`);
  assert.ok(wall < 10_000);
});

Deno.test("replay task serves ws and prometheus and shuts down cleanly on SIGTERM", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const child = task([capDir, mspDir, "--speed", "1", "--sink", "ws,prometheus", "--port", String(port)]).spawn();
  const stderr = new Response(child.stderr).text();
  const stdout = new Response(child.stdout).text();
  let ready = false;
  for (let i = 0; i < 100 && !ready; i++) {
    ready = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      async (r) => (await r.json()).status === "ok",
      () => false,
    );
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(ready, "the server never answered /healthz");
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  assert.match(metrics, /^opslab_replay_events_total \d+$/m);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?channels=metrics`);
  const closed = new Promise<CloseEvent>((resolve) => (ws.onclose = resolve));
  await new Promise((resolve) => (ws.onopen = resolve));
  child.kill("SIGTERM");
  const status = await child.status;
  const close = await closed;
  const log = await stderr;
  await stdout;
  assert.equal(status.code, 0, log);
  assert.equal(close.code, 1001);
  assert.match(log, /stopped by SIGTERM/);
  assert.match(log, /websocket +sent \d+, dropped 0, .*connections 1/);
  assert.match(log, /prometheus +sent \d+/);
});

Deno.test("replay task replays a generated incidents dataset, list columns as JSON arrays", async () => {
  const dir = join(root, "incidents");
  const gen = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      "--allow-read",
      `--allow-write=${root}`,
      "tasks/generate.ts",
      "incidents",
      ...["--from", "2024-03-04", "--to", "2024-03-06", "--servers", "8", "--seed", "7"],
      ...["--cloudfront-requests-per-day", "200", "--db-records-per-server-hour", "2", "--output", dir],
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(gen.code, 0, new TextDecoder().decode(gen.stderr));
  const { code, stdout, stderr } = await run([dir, "--max"]);
  assert.equal(code, 0, stderr);
  const lines = stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  const manifest = JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
  for (const [table, column] of [["incidents", "services"], ["metric_anomalies", "metrics"], ["email_index", "to"]]) {
    const events = lines.filter((l) => l.event === table);
    assert.equal(events.length, manifest.tables[table].rows, table);
    const df = pl.readParquet(join(dir, manifest.tables[table].files[0]));
    const want = new Map<string, unknown>();
    const keys = df.getColumn(table === "email_index" ? "message_id" : "incident_id").toArray() as string[];
    const values = df.getColumn(column).toArray() as unknown[];
    keys.forEach((k, i) => want.set(k, values[i]));
    for (const e of events) {
      assert.ok(Array.isArray(e.data[column]), `${table}.${column} is ${JSON.stringify(e.data[column])}`);
      const key = table === "email_index" ? e.data.message_id : e.data.incident_id;
      if (table !== "metric_anomalies") assert.deepEqual(e.data[column], want.get(key), `${table} ${key}`);
    }
  }
});

Deno.test("replay task takes --allow-origin and --max-clients for its WebSocket", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const child = task([
    capDir,
    ...["--speed", "1", "--sink", "ws", "--port", String(port)],
    ...["--allow-origin", "https://dash.example.com", "--max-clients", "1"],
  ]).spawn();
  const stderr = new Response(child.stderr).text();
  const stdout = new Response(child.stdout).text();
  const conns: Deno.TcpConn[] = [];
  const status = async (origin?: string) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conns.push(conn);
    await conn.write(
      new TextEncoder().encode(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${btoa("0123456789abcdef")}\r\nSec-WebSocket-Version: 13\r\n` +
          (origin ? `Origin: ${origin}\r\n` : "") + "\r\n",
      ),
    );
    const buf = new Uint8Array(512);
    const n = await conn.read(buf);
    return Number(new TextDecoder().decode(buf.subarray(0, n ?? 0)).slice(9, 12));
  };
  try {
    let ready = false;
    for (let i = 0; i < 100 && !ready; i++) {
      ready = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        async (r) => (await r.json()).status === "ok",
        () => false,
      );
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(ready, "the server never answered /healthz");
    assert.equal(await status("https://evil.example"), 403);
    assert.equal(await status("https://dash.example.com"), 101);
    assert.equal(await status("http://localhost:3000"), 503);
  } finally {
    for (const c of conns) c.close();
    child.kill("SIGTERM");
    await child.status;
    await stdout;
    await stderr;
  }
});

Deno.test("replay task rejects bad usage with one line and exit code 2", async (t) => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [[], {}, /a dataset is required/],
    [[capDir, "--speed", "0"], {}, /--speed must be a positive number, got "0"/],
    [[capDir, "--speed", "2", "--max"], {}, /--speed or --max/],
    [[join(root, "nope")], {}, /Cannot find dataset/],
    [[capDir, "--sink", "kafka"], { KAFKA_BROKERS: "" }, /KAFKA_BROKERS is not set/],
    [[capDir, "--sink", "carrier-pigeon"], {}, /--sink must be among/],
    [[capDir, "--from", "yesterday"], {}, /--from must be an ISO date/],
    [[capDir, "--allow-origin", "https://x.example/app"], {}, /--allow-origin must be origins/],
    [[capDir, "--max-clients", "0"], {}, /--max-clients must be an integer >= 1/],
  ];
  for (const [args, env, pattern] of cases) {
    await t.step(args.join(" ") || "(none)", async () => {
      const { code, stderr } = await run(args, env);
      assert.equal(code, 2, stderr);
      assert.match(stderr, pattern);
      assert.equal(stderr.trim().split("\n").filter((l) => l.startsWith("error:")).length, 1);
    });
  }
});

Deno.test("replay task fixtures are removed", async () => {
  await Deno.remove(root, { recursive: true });
});
