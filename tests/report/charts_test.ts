import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import type { Manifest } from "@lib/lake/mod.ts";
import { charts, createDocument, summarizeDataset } from "@lib/report/mod.ts";
import type { SeriesSample } from "@lib/report/mod.ts";

const document = createDocument();

Deno.test("seriesChart() breaks the line across buckets without data and draws lone buckets as dots", () => {
  const hour = 3_600_000;
  const t = [0, 1, 2, 10, 11, 20].map((h) => h * hour);
  const sample: SeriesSample = {
    metric: "latency_ms",
    unit: "ms",
    rowsPerSeries: 6,
    series: [{
      label: "s1",
      t,
      width: hour,
      min: [1, 2, 3, 4, 5, 6],
      max: [2, 3, 4, 5, 6, 7],
      mean: [1, 2, 3, 4, 5, 6],
    }],
  };
  const el = charts.seriesChart(sample, { width: 600, document });
  const line = [...el.querySelectorAll('g[aria-label="line"] path')][0];
  const d = line.getAttribute("d")!;
  // Three subpaths: the runs 0-2 h and 10-11 h, and the lone 20 h bucket; never a segment bridging a gap.
  assert.equal(d.match(/M/g)?.length, 3, d);
  assert.doesNotMatch(d, /L[^M]*L[^M]*L/, "no run is longer than the three buckets of 0-2 h");
  assert.equal([...el.querySelectorAll('g[aria-label="dot"] circle')].length, 1, "the lone bucket at 20 h is a dot");
  assert.equal(el.getAttribute("role"), "group");
  assert.match(el.getAttribute("aria-label")!, /latency_ms over time for 1 sample series/);
});

Deno.test("nameChart() names the chart's own SVG and hides legend swatches from screen readers", () => {
  const effects = [
    { group: "web", effect: "weekend", measured: 0.5, expected: 0.5, band: [0.45, 0.55] as [number, number] },
    { group: "db", effect: "weekend", measured: 0.9, expected: 0.7, band: [0.65, 0.75] as [number, number] },
  ].map((e) => ({
    ...e,
    passed: e.measured >= e.band[0] && e.measured <= e.band[1],
    n: 10,
    nUnit: "weeks",
    source: "report" as const,
  }));
  const el = charts.seasonalEffectsChart(effects, { width: 600, document });
  const svgs = [...el.querySelectorAll("svg")];
  const named = svgs.filter((s) => s.getAttribute("role") === "img");
  assert.equal(named.length, 1);
  assert.equal(named[0].querySelector("title")?.textContent, named[0].getAttribute("aria-label"));
  assert.ok(svgs.filter((s) => s !== named[0]).every((s) => s.getAttribute("aria-hidden") === "true"));
  const fills = [...named[0].querySelectorAll('g[aria-label="dot"] circle')].map((c) => c.getAttribute("fill"));
  assert.equal(new Set(fills).size, 2, "within and outside the band get different colours");
});

