/** The loader: dataset folders, partitioned folders, single files, CSV coercion, and unreadable input. */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import { DatasetInputError, loadForValidation, validateLoaded, validatePath } from "@lib/validate/mod.ts";
import { assertFailed, capacityDataset, CREATED, SMALL } from "./_fixtures.ts";

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) await Deno.copyFile(`${from}/${e.name}`, `${to}/${e.name}`);
}

Deno.test("loadForValidation() reads a dataset folder with its manifest and verifies checksums", async () => {
  const { dir } = await capacityDataset();
  const loaded = await loadForValidation(dir);
  assert.equal(loaded.kind, "capacity");
  assert.equal(loaded.tables.capacity.height, 21_900);
  // Its one text file (config.json) is scanned for personal data too.
  assert.deepEqual(loaded.results.map((r) => [r.id, r.passed]), [
    ["integrity.checksum", true],
    ["integrity.unlisted", true],
    ["pii.text_files", true],
  ]);
  assert.equal(loaded.outDir, dir);
});

Deno.test("a truncated Parquet file is an input error naming the file, with the checksum failing too", async () => {
  const { dir } = await capacityDataset();
  const tmp = await Deno.makeTempDir();
  await copyDir(dir, `${tmp}/cap`);
  const bytes = await Deno.readFile(`${tmp}/cap/capacity.parquet`);
  await Deno.writeFile(`${tmp}/cap/capacity.parquet`, bytes.subarray(0, bytes.length >> 1));
  const { validation } = await validatePath(`${tmp}/cap`);
  assertFailed(validation, ["input.read", "integrity.checksum"]);
  const read = validation.results.find((r) => r.id === "input.read")!;
  assert.match(read.message, /capacity\.parquet.*truncated/);
  assert.equal(read.family, "input");
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("a file that is not Parquet, and a file the manifest lists but is gone, are input errors", async (t) => {
  const { dir } = await capacityDataset();
  const tmp = await Deno.makeTempDir();
  await t.step("not Parquet", async () => {
    await copyDir(dir, `${tmp}/a`);
    await Deno.writeTextFile(`${tmp}/a/capacity.parquet`, "timestamp,server_id\n");
    const v = validateLoaded(await loadForValidation(`${tmp}/a`));
    assertFailed(v, ["input.read", "integrity.checksum"]);
    assert.match(v.results.find((r) => r.id === "input.read")!.message, /not a Parquet file/);
  });
  await t.step("missing", async () => {
    await copyDir(dir, `${tmp}/b`);
    await Deno.remove(`${tmp}/b/capacity.parquet`);
    const v = validateLoaded(await loadForValidation(`${tmp}/b`));
    assertFailed(v, ["input.read", "integrity.checksum"]);
    assert.match(v.results.find((r) => r.id === "integrity.checksum")!.message, /missing/);
  });
  await t.step("a file changed after generation fails its checksum only", async () => {
    await copyDir(dir, `${tmp}/c`);
    const cfg = JSON.parse(await Deno.readTextFile(`${tmp}/c/config.json`));
    await Deno.writeTextFile(`${tmp}/c/config.json`, JSON.stringify({ ...cfg, note: "edited" }));
    assertFailed(validateLoaded(await loadForValidation(`${tmp}/c`)), ["integrity.checksum"]);
  });
  await t.step("no such path", async () => {
    await assert.rejects(() => loadForValidation(`${tmp}/nope`), DatasetInputError);
  });
  await t.step("an empty folder", async () => {
    await Deno.mkdir(`${tmp}/empty`);
    await assert.rejects(() => loadForValidation(`${tmp}/empty`), /no manifest\.json and no Parquet or CSV files/);
  });
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("a CSV dataset is cast to the recorded dtypes and validates like its Parquet twin", async () => {
  const tmp = await Deno.makeTempDir();
  const config = resolveConfig(CapacityConfig, {
    flags: { ...SMALL, format: "csv", compress: true },
    what: "capacity",
  });
  await writeCapacityDataset(config, `${tmp}/cap`, { created: CREATED });
  const loaded = await loadForValidation(`${tmp}/cap`);
  assert.equal(String(loaded.tables.capacity.schema.year), "DataType(Int32)");
  const v = validateLoaded(loaded);
  assertFailed(v, []);
  assert.ok(v.results.some((r) => r.id === "schema.parse:year" && r.passed));
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("an external CSV with unparsable values or a wrong header fails the schema checks", async (t) => {
  const { df } = await capacityDataset();
  const tmp = await Deno.makeTempDir();
  const small = df.head(400);
  await t.step("unparsable numbers", async () => {
    small.withColumns(pl.col("cpu_p95").cast(pl.String)).withColumns(
      pl.when(pl.col("cpu_p95").eq(pl.col("cpu_p95").first())).then(pl.lit("n/a")).otherwise(pl.col("cpu_p95")).alias(
        "cpu_p95",
      ),
    ).writeCSV(`${tmp}/bad.csv`);
    const v = validateLoaded(await loadForValidation(`${tmp}/bad.csv`, { kind: "capacity" }));
    const parse = v.results.find((r) => r.id === "schema.parse:cpu_p95")!;
    assert.equal(parse.passed, false);
    assert.ok(Number(parse.measured) >= 1);
  });
  await t.step("wrong header", async () => {
    small.rename({ mem_p95: "memory" }).writeCSV(`${tmp}/header.csv`);
    const v = validateLoaded(await loadForValidation(`${tmp}/header.csv`, { kind: "capacity" }));
    assert.ok(v.results.some((r) => r.id === "schema.columns" && !r.passed && /mem_p95/.test(r.message)));
    assert.ok(v.results.some((r) => r.id === "schema.unexpected" && !r.passed && /memory/.test(r.message)));
    assert.ok(!v.results.some((r) => r.id.endsWith(".error")), "a family crashed");
  });
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("a partitioned folder without a manifest is read as one table, Hive values becoming columns", async () => {
  const { df } = await capacityDataset();
  const tmp = await Deno.makeTempDir();
  const quarters = [1, 2, 3, 4];
  for (const q of quarters) {
    await Deno.mkdir(`${tmp}/cap/q=${q}`, { recursive: true });
    df.filter(pl.col("quarter").eq(q)).writeParquet(`${tmp}/cap/q=${q}/part-0.parquet`);
  }
  const loaded = await loadForValidation(`${tmp}/cap`, { kind: "capacity" });
  assert.equal(loaded.tables.capacity.height, df.height);
  assert.ok(loaded.tables.capacity.columns.includes("q"));
  const v = validateLoaded(loaded);
  // Without a manifest there are no targets: the config-bound families say so, and the partition column is extra.
  assertFailed(v, ["schema.unexpected", "correlation.pearson", "seasonality.measures"]);
  assert.equal(v.summary.errors, 0);
  // Partitions are read one after another: each server's rows are spread over the files, still in time order.
  assert.ok(v.results.find((r) => r.id === "time.monotonic:timestamp")!.passed);
  await Deno.remove(tmp, { recursive: true });
});

Deno.test("a data file in a table's folder that the manifest does not list is reported; hidden files are not data", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const dir = `${tmp}/cap`;
    await writeCapacityDataset(
      resolveConfig(CapacityConfig, { flags: { servers: 2, years: 1, seed: 3 }, what: "capacity" }),
      dir,
      { created: CREATED },
    );
    const clean = await validatePath(dir);
    const ok = clean.validation.results.find((r) => r.id === "integrity.unlisted")!;
    assert.equal(ok.passed, true, ok.message);
    await Deno.copyFile(`${dir}/capacity.parquet`, `${dir}/capacity-extra.parquet`);
    await Deno.writeTextFile(`${dir}/.capacity.parquet.tmp-1`, "half-written");
    const { validation } = await validatePath(dir);
    const r = validation.results.find((x) => x.id === "integrity.unlisted")!;
    assert.equal(r.passed, false);
    assert.equal(r.severity, "error");
    assert.equal(r.measured, 1);
    assert.match(r.message, /capacity-extra\.parquet/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
