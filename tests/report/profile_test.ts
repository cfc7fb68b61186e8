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