Deno.test("label windows without types (NAB layout) count as anomaly events", () => {
  const n = 200;
  const t0 = Date.UTC(2024, 0, 1);
  const ts = Array.from({ length: n * 2 }, (_, i) => new Date(t0 + (i % n) * 300_000));
  const ids = Array.from({ length: n * 2 }, (_, i) => i < n ? "a" : "b");
  const flag = Array.from({ length: n * 2 }, (_, i) => (i % n) >= 50 && (i % n) < 60 && i < n);
  const hourly = pl.DataFrame([
    pl.Series("series_id", ids),
    pl.Series("timestamp", ts, pl.Datetime("ms")),
    pl.Series("value", Float64Array.from({ length: n * 2 }, (_, i) => Math.sin(i / 10))),
    pl.Series("is_anomaly", flag),
  ]);
  const windows = pl.DataFrame([
    pl.Series("series_id", ["a"]),
    pl.Series("start", [new Date(t0 + 50 * 300_000)], pl.Datetime("ms")),
    pl.Series("end", [new Date(t0 + 59 * 300_000)], pl.Datetime("ms")),
  ]);
  const manifest = {
    manifest_version: 1,
    name: "nabish",
    kind: "nab",
    layer: "processed",
    generator: { name: "test", version: "1" },
    config: {},
    seed: null,
    rows: hourly.height,
    schema: {},
    primary_table: "hourly",
    tables: { hourly: { rows: hourly.height, schema: {}, files: [] }, windows: { rows: 1, schema: {}, files: [] } },
    files: [],
    created: "2026-01-01T00:00:00.000Z",
    classification: "public",
    retention_days: 30,
    lineage: [],
  } satisfies Manifest;
  const data = summarizeDataset({ manifest, tables: { hourly, windows } });
  const a = data.anomalies!;
  assert.equal(a.events, 1);
  assert.equal(a.anomalousPoints, 10);
  assert.equal(a.seriesWithAnomalies, 1);
  assert.deepEqual(a.byType.map((x) => [x.type, x.events, x.points]), [["labeled window", 1, 10]]);
  assert.deepEqual(a.timeline, [{
    series: "a",
    type: "labeled window",
    start: t0 + 50 * 300_000,
    end: t0 + 59 * 300_000,
  }]);
  assert.equal(a.samples[0].series, "a");
  assert.equal(a.samples[0].metric, "value");
});

Deno.test("chartMarkup() rounds the numbers of geometry attributes to 0.1, as one regular expression per number would", () => {
  // The reference: the regular expressions the scanner replaced.
  const reference = (s: string) =>
    s.replace(/\s(x|y|x1|x2|y1|y2|cx|cy|r|width|height|d|transform|points)="([^"]*)"/g, (_m, name, value: string) => {
      const v = value.replace(/-?\d*\.\d+(?:e-?\d+)?/g, (n) => {
        const r = Math.round(Number(n) * 10) / 10;
        return String(Object.is(r, -0) ? 0 : r);
      });
      return ` ${name}="${v}"`;
    });
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  const attrs: [string, string][] = [
    ["d", "M-0.04,1.25e-7L.55,-.55 1.2.3 12. 3e5 1.5e -2.25e-3 100 7.05"],
    ["transform", "translate(12.345,0.96)"],
    ["points", "1.26,2.5 -3.75,4"],
    ["stroke-width", "1.55"],
    ["data-x", "2.55"],
    ["fill-opacity", "0.25"],
    ["x", "42"],
    ["height", "-0.049"],
  ];
  for (const [k, v] of attrs) svg.setAttribute(k, v);
  const text = document.createElementNS("http://www.w3.org/2000/svg", "text");
  text.setAttribute("y", "0.75");
  text.appendChild(document.createTextNode("0.123 and 1.55"));
  svg.appendChild(text);
  const out = charts.chartMarkup(svg);
  assert.equal(out, reference(svg.outerHTML));
  assert.match(out, / d="M0,0L0.6,-0.5 1.20.3 12. 3e5 1.5e 0 100 7.1"/);
  assert.match(out, /stroke-width="1.55"/, "not a coordinate");
  assert.match(out, /fill-opacity="0.25"/);
  assert.match(out, />0.123 and 1.55</, "text is never touched");
  // Every chart of a page, unrounded first: the same markup as the reference.
  const plotted = charts.seriesChart({
    metric: "latency_ms",
    unit: "ms",
    rowsPerSeries: 3,
    series: [{
      label: "s1",
      t: [0, 3.6e6, 7.2e6],
      width: 3.6e6,
      min: [1.111, 2.222, 3.333],
      max: [4.444, 5.555, 6.666],
      mean: [2.5, 3.75, 4.125],
    }],
  }, { width: 333, document });
  assert.equal(charts.chartMarkup(plotted), reference(plotted.outerHTML));
});
