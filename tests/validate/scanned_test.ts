/**
 * Validation of large tables by lazy scans: a table above `inMemoryRows` is a ScannedTable, checked file by file
 * where whole entities matter and by streaming aggregations elsewhere, and every check must come out exactly as
 * it does with the table in memory.
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import { AnomaliesConfig, writeAnomaliesDataset } from "@lib/generate/anomalies/mod.ts";
import { MspConfig, writeMspDataset } from "@lib/generate/msp/mod.ts";
import { ScannedTable } from "@lib/lake/mod.ts";
import { loadForValidation, validateLoaded } from "@lib/validate/mod.ts";
import type { CheckResult } from "@lib/validate/types.ts";
import { capacityDataset, CREATED } from "./_fixtures.ts";

const EVERYTHING = Number.MAX_SAFE_INTEGER;

/** Loads a path both ways and validates each: in memory, then scanned. */
async function bothWays(path: string, kind?: string) {
  const memory = await loadForValidation(path, { kind, inMemoryRows: EVERYTHING });
  const scanned = await loadForValidation(path, { kind, inMemoryRows: 0 });
  return {
    memory,
    scanned,
    inMemory: validateLoaded(memory, { validated: CREATED }),
    lazily: validateLoaded(scanned, { validated: CREATED }),
  };
}

/** Runs a test body in a fresh temp folder, removed afterwards. */
async function inTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "opslab-scanned-" });
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function same(a: CheckResult[], b: CheckResult[]): void {
  const key = (r: CheckResult) => `${r.id} ${r.passed} ${r.measured} ${r.message}`;
  assert.deepEqual(b.map(key), a.map(key));
}

Deno.test("a partitioned capacity dataset validates the same scanned, file by file, as in memory", async () => {
  await inTempDir(async (dir) => {
    // 40 servers hourly for a year, 3 servers a file: 14 part files.
    const config = resolveConfig(CapacityConfig, {
      // Textbook: the test asserts no failed check at all, and a realistic 40-server year does not show every
      // configured cycle clearly enough for the autocorrelation warnings (see tests/validate/_fixtures.ts).
      flags: { servers: 40, years: 1, granularity: "hourly", rows_per_file: 3 * 8760, seed: 5, preset: "textbook" },
      what: "capacity",
    });
    await writeCapacityDataset(config, `${dir}/capacity`, { created: CREATED });
    const { memory, scanned, inMemory: a, lazily: b } = await bothWays(`${dir}/capacity`);
    assert.ok(scanned.tables.capacity instanceof ScannedTable, "scanned above inMemoryRows");
    assert.equal((scanned.tables.capacity as ScannedTable).files.length, 14);
    assert.ok(!(memory.tables.capacity instanceof ScannedTable));
    assert.equal(b.rows, 350_400);
    assert.equal(b.summary.failed, 0, b.results.filter((r) => !r.passed).map((r) => r.message).join("; "));
    same(a.results, b.results);
  });
});

Deno.test("anomaly labels and a multi-table MSP dataset validate the same scanned as in memory", async () => {
  await inTempDir(async (dir) => {
    const anomalies = resolveConfig(AnomaliesConfig, {
      flags: { series: 200, points: 1440, rows_per_file: 50_000, seed: 3 },
      what: "anomalies",
    });
    await writeAnomaliesDataset(anomalies, `${dir}/anomalies`, { created: CREATED });
    const ano = await bothWays(`${dir}/anomalies`);
    assert.ok((ano.scanned.tables.points as ScannedTable).files.length > 1, "points in several part files");
    assert.ok(ano.lazily.results.some((r) => r.family === "anomalies"), "the anomaly family ran");
    same(ano.inMemory.results, ano.lazily.results);
    assert.equal(
      ano.lazily.summary.failed,
      0,
      ano.lazily.results.filter((r) => !r.passed).map((r) => r.message).join("; "),
    );

    const msp = resolveConfig(MspConfig, { flags: { clients: 12, technicians: 5, seed: 4 }, what: "msp" });
    await writeMspDataset(msp, `${dir}/msp`, { created: CREATED });
    const desk = await bothWays(`${dir}/msp`);
    assert.ok(Object.values(desk.scanned.tables).every((t) => t instanceof ScannedTable));
    same(desk.inMemory.results, desk.lazily.results);
    assert.equal(desk.lazily.summary.failed, 0);
  });
});

