import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { runGenerate } from "./_generate.ts";
import pl from "nodejs-polars";
import {
  databaseServers,
  IncidentsConfig,
  mergeIncidentsShards,
  planIncidents,
  writeIncidentsDataset,
} from "@lib/generate/incidents/mod.ts";
import { type Manifest, readManifest, scanTable } from "@lib/lake/mod.ts";

/** A few days, light volumes, dense in incidents; 16 servers give few database servers (a shard may get none). */
const INPUT = {
  seed: 11,
  from: "2024-03-04",
  to: "2024-03-07",
  servers: 16,
  incidents_per_week: 21,
  volumes: {
    cloudfront_requests_per_day: 1500,
    db_records_per_server_hour: 4,
    tickets_per_day: 6,
    emails_per_day: 3,
    service_metrics_step: "15m",
  },
} as const;
const CONFIG = IncidentsConfig.parse(INPUT);
const CREATED = new Date("2024-04-01T00:00:00Z");

/** Sort keys of every table: unique per row. */
const KEYS: Record<string, string[]> = {
  incidents: ["incident_id"],
  capacity_metrics: ["server_id", "timestamp"],
  service_metrics: ["service", "timestamp"],
  metric_anomalies: ["incident_id", "table", "target", "anomaly"],
  db_log_labels: ["file", "line"],
  cloudfront_labels: ["file", "line"],
  email_index: ["message_id"],
  tickets: ["ticket_id"],
};

/** Paths and bytes of the files that are not tables (logs, .eml), hex-free: compared as text of bytes. */
async function rawFiles(dir: string, manifest: Manifest): Promise<Map<string, Uint8Array>> {
  const tableFiles = new Set(Object.values(manifest.tables).flatMap((t) => t.files));
  const out = new Map<string, Uint8Array>();
  for (const f of manifest.files) {
    if (tableFiles.has(f.path) || f.path === "config.json") continue;
    out.set(f.path, await Deno.readFile(join(dir, f.path)));
  }
  return out;
}

function assertSameTables(a: { dir: string; manifest: Manifest }, b: { dir: string; manifest: Manifest }): void {
  assert.deepEqual(Object.keys(b.manifest.tables), Object.keys(a.manifest.tables));
  for (const [table, t] of Object.entries(a.manifest.tables)) {
    const key = KEYS[table];
    assert.ok(key, `a sort key for ${table}`);
    assert.equal(b.manifest.tables[table].rows, t.rows, `${table}: rows`);
    assert.deepEqual(b.manifest.tables[table].schema, t.schema, `${table}: schema`);
    const x = scanTable(a.dir, a.manifest, { table: table }).sort(key).collectSync();
    const y = scanTable(b.dir, b.manifest, { table: table }).sort(key).collectSync();
    assert.ok(t.rows > 0, `${table} has rows (the test would prove nothing)`);
    assert.ok(x.frameEqual(y), `${table}: same rows`);
  }
}

async function assertSameRawFiles(
  a: { dir: string; manifest: Manifest },
  b: { dir: string; manifest: Manifest },
): Promise<void> {
  const fa = await rawFiles(a.dir, a.manifest), fb = await rawFiles(b.dir, b.manifest);
  assert.deepEqual([...fb.keys()].sort(), [...fa.keys()].sort(), "same log and .eml paths");
  assert.ok([...fa.keys()].some((p) => p.startsWith("db_logs/")), "database logs present");
  assert.ok([...fa.keys()].some((p) => p.startsWith("cloudfront/")), "CloudFront logs present");
  assert.ok([...fa.keys()].some((p) => p.endsWith(".eml")), "e-mails present");
  for (const [path, bytes] of fa) assert.deepEqual(fb.get(path), bytes, `${path}: same bytes`);
}

/** Stats without the timings (they measure the run, not the data). */
function withoutTimings(stats: Record<string, unknown> | undefined): unknown {
  const { shards: _s, modalities, ...rest } = stats ?? {};
  const per = Object.fromEntries(
    Object.entries((modalities ?? {}) as Record<string, Record<string, unknown>>).map((
      [k, { seconds: _t, units_per_second: _r, ...m }],
    ) => [k, m]),
  );
  return { ...rest, modalities: per };
}

