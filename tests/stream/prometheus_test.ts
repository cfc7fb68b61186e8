import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  deriveHealth,
  mergeSources,
  openReplay,
  PrometheusSink,
  replay,
  ReplayEvent,
  startReplayServer,
} from "@lib/stream/mod.ts";
import { baseUnit } from "@lib/stream/prometheus.ts";
import { IncidentsConfig, writeIncidentsDataset } from "@lib/generate/incidents/mod.ts";
import { cpuAt, ev, T0, writeCapacity, writeMsp } from "./_fixtures.ts";
import pl from "nodejs-polars";

const PROMETHEUS = "/usr/bin/prometheus";
const PROMTOOL = "/usr/bin/promtool";

/** Fails with the install command when a tool is missing: these tests never skip. */
async function requireTool(path: string): Promise<string> {
  if (await Deno.stat(path).then(() => true, () => false)) return path;
  assert.fail(`${path} is needed here: apt-get update && apt-get install -y prometheus`);
}

Deno.test("PrometheusSink renders labelled gauges and counters in the text format", () => {
  const sink = new PrometheusSink();
  sink.write(ev(T0, 1, "metrics"));
  sink.write(ev(T0 + 1, 2, "metrics"));
  sink.write(ev(T0 + 2, 4, "metrics"));
  sink.write(ev(T0 + 3, 5, "tickets"));
  const text = sink.render();
  assert.match(text, /^# HELP opslab_test_value /m);
  assert.match(text, /^# TYPE opslab_test_value gauge$/m);
  assert.match(text, /^opslab_test_value\{dataset="fixture",id="k-2"\} 3$/m);
  assert.match(text, /^opslab_test_value\{dataset="fixture",id="k-1"\} 6$/m, "latest value wins");
  assert.match(text, /^opslab_test_i\{dataset="fixture",id="k-1"\} 4$/m);
  assert.doesNotMatch(text, /id="k-2"\} 5/, "a tickets event is not a gauge");
  assert.match(text, /^opslab_replay_events_total 4$/m);
  for (const line of text.trimEnd().split("\n")) {
    assert.match(line, /^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? \S+)$/, line);
  }
  const limited = new PrometheusSink({ maxSeries: 2 });
  for (let i = 0; i < 3; i++) limited.write(ev(T0, i));
  assert.equal(limited.stats().series, 2);
  assert.ok(limited.stats().dropped > 0);
});

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function query(
  port: number,
  promql: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = await res.json();
  assert.equal(body.status, "success", JSON.stringify(body));
  return body.data.result;
}

