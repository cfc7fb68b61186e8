import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { createDocument, type ReportData } from "@lib/report/mod.ts";
import { humanDtype, shortTime } from "@lib/report/_format.ts";
import { categoryStyles, utcTick } from "@lib/report/charts/_common.ts";
import { anomalyTimeline } from "@lib/report/charts/anomaly_timeline.ts";
import { nullRateChart } from "@lib/report/charts/null_rate.ts";
import { renderFailingRows, renderHeadline } from "@lib/report/sections.ts";
import { stackTables } from "@lib/report/_table.ts";
import { html, unsafe } from "@lib/report/html.ts";
import type { CheckResult } from "@lib/validate/types.ts";

Deno.test("dtypes read as words, not Polars' type names", async (t) => {
  const cases: [string, string][] = [
    ["List(DataType(String))", "list of text"],
    ["Float64", "decimal (64-bit)"],
    ["Int32", "integer (32-bit)"],
    ["UInt8", "unsigned integer (8-bit)"],
    ["Bool", "true/false"],
    ["String", "text"],
    ["Categorical", "category"],
    ["Datetime(ms,UTC)", "time (UTC, ms)"],
    ["Datetime(us)", "time (no zone, us)"],
    ["Date", "date"],
  ];
  for (const [name, words] of cases) await t.step(name, () => assert.equal(humanDtype(name), words));
});

Deno.test("time axes and times use a 24-hour UTC clock", () => {
  assert.equal(utcTick(new Date("2024-03-04T13:00:00Z")), "13:00");
  assert.equal(utcTick(new Date("2024-03-04T00:00:00Z")), "Mar 4");
  assert.equal(utcTick(new Date("2024-03-01T00:00:00Z")), "Mar");
  assert.equal(utcTick(new Date("2024-01-01T00:00:00Z")), "2024");
  assert.equal(shortTime("2024-03-04T18:30:00.000Z"), "2024-03-04 18:30");
  assert.equal(shortTime("2024-03-04T00:00:00.000Z"), "2024-03-04");
  const chart = anomalyTimeline({
    byType: [{ type: "spike", events: 1, points: 1, pointRate: 0, eventShare: 1, expectedShare: null }],
    timeline: [{ series: "s", type: "spike", start: Date.UTC(2024, 0, 1, 12), end: Date.UTC(2024, 0, 1, 20) }],
    timelineSeries: ["s"],
  } as never, { width: 800, document: createDocument() });
  const ticks = [...chart.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((e) => e.textContent);
  assert.ok(ticks.length > 2 && ticks.every((x) => /^\d\d:\d\d$/.test(x ?? "")), ticks.join(" "));
  assert.ok(!ticks.some((x) => /PM|AM/.test(x ?? "")));
});

Deno.test("16 categories get 16 distinct colours and no two share colour and symbol", () => {
  const types = Array.from({ length: 16 }, (_, i) => `type_${i}`);
  const { color, symbol } = categoryStyles(types);
  const colours = color.range as string[], symbols = symbol.range as string[];
  assert.equal(new Set(colours).size, 16);
  assert.equal(new Set(types.map((_, i) => `${colours[i]}|${symbols[i]}`)).size, 16);
});

Deno.test("nulls the schema allows are not drawn red; unexpected ones are", () => {
  const col = (name: string, nullsAllowed: boolean | null) => ({
    table: "t",
    name,
    dtype: "Float64",
    nulls: 5,
    nullRate: 0.05,
    min: 0,
    max: 1,
    mean: 0.5,
    distinct: null,
    unit: "",
    nullsAllowed,
  });
  const svg = nullRateChart([col("allowed", true), col("bad", false)], { width: 600, document: createDocument() })
    .outerHTML;
  const fills = [...svg.matchAll(/<rect[^>]*fill="(#[0-9a-f]+)"/g)].map((m) => m[1]);
  assert.deepEqual(fills, ["#6b8fc7", "#d6404e"]);
});

Deno.test("headline counts name every table; failing rows show as a table per failed check", () => {
  const data = {
    card: { tables: [{ name: "a", rows: 3, columns: 1 }, { name: "b_long_name", rows: 700_000, columns: 2 }] },
  } as unknown as ReportData;
  const head = renderHeadline(data).value;
  assert.match(head, /data-table-rows="b_long_name" data-value="700000">700,000/);
  assert.match(head, /data-table-rows="a" data-value="3">3</);
  const check = {
    id: "validity.range:cpu_p95",
    family: "validity",
    severity: "error",
    passed: false,
    measured: 2,
    threshold: "<= 100",
    message: "2 rows out of range",
    failing_rows: {
      key: ["server_id"],
      columns: ["server_id", "cpu_p95"],
      rows: [["srv-1", 140], ["<b>", 101]],
      total: 2,
    },
  } as CheckResult;
  const rows = renderFailingRows(check).value;
  assert.match(rows, /2 of 2 failing rows/);
  assert.match(rows, /<th scope="col">server_id \(key\)<\/th>/);
  assert.match(rows, /&lt;b&gt;/);
  assert.equal(renderFailingRows({ ...check, passed: true }).value, "");
});

Deno.test("stackTables() labels every cell with its column title", () => {
  const out = stackTables(html`
    <table class="x">
      <thead>
        <tr>
          <th>A &amp; b</th>
          <th class="num">N</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>1</td>
          <td>2</td>
        </tr>
      </tbody>
    </table>
  `).value;
  assert.match(out, /<table class="x stack">/);
  assert.match(out, /<td data-label="A &amp; b">1<\/td>\s*<td data-label="N">2<\/td>/);
  assert.ok(!out.includes("\u0000"));
});

Deno.test("stackTables() stacks nested tables, leaves headless tables and other tags alone", () => {
  const page = `<p>x</p><table>
<thead><tr><th>Outer</th></tr></thead><tbody><tr><td><table class="in"><thead><tr><th>In</th></tr></thead>
<tbody><tr><td>1</td></tr></tbody></table></td></tr></tbody></table><tablet></tablet>
<table id="plain"><tbody><tr><td>no header</td></tr></tbody></table><table\n data-x="1"><thead><tr><th>T</th></tr></thead><tbody><tr><td>2</td></tr></tbody></table>`;
  const out = stackTables(unsafe(page)).value;
  assert.match(out, /<table class="in stack"><thead>/);
  assert.match(out, /<table\n data-x="1" class="stack"><thead><tr><th>T<\/th>/);
  assert.match(out, /<td data-label="T">2<\/td>/);
  assert.match(out, /<table id="plain"><tbody><tr><td>no header/, "no header: left as it is");
  assert.match(out, /<table class="stack">\n<thead><tr><th>Outer/, "the outer table is stacked after the inner one");
  assert.match(out, /<td data-label="Outer"><table class="in stack">/);
  assert.match(out, /<tablet><\/tablet>/);
  assert.ok(!out.includes("\u0000"));
});
