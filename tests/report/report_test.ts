import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { parseHTML } from "linkedom";
import { inMemory, readManifest } from "@lib/lake/mod.ts";
import { buildReport, indexEntry, renderIndex, type ReportInput } from "@lib/report/mod.ts";
import { residualCorrelations } from "@lib/validate/correlation.ts";
import { fakeValidation, inputOf, makeLake, NASTY } from "./_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Doc = any;
const parse = (page: string): Doc => (parseHTML(page) as unknown as { document: Doc }).document;
const texts = (doc: Doc, sel: string): string[] => [...doc.querySelectorAll(sel)].map((e: Doc) => e.textContent.trim());

const { root, dirs } = await makeLake();
const capManifest = await readManifest(dirs.capacity);
const capInput = inputOf(dirs.capacity, capManifest, fakeValidation("capacity"));
const capReport = buildReport(capInput);
const capDoc = parse(capReport.html);
const anoManifest = await readManifest(dirs.anomalies);
const anoInput = inputOf(dirs.anomalies, anoManifest);
const anoReport = buildReport(anoInput);
const anoDoc = parse(anoReport.html);
const oddManifest = await readManifest(dirs.odd);
const oddReport = buildReport(inputOf(dirs.odd, oddManifest, fakeValidation("odd")));

addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));

Deno.test("buildReport() gives a capacity dataset every section but the anomaly one", () => {
  const ids = [...capDoc.querySelectorAll("main section")].map((s: Doc) => s.getAttribute("id"));
  assert.deepEqual(ids, ["card", "quality", "profile", "correlation", "seasonality", "series"]);
  assert.deepEqual(texts(capDoc, "nav.toc a"), [
    "Dataset card",
    "Data quality",
    "Column profile",
    "Correlation",
    "Seasonality",
    "Sample series",
  ]);
  const anoIds = [...anoDoc.querySelectorAll("main section")].map((s: Doc) => s.getAttribute("id"));
  assert.deepEqual(anoIds, ["card", "quality", "profile", "correlation", "seasonality", "anomalies", "series"]);
});

Deno.test("the dataset card shows the manifest: generator, seed, rows, files with sizes and checksums, lineage", () => {
  const card = capDoc.querySelector("#card");
  const dl = Object.fromEntries(
    [...card.querySelectorAll("dl.card dt")].map((dt: Doc) => [dt.textContent, dt.nextElementSibling.textContent]),
  );
  assert.equal(dl.Generator, `${capManifest.generator.name} ${capManifest.generator.version}`);
  assert.equal(dl.Seed, "7");
  // Four-digit numbers carry no separator (years read 2022), larger ones do.
  const rows = capManifest.rows;
  assert.equal(dl.Rows, rows < 10_000 ? String(rows) : rows.toLocaleString("en-US"));
  assert.equal(dl["Time range"], "2022-01-01 – 2022-12-31 (timestamp, UTC)");
  assert.equal(dl.Classification, capManifest.classification);
  assert.match(dl.Retention, new RegExp(`^${capManifest.retention_days} days`));
  assert.match(dl.Lineage, /opslab\/capacity: generated from config and seed/);
  // Files are summed per table; each listed file carries its full checksum.
  const listed = [...card.querySelectorAll("table.files code[title]")].map((c: Doc) => ({
    path: c.textContent,
    sha256: c.getAttribute("title").replace(/^sha256 /, ""),
  }));
  assert.deepEqual(listed, capManifest.files.map((f) => ({ path: f.path, sha256: f.sha256 })));
  const bytes = [...card.querySelectorAll("table.files tbody tr")].reduce(
    (a: number, tr: Doc) => a + Number(tr.querySelectorAll("td")[2].getAttribute("data-value")),
    0,
  );
  assert.equal(bytes, capManifest.files.reduce((a, f) => a + f.bytes, 0));
  const config = JSON.parse(card.querySelector("details pre").textContent);
  assert.deepEqual(config, capManifest.config);
});

