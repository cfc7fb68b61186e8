import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import { commitDataset, schemaOf, writeTable } from "@lib/lake/mod.ts";
import { deriveHealth, mergeSources, openReplay, ReplayEvent } from "@lib/stream/mod.ts";
import { cpuAt, T0, writeCapacity, writeMsp } from "./_fixtures.ts";

const root = await Deno.makeTempDir({ prefix: "opslab-stream-" });
const capDir = join(root, "cap"), mspDir = join(root, "msp");
const CAP = await writeCapacity(capDir, { servers: 3, hours: 24 });
const MSP = await writeMsp(mspDir);

function all(events: Iterable<ReplayEvent>): ReplayEvent[] {
  return [...events];
}

Deno.test({
  name: "openReplay() gives one metrics event per capacity row, merged across files in time order",
  fn: async () => {
    const ds = await openReplay(capDir, { chunkRows: 10 });
    assert.equal(ds.sources.length, 1);
    const events = all(mergeSources(ds.sources));
    assert.equal(events.length, CAP.height);
    for (let i = 1; i < events.length; i++) assert.ok(events[i - 1].ts <= events[i].ts, `order at ${i}`);
    const first = JSON.parse(events[0].toJSONText());
    assert.equal(first.channel, "metrics");
    assert.equal(first.event, "capacity");
    assert.equal(first.key, "srv-0001");
    assert.equal(first.ts, "2024-01-01T00:00:00.000Z");
    assert.equal(first.data.timestamp, "2024-01-01T00:00:00.000Z");
    assert.equal(first.data.cpu_p95, cpuAt(0, 0));
    assert.equal(first.data.is_weekend, false);
    assert.equal(events[4].number("cpu_p95"), cpuAt(1, 1));
    // ties (same hour, three servers) keep file order: srv-0001, srv-0002, srv-0003
    assert.deepEqual(events.slice(0, 3).map((e) => e.key), ["srv-0001", "srv-0002", "srv-0003"]);
  },
});

Deno.test("openReplay() keeps [from, to) and rejects unknown tables", async () => {
  const from = T0 + 5 * 3_600_000, to = T0 + 8 * 3_600_000;
  const events = all(mergeSources((await openReplay(capDir, { from, to })).sources));
  assert.equal(events.length, 3 * 3);
  assert.ok(events.every((e) => e.ts >= from && e.ts < to));
  await assert.rejects(openReplay(capDir, { tables: ["nope"] }), { name: "RangeError", message: /"nope"/ });
  await assert.rejects(openReplay(join(root, "missing")), /manifest/);
});

Deno.test("openReplay() turns an MSP dataset into ticket lifecycles, technician activity and SLA alerts", async () => {
  const ds = await openReplay(mspDir);
  assert.deepEqual(ds.skipped.map((s) => s.table).sort(), ["clients", "technicians"]);
  const events = all(mergeSources(ds.sources));
  for (let i = 1; i < events.length; i++) assert.ok(events[i - 1].ts <= events[i].ts);
  const t = MSP.tables.tickets;
  const count = (event: string) => events.filter((e) => e.event === event).length;
  assert.equal(count("ticket.created"), t.height);
  assert.equal(count("ticket.assigned"), t.filter(pl.col("assigned_at").isNotNull()).height);
  assert.equal(count("ticket.resolved"), t.filter(pl.col("resolved_at").isNotNull()).height);
  assert.equal(count("technician.resolved"), count("ticket.resolved"));
  assert.equal(count("sla.breach"), MSP.tables.sla_metrics.filter(pl.col("status").eq(pl.lit("breached"))).height);
  assert.equal(count("msp.daily"), MSP.tables.service_delivery_daily.height);
  assert.equal(count("technician.monthly"), MSP.tables.technician_productivity.height);
  // each ticket's lifecycle comes in order
  const seen = new Map<string, string[]>();
  for (const e of events.filter((e) => e.channel === "tickets")) seen.set(e.key, [...(seen.get(e.key) ?? []), e.event]);
  const order = ["ticket.created", "ticket.assigned", "ticket.first_response", "ticket.resolved"];
  for (const [id, list] of seen) assert.deepEqual(list, order.slice(0, list.length), id);
  // a breach fires when the target has passed: created + target on the 24x7 clock for critical tickets
  const created = new Map(events.filter((e) => e.event === "ticket.created").map((e) => [e.key, e.ts]));
  const breaches = events.filter((e) => e.event === "sla.breach");
  assert.ok(breaches.length > 0, "no breaches in the fixture");
  for (const b of breaches) {
    const d = b.data as { calendar: string; target_minutes: number; actual_minutes: number | null };
    if (d.calendar === "24x7") assert.equal(b.ts, created.get(b.key)! + d.target_minutes * 60_000);
    assert.ok(b.ts >= created.get(b.key)!);
    if (d.actual_minutes !== null) assert.ok(d.actual_minutes > d.target_minutes);
  }
});