Deno.test("a server split across two files: repeated keys and gaps are still found when scanned", async () => {
  await inTempDir(async (dir) => {
    const { df } = await capacityDataset({ servers: 30, years: 1, seed: 9 });
    const first = String(df.getColumn("server_id").get(0));
    const rows = df.withRowIndex("__i");
    const ofFirst = pl.col("server_id").eq(pl.lit(first));
    // File a: every other server, and the first server's first 200 days; file b: the first server's days from
    // 200 on, its day 199 repeated, its day 250 dropped.
    const a = rows.filter(ofFirst.not().or(pl.col("__i").lt(200))).drop("__i");
    const b = rows.filter(ofFirst.and(pl.col("__i").gtEq(199)).and(pl.col("__i").neq(250))).drop("__i");
    await Deno.mkdir(`${dir}/split`);
    a.writeParquet(`${dir}/split/a.parquet`);
    b.writeParquet(`${dir}/split/b.parquet`);
    const { scanned, inMemory: m, lazily: s } = await bothWays(`${dir}/split`, "capacity");
    assert.equal((scanned.tables.capacity as ScannedTable).files.length, 2);
    const failed = (v: typeof s) => v.results.filter((r) => !r.passed).map((r) => `${r.id}=${r.measured}`);
    assert.ok(failed(s).includes("uniqueness.key=1"), failed(s).join(", "));
    assert.ok(failed(s).includes("completeness.gaps=1"), failed(s).join(", "));
    same(m.results, s.results);
  });
});

Deno.test("Hive folders without a manifest are scanned by one glob and validate the same as in memory", async () => {
  await inTempDir(async (dir) => {
    const { df } = await capacityDataset({ servers: 30, years: 1, seed: 11 });
    // area=<region>/type=<server type>/: each server in exactly one folder.
    const keys = df.select("region", "server_type").unique().sort(["region", "server_type"]).toRecords();
    for (const k of keys) {
      const folder = `${dir}/hive/area=${k.region}/type=${k.server_type}`;
      await Deno.mkdir(folder, { recursive: true });
      df.filter(pl.col("region").eq(pl.lit(k.region)).and(pl.col("server_type").eq(pl.lit(k.server_type))))
        .writeParquet(`${folder}/part-0.parquet`);
    }
    const { memory, scanned, inMemory: m, lazily: s } = await bothWays(`${dir}/hive`, "capacity");
    const table = scanned.tables.capacity as ScannedTable;
    assert.equal(table.files.length, keys.length);
    assert.equal(table.glob, `${dir}/hive/**/*.parquet`);
    assert.deepEqual(table.columns, memory.tables.capacity.columns, "the Hive columns come last, as Strings");
    assert.equal(String(table.schema.type), String(pl.String));
    same(m.results, s.results);
    // Folders naming a column the files hold (region=): the files' values win, so no glob either.
    for (const region of [...new Set(keys.map((k) => String(k.region)))]) {
      await Deno.mkdir(`${dir}/shadow/region=${region}`, { recursive: true });
      df.filter(pl.col("region").eq(pl.lit(region))).writeParquet(`${dir}/shadow/region=${region}/part-0.parquet`);
    }
    const shadow = await loadForValidation(`${dir}/shadow`, { kind: "capacity", inMemoryRows: 0 });
    assert.equal((shadow.tables.capacity as ScannedTable).glob, undefined);
    assert.deepEqual(shadow.tables.capacity.columns, df.columns);
    // A stray file the loader does not read (hidden) keeps the glob from being used: the files are stacked.
    await Deno.writeFile(`${dir}/hive/.stray.parquet`, await Deno.readFile(table.files[0].path));
    const stacked = (await loadForValidation(`${dir}/hive`, { kind: "capacity", inMemoryRows: 0 })).tables.capacity;
    assert.equal((stacked as ScannedTable).glob, undefined);
    same(
      m.results,
      validateLoaded(await loadForValidation(`${dir}/hive`, { kind: "capacity", inMemoryRows: 0 }), {
        validated: CREATED,
      }).results,
    );
  });
});

