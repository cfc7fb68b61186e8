import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { buildCompare, charts, CompareInputError, createDocument, summarizeCompare } from "@lib/report/mod.ts";

const side = (name: string, df: pl.DataFrame) => ({
  name,
  kind: "file",
  source: `/x/${name}`,
  primary: "t",
  tables: { t: df },
});

Deno.test("summarizeCompare() sorts columns into numeric, category, one side only and differing types", () => {
  const n = 400;
  const i = Array.from({ length: n }, (_, k) => k);
  const a = pl.DataFrame({
    x: i.map((k) => (k * 37) % 100),
    y: i.map((k) => k % 2 === 0 ? null : k),
    tag: i.map((k) => ["p", "q", "r"][k % 3]),
    only_a: i,
    mixed: i,
  });
  const b = pl.DataFrame({
    x: i.map((k) => (k * 37) % 100),
    y: i.map((k) => k % 2 === 0 ? null : k),
    tag: i.map((k) => (k < 300 ? "p" : "q")),
    only_b: i,
    mixed: i.map(String),
  });
  const s = summarizeCompare(side("a", a), side("b", b));
  assert.deepEqual(s.numeric.map((d) => d.column), ["x", "y"]);
  assert.deepEqual(s.categorical.map((d) => d.column), ["tag"]);
  assert.deepEqual(s.onlyA, ["only_a"]);
  assert.deepEqual(s.onlyB, ["only_b"]);
  assert.deepEqual(s.typeDiffers.map((t) => t.column), ["mixed"]);
  const y = s.numeric.find((d) => d.column === "y")!;
  assert.equal(y.nA, 200, "nulls are not counted");
  assert.equal(y.sampleA, 200);
  assert.equal(y.ksD, 0);
  assert.equal(y.verdict, "stable");
  // tag: 1/3 each against 3/4 p, 1/4 q, no r: a category gone is a drift.
  const tag = s.categorical[0];
  assert.equal(tag.verdict, "drifted");
  assert.ok(tag.psi! > 0.25);
  assert.deepEqual(tag.top.map((t) => t.value), ["p", "q", "r"]);
  assert.ok(Math.abs(tag.top[0].b - 0.75) < 1e-12);
  assert.match(s.seasonality.note!, /neither primary table has/);
});

Deno.test("summarizeCompare() leaves a column with no values on one side uncompared, not stable", () => {
  const a = pl.DataFrame({ x: [1, 2, 3, 4], z: [1, 2, 3, 4] });
  const b = pl.DataFrame({ x: pl.Series("x", [null, null, null, null], pl.Float64), z: [1, 2, 3, 4] });
  const s = summarizeCompare(side("a", a), side("b", b));
  const x = s.numeric.find((d) => d.column === "x")!;
  assert.equal(x.nB, 0);
  assert.equal(x.verdict, null);
  assert.deepEqual(x.histogram, []);
  assert.equal(s.numeric.find((d) => d.column === "z")!.verdict, "stable");
  const page = buildCompare(side("a", a), side("b", b)).html;
  assert.match(page, /1 not compared \(no values on one side\)/);
});

Deno.test("summarizeCompare() refuses tables that share no column", () => {
  assert.throws(
    () => summarizeCompare(side("a", pl.DataFrame({ x: [1, 2] })), side("b", pl.DataFrame({ z: [1, 2] }))),
    (e: Error) => e instanceof CompareInputError && /"a" and "b".*share no column name/.test(e.message),
  );
});

Deno.test("summarizeCompare() samples at most sampleRows rows, the same rows for the same table and seed", () => {
  const n = 5000;
  const df = pl.DataFrame({ x: Array.from({ length: n }, (_, k) => Math.sin(k) * 10) });
  const s = summarizeCompare(side("a", df), side("b", df), { sampleRows: 700 });
  const x = s.numeric[0];
  assert.equal(x.sampleA, 700);
  assert.equal(x.nA, n, "n counts every row");
  assert.equal(x.ksD, 0, "one table, one seed: the same sample on both sides");
  const other = summarizeCompare(side("a", df), side("b", df), { sampleRows: 700, seed: 1 });
  assert.notEqual(other.numeric[0].p50A, x.p50A, "another seed draws other rows");
});

Deno.test("the overlaid histogram draws A and B from zero, not stacked", () => {
  const el = charts.driftHistogramChart({
    column: "x",
    histogram: [{ x0: 0, x1: 1, a: 0.5, b: 0.5 }, { x0: 1, x1: 2, a: 0.5, b: 0.5 }],
  }, { width: 300, document: createDocument() });
  const rects = [...el.querySelectorAll('g[aria-label="rect"] rect')];
  assert.equal(rects.length, 4);
  const ys = new Set(rects.map((r) => r.getAttribute("y")));
  const hs = new Set(rects.map((r) => r.getAttribute("height")));
  assert.equal(ys.size, 1, "every bar starts at the same height");
  assert.equal(hs.size, 1);
});

Deno.test("buildCompare() escapes names and keeps the page within the report shell", () => {
  const df = pl.DataFrame({ x: [1, 2, 3, 4], when: [1, 2, 3, 4] });
  const page = buildCompare(side("<b>a</b>", df), side("b & c", df));
  assert.ok(page.html.startsWith("<!doctype html>"));
  assert.ok(page.html.includes("&lt;b&gt;a&lt;/b&gt;"));
  assert.ok(!page.html.includes("<b>a</b>"));
  assert.ok(page.html.includes("b &amp; c"));
  assert.ok(page.html.includes('<meta name="color-scheme" content="light dark">'));
});
