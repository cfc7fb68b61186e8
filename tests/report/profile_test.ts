import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { buildReport, kindProfile } from "@lib/report/mod.ts";
import { summarizeTable } from "@lib/report/_quality.ts";
import { profileTables } from "@lib/report/_profile.ts";
import type { Manifest } from "@lib/lake/mod.ts";
import { parseHTML } from "linkedom";

// deno-lint-ignore no-explicit-any
type Doc = any;

const n = 1000;
const frame = pl.DataFrame({
  constant: Array.from({ length: n }, () => 7),
  zeros: Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 0 : 1 + (i % 13))),
  cpu: Array.from({ length: n }, (_, i) => (i % 9 === 0 ? 100 : 20 + (i % 50))),
  id: Array.from({ length: n }, (_, i) => `id-${i}`),
  heavy: Array.from({ length: n }, (_, i) => (i % 100 === 0 ? 10_000 : i % 7)),
  optional: Array.from({ length: n }, (_, i) => (i % 10 === 0 ? null : i)),
  required: Array.from({ length: n }, (_, i) => (i % 10 === 0 ? null : i)),
  level: Array.from({ length: n }, (_, i) => ["low", "mid", "high"][i % 3]),
});

function profiles(allowed: Record<string, boolean>) {
  const summary = summarizeTable("t", { df: frame, profile: kindProfile("misc") });
  for (const c of summary.columns) c.nullsAllowed = allowed[c.name] ?? null;
  return profileTables({ t: frame }, [summary]);
}

Deno.test("the column profile raises the alerts a profiler would, and none for nulls the schema allows", () => {
  const p = profiles({ optional: true, required: false });
  const alerts = (c: string) => p[`t.${c}`].alerts;
  assert.deepEqual(alerts("constant"), ["constant"]);
  assert.deepEqual(alerts("zeros"), ["25 % zeros"]);
  assert.deepEqual(alerts("cpu"), ["11.2 % at max"]);
  assert.deepEqual(alerts("id"), ["high cardinality"]);
  assert.ok(alerts("heavy").some((a) => a.startsWith("skewed")), alerts("heavy").join());
  assert.deepEqual(alerts("optional"), []);
  assert.deepEqual(alerts("required"), ["unexpected nulls"]);
  assert.deepEqual(alerts("level"), []);
});

Deno.test("the column profile counts histograms and top values on the data", () => {
  const p = profiles({});
  assert.equal(p["t.cpu"].histogram!.counts.reduce((a, b) => a + b, 0), n);
  assert.equal(p["t.cpu"].histogram!.counts.at(-1), 112);
  assert.deepEqual(p["t.level"].top, [{ value: "low", count: 334 }, { value: "high", count: 333 }, {
    value: "mid",
    count: 333,
  }]);
  const sampled = profileTables({ t: frame }, [summarizeTable("t", { df: frame, profile: kindProfile("misc") })], {
    sampleRows: 100,
  });
  assert.equal(sampled["t.cpu"].counted, 100);
  assert.equal(sampled["t.cpu"].histogram!.counts.reduce((a, b) => a + b, 0), 100);
});

Deno.test("the report shows a profile card with a drawing and alerts for every column", () => {
  const manifest = {
    name: "p",
    kind: "misc",
    layer: "synthetic",
    generator: { name: "test", version: "1" },
    config: {},
    seed: null,
    rows: n,
    primary_table: "t",
    tables: { t: { rows: n, schema: {}, files: [] } },
    files: [],
    created: "2026-01-01T00:00:00.000Z",
    classification: "public",
    retention_days: 1,
    lineage: [],
  } as unknown as Manifest;
  const page = buildReport({ manifest, tables: { t: frame } }).html;
  const document = (parseHTML(page) as unknown as { document: Doc }).document;
  const cards: Doc[] = [...document.querySelectorAll("#profile .col-card")];
  assert.deepEqual(cards.map((c) => c.getAttribute("data-column")), frame.columns.map((c) => `t.${c}`));
  for (const c of cards) assert.ok(c.querySelector('svg[role="img"] rect'), c.getAttribute("data-column")!);
  const cpu = cards.find((c) => c.getAttribute("data-column") === "t.cpu")!;
  assert.deepEqual([...cpu.querySelectorAll(".alert")].map((a: Doc) => a.textContent), ["11.2 % at max"]);
});