Deno.test("files in time order with gaps, null servers and rows off the range: the same time checks scanned", async () => {
  await inTempDir(async (dir) => {
    // The time index of files in order is built file by file as stored; of a file out of order, by sorting it per
    // query. Both must find what the table in memory shows.
    const { df } = await capacityDataset({ servers: 30, years: 1, seed: 9 });
    const ids = df.getColumn("server_id").unique().sort().toArray() as string[];
    const files = [ids.slice(0, 10), ids.slice(10, 20), ids.slice(20)].map((s) =>
      df.filter(pl.col("server_id").isIn(s)).withRowIndex("__i")
    );
    const [a, b, c] = files;
    const late = (f: pl.DataFrame) =>
      f.tail(2).withColumns(pl.col("timestamp").cast(pl.Int64).add(3 * 86_400_000).cast(pl.Datetime("ms", "UTC")));
    const parts = [
      // The first server starts 40 days late; every 97th day of the others is missing.
      a.filter(pl.col("server_id").neq(pl.lit(ids[0])).or(pl.col("__i").gtEq(40))).filter(
        pl.col("__i").modulo(97).neq(50),
      ),
      // Three rows without a server.
      b.withColumns(
        pl.when(pl.col("__i").isIn([5, 900, 2000])).then(pl.lit(null)).otherwise(pl.col("server_id"))
          .alias("server_id"),
      ),
      // Two rows after the declared range.
      pl.concat([c, late(c)]),
    ].map((f) => f.drop("__i"));
    await Deno.mkdir(`${dir}/ordered`);
    parts.forEach((f, i) => f.writeParquet(`${dir}/ordered/part-${i}.parquet`));
    const config = (await capacityDataset({ servers: 30, years: 1, seed: 9 })).manifest.config;
    await Deno.writeTextFile(`${dir}/ordered.json`, JSON.stringify(config));
    const failed = (v: { results: CheckResult[] }) =>
      v.results.filter((r) => !r.passed && r.family !== "correlation" && r.family !== "seasonality").map((r) =>
        `${r.id}=${r.measured}`
      );
    const validate = async (path: string, inMemoryRows: number) =>
      validateLoaded(await loadForValidation(path, { kind: "capacity", inMemoryRows }), {
        validated: CREATED,
        config,
      });
    const m = await validate(`${dir}/ordered`, EVERYTHING), s = await validate(`${dir}/ordered`, 0);
    for (
      const id of [
        "completeness.gaps",
        "completeness.null_rate:server_id",
        "time.coverage:timestamp",
        "time.range:timestamp",
      ]
    ) {
      assert.ok(failed(s).some((f) => f.startsWith(`${id}=`)), `${id} in ${failed(s).join(", ")}`);
    }
    same(m.results, s.results);
    assert.deepEqual(s.results.map((r) => r.failing_rows), m.results.map((r) => r.failing_rows));
    // One file out of time order: sorted per query instead, the same results.
    await Deno.mkdir(`${dir}/shuffled`);
    parts.forEach((f, i) =>
      (i === 1 ? f.sample({ frac: 1, shuffle: true, seed: 3 }) : f).writeParquet(`${dir}/shuffled/part-${i}.parquet`)
    );
    const ms = await validate(`${dir}/shuffled`, EVERYTHING), ss = await validate(`${dir}/shuffled`, 0);
    assert.ok(failed(ss).some((f) => f.startsWith("time.monotonic:timestamp=")), failed(ss).join(", "));
    same(ms.results, ss.results);
  });
});