Deno.test("the data-quality table shows every validation result with its exact measured value", () => {
  const v = capInput.validation!;
  const rows = [...capDoc.querySelectorAll("#quality table.results tbody tr")];
  assert.equal(rows.length, v.results.length);
  for (const r of v.results) {
    const tr = rows.find((x: Doc) => x.getAttribute("data-check") === r.id);
    assert.ok(tr, `row for ${r.id}`);
    const td = tr.querySelectorAll("td");
    assert.equal(td[0].textContent, r.passed ? "pass" : "fail");
    assert.equal(td[2].textContent, r.severity);
    assert.equal(td[3].getAttribute("data-value"), r.measured === null ? "" : String(r.measured));
    assert.equal(td[4].textContent, r.threshold);
    assert.equal(td[5].textContent, r.message);
  }
  assert.equal(capDoc.querySelector('[data-summary="passed"]').textContent, String(v.summary.passed));
  assert.equal(capDoc.querySelector('[data-summary="failed"]').textContent, String(v.summary.failed));
  assert.equal(rows[0].getAttribute("class"), "failed", "failed checks come first");
  assert.equal(capDoc.querySelector("header .badge").textContent, "fail");
});

Deno.test("value ranges and null rates equal the data", () => {
  const df = inMemory(capInput.tables.capacity);
  const rows = [...capDoc.querySelectorAll("#quality table.ranges tbody tr")];
  assert.equal(rows.length, df.width);
  const cell = (col: string, i: number) =>
    rows.find((tr: Doc) => tr.querySelectorAll("td")[1].textContent === col).querySelectorAll("td")[i]
      .getAttribute("data-value");
  assert.equal(Number(cell("cpu_p95", 4)), df.getColumn("cpu_p95").min());
  assert.equal(Number(cell("cpu_p95", 5)), df.getColumn("cpu_p95").max());
  assert.ok(Math.abs(Number(cell("net_in_p95", 6)) - Number(df.getColumn("net_in_p95").mean())) < 1e-9);
  assert.equal(Number(cell("server_id", 7)), 16);
  const nullChart = capDoc.querySelector('#quality svg[aria-label^="Null rate"]');
  assert.ok(nullChart, "null-rate chart");
  assert.equal([...nullChart.querySelectorAll("text")].filter((t: Doc) => t.textContent === "0 %").length, df.width);
});

Deno.test("correlation figures equal residualCorrelations on the data, beside the config targets", () => {
  const measured = residualCorrelations(
    capInput.tables.capacity,
    ["cpu_p95", "mem_p95", "disk_p95", "net_in_p95"],
    {
      group: "server_type",
      calendar: ["year", "month", "is_weekend", "is_eoq", "is_holiday"],
      bounds: { cpu_p95: [0, 100], mem_p95: [0, 100], disk_p95: [0, 100], net_in_p95: [0, 1000] },
      // The validator's measure for a realistic capacity config (lib/validate/kinds/capacity.ts).
      ...((capManifest.config.realism as { enabled: boolean }).enabled
        ? { method: "calendar" as const, standardize: true }
        : {}),
    },
  );
  const rows = [...capDoc.querySelectorAll("#correlation table.correlations tbody tr")];
  assert.equal(rows.length, measured.length);
  const archetypes = capManifest.config.archetypes as Record<string, { correlations: Record<string, number> }>;
  for (const [i, m] of measured.entries()) {
    const td = rows[i].querySelectorAll("td");
    assert.equal(td[0].textContent, m.group);
    assert.equal(Number(td[2].getAttribute("data-value")), m.r);
    const key = `${m.x.split("_")[0]}_${m.y.split("_")[0]}`;
    assert.equal(Number(td[3].getAttribute("data-value")), archetypes[m.group].correlations[key]);
  }
  const heatmap = capDoc.querySelector('#correlation svg[aria-label^="Measured noise correlations"]');
  assert.ok(heatmap, "heatmap");
  assert.equal(capDoc.querySelectorAll("#correlation .scatter-matrix svg").length, 6, "6 scatter panels, drawn once");
});