Deno.test({
  name: "a real Prometheus scrapes the replay's /metrics and answers queries on it",
  fn: async () => {
    await requireTool(PROMETHEUS);
    const started = performance.now();
    const root = await Deno.makeTempDir({ prefix: "opslab-prom-" });
    const hours = 12;
    await writeCapacity(join(root, "cap"), { servers: 3, hours });
    const msp = await writeMsp(join(root, "msp"));
    const sink = new PrometheusSink();
    const sources = [
      ...(await openReplay(join(root, "cap"))).sources,
      ...(await openReplay(join(root, "msp"))).sources,
    ];
    await replay(deriveHealth(mergeSources(sources)), [sink], { max: true });
    const server = await startReplayServer({ port: 0, prometheus: sink });
    const promPort = freePort();
    await Deno.writeTextFile(
      join(root, "prometheus.yml"),
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: opslab\n` +
        `    static_configs:\n      - targets: ["127.0.0.1:${server.port}"]\n`,
    );
    const child = new Deno.Command(PROMETHEUS, {
      args: [
        `--config.file=${join(root, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(root, "tsdb")}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const log = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    const logText: string[] = [];
    (async () => {
      for (;;) {
        const { value, done } = await log.read();
        if (done) return;
        logText.push(value);
      }
    })();
    try {
      let series: Awaited<ReturnType<typeof query>> = [];
      while (performance.now() - started < 25_000) {
        series = await query(promPort, "opslab_capacity_cpu_p95").catch(() => []);
        if (series.length === 3) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(series.length, 3, `Prometheus never saw the gauges; its log:\n${logText.join("").slice(-2000)}`);
      const byServer = Object.fromEntries(series.map((s) => [s.metric.server_id, Number(s.value[1])]));
      assert.deepEqual(byServer, {
        "srv-0001": cpuAt(0, hours - 1),
        "srv-0002": cpuAt(1, hours - 1),
        "srv-0003": cpuAt(2, hours - 1),
      });
      assert.equal(series[0].metric.dataset, "cap");
      assert.equal(series[0].metric.job, "opslab");
      const up = await query(promPort, `up{job="opslab"}`);
      assert.equal(up[0].value[1], "1");
      const open = await query(promPort, "sum(opslab_tickets_open)");
      const t = msp.tables.tickets;
      assert.equal(Number(open[0].value[1]), t.filter(pl.col("resolved_at").isNull()).height);
      const health = await query(promPort, "opslab_health_status");
      assert.equal(health.length, 3);
      assert.ok(performance.now() - started < 30_000, "the end-to-end test took over 30 s");
    } finally {
      child.kill("SIGTERM");
      await child.status;
      await server.shutdown();
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("baseUnit() names fields in Prometheus base units and gives the factor", async (t) => {
  const cases: [string, string, number][] = [
    ["latency_ms", "latency_seconds", 1e-3],
    ["avg_resolution_hours", "avg_resolution_seconds", 3600],
    ["overtime_hours", "overtime_seconds", 3600],
    ["target_minutes", "target_seconds", 60],
    ["error_rate_pct", "error_rate_ratio", 0.01],
    ["throughput_rps", "throughput_requests_per_second", 1],
    ["cpu_p95", "cpu_p95", 1],
    ["revenue", "revenue", 1],
  ];
  for (const [field, name, scale] of cases) {
    await t.step(field, () => {
      const got = baseUnit(field);
      assert.equal(got.name, name);
      assert.equal(got.scale, scale);
    });
  }
});

Deno.test("PrometheusSink exports no row positions, no per-event gauges and no empty label values", () => {
  const sink = new PrometheusSink();
  const event = (event: string, keyName: string, key: string, data: Record<string, number>) =>
    new ReplayEvent({ ts: T0, channel: "metrics", event, key, keyName, dataset: "d" }, data);
  sink.write(event("cloudfront_labels", "incident_id", "", { line: 618, lines: 1 }));
  sink.write(event("db_log_labels", "server_id", "srv-0001", { line: 12, lines: 3 }));
  sink.write(event("email_index", "message_id", "<a@example.com>", { body_chars: 812 }));
  sink.write(event("service_metrics", "service", "checkout", { latency_ms: 250, error_rate_pct: 2.5 }));
  const text = sink.render();
  assert.doesNotMatch(text, /=""/, "no empty label value");
  assert.doesNotMatch(text, /_line|_lines|body_chars/);
  assert.match(text, /^opslab_service_metrics_latency_seconds\{dataset="d",service="checkout"\} 0\.25$/m);
  assert.match(text, /^opslab_service_metrics_error_rate_ratio\{dataset="d",service="checkout"\} 0\.025$/m);
  assert.match(text, /^opslab_events_total\{channel="metrics",dataset="d",event="cloudfront_labels"\} 1$/m);
  assert.match(text, /^opslab_events_total\{channel="metrics",dataset="d",event="email_index"\} 1$/m);
});

Deno.test("promtool check metrics finds no problem in what deno task replay serves for generated datasets", async () => {
  const promtool = await requireTool(PROMTOOL);
  const root = await Deno.makeTempDir({ prefix: "opslab-promtool-" });
  const incidents = join(root, "incidents"), msp = join(root, "msp"), cap = join(root, "cap");
  await writeIncidentsDataset(
    IncidentsConfig.parse({
      seed: 11,
      from: "2024-03-04",
      to: "2024-03-07",
      incidents_per_week: 10,
      volumes: { cloudfront_requests_per_day: 2000, db_records_per_server_hour: 2, service_metrics_step: "15m" },
    }),
    incidents,
  );
  await writeMsp(msp);
  await writeCapacity(cap, { servers: 2, hours: 12 });
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      "--allow-read",
      "--allow-net=127.0.0.1,localhost",
      "tasks/replay.ts",
      incidents,
      msp,
      cap,
      "--max",
      "--sink",
      "prometheus",
      "--port",
      String(port),
      "--linger",
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // the task says "replay: done" on stderr once every event is in the sink (--linger: it serves on)
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  try {
    while (!log.includes("replay: done")) {
      const { value, done } = await reader.read();
      if (done) break;
      log += value;
    }
    assert.match(log, /replay: done/, `the replay task stopped early:\n${log}`);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const check = new Deno.Command(promtool, {
      args: ["check", "metrics"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    })
      .spawn();
    const writer = check.stdin.getWriter();
    await writer.write(new TextEncoder().encode(metrics));
    await writer.close();
    const out = await check.output();
    const problems = (new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr)).trim();
    assert.equal(problems, "", `promtool check metrics:\n${problems}`);
    assert.equal(out.code, 0);
    // what an operator scrapes is there: service latency in seconds, capacity gauges, ticket counters, log volumes
    assert.match(metrics, /^opslab_service_metrics_latency_seconds\{dataset="incidents",service="[^"]+"\} \S+$/m);
    assert.match(metrics, /^opslab_capacity_cpu_p95\{/m);
    assert.match(metrics, /^opslab_technician_monthly_overtime_seconds\{/m);
    assert.match(
      metrics,
      /^opslab_events_total\{channel="metrics",dataset="incidents",event="cloudfront_labels"\} \d+$/m,
    );
    assert.doesNotMatch(metrics, /=""/, "no empty label value");
    assert.doesNotMatch(metrics, /^opslab_\w*_(line|lines)[{ ]/m, "no row position as a gauge");
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await reader.cancel();
    await Deno.remove(root, { recursive: true });
  }
});