Deno.test("the column profile's figures equal a direct count, for every column of several tables at once", () => {
  // Whole numbers that fall on bin edges, NaN, infinities and nulls (not counted), a constant column, a time
  // column, text with ties; two tables profiled in one call must not mix their columns.
  const m = 997;
  const a = pl.DataFrame({
    edges: Array.from({ length: m }, (_, i) => i % 48),
    odd: Array.from(
      { length: m },
      (_, i) => i % 50 === 0 ? NaN : i % 77 === 0 ? Infinity : i % 31 === 0 ? null : Math.exp((i % 17) / 3) - 2,
    ),
    flat: Array.from({ length: m }, () => 3.5),
    at: Array.from({ length: m }, (_, i) => new Date(Date.UTC(2026, 0, 1, i % 24, (i * 7) % 60))),
    word: Array.from({ length: m }, (_, i) => ["b", "a", "c", "d", "e", "f", "g"][i % 7]),
  });
  const b = pl.DataFrame({ edges: Array.from({ length: 300 }, (_, i) => 1000 + (i % 5)) });
  const misc = kindProfile("misc");
  const p = profileTables({ a, b }, [
    summarizeTable("a", { df: a, profile: misc }),
    summarizeTable("b", { df: b, profile: misc }),
  ]);
  const direct = (values: (number | null)[], bins = 24) => {
    const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
    const lo = Math.min(...v), hi = Math.max(...v), span = hi - lo;
    const counts = new Array<number>(span > 0 ? bins : 1).fill(0);
    for (const x of v) counts[span > 0 ? Math.min(bins - 1, Math.floor(((x - lo) * bins) / span)) : 0]++;
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const m2 = v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length;
    const m3 = v.reduce((s, x) => s + (x - mean) ** 3, 0) / v.length;
    return {
      lo,
      hi,
      counts,
      n: v.length,
      distinct: new Set(v).size,
      zeros: v.filter((x) => x === 0).length,
      atMin: v.filter((x) => x === lo).length,
      atMax: v.filter((x) => x === hi).length,
      skew: m2 > 1e-12 * Math.max(1, mean * mean) ? m3 / m2 ** 1.5 : null,
    };
  };
  const cases: [string, (number | null)[]][] = [
    ["a.edges", a.getColumn("edges").toArray() as number[]],
    ["a.odd", a.getColumn("odd").toArray() as (number | null)[]],
    ["a.flat", a.getColumn("flat").toArray() as number[]],
    ["b.edges", b.getColumn("edges").toArray() as number[]],
  ];
  for (const [key, values] of cases) {
    const want = direct(values), got = p[key];
    assert.deepEqual(got.histogram!.counts, want.counts, key);
    assert.deepEqual([got.histogram!.lo, got.histogram!.hi], [want.lo, want.hi], key);
    assert.deepEqual(
      [got.counted, got.distinct, got.zeros, got.atMin, got.atMax],
      [want.n, want.distinct, want.zeros, want.atMin, want.atMax],
      key,
    );
    if (want.skew === null) assert.equal(got.skew, null, key);
    else assert.ok(Math.abs(got.skew! - want.skew) < 1e-7 * Math.max(1, Math.abs(want.skew)), `${key} ${got.skew}`);
  }
  const times = (a.getColumn("at").toArray() as Date[]).map((d) => d.getTime());
  const t = direct(times);
  assert.deepEqual(p["a.at"].histogram, { lo: t.lo, hi: t.hi, counts: t.counts, time: true });
  // Seven values: b, a, c 143 times, the others 142; the larger counts first, ties in value order.
  assert.deepEqual(p["a.word"].top, [
    { value: "a", count: 143 },
    { value: "b", count: 143 },
    { value: "c", count: 143 },
    { value: "d", count: 142 },
    { value: "e", count: 142 },
  ]);
});