Deno.test("calendar effects equal a direct computation on the rows", () => {
  const df = inMemory(capInput.tables.capacity).filter(pl.col("server_type").eq(pl.lit("web")));
  const mean = (f: pl.Expr) => Number(df.filter(f).getColumn("net_in_p95").mean());
  const plain = pl.col("is_weekend").not().and(pl.col("is_eoq").not()).and(pl.col("is_holiday").not());
  const expected = {
    weekend: mean(pl.col("is_weekend").and(pl.col("is_eoq").not()).and(pl.col("is_holiday").not())) / mean(plain),
    eoq: mean(pl.col("is_eoq").and(pl.col("is_weekend").not()).and(pl.col("is_holiday").not())) / mean(plain),
    holiday: mean(pl.col("is_holiday").and(pl.col("is_weekend").not()).and(pl.col("is_eoq").not())) / mean(plain),
  };
  const rows = [...capDoc.querySelectorAll("#seasonality table.effects tbody tr")]
    .filter((tr: Doc) => tr.querySelector("td").textContent === "web");
  assert.equal(rows.length, 3);
  for (const [tr, key] of rows.map((tr: Doc, i: number) => [tr, Object.keys(expected)[i]])) {
    const got = Number(tr.querySelectorAll("td")[2].getAttribute("data-value"));
    assert.ok(Math.abs(got - expected[key as keyof typeof expected]) < 1e-9, `${key}: ${got}`);
  }
  const wk = Number(rows[0].querySelectorAll("td")[3].getAttribute("data-value"));
  assert.equal(
    wk,
    (capManifest.config.archetypes as Record<string, { weekend_multiplier: number }>).web.weekend_multiplier,
  );
  assert.ok(capDoc.querySelector('#seasonality svg[aria-label^="Autocorrelation"]'));
  assert.equal(
    capDoc.querySelector('#seasonality svg[aria-label^="Hour-of-day"]'),
    null,
    "daily data: no hour profile",
  );
});

Deno.test("the anomaly section's numbers equal the labels", () => {
  const points = inMemory(anoInput.tables.points), events = inMemory(anoInput.tables.events);
  const series = inMemory(anoInput.tables.series);
  const stat = (key: string) => Number(anoDoc.querySelector(`[data-stat="${key}"]`).getAttribute("data-value"));
  const labeled = Number(points.getColumn("is_anomaly").cast(pl.Float64).sum());
  assert.equal(stat("anomalous-points"), labeled);
  assert.equal(stat("point-rate"), labeled / points.height);
  assert.equal(stat("events"), events.height);
  assert.equal(stat("series"), series.height);
  assert.equal(stat("series-rate"), Number(series.getColumn("has_anomaly").cast(pl.Float64).mean()));
  assert.equal(stat("target-series-rate"), anoManifest.config.anomaly_ratio);
  const types = [...new Set(events.getColumn("type").cast(pl.String).toArray() as string[])].sort();
  assert.deepEqual(texts(anoDoc, "#anomalies table.anomaly-types tbody tr td:first-child"), types);
  const samples = anoDoc.querySelectorAll('#anomalies svg[aria-label*="anomaly windows shaded"]');
  assert.ok(samples.length >= Math.min(6, types.length) - 1, `${samples.length} sample charts`);
  assert.ok(anoDoc.querySelector('#anomalies svg[aria-label^="Timeline of anomaly events"]'));
});

Deno.test("every anomaly chart shows one legend of every type above both drawings, each swatch visible", () => {
  const types = texts(anoDoc, "#anomalies table.anomaly-types tbody tr td:first-child");
  const figures = [...anoDoc.querySelectorAll("#anomalies figure.chart")].filter((f: Doc) =>
    f.querySelector('svg[aria-label*="anomaly windows shaded"], svg[aria-label^="Timeline of anomaly events"]') !== null
  );
  assert.ok(figures.length >= 2, `${figures.length} charts of types`);
  for (const f of figures) {
    const legends = f.querySelectorAll('[class$="-swatches-wrap"]');
    assert.equal(legends.length, 1, "one legend per figure, outside the wide and narrow drawings");
    assert.equal(legends[0].parentNode, f);
    const swatches = [...legends[0].querySelectorAll('[class$="-swatch"]')];
    assert.deepEqual(swatches.map((s: Doc) => s.textContent.trim()), types);
    for (const s of swatches) {
      const svg = s.querySelector("svg");
      assert.equal(svg.getAttribute("aria-hidden"), "true");
      assert.notEqual(svg.getAttribute("stroke"), "white", "stroke-only symbols (times, plus) must not vanish");
    }
  }
});

