import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import pl from "nodejs-polars";
import { type LabeledLines, LabelPartWriter, LogFileWriter, writeParts } from "@lib/lake/mod.ts";

function batch(file: string, first: number, n: number, last: boolean): LabeledLines {
  const text = Array.from({ length: n }, (_, i) => `line ${first + i}\n`).join("");
  return {
    file,
    text,
    records: n,
    t: Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + (first + i) * 1000),
    line: Int32Array.from({ length: n }, (_, i) => first + i + 1),
    lines: new Uint16Array(n).fill(1),
    incident: Int32Array.from({ length: n }, (_, i) => (first + i) % 3 === 0 ? 0 : -1),
    level: Uint8Array.from({ length: n }, (_, i) => (first + i) % 2),
    meta: { host: "db-01" },
    last,
  };
}

async function write(root: string, file: string, sizes: number[]): Promise<Uint8Array> {
  const files = new LogFileWriter(root);
  let first = 0;
  for (const [k, n] of sizes.entries()) {
    await files.write(batch(file, first, n, k === sizes.length - 1));
    first += n;
  }
  files.close();
  return await Deno.readFile(join(root, file));
}

Deno.test("LogFileWriter writes the same bytes however the lines are batched, gzip included", async () => {
  const root = await Deno.makeTempDir({ prefix: "opslab-logs-" });
  try {
    for (const file of ["a/x.log", "b/x.log.gz"]) {
      const one = await write(join(root, "one"), file, [30]);
      const three = await write(join(root, "three"), file, [7, 1, 22]);
      assert.deepEqual(three, one, file);
      const text = new TextDecoder().decode(file.endsWith(".gz") ? gunzipSync(one) : one);
      assert.equal(text.split("\n").length - 1, 30);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("LabelPartWriter writes label rows as Parquet parts with names, levels and ids from its dictionaries", async () => {
  const root = await Deno.makeTempDir({ prefix: "opslab-labels-" });
  try {
    const labels = new LabelPartWriter(root, {
      name: "x_labels",
      ids: ["inc-0001"],
      metaColumns: ["host"],
      levels: ["INFO", "ERROR"],
      partRows: 3, // a part is cut at the first batch end at or past 3 rows
    });
    await labels.add(batch("a.log", 0, 3, false));
    await labels.add(batch("a.log", 3, 3, true));
    const table = await labels.finish();
    assert.deepEqual(table.files, ["labels/x_labels-00000.parquet", "labels/x_labels-00001.parquet"]);
    assert.equal(table.rows, 6);
    const df = pl.concat(table.files.map((f) => pl.readParquet(join(root, f))));
    assert.deepEqual(df.columns, Object.keys(table.schema));
    assert.deepEqual(df.getColumn("incident_id").toArray(), ["inc-0001", null, null, "inc-0001", null, null]);
    assert.deepEqual(df.getColumn("level").toArray(), ["INFO", "ERROR", "INFO", "ERROR", "INFO", "ERROR"]);
    assert.deepEqual(df.getColumn("host").toArray(), Array(6).fill("db-01"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("writeParts() writes one numbered part per frame and reports rows", async () => {
  const root = await Deno.makeTempDir({ prefix: "opslab-parts-" });
  try {
    const seen: number[] = [];
    const frames = [pl.DataFrame({ a: [1, 2] }), pl.DataFrame({ a: [3] })];
    const t = await writeParts(root, frames, { folder: "m", name: "t", onRows: (n) => seen.push(n) });
    assert.deepEqual([t.files, t.rows, t.schema, seen], [["m/t-00000.parquet", "m/t-00001.parquet"], 3, {
      a: "Float64",
    }, [2, 1]]);
    const empty = await writeParts(root, [], { folder: "m", name: "e", emptySchema: () => ({ a: "Int64" }) });
    assert.deepEqual([empty.files, empty.rows, empty.schema], [[], 0, { a: "Int64" }]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
