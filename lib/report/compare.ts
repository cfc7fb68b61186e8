/**
 * The compare page: two datasets (or data files) side by side, so synthetic-vs-real and before-vs-after are one
 * page. {@linkcode summarizeCompare} measures (drift per column on seeded bounded samples, correlation and
 * seasonality differences), {@linkcode renderCompare} draws the page in the shell every report uses.
 * @module
 */
import { type Html, html, type HtmlValue } from "./html.ts";
import { createDocument, type ReportDocument } from "./document.ts";
import { HtmlPage, renderPage } from "./page.ts";
import { breakable, plot } from "./sections.ts";
import { formatNumber, formatPercent, shortTime } from "./_format.ts";
import { stackTables } from "./_table.ts";
import { driftCorrelationChart } from "./charts/drift_correlation.ts";
import { COMPARE_COLOR, driftHistogramChart } from "./charts/drift_histogram.ts";
import { driftProfileChart } from "./charts/drift_profile.ts";
import {
  type CompareSide,
  type CompareSummary,
  type DriftVerdict,
  type SideCard,
  summarizeCompare,
  type SummarizeCompareOptions,
} from "./_compare_summary.ts";

export {
  type CategoryDrift,
  CompareInputError,
  type CompareSide,
  type CompareSummary,
  type CorrelationDiff,
  type DriftVerdict,
  driftVerdict,
  type MetricSeasonality,
  type NumericDrift,
  type SeasonalityDiff,
  type SideCard,
  summarizeCompare,
  type SummarizeCompareOptions,
} from "./_compare_summary.ts";

/** Options of {@linkcode renderCompare}. */
export interface RenderCompareOptions {
  /** Width of the wide charts (correlation). @default 880 */
  width?: number;
  /** Width of their second drawing for phones, 0 for none. @default 360 */
  narrow?: number;
  /** Width of the small per-column charts (they shrink with their grid cell). @default 300 */
  small?: number;
  /** Most per-column charts (the tables list every column). @default 48 */
  maxCharts?: number;
  /** The document charts are drawn in. @default a fresh linkedom document */
  document?: ReportDocument;
  /** When the page was built, shown in the footer; leave out for byte-identical output. @default undefined */
  built?: string;
}

/** A number cell: rounded for people, exact in `data-value`. */
function num(v: number | null | undefined, digits = 3): Html {
  const raw = v === null || v === undefined || Number.isNaN(v) ? "" : String(v);
  return html`<td class="num" data-value="${raw}">${formatNumber(v ?? null, digits)}</td>`;
}

const VERDICT_CLASS: Record<DriftVerdict, string> = { stable: "pass", moderate: "warn", drifted: "fail" };

function verdictBadge(v: DriftVerdict | null): Html {
  return v === null
    ? html`<span class="badge none">not compared</span>`
    : html`<span class="badge ${VERDICT_CLASS[v]}" data-verdict="${v}">${v}</span>`;
}

function pValue(p: number): string {
  if (Number.isNaN(p)) return "–";
  return p < 1e-4 ? "< 0.0001" : formatNumber(p, 4);
}