Deno.test("data without targets gets a correlation matrix: within-series Pearson r of the clean rows", () => {
  const c = anoReport.data.correlation!;
  assert.equal(c.source, "profile");
  assert.deepEqual(c.metrics, ["latency_ms", "error_rate_pct", "throughput_rps"]);
  // Independently: each series' mean removed with a window expression, then Pearson r of the centred columns.
  const clean = inMemory(anoInput.tables.points).filter(pl.col("is_anomaly").not());
  const centred = clean.select(
    ...c.metrics.map((m) => pl.col(m).sub(pl.col(m).mean().over("series_id")).alias(m)),
  );
  for (const cell of c.cells) {
    const expected = Number(centred.select(pl.pearsonCorr(cell.x, cell.y).alias("r")).getColumn("r").get(0));
    assert.ok(Math.abs(cell.measured - expected) < 1e-8, `${cell.x}-${cell.y}: ${cell.measured} vs ${expected}`);
    assert.equal(cell.n, clean.height);
    assert.equal(cell.target, null);
    assert.equal(cell.passed, null);
  }
  assert.ok(anoDoc.querySelector('#correlation svg[aria-label^="Measured correlations of each metric pair"]'));
  assert.match(anoDoc.querySelector("#correlation p").textContent, /nothing is judged/);
  assert.doesNotMatch(anoDoc.querySelector("#correlation").textContent, /off target|within ±/);
  // The scatter matrix samples its rows (a table without groups once came out with one row).
  assert.equal(anoReport.data.scatter!.group.length, 300);
});

Deno.test("the anomaly rate over time adds up to the labels, bucket by bucket and type by type", () => {
  const o = anoReport.data.anomalies!.overTime;
  const points = inMemory(anoInput.tables.points);
  const bucket = pl.col("timestamp").cast(pl.Datetime("ms")).dt.timestamp().cast(pl.Float64).div(o.bucketMs).floor()
    .mul(o.bucketMs).alias("t");
  const expected = points.select(bucket, pl.col("is_anomaly").cast(pl.Float64).alias("a"), pl.col("anomaly_type"))
    .groupBy("t").agg(pl.col("a").mean().alias("rate")).sort("t");
  assert.deepEqual(o.t, expected.getColumn("t").toArray().map(Number));
  const rate = expected.getColumn("rate").toArray() as number[];
  o.rate.forEach((r, i) => assert.ok(Math.abs(r - rate[i]) < 1e-12, `bucket ${i}: ${r} vs ${rate[i]}`));
  // The per-type shares add up to the overall share in every bucket.
  o.t.forEach((_, i) => {
    const sum = o.byType.reduce((a, ty) => a + ty.rate[i], 0);
    assert.ok(Math.abs(sum - o.rate[i]) < 1e-12);
  });
  assert.ok(o.t.length >= 2 && o.t.length <= 61, `${o.t.length} buckets`);
  assert.ok(anoDoc.querySelector('#anomalies svg[aria-label^="Anomalous points per time bucket"]'));
});

Deno.test("the anomaly section works without an event table and is absent for unlabeled data", () => {
  const tables = { points: anoInput.tables.points };
  const manifest = { ...anoManifest, tables: { points: anoManifest.tables.points } };
  const doc = parse(buildReport({ manifest, tables } as ReportInput).html);
  const events = anoInput.tables.events.height;
  assert.equal(Number(doc.querySelector('[data-stat="events"]').getAttribute("data-value")), events);
  const unlabeled = { points: inMemory(anoInput.tables.points).drop("is_anomaly") };
  const doc2 = parse(buildReport({ manifest, tables: unlabeled } as ReportInput).html);
  assert.equal(doc2.querySelector("#anomalies"), null);
});

Deno.test("values with <, & and quotes come out escaped: names, messages, config, lineage, columns", () => {
  for (const page of [capReport.html, oddReport.html]) {
    assert.ok(!page.includes(NASTY), "never raw");
    assert.ok(!page.includes("<script"), "no script element");
  }
  const odd = parse(oddReport.html);
  assert.ok(texts(odd, "#quality table.results td").includes(NASTY), "message round-trips through escaping");
  assert.ok(texts(odd, "#card li").some((t) => t.startsWith(NASTY)), "lineage source");
  assert.equal(JSON.parse(odd.querySelector("#card details pre").textContent).note, NASTY);
  assert.ok(texts(odd, "#quality table.ranges td").includes(`x<y&"z'`), "column name");
  assert.ok(oddReport.html.includes("x&lt;y&amp;&quot;z&#39;"));
  assert.match(texts(odd, "header .lead")[0], /hand & <made> 0\.0\.1/);
  const measured = [...odd.querySelectorAll("#quality table.results tr")].find((tr: Doc) =>
    tr.getAttribute("data-check") === `validity.range:<col>&"x"`
  );
  assert.equal(measured.querySelectorAll("td")[3].textContent, `between <0> & "100"`);
});