Deno.test("mergeSources() merges datasets deterministically", async () => {
  const run = async () =>
    all(mergeSources([...(await openReplay(capDir)).sources, ...(await openReplay(mspDir)).sources]))
      .map((e) => e.toJSONText());
  const a = await run(), b = await run();
  assert.deepEqual(a, b);
  const ts = a.map((l) => Date.parse(JSON.parse(l).ts));
  for (let i = 1; i < ts.length; i++) assert.ok(ts[i - 1] <= ts[i]);
  assert.ok(a.some((l) => l.includes('"dataset":"cap"')) && a.some((l) => l.includes('"dataset":"msp"')));
});

/** SHA-256 of a replay's NDJSON (health events included), as hex. */
async function ndjsonHash(dir: string, options: { windowRows?: number } = {}) {
  const ds = await openReplay(dir, options);
  const text = [...deriveHealth(mergeSources(ds.sources))].map((e) => e.toJSONText() + "\n").join("");
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return {
    ds,
    lines: text.split("\n").length - 1,
    hash: Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join(""),
  };
}

Deno.test("openReplay() reads a long table in time windows, with the very NDJSON of one sort of the whole table", async () => {
  // 5 servers x 50 hours in two files split by server: no file is in time order
  const dir = join(root, "cap-windows");
  await writeCapacity(dir, { servers: 5, hours: 50 });
  // the NDJSON the replay gave when it sorted whole tables in memory (recorded once with that implementation)
  const before = { lines: 343, hash: "aa8244f87e57c63a41d3c68d31836665c1621f24cb05b89bd50beb69595c14f1" };
  for (const windowRows of [7, 60, 250_000]) {
    const { ds, lines, hash } = await ndjsonHash(dir, { windowRows });
    assert.deepEqual({ lines, hash }, before, `windowRows ${windowRows}`);
    const [source] = ds.sources;
    assert.equal(source.windows!.reduce((a, b) => a + b, 0), 250);
    // ties (5 servers an hour) stay in one window: at most 5 events more than asked
    assert.ok(source.largestWindow! <= Math.max(windowRows, 5), `largest window ${source.largestWindow}`);
    if (windowRows < 250) assert.ok(source.windows!.length >= 250 / Math.max(windowRows, 5), "read whole");
    else assert.equal(source.windows!.length, 1);
  }
  const msp = { lines: 521, hash: "11ce9df1ddebbb39abccd02c62785536047f944dd045090647c71358e9a2a9d8" };
  for (const windowRows of [50, 250_000]) {
    const { lines, hash } = await ndjsonHash(mspDir, { windowRows });
    assert.deepEqual({ lines, hash }, msp, `msp, windowRows ${windowRows}`);
  }
  await assert.rejects(openReplay(dir, { windowRows: 0 }), RangeError);
});

Deno.test("openReplay() writes list columns as JSON arrays", async () => {
  const dir = join(root, "lists");
  const df = pl.DataFrame({
    at: pl.Series("at", [T0 + 2000, T0, T0 + 1000]).cast(pl.Datetime("ms", "UTC")),
    incident_id: ["inc-3", "inc-1", "inc-2"],
    services: pl.Series("services", [["a", 'quote "q"'], [], null], pl.List(pl.String)),
    counts: pl.Series("counts", [[1, 2], [3], [null]], pl.List(pl.Int64)),
  });
  await commitDataset(dir, async (tmp) => ({
    name: "lists",
    kind: "incidents",
    layer: "synthetic",
    generator: { name: "tests", version: "1" },
    config: {},
    seed: 1,
    primary_table: "incidents",
    tables: { incidents: { rows: 3, schema: schemaOf(df), files: [await writeTable(df, tmp, { name: "incidents" })] } },
    classification: "internal",
    retention_days: 1,
    lineage: [],
  }));
  const events = all(mergeSources((await openReplay(dir)).sources)).map((e) => JSON.parse(e.toJSONText()));
  assert.deepEqual(events.map((e) => e.key), ["inc-1", "inc-2", "inc-3"]);
  assert.deepEqual(events.map((e) => e.data.services), [[], null, ["a", 'quote "q"']]);
  assert.deepEqual(events.map((e) => e.data.counts), [[3], [null], [1, 2]]);
});

Deno.test("deriveHealth() emits a health event when a server's state changes", () => {
  const cpu = [70, 72, 85, 95, 96, 50];
  const events = cpu.map((c, i) =>
    new ReplayEvent(
      { ts: T0 + i * 1000, channel: "metrics", event: "capacity", key: "srv-1", keyName: "server_id", dataset: "x" },
      { cpu_p95: c, mem_p95: 10 },
    )
  );
  const out = all(deriveHealth(events));
  const health = out.filter((e) => e.channel === "system_health").map((e) => e.data.status);
  assert.deepEqual(health, ["ok", "warning", "critical", "ok"]);
  assert.equal(out.length, cpu.length + 4);
  const critical = out.find((e) => e.data.status === "critical")!;
  assert.deepEqual(critical.data.reasons, ["cpu_p95 >= 90"]);
  assert.equal(critical.data.previous, "warning");
});

Deno.test({
  name: "stream fixtures are removed",
  fn: async () => {
    await Deno.remove(root, { recursive: true });
  },
});