function swatches(): Html {
  const range = COMPARE_COLOR.range as string[];
  return html`<div class="legend-swatches" aria-hidden="true">${
    ["A", "B"].map((s, i) =>
      html`<span><svg width="12" height="12" viewBox="0 0 12 12"><rect width="12" height="12" fill="${
        range[i]
      }" fill-opacity=".6"/></svg> ${s}</span>`
    )
  }</div>`;
}

function renderSides(a: SideCard, b: SideCard): Html {
  const tables = (s: SideCard) =>
    s.tables.map((t, i) =>
      html`${i > 0 ? html`<br>` : ""}<code class="token">${breakable(t.name)}</code>: ${
        formatNumber(t.rows)
      } rows, ${t.columns} columns`
    );
  const range = (s: SideCard) =>
    s.timeRange === null
      ? "–"
      : `${shortTime(s.timeRange.start)} – ${shortTime(s.timeRange.end)} (${s.timeRange.column})`;
  const row = (label: string, va: HtmlValue, vb: HtmlValue) =>
    html`
      <tr>
        <th scope="row">${label}</th>
        <td>${va}</td>
        <td>${vb}</td>
      </tr>
    `;
  // No <thead>: a table of three short columns stays a table on phones (the stacked layout is for wide ones).
  return html`
    <div class="scroll">
      <table class="sides">
        <caption>The two sides: A is the reference, B is compared with it</caption>
        <tbody>
          <tr>
            <td></td>
            <th scope="col">A</th>
            <th scope="col">B</th>
          </tr>
    ${row("Name", html`<b>${a.name}</b>`, html`<b>${b.name}</b>`)}
    ${row("Kind", a.kind, b.kind)}
    ${row("Source", html`<span class="hash">${a.source}</span>`, html`<span class="hash">${b.source}</span>`)}
    ${row(
      "Primary table",
      html`<code class="token">${a.primary}</code>`,
      html`<code class="token">${b.primary}</code>`,
    )}
    ${row("Rows per table", tables(a), tables(b))}
    ${row("Time range", range(a), range(b))}
        </tbody>
      </table>
    </div>
  `;
}

function renderNumeric(s: CompareSummary, chart: ChartSizes): Html {
  if (s.numeric.length === 0) {
    return html`
      <section id="drift" aria-labelledby="drift-h">
        <h2 id="drift-h">Numeric drift</h2>
        <p class="muted">No numeric column in both primary tables.</p>
      </section>
    `;
  }
  const counts = { stable: 0, moderate: 0, drifted: 0 };
  for (const d of s.numeric) if (d.verdict !== null) counts[d.verdict]++;
  const uncompared = s.numeric.filter((d) => d.verdict === null).length;
  const charted = s.numeric.slice(0, chart.maxCharts);
  return html`<section id="drift" aria-labelledby="drift-h">
<h2 id="drift-h">Numeric drift</h2>
<p>${s.numeric.length} numeric columns in both primary tables: <span class="pass">${counts.stable} stable</span>, <span class="warn">${counts.moderate} moderate</span>, <span class="fail">${counts.drifted} drifted</span>${
    uncompared > 0 ? `, ${uncompared} not compared (no values on one side)` : ""
  }. Counts and means are over all rows; quantiles, KS, PSI and W1 over a seeded sample of at most ${
    formatNumber(s.sampleRows)
  } rows per table (the same rows for every column, so the same data gives the same page).</p>