Deno.test("reports are self-contained, accessible pages", async (t) => {
  const reports = [["capacity", capReport, 14], ["anomalies", anoReport, 10], ["odd", oddReport, 3]] as const;
  for (const [name, report, minCharts] of reports) {
    await t.step(name, () => {
      const page = report.html;
      for (const banned of [/<script/i, /<link/i, /<img/i, /<image/i, /<iframe/i, /url\(/i, /@import/i, /\ssrc=/i]) {
        assert.doesNotMatch(page, banned);
      }
      const doc = parse(page);
      assert.equal(doc.documentElement.getAttribute("lang"), "en");
      assert.match(doc.querySelector("title").textContent, /opslab dataset report/);
      for (const a of doc.querySelectorAll("a")) assert.match(a.getAttribute("href"), /^(#|\.\.\/index\.html$)/);
      const svgs = [...doc.querySelectorAll("svg")];
      const charts = svgs.filter((s: Doc) => s.getAttribute("role") === "img");
      assert.ok(charts.length >= minCharts, `${charts.length} charts`);
      const hidden = svgs.filter((s: Doc) => s.getAttribute("aria-hidden") === "true");
      assert.equal(charts.length + hidden.length, svgs.length, "every svg is a named chart or a hidden legend swatch");
      for (const svg of hidden) assert.match(svg.getAttribute("class") ?? "", /-(ramp|swatch)|^$/);
      for (const svg of charts) {
        assert.ok(svg.getAttribute("aria-label")?.length > 10, "aria-label");
        assert.equal(svg.getAttribute("role"), "img");
        assert.equal(svg.firstElementChild.tagName.toLowerCase(), "title");
        // A column profile's drawing labels its ends (or its values) instead of carrying axes.
        const labels = svg.getAttribute("class") === "profile-svg"
          ? svg.querySelectorAll("text")
          : svg.querySelectorAll("g[aria-label$='axis label'] text");
        assert.ok([...labels].length >= 1, "axis labels");
      }
      for (const table of doc.querySelectorAll("table")) {
        assert.ok(table.querySelectorAll("thead th[scope=col]").length >= 2, "table headers");
      }
      assert.match(page, /prefers-color-scheme:dark/);
      assert.ok(report.bytes < 1.5 * 1024 * 1024, `${report.bytes} bytes`);
    });
  }
});

Deno.test("buildReport() is byte-identical for the same data and shows in Jupyter as a sandboxed iframe", () => {
  assert.equal(buildReport(capInput).html, capReport.html);
  const display = (capReport as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")];
  const bundle = display.call(capReport)["text/html"];
  assert.match(bundle, /^<iframe title="Report of capacity" sandbox="" /);
  const srcdoc = /srcdoc="([^"]*)"/.exec(bundle)![1];
  assert.ok(!srcdoc.includes("<"), "srcdoc is escaped");
  assert.equal(parse(bundle).querySelector("iframe").getAttribute("srcdoc"), capReport.html);
});

Deno.test("renderIndex() lists every dataset with status, rows and link, escaping names", () => {
  const page = renderIndex([
    indexEntry(capManifest, { validation: capInput.validation!, href: "capacity/index.html", bytes: capReport.bytes }),
    indexEntry(anoManifest, { validation: null, href: "anomalies/index.html", bytes: anoReport.bytes }),
    indexEntry({ ...oddManifest, name: NASTY }, { validation: null, href: null }),
  ]).value;
  const doc = parse(page);
  const rows = [...doc.querySelectorAll("table.datasets tbody tr")];
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((r: Doc) => r.querySelector(".badge").textContent), [
    "fail",
    "not validated",
    "not validated",
  ]);
  assert.deepEqual(rows.map((r: Doc) => r.querySelector("a")?.getAttribute("href") ?? null), [
    "capacity/index.html",
    "anomalies/index.html",
    null,
  ]);
  assert.equal(Number(rows[0].querySelectorAll("td")[5].getAttribute("data-value")), capManifest.rows);
  assert.equal(rows[0].querySelectorAll("td")[4].textContent, "2 / 4");
  assert.equal(
    rows[0].querySelector("td:nth-child(4) code").textContent,
    "correlation.pearson:web:cpu_p95|mem_p95",
    "the worst failure is the failed error, not the failed warning",
  );
  assert.equal(rows[1].querySelector("td:nth-child(4) code"), null);
  assert.ok(!page.includes(NASTY));
  assert.equal(rows[2].getAttribute("data-dataset"), NASTY);
});
