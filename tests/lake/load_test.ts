import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import { commitDataset, DatasetInputError, loadDataset, schemaOf, writeTable } from "@lib/lake/mod.ts";

async function dataset(dir: string): Promise<void> {
  const df = pl.DataFrame({ id: ["a", "b", "c"], v: [1.5, 2.5, 3.5] });
  await commitDataset(dir, async (tmp) => ({
    name: "tiny",
    kind: "tiny",
    layer: "synthetic",
    generator: { name: "tests", version: "1" },
    config: {},
    seed: 1,
    primary_table: "rows",
    tables: { rows: { rows: df.height, schema: schemaOf(df), files: [await writeTable(df, tmp, { name: "rows" })] } },
    classification: "internal",
    retention_days: 1,
    lineage: [],
  }), { created: new Date("2026-01-01T00:00:00Z") });
}

Deno.test("loadDataset() reads a dataset folder, or the dataset a file of it belongs to, through its manifest", async () => {
  const root = await Deno.makeTempDir({ prefix: "opslab-load-" });
  try {
    await dataset(join(root, "tiny"));
    let seen = "";
    const ds = await loadDataset(join(root, "tiny"), {
      beforeTables: (_dir, m) => Promise.resolve(void (seen = m.name)),
    });
    assert.equal(seen, "tiny");
    assert.deepEqual([ds.name, ds.kind, ds.primary, ds.outPrefix], ["tiny", "tiny", "rows", ""]);
    assert.deepEqual((ds.tables.rows as pl.DataFrame).getColumn("id").toArray(), ["a", "b", "c"]);
    assert.ok(ds.content?.startsWith("sha256:"));
    const viaFile = await loadDataset(join(root, "tiny", "rows.parquet"));
    assert.equal(viaFile.outDir, join(root, "tiny"));
    const scanned = await loadDataset(join(root, "tiny"), { inMemoryRows: 0 });
    assert.equal(scanned.tables.rows.height, 3);
    assert.ok(!(scanned.tables.rows instanceof pl.DataFrame), "a table above inMemoryRows is scanned, not read");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadDataset() casts a bare CSV to the kind's dtypes and counts what does not convert", async () => {
  const root = await Deno.makeTempDir({ prefix: "opslab-load-" });
  try {
    await Deno.writeTextFile(join(root, "x.csv"), "id,v\na,1\nb,oops\n");
    const ds = await loadDataset(join(root, "x.csv"), {
      kind: "tiny",
      primaryOf: (k) => k === "tiny" ? "rows" : undefined,
      dtypesOf: () => ({ v: "Float64" }),
    });
    assert.deepEqual([ds.primary, ds.outPrefix], ["rows", "x.csv."]);
    assert.deepEqual(ds.parsed, [{ column: "v", subject: "v", dtype: "Float64", lost: 1 }]);
    await assert.rejects(
      loadDataset(join(root, "nope"), { action: "validate" }),
      (e: Error) =>
        e instanceof DatasetInputError && /^Cannot validate ".*nope": no such file or folder$/.test(e.message),
    );
    await Deno.writeFile(join(root, "bad.parquet"), new TextEncoder().encode("not parquet"));
    const bad = await loadDataset(join(root, "bad.parquet"));
    assert.deepEqual(bad.tables, {});
    assert.match(bad.readError ?? "", /bad\.parquet/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("one loader: only lib/lake defines loadDataset, and stream scans through lake/scan.ts", async () => {
  const defs: string[] = [];
  for await (const path of walk("lib")) {
    const src = await Deno.readTextFile(path);
    if (/export\s+(async\s+)?function\s+loadDataset\b/.test(src)) defs.push(path);
    if (path === "lib/stream/source.ts") assert.doesNotMatch(src, /function scanTable\b|pl\.scanParquet\(/);
  }
  assert.deepEqual(defs, ["lib/lake/load.ts"]);
});

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* walk(path);
    else if (e.name.endsWith(".ts")) yield path;
  }
}