<p class="muted">KS D: the largest gap between the two cumulative distributions (0 to 1), with its asymptotic p-value. PSI: population stability index on the deciles of A (below 0.1 stable, 0.1–0.25 moderate, 0.25 and above a significant shift). W1: Wasserstein-1 (earth mover's) distance over the interquartile range of A (or its standard deviation when the IQR is 0). Verdict: drifted at PSI ≥ 0.25 or D ≥ 0.2, moderate at PSI ≥ 0.1 or D ≥ 0.1 (a D counts when p &lt; 0.01).</p>
<div class="scroll"><table class="drift">
<caption>Drift of B against A per numeric column</caption>
<thead><tr><th scope="col">Column</th><th scope="col" class="num">n A</th><th scope="col" class="num">n B</th><th scope="col" class="num">Mean A</th><th scope="col" class="num">Mean B</th><th scope="col" class="num">p50 A</th><th scope="col" class="num">p50 B</th><th scope="col" class="num">p95 A</th><th scope="col" class="num">p95 B</th><th scope="col" class="num">KS D</th><th scope="col" class="num">KS p</th><th scope="col" class="num">PSI</th><th scope="col" class="num">W1 / spread</th><th scope="col">Verdict</th></tr></thead>
<tbody>${
    s.numeric.map((d) =>
      html`
        <tr data-column="${d.column}"
          ${d.verdict === "drifted"
            ? html`
              class="failed"
            `
            : ""}><td><code class="token">${breakable(d.column)}</code></td>${num(d.nA)}${num(d.nB)}${num(
              d.meanA,
            )}${num(d.meanB)}${num(d.p50A)}${num(d.p50B)}${num(d.p95A)}${num(d.p95B)}${num(
              d.ksD,
              4,
            )}<td class="num" data-value="${Number.isNaN(d.ksP) ? "" : String(d.ksP)}">${pValue(d.ksP)}</td>${num(
              d.psi,
              4,
            )}<td class="num" data-value="${Number.isNaN(d.w1Normalized) ? "" : String(d.w1Normalized)}" title="${`W1 ${
            formatNumber(d.w1, 4)
          } over the ${d.w1By === "iqr" ? "IQR" : "standard deviation"} of A`}">${formatNumber(
            d.w1Normalized,
            3,
          )}${d.w1By === "std" ? " (std)" : ""}</td><td>${verdictBadge(d.verdict)}</td></tr>
      `
    )
  }</tbody></table></div>
<h3>Distributions</h3>
${swatches()}
<div class="profile-grid compare-grid">${
    charted.filter((d) => d.histogram.length > 0).map((d) =>
      plot({ width: chart.small, document: chart.document }, (o) => driftHistogramChart(d, o), {
        caption: `${d.column}: ${d.verdict ?? "not compared"}, PSI ${formatNumber(d.psi, 3)}, KS D ${
          formatNumber(d.ksD, 3)
        }`,
      })
    )
  }</div>
${
    s.numeric.length > charted.length
      ? html`<p class="muted">Charts of the first ${charted.length} columns; the table lists all ${s.numeric.length}.</p>`
      : ""
  }
<p class="muted">Bins span 0.5 % to 99.5 % of both samples together; values beyond fall in the end bins.</p>
</section>`;
}

function renderCategories(s: CompareSummary): Html {
  if (s.categorical.length === 0) return html``;
  return html`
    <section id="categories" aria-labelledby="categories-h">
      <h2 id="categories-h">Categories</h2>
      <p>Text and true/false columns in both primary tables: the most frequent values with their share of each sample, and PSI over the categories (a value missing on one side counts as a share of 0.0001). Columns with more than 50 distinct values in a sample are not compared by category.</p>
      <div class="scroll">
        <table class="categories">
          <caption>Category shares of B against A</caption>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col" class="num">Distinct A</th>
              <th scope="col" class="num">Distinct B</th>
              <th scope="col">Top values: share A → B</th>
              <th scope="col" class="num">PSI</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>${s.categorical.map((c) =>
            html`
              <tr
                data-column="${c.column}"><td><code class="token">${breakable(c.column)}</code></td>${num(
                  c.distinctA,
                )}${num(c.distinctB)}<td>${c.top.map((t, i) =>
                  html`${i > 0 ? html`<br>` : ""}<code class="token">${breakable(t.value)}</code> ${
                    formatPercent(t.a, 1)
                  } → ${formatPercent(t.b, 1)}`
                )}</td>${num(c.psi, 4)}<td>${verdictBadge(c.verdict)}</td></tr>
            `
          )}</tbody>
        </table>
      </div>
    </section>
  `;
}

function renderCorrelationDiff(s: CompareSummary, chart: ChartSizes): Html {
  const c = s.correlation;
  if (c === null) return html``;
  const worst = [...c.cells].filter((x) => Number.isFinite(x.b - x.a)).sort((x, y) =>
    Math.abs(y.b - y.a) - Math.abs(x.b - x.a)
  );
  return html`<section id="correlation" aria-labelledby="correlation-h">
<h2 id="correlation-h">Correlation difference</h2>
<p>Pearson r of each pair of the shared metrics (${c.metrics.length}: ${
    c.metrics.map((m, i) => html`${i > 0 ? ", " : ""}<code class="token">${breakable(m)}</code>`)
  }) on the same sampled rows as above, in A, in B, and the difference.${
    worst.length > 0
      ? html`
        Largest change: <code class="token">${worst[0].x}</code> – <code
          class="token">${worst[0].y}</code>, ${formatNumber(worst[0].a, 2)} → ${formatNumber(worst[0].b, 2)}.
      `
      : ""
  }</p>
${
    plot(chart, (o) => driftCorrelationChart({ ...c, view: "sides" }, o), {
      caption: "Pearson r per pair, A left, B right, on one colour scale from −1 to 1.",
    })
  }
${
    plot(chart, (o) => driftCorrelationChart({ ...c, view: "difference" }, o), {
      caption: "r in B minus r in A: purple where B correlates more, orange where less.",
    })
  }
<div class="scroll"><table class="correlation-diff">
<caption>Correlations by pair, largest change first</caption>
<thead><tr><th scope="col">Pair</th><th scope="col" class="num">r A</th><th scope="col" class="num">r B</th><th scope="col" class="num">B − A</th></tr></thead>
<tbody>${
    worst.map((x) =>
      html`<tr><td><code class="token">${x.x}</code> – <code class="token">${x.y}</code></td>${num(x.a)}${num(x.b)}${
        num(x.b - x.a)
      }</tr>`
    )
  }</tbody></table></div>
</section>`;
}

function renderSeasonalityDiff(s: CompareSummary, chart: ChartSizes): Html {
  const z = s.seasonality;
  const acfCell = (v: number | null) => num(v, 3);
  const diff = (a: number | null, b: number | null) => a === null || b === null ? null : b - a;
  const cards = z.metrics.flatMap((m) => [
    ...(m.hour.length > 0
      ? [
        plot({ width: chart.small, document: chart.document }, (o) =>
          driftProfileChart({ metric: m.metric, key: "hour", points: m.hour }, o), {
          caption: `${m.metric} by hour of day (UTC)`,
        }),
      ]
      : []),
    ...(m.dow.length > 0
      ? [
        plot({ width: chart.small, document: chart.document }, (o) =>
          driftProfileChart({ metric: m.metric, key: "dow", points: m.dow }, o), {
          caption: `${m.metric} by day of week`,
        }),
      ]
      : []),
  ]);
  return html`<section id="seasonality" aria-labelledby="seasonality-h">
<h2 id="seasonality-h">Seasonality difference</h2>
${
    z.metrics.length === 0 ? html`<p class="muted">${z.note ?? "No comparison."}</p>` : html`
      <p>Each metric's mean over entities at each instant (time columns <code class="token">${z
        .timeA}</code> in A, <code
          class="token">${z.timeB}</code> in B, over all rows), its mean level by hour of day and day of week, A and B
        overlaid, and its autocorrelation 24 h and 168 h apart (pairs matched in time, the validator's estimator).${z
            .note === null
          ? ""
          : html`
            <span class="muted">${z.note}</span>
          `}</p>
      ${cards.length > 0 ? html`${swatches()}<div class="profile-grid compare-grid">${cards}</div>` : ""}
      <div class="scroll">
        <table class="acf-diff">
          <caption>Autocorrelation of each metric's mean series at 24 h and 168 h</caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col" class="num">r 24 h A</th>
              <th scope="col" class="num">r 24 h B</th>
              <th scope="col" class="num">Δ 24 h</th>
              <th scope="col" class="num">r 168 h A</th>
              <th scope="col" class="num">r 168 h B</th>
              <th scope="col" class="num">Δ 168 h</th>
            </tr>
          </thead>
          <tbody>${z.metrics.map((m) => {
            const [d1, d7] = m.acf;
            return html`
              <tr
                data-metric="${m.metric}"><td><code class="token">${breakable(m.metric)}</code></td>${acfCell(
                  d1.a,
                )}${acfCell(d1.b)}${acfCell(diff(d1.a, d1.b))}${acfCell(d7.a)}${acfCell(d7.b)}${acfCell(
                  diff(d7.a, d7.b),
                )}</tr>
            `;
          })}</tbody>
        </table>
      </div>
    `
  }
</section>`;
}

function renderColumns(s: CompareSummary): Html {
  const list = (cols: string[]) =>
    cols.length === 0
      ? html`<span class="muted">none</span>`
      : cols.map((c, i) => html`${i > 0 ? ", " : ""}<code class="token">${breakable(c)}</code>`);
  return html`
    <section id="columns" aria-labelledby="columns-h">
      <h2 id="columns-h">Columns in one side only</h2>
      <dl class="card">
        <dt>Only in A (${s.onlyA.length})</dt>
        <dd data-only="A">${list(s.onlyA)}</dd>
        <dt>Only in B (${s.onlyB.length})</dt>
        <dd data-only="B">${list(s.onlyB)}</dd>
        <dt>Types differ (${s.typeDiffers.length})</dt>
        <dd data-only="types">${s.typeDiffers.length === 0
          ? html`<span class="muted">none</span>`
          : s.typeDiffers.map((t, i) =>
            html`${i > 0 ? "; " : ""}<code class="token">${breakable(t.column)}</code> ${t.a} in A, ${t.b} in B`
          )}</dd>
      </dl>
    </section>
  `;
}

interface ChartSizes {
  width: number;
  narrow: number;
  small: number;
  maxCharts: number;
  document: ReportDocument;
}

/**
 * Renders the compare page from its summary: the two sides, numeric drift (table and overlaid histograms),
 * categories, the correlation difference, the seasonality difference and the columns of one side only.
 * @param summary what {@linkcode summarizeCompare} measured
 * @param options chart widths, document, build time
 * @returns the page
 */
export function renderCompare(summary: CompareSummary, options: RenderCompareOptions = {}): Html {
  const { width = 880, narrow = 360, small = 300, maxCharts = 48, document = createDocument(), built } = options;
  const chart: ChartSizes = { width, narrow, small, maxCharts, document };
  const { a, b } = summary;
  const sections: [string, string, Html][] = [
    ["drift", "Numeric drift", renderNumeric(summary, chart)],
    ["categories", "Categories", renderCategories(summary)],
    ["correlation", "Correlation difference", renderCorrelationDiff(summary, chart)],
    ["seasonality", "Seasonality difference", renderSeasonalityDiff(summary, chart)],
    ["columns", "Columns in one side only", renderColumns(summary)],
  ];
  const present = sections.filter(([, , body]) => body.value !== "");
  const drifted = summary.numeric.filter((d) => d.verdict === "drifted").length +
    summary.categorical.filter((d) => d.verdict === "drifted").length;
  const body = html`<header>
<h1>${a.name} <span class="muted">vs</span> ${b.name}</h1>
<p class="lead">Compare report: B against the reference A, ${summary.numeric.length} numeric and ${summary.categorical.length} category columns in both, ${
    drifted === 0
      ? html`<span class="badge pass">no column drifted</span>`
      : html`<span class="badge fail">${drifted} ${drifted === 1 ? "column" : "columns"} drifted</span>`
  }</p>
${renderSides(a, b)}
<nav class="toc" aria-label="Sections"><ul>${
    present.map(([id, title]) => html`<li><a href="#${id}">${title}</a></li>`)
  }</ul></nav>
</header>
${present.map(([, , x]) => x)}
<footer>opslab compare report · self-contained: no scripts, fonts or images are loaded${
    built === undefined ? "" : html`
      · built ${built}
    `
  }</footer>`;
  return renderPage(`${a.name} vs ${b.name} — opslab compare report`, stackTables(body), {
    description: `Drift, correlation and seasonality of ${b.name} against ${a.name}`,
  });
}

/** A built compare page: its summary and HTML; displays inline in Jupyter. */
export class CompareReport extends HtmlPage {
  /** What the page shows. */
  readonly summary: CompareSummary;

  /**
   * @param summary the summary
   * @param page the rendered page
   */
  constructor(summary: CompareSummary, page: Html) {
    super(page);
    this.summary = summary;
  }

  protected get frameTitle(): string {
    return `Compare ${this.summary.a.name} and ${this.summary.b.name}`;
  }
}

/** Options of {@linkcode buildCompare}: measuring and rendering. */
export type BuildCompareOptions = SummarizeCompareOptions & RenderCompareOptions;

/**
 * Builds the compare page of two loaded datasets. Pure: no file I/O (`tasks/report.ts --compare` reads and writes).
 * @param a the reference side
 * @param b the compared side
 * @param options sample size, seed and rendering options
 * @returns the page
 * @throws {CompareInputError} when the primary tables share no column
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { buildCompare } from "@lib/report/compare.ts";
 * const x = Array.from({ length: 500 }, (_, i) => (i * 37) % 100);
 * const side = (name: string, shift: number) => ({
 *   name, kind: "file", source: name, primary: "t",
 *   tables: { t: pl.DataFrame({ x: x.map((v) => v + shift), y: x }) },
 * });
 * const page = buildCompare(side("before", 0), side("after", 50));
 * assert.equal(page.summary.numeric.find((d) => d.column === "x")!.verdict, "drifted");
 * assert.equal(page.summary.numeric.find((d) => d.column === "y")!.verdict, "stable");
 * ```
 */
export function buildCompare(a: CompareSide, b: CompareSide, options: BuildCompareOptions = {}): CompareReport {
  const summary = summarizeCompare(a, b, options);
  return new CompareReport(summary, renderCompare(summary, options));
}
