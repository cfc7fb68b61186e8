import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import {
  assertBalanced,
  commitIngest,
  countByReason,
  decodeText,
  displayReport,
  IngestBalanceError,
  type IngestReport,
  listFiles,
  QuarantineLog,
  readSourceDocs,
} from "@lib/ingest/common/mod.ts";
import { readManifest } from "@lib/lake/mod.ts";
import { tempFixture, withTemp } from "./_util.ts";

const enc = (s: string) => new TextEncoder().encode(s);

function report(read: number, written: number, quarantined: Record<string, number>): IngestReport {
  const q = Object.values(quarantined).reduce((a, b) => a + b, 0);
  return {
    source: "x",
    table: "rows",
    files_read: 1,
    rows_read: read,
    rows_written: written,
    rows_quarantined: q,
    quarantined,
    repaired: {},
    preprocessing: {},
    files_skipped: [],
  };
}

Deno.test("decodeText() gunzips by magic number, strips a BOM, turns CRLF and CR into LF and counts each", async (t) => {
  const cases: [string, Uint8Array, Partial<ReturnType<typeof decodeText>>][] = [
    ["crlf, no final newline", enc("a\r\nb\r\nc"), { text: "a\nb\nc", crlf: 2, missingFinalNewline: true }],
    ["lone cr", enc("a\rb\r"), { text: "a\nb\n", cr: 2, missingFinalNewline: false }],
    ["bom", enc("\ufeffa\n"), { text: "a\n", bom: true }],
    ["gzip", gzipSync(enc("x\r\n")), { text: "x\n", gzipped: true, crlf: 1 }],
    ["invalid utf-8", new Uint8Array([0x61, 0xff, 0x0a]), { text: "a\ufffd\n", invalidUtf8: true }],
  ];
  for (const [name, bytes, want] of cases) {
    await t.step(name, () => {
      const d = decodeText(bytes, "f");
      for (const [k, v] of Object.entries(want)) assert.equal(d[k as keyof typeof d], v, k);
    });
  }
  assert.throws(
    () => decodeText(gzipSync(enc("abc")).subarray(0, 8), "f.gz"),
    /Cannot read "f.gz": corrupt or truncated gzip/,
  );
});

Deno.test("QuarantineLog collects rows and frames into one sorted table, counted by reason", () => {
  const q = new QuarantineLog();
  q.add("b.csv", 3, "bad_value", "x".repeat(5000));
  q.addFrame(pl.DataFrame({ source: ["a.csv"], line: [9], reason: ["bad_timestamp"], raw: ["t"], extra: [1] }));
  const f = q.toFrame();
  assert.equal(q.size, 2);
  assert.deepEqual(f.columns, ["source", "line", "reason", "raw"]);
  assert.deepEqual(f.getColumn("source").toArray(), ["a.csv", "b.csv"]);
  assert.equal((f.getColumn("raw").toArray()[1] as string).length, 2000);
  assert.deepEqual(countByReason(f), { bad_timestamp: 1, bad_value: 1 });
  assert.equal(new QuarantineLog().toFrame().height, 0);
});

Deno.test("assertBalanced() passes rows in = out + quarantined and throws otherwise", () => {
  assertBalanced(report(10, 8, { a: 2 }));
  assert.throws(() => assertBalanced(report(10, 9, { a: 2 })), IngestBalanceError);
  assert.throws(
    () => assertBalanced({ ...report(10, 8, { a: 2 }), rows_quarantined: 2, quarantined: { a: 1 } }),
    /rows read must equal/,
  );
  const shown = displayReport(report(3, 2, { bad: 1 }))[Symbol.for("Jupyter.display")]();
  assert.match(shown["text/html"], /<td>quarantined\.bad<\/td><td>1<\/td>/);
});

Deno.test("assertBalanced() checks the balance in physical lines too, where a report has one", () => {
  const lines = { read: 12, header: 1, blank: 1, written: 8, quarantined: 2 };
  assertBalanced({ ...report(10, 8, { a: 2 }), lines });
  assert.throws(
    () => assertBalanced({ ...report(10, 8, { a: 2 }), lines: { ...lines, read: 30 } }),
    { name: "IngestBalanceError", message: /lines read must equal .* got 30 != 1 \+ 1 \+ 8 \+ 2/ },
  );
});

Deno.test("commitIngest() writes nothing when the report does not balance", async () => {
  await withTemp(async (tmp) => {
    const dir = join(tmp, "ds");
    const commit = {
      name: "x/y",
      kind: "x",
      generator: { name: "t", version: "1" },
      tables: { rows: pl.DataFrame({ a: [1, 2] }), quarantine: new QuarantineLog().toFrame() },
      primary: "rows",
      report: report(3, 2, {}),
      config: {},
      inputRoot: tmp,
      inputs: [],
      source: { name: "t" },
    };
    await assert.rejects(() => commitIngest(dir, commit), IngestBalanceError);
    assert.deepEqual([...Deno.readDirSync(tmp)], []);
    await commitIngest(dir, { ...commit, report: report(2, 2, {}) });
    const m = await readManifest(dir);
    assert.equal(m.rows, 2);
    assert.deepEqual(Object.keys(m.tables).sort(), ["quarantine", "rows"]);
  });
});

Deno.test("listFiles() lists recursively in path order, skipping dot files; readSourceDocs() finds the licence", async () => {
  const dir = await tempFixture({
    "b/x.csv": "1",
    "a.csv": "2",
    ".hidden": "3",
    "LICENSE.txt": "MIT License\n\nCopyright",
  });
  assert.deepEqual(await listFiles(dir), ["LICENSE.txt", "a.csv", "b/x.csv"]);
  const { docs, license } = await readSourceDocs(dir, await listFiles(dir));
  assert.deepEqual(docs.map((d) => d.path), ["LICENSE.txt"]);
  assert.equal(license, "MIT License");
  await assert.rejects(() => listFiles(join(dir, "nope")), /no such folder/);
});
