import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { runGenerate } from "./_generate.ts";
import pl from "nodejs-polars";
import { commitDataset, type Manifest, readManifest, scanTable, schemaOf, writeTable } from "@lib/lake/mod.ts";
import {
  generateMsp,
  mergeMspShards,
  MSP_TABLES,
  MspConfig,
  type MspTables,
  writeMspShard,
} from "@lib/generate/msp/mod.ts";
import { validateMspTables } from "@lib/validate/mod.ts";

const KEYS: Record<(typeof MSP_TABLES)[number], string[]> = {
  clients: ["client_id"],
  technicians: ["technician_id"],
  tickets: ["ticket_id"],
  sla_metrics: ["ticket_id", "sla_type"],
  service_delivery_daily: ["date"],
  technician_productivity: ["technician_id", "period"],
};

const SMALL = { clients: 16, technicians: 8, desks: 4, start: "2024-01-01", end: "2024-03-31" };

/** Writes an unsharded dataset the way `deno task generate msp` does. */
async function writeWhole(config: MspConfig, dir: string): Promise<Manifest> {
  const { tables, stats } = generateMsp(config);
  return await commitDataset(dir, async (tmp) => {
    const entries: Record<string, { rows: number; schema: Record<string, string>; files: string[] }> = {};
    for (const name of MSP_TABLES) {
      entries[name] = {
        rows: tables[name].height,
        schema: schemaOf(tables[name]),
        files: [await writeTable(tables[name], tmp, { name: name })],
      };
    }
    return {
      name: config.name,
      kind: "msp",
      layer: "synthetic",
      generator: { name: "opslab/generate/msp", version: "1" },
      config: config as unknown as Record<string, unknown>,
      seed: config.seed,
      primary_table: "tickets",
      tables: entries,
      classification: config.classification,
      retention_days: config.retention_days,
      lineage: [],
      stats,
    };
  });
}

function readAll(dir: string, manifest: Manifest): MspTables {
  return Object.fromEntries(
    MSP_TABLES.map((t) => [t, scanTable(dir, manifest, { table: t }).sort(KEYS[t]).collectSync()]),
  ) as MspTables;
}

function assertSameTables(a: MspTables, b: MspTables): void {
  for (const t of MSP_TABLES) {
    assert.ok(a[t].height > 0, `${t} has rows`);
    assert.ok(a[t].frameEqual(b[t]), `${t}: same rows`);
  }
}

Deno.test("one desk is the unsharded desk of old, and desks split clients and technicians", () => {
  const one = generateMsp(MspConfig.parse({ ...SMALL, desks: 1 })).tables;
  assert.equal(one.tickets.getColumn("ticket_id").get(0), "TKT-000001");
  const four = generateMsp(MspConfig.parse(SMALL)).tables;
  assert.ok(one.clients.select("client_id", "name").frameEqual(four.clients.select("client_id", "name")));
  // A desk's tickets are worked only by its own technicians (clients 1-4 and technicians 1-2 are desk 1).
  const desk1 = four.tickets.filter(
    pl.col("client_id").ltEq(pl.lit("client-0004")).and(
      pl.col("technician_id").isNotNull(),
    ),
  );
  assert.ok(desk1.height > 0);
  assert.deepEqual([...new Set(desk1.getColumn("technician_id").toArray())].sort(), ["tech-001", "tech-002"]);
  assert.match(String(desk1.getColumn("ticket_id").get(0)), /^TKT-001-\d{6}$/);
  assert.throws(() => MspConfig.parse({ ...SMALL, desks: 9 }), /desks/);
});

Deno.test("the union of MSP shards (ranges of desks) equals the unsharded dataset, table for table", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    for (const [desks, count] of [[4, 3], [2, 3]]) {
      await t.step(`${desks} desks in ${count} shards`, async () => {
        const config = MspConfig.parse({ ...SMALL, desks });
        const whole = await writeWhole(config, join(dir, `whole-${desks}`));
        const sharded = join(dir, `sharded-${desks}`);
        for (let index = 0; index < count; index++) await writeMspShard(config, sharded, { shard: { index, count } });
        const { manifest, results } = await mergeMspShards(sharded);
        assert.equal(manifest.shard, undefined);
        assert.match(manifest.lineage.at(-1)?.relation ?? "", new RegExp(`merged from ${count} shards`));
        await assert.rejects(() => Deno.stat(`${sharded}.shards`), Deno.errors.NotFound);
        for (const name of MSP_TABLES) assert.equal(manifest.tables[name].rows, whole.tables[name].rows, name);
        const a = readAll(join(dir, `whole-${desks}`), whole), b = readAll(sharded, manifest);
        assertSameTables(a, b);
        assert.deepEqual(results.filter((r) => !r.passed && r.severity === "error").map((r) => r.id), []);
        // The merged dataset, read back from its part files, passes the validator's checks too.
        const back = validateMspTables(b).filter((r) => !r.passed && r.severity === "error");
        assert.deepEqual(back.map((r) => r.id), []);
        const { shards: _s, ...stats } = manifest.stats ?? {};
        const { checks_passed: _p, checks_failed: _f, bursts: _b, ...wholeStats } = whole.stats ?? {};
        assert.deepEqual(
          Object.fromEntries(Object.keys(wholeStats).map((k) => [k, stats[k]])),
          wholeStats,
          "stats equal the unsharded run's",
        );
        // Any Parquet reader sees one table per folder of part files.
        const globbed = pl.scanParquet(join(sharded, "tickets", "*.parquet")).select(pl.len()).collectSync();
        assert.equal(Number(globbed.row(0)[0]), whole.tables.tickets.rows);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mergeMspShards() refuses missing shards and shards of another seed, and leaves nothing half-merged", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const config = MspConfig.parse({ ...SMALL, end: "2024-01-31" });
    await writeMspShard(config, join(dir, "d"), { shard: { index: 1, count: 2 } });
    await assert.rejects(() => mergeMspShards(join(dir, "d")), /missing shard 0\/2/);
    await writeMspShard({ ...config, seed: 9 }, join(dir, "d"), { shard: { index: 0, count: 2 } });
    await assert.rejects(() => mergeMspShards(join(dir, "d")), /another config, seed or generator/);
    await assert.rejects(() => Deno.stat(join(dir, "d")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("generate msp --workers 2 runs two shard processes and merges them into the unsharded dataset", async () => {
  const out = await Deno.makeTempDir();
  try {
    const flags = ["--clients", "16", "--technicians", "8", "--desks", "4", "--end", "2024-02-29"];
    const run = await runGenerate(out, "msp", [...flags, "--workers", "2", "--output", join(out, "d"), "--stats"]);
    assert.equal(run.code, 0, run.stderr);
    const manifest = await readManifest(join(out, "d"));
    assert.match(manifest.lineage.at(-1)?.relation ?? "", /merged from 2 shards/);
    const config = MspConfig.parse({ ...SMALL, end: "2024-02-29" });
    const whole = await writeWhole(config, join(out, "w"));
    assertSameTables(readAll(join(out, "w"), whole), readAll(join(out, "d"), manifest));
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
