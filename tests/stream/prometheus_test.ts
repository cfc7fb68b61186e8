import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { deriveHealth, mergeSources, openReplay, PrometheusSink, replay, startReplayServer } from "@lib/stream/mod.ts";
import { cpuAt, ev, T0, writeCapacity, writeMsp } from "./_fixtures.ts";
import pl from "nodejs-polars";

const PROMETHEUS = "/usr/bin/prometheus";

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
  ignore: !(await Deno.stat(PROMETHEUS).then(() => true, () => false)),
  fn: async () => {
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