Deno.test("the union of incidents shards equals the unsharded dataset: every table, every log and e-mail, stats", async () => {
  const root = await Deno.makeTempDir({ prefix: "opslab-incidents-shard-" });
  try {
    // Some shard gets no database server: its empty table must still merge (shard 0 describes the columns).
    assert.ok(databaseServers(planIncidents(CONFIG).fleet).length < 6, "few database servers");
    const whole = { dir: join(root, "whole"), manifest: await writeIncidentsDataset(CONFIG, join(root, "whole")) };
    const sharded = join(root, "sharded");
    const shards = [];
    for (let index = 0; index < 3; index++) {
      shards.push(await writeIncidentsDataset(CONFIG, sharded, { shard: { index, count: 3 }, created: CREATED }));
    }
    // Every shard does a share of the split modalities; only shard 0 writes the incidents, e-mails and tickets.
    for (const table of ["capacity_metrics", "service_metrics", "cloudfront_labels"]) {
      for (const s of shards) assert.ok(s.tables[table].rows > 0, `shard ${s.shard?.index} has ${table} rows`);
    }
    assert.deepEqual(shards.map((s) => s.tables.incidents.rows > 0), [true, false, false]);
    const merged = { dir: sharded, manifest: await mergeIncidentsShards(sharded, CREATED) };
    await assert.rejects(() => Deno.stat(`${sharded}.shards`), Deno.errors.NotFound);
    assert.equal(merged.manifest.rows, whole.manifest.rows);
    assert.equal(merged.manifest.shard, undefined);
    assertSameTables(whole, merged);
    await assertSameRawFiles(whole, merged);
    assert.deepEqual(withoutTimings(merged.manifest.stats), withoutTimings(whole.manifest.stats), "stats add up");
    // Any Parquet reader sees a table as one: a glob over its part files.
    const globbed = pl.scanParquet(join(sharded, "metrics", "capacity_metrics-*.parquet")).select(pl.len())
      .collectSync();
    assert.equal(Number(globbed.row(0)[0]), whole.manifest.tables.capacity_metrics.rows);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("generate incidents --workers 2 runs two shard processes and merges them into the unsharded dataset", async () => {
  const root = await Deno.makeTempDir({ prefix: "opslab-incidents-workers-" });
  try {
    const out = join(root, "d");
    const run = await runGenerate(root, "incidents", [
      ...["--seed", "11", "--from", INPUT.from, "--to", INPUT.to, "--servers", "16"],
      ...["--incidents-per-week", "21", "--cloudfront-requests-per-day", "1500"],
      ...["--db-records-per-server-hour", "4", "--modalities", "metrics,db_logs,cloudfront,emails"],
      ...["--workers", "2", "--output", out],
    ]);
    assert.equal(run.code, 0, run.stderr);
    const manifest = await readManifest(out);
    assert.match(manifest.lineage.at(-1)?.relation ?? "", /merged from 2 shards/);
    const bad = await runGenerate(root, "incidents", ["--shard", "3/3", "--output", join(root, "x")]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--shard: Invalid shard "3\/3"/);
    const config = IncidentsConfig.parse({
      ...INPUT,
      volumes: { cloudfront_requests_per_day: 1500, db_records_per_server_hour: 4 },
      modalities: ["metrics", "db_logs", "cloudfront", "emails"],
    });
    const wholeDir = join(root, "whole");
    const whole = { dir: wholeDir, manifest: await writeIncidentsDataset(config, wholeDir) };
    assertSameTables(whole, { dir: out, manifest });
    await assertSameRawFiles(whole, { dir: out, manifest });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("mergeIncidentsShards() refuses a missing shard and leaves the shards as they were", async () => {
  const root = await Deno.makeTempDir({ prefix: "opslab-incidents-missing-" });
  try {
    const config = IncidentsConfig.parse({ ...INPUT, modalities: ["db_logs", "cloudfront"] });
    const dir = join(root, "d");
    for (const index of [0, 2]) await writeIncidentsDataset(config, dir, { shard: { index, count: 3 } });
    const before = await Deno.readTextFile(join(`${dir}.shards`, "part-0-of-3", "manifest.json"));
    await assert.rejects(() => mergeIncidentsShards(dir), /missing shard 1\/3/);
    await assert.rejects(() => Deno.stat(dir), Deno.errors.NotFound, "nothing half-merged");
    assert.equal(await Deno.readTextFile(join(`${dir}.shards`, "part-0-of-3", "manifest.json")), before);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
