/**
 * The sections of a dataset report, each a small pure function from report data to {@linkcode Html}.
 * @module
 */
import type { CheckResult, DatasetValidation } from "@lib/validate/types.ts";
import { escapeHtml, type Html, html, unsafe } from "./html.ts";
import {
  anomalyRateTimeChart,
  anomalySampleChart,
  anomalySeriesRateChart,
  anomalyTimeline,
  anomalyTypeChart,
  autocorrelationChart,
  chartMarkup,
  type ChartOptions,
  correlationHeatmap,
  fidelityAcfChart,
  fidelityQuantileChart,
  fidelitySpreadChart,
  hourProfileChart,
  monthProfileChart,
  nullRateChart,
  scatterMatrix,
  seasonalEffectsChart,
  SERIES_PANEL_WIDTH,
  seriesChart,
  typeLegend,
  weekdayProfileChart,
} from "./charts.ts";
import type { ReportElement } from "./document.ts";
import { columnProfileSvg } from "./charts/column_profile.ts";
import { AROUND_WIDTH, MULTIPLE_WIDTH, viewChart } from "./charts/view_chart.ts";
import {
  bucketWidth,
  formatBytes,
  formatMeasured,
  formatNumber,
  formatPercent,
  humanDtype,
  shortTime,
} from "./_format.ts";
import { withUnit } from "./kinds.ts";
import type { ReportData } from "./types.ts";

/**
 * The overall status of a dataset: from its results, `not validated` without any, `stale` when the only results
 * are of other content (a regenerated dataset); {@linkcode validationStatus} never gives `stale`.
 */
export type ValidationStatus = "pass" | "warn" | "fail" | "stale" | "not validated";

/**
 * The status of a validation: `fail` when an error-severity check failed, `warn` when only warnings failed.
 * @param validation the results, or null
 * @returns the status
 */
export function validationStatus(validation: DatasetValidation | null | undefined): ValidationStatus {
  if (validation === null || validation === undefined) return "not validated";
  const failed = validation.results.filter((r) => !r.passed);
  if (failed.some((r) => r.severity === "error")) return "fail";
  return failed.some((r) => r.severity === "warning") ? "warn" : "pass";
}

/**
 * A status badge.
 * @param status the status
 * @returns the badge
 */
export function statusBadge(status: ValidationStatus): Html {
  const cls = status === "not validated" ? "none" : status;
  return html`<span class="badge ${cls}">${status}</span>`;
}

/**
 * A chart in a figure with its caption. Chart SVG made by Plot enters the page here, through `unsafe`. Being
 * {@linkcode Html}, it also displays inline in Jupyter: notebooks show a chart with `figure(Plot.plot(…))`.
 * @param el the chart
 * @param caption what the figure shows (text, escaped) @default none
 * @returns the figure
 */
export function figure(el: ReportElement, caption?: string): Html {
  const cap = caption === undefined ? "" : html`<figcaption>${caption}</figcaption>`;
  return html`<figure class="chart">${unsafe(chartMarkup(el))}${cap}</figure>`;
}

/** Chart options of a page: the wide width, and the narrow one drawn beside it for phones. */
export interface PageChartOptions extends ChartOptions {
  /** Width of the second drawing shown below 640 px, or 0 for none. @default 0 */
  narrow?: number;
}

/**
 * A chart drawn for the page: at the page's width and, when `chart.narrow` is set, a second time at that width
 * for phones (the stylesheet shows one of them), so text stays readable at 390 px instead of being scaled down.
 * @param chart widths and document
 * @param draw the chart function, called with the options of each width
 * @param options `caption`: what the figure shows (text, escaped), none by default; `legend`: markup of a legend
 *   shown once above both drawings, which are then drawn without their own (`legend: false`)
 * @returns the figure
 */
export function plot(
  chart: PageChartOptions,
  draw: (c: ChartOptions) => ReportElement,
  options: { caption?: string; legend?: string } = {},
): Html {
  const { caption, legend } = options;
  const cap = caption === undefined ? "" : html`<figcaption>${caption}</figcaption>`;
  const { narrow = 0, ...wide } = chart;
  const once = legend === undefined ? "" : unsafe(legend);
  const drawn = legend === undefined ? wide : { ...wide, legend: false };
  if (!(narrow > 0) || narrow >= (wide.width ?? 720)) {
    return legend === undefined
      ? figure(draw(wide), caption)
      : html`<figure class="chart">${once}${unsafe(chartMarkup(draw(drawn)))}${cap}</figure>`;
  }
  return html`
    <figure
      class="chart">${once}<div class="wide">${unsafe(chartMarkup(draw(drawn)))}</div><div class="narrow">${unsafe(
        chartMarkup(draw({ ...drawn, width: narrow })),
      )}</div>${cap}</figure>
  `;
}

/** A number cell: rounded for people, exact in `data-value` for machines and tests. */
function num(v: number | null | undefined, digits = 3): Html {
  const raw = v === null || v === undefined || Number.isNaN(v) ? "" : String(v);
  return html`<td class="num" data-value="${raw}">${formatNumber(v ?? null, digits)}</td>`;
}

function isSafeUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

function isoTime(s: string): string {
  return s.replace(/\.000Z$/, "Z");
}

/** Both ends as days when both are midnight, else as times. */
function isoRange(start: string, end: string): string {
  const midnight = /T00:00:00(\.000)?Z$/;
  return midnight.test(start) && midnight.test(end)
    ? `${start.slice(0, 10)} – ${end.slice(0, 10)}`
    : `${isoTime(start)} – ${isoTime(end)}`;
}

/**
 * Headline counts: the rows of every table (largest first), so a dataset of eight tables does not read as its
 * primary table's count.
 * @param data the report data
 * @returns the counts
 */
export function renderHeadline(data: ReportData): Html {
  const tables = [...data.card.tables].sort((a, b) => b.rows - a.rows || a.name.localeCompare(b.name));
  return html`<div class="stats" aria-label="Rows per table">${
    tables.map((t) =>
      html`
        <div
          class="stat"><b data-table-rows="${t.name}" data-value="${t.rows}">${formatNumber(
            t.rows,
          )}</b><code class="token">${breakable(t.name)}</code></div>
      `
    )
  }</div>`;
}

/** Text (an id, a path, a column name) that may wrap after `.`, `:`, `|`, `/`, `_` or `-`, never inside a word. */
export function breakable(text: string): Html {
  return unsafe(text.split(/(?<=[.:|/_=-])/).map(escapeHtml).join("<wbr>"));
}

/** How many files of a table the card lists before summing the rest. */
const FILES_SHOWN = 5;

/** The files of a dataset grouped by table (other files by their top folder), at most a few listed per group. */
function renderFiles(c: ReportData["card"]): Html {
  const owner = new Map<string, string>();
  for (const t of c.tables) for (const f of t.files ?? []) owner.set(f, t.name);
  const groups = new Map<string, ReportData["card"]["files"]>();
  for (const f of c.files) {
    const key = owner.get(f.path) ?? (f.path.includes("/") ? `${f.path.split("/")[0]}/` : "other files");
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  const total = c.files.reduce((a, f) => a + f.bytes, 0);
  return html`
    <p>${formatNumber(c.files.length)} files, ${formatBytes(total)} in all.</p>
    <div class="scroll">
      <table class="files">
        <thead>
          <tr>
            <th scope="col">Table or folder</th>
            <th scope="col" class="num">Files</th>
            <th scope="col" class="num">Size</th>
            <th scope="col">Files (SHA-256 prefix)</th>
          </tr>
        </thead>
        <tbody>${[...groups].map(([key, files]) => {
          const bytes = files.reduce((a, f) => a + f.bytes, 0);
          const shown = files.slice(0, FILES_SHOWN);
          return html`
            <tr>
              <td><code class="token">${breakable(key)}</code></td>
              <td class="num" data-value="${files.length}">${formatNumber(files.length)}</td>
              <td class="num" data-value="${bytes}" title="${formatNumber(bytes)} bytes">${formatBytes(bytes)}</td>
              <td>${shown.map((f, i) =>
                html`
                  ${i > 0 ? ", " : ""}<code class="token" title="sha256 ${f.sha256}">${breakable(f.path)}</code> <span
                    class="mono hash muted">${f.sha256.slice(0, 12)}</span>
                `
              )}${files.length > FILES_SHOWN
                ? html`
                  <span class="muted">and ${formatNumber(files.length - FILES_SHOWN)} more</span>
                `
                : ""}</td>
            </tr>
          `;
        })}</tbody>
      </table>
    </div>
  `;
}

/**
 * The dataset card: name, kind, generator, seed, rows, time range, classification, retention, lineage, tables,
 * files with sizes and checksums, generator stats and the resolved config.
 * @param data the report data
 * @returns the section
 */
export function renderCard(data: ReportData): Html {
  const c = data.card;
  const expires = new Date(Date.parse(c.created) + c.retention_days * 86_400_000).toISOString().slice(0, 10);
  return html`<section id="card" aria-labelledby="card-h">
<h2 id="card-h">Dataset card</h2>
<dl class="card">
<dt>Name</dt><dd><code>${c.name}</code></dd>
<dt>Kind</dt><dd>${c.kind}</dd>
<dt>Layer</dt><dd>${c.layer}</dd>
<dt>Generator</dt><dd>${c.generator.name} ${c.generator.version}</dd>
<dt>Seed</dt><dd>${c.seed === null ? "none" : String(c.seed)}</dd>
<dt>Rows</dt><dd data-value="${c.rows}">${formatNumber(c.rows)}</dd>
<dt>Time range</dt><dd>${
    c.timeRange === null
      ? "no time column"
      : html`${isoRange(c.timeRange.start, c.timeRange.end)} <span class="muted">(${c.timeRange.column}, UTC)</span>`
  }</dd>
<dt>Created</dt><dd>${c.created}</dd>
<dt>Classification</dt><dd>${c.classification}</dd>
<dt>Retention</dt><dd>${c.retention_days} days (until ${expires})</dd>
${
    c.source === null ? "" : html`
      <dt>Source</dt>
      <dd>${c.source.name}${c.source.url === undefined ? "" : isSafeUrl(c.source.url)
        ? html`
          — <a href="${c.source.url}">${c.source.url}</a>
        `
        : html`
          — ${c.source.url}
        `}${c.source.license === undefined ? "" : html`
        (license: ${c.source.license})
      `}</dd>
    `
  }
<dt>Lineage</dt><dd>${
    c.lineage.length === 0
      ? "none recorded"
      : html`<ul>${
        c.lineage.map((l) =>
          html`<li><code>${l.source}</code>: ${l.relation}${
            l.sha256 === undefined ? "" : html`
              <span class="mono hash">sha256 ${l.sha256}</span>
            `
          }</li>`
        )
      }</ul>`
  }</dd>
</dl>
<h3>Tables</h3>
<div class="scroll"><table>
<thead><tr><th scope="col">Table</th><th scope="col" class="num">Rows</th><th scope="col" class="num">Columns</th></tr></thead>
<tbody>${
    c.tables.map((t) =>
      html`
        <tr>
          <td><code class="token">${breakable(t.name)}</code></td>
          <td class="num" data-value="${t.rows}">${formatNumber(t.rows)}</td>
          <td class="num">${t.columns}</td>
        </tr>
      `
    )
  }</tbody>
</table></div>
<h3>Files</h3>
${renderFiles(c)}
${c.stats === null ? "" : renderStats(c.stats)}
<details><summary>Resolved config</summary><pre><code>${JSON.stringify(c.config, null, 2)}</code></pre></details>
</section>`;
}

/** Generator stats: plain values in a list, nested ones (per-type tables and the like) as JSON. */
function renderStats(stats: Record<string, unknown>): Html {
  const entries = Object.entries(stats);
  const plain = entries.filter(([, v]) => v === null || typeof v !== "object");
  const nested = entries.filter(([, v]) => v !== null && typeof v === "object");
  return html`<h3>Generator stats</h3>
<dl class="card">${
    plain.map(([k, v]) =>
      html`
        <dt>${k}</dt>
        <dd>${typeof v === "number" ? formatNumber(v, 4) : String(v)}</dd>
      `
    )
  }</dl>
${
    nested.map(([k, v]) =>
      html`
        <details>
          <summary>${k}</summary>
          <pre><code>${JSON.stringify(v, null, 2)}</code></pre>
        </details>
      `
    )
  }`;
}

function resultRow(r: CheckResult): Html {
  const cls = r.passed ? "pass" : r.severity === "error" ? "fail" : r.severity === "warning" ? "warn" : "info";
  const raw = r.measured === null ? "" : String(r.measured);
  return html`
    <tr class="${r.passed ? "passed" : "failed"}" data-check="${r.id}">
      <td><span class="badge ${cls}">${r.passed ? "pass" : "fail"}</span></td>
      <td><code class="token">${breakable(r.id)}</code></td>
      <td>${r.severity}</td>
      <td class="num" data-value="${raw}">${formatMeasured(r.measured)}</td>
      <td class="mono">${r.threshold}</td>
      <td>${r.message}</td>
    </tr>
  `;
}

/** The failing rows a check recorded (validation's `failing_rows`): key and offending values, at most 200. */
interface FailingRows {
  key: string[];
  columns: string[];
  rows: unknown[][];
  total: number;
}

/** How many failing rows a page shows per check. */
const FAILING_SHOWN = 20;

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") return formatNumber(v, 4);
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** A sample of a failed check's rows, when validation recorded them. */
export function renderFailingRows(r: CheckResult): Html {
  const f = (r as CheckResult & { failing_rows?: FailingRows }).failing_rows;
  if (r.passed || f === undefined || !Array.isArray(f.rows) || f.rows.length === 0) return html``;
  const shown = f.rows.slice(0, FAILING_SHOWN);
  return html`
    <details class="failing-rows">
      <summary>${formatNumber(shown.length)} of ${formatNumber(f.total)} failing rows</summary>
      <div class="scroll">
        <table class="failing">
          <thead>
            <tr>${f.columns.map((c) => html`<th scope="col">${c}${f.key.includes(c) ? " (key)" : ""}</th>`)}</tr>
          </thead>
          <tbody>${shown.map((row) =>
            html`<tr>${row.map((v) => html`<td class="mono">${cellText(v)}</td>`)}</tr>`
          )}</tbody>
        </table>
      </div>
    </details>
  `;
}

function resultsTable(results: CheckResult[], caption: string): Html {
  return html`
    <div class="scroll">
      <table class="results">
        <caption>${caption}</caption>
        <thead>
          <tr>
            <th scope="col">Result</th>
            <th scope="col">Check</th>
            <th scope="col">Severity</th>
            <th scope="col" class="num">Measured</th>
            <th scope="col">Threshold</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>${results.map(resultRow)}</tbody>
      </table>
    </div>
  `;
}

/**
 * Data quality: the validation results (failed first), the null rate of every column and the value ranges.
 * @param data the report data
 * @param chart chart options
 * @returns the section
 */
export function renderQuality(data: ReportData, chart: PageChartOptions): Html {
  const v = data.validation;
  const status = validationStatus(v);
  const columns = data.tables.flatMap((t) => t.columns);
  const results = v === null ? [] : [...v.results].sort((a, b) => Number(a.passed) - Number(b.passed));
  const failed = results.filter((r) => !r.passed);
  const passed = results.filter((r) => r.passed);
  return html`<section id="quality" aria-labelledby="quality-h">
<h2 id="quality-h">Data quality</h2>
${
    v === null
      ? html`<p>${
        statusBadge(status)
      } This dataset has no validation results: run <code>deno task validate ${data.card.name}</code>.</p>`
      : html`
        <p>${statusBadge(status)} <span data-summary="passed">${results.length - failed.length}</span> of ${results
          .length} checks passed; <span data-summary="failed">${failed.length}</span> failed (${failed.filter((r) =>
            r.severity === "error"
          ).length} errors, ${failed.filter((r) => r.severity === "warning").length} warnings). Validated ${v
          .validated}.</p>
        ${failed.length === 0 ? "" : resultsTable(failed, "Failed checks")}
        ${failed.some((r) => (r as { failing_rows?: unknown }).failing_rows !== undefined)
          ? html`<h3>Failing rows</h3>${failed.map(renderFailingRows)}`
          : ""}
        ${passed.length === 0
          ? ""
          : html`<details><summary>${passed.length} passed checks</summary>${
            resultsTable(passed, "Passed checks")
          }</details>`}
      `
  }
<h3>Null rate by column</h3>
${
    plot(chart, (o) => nullRateChart(columns, o), {
      caption:
        "Share of null values in each column. Red: nulls the schema does not allow; blue: nulls it allows; amber: nulls no check judged.",
    })
  }
<h3>Value ranges</h3>
<div class="scroll"><table class="ranges">
<caption>Per column: numbers give min, max and mean; times the first and last; text its shortest and longest value in characters and its distinct values; booleans the share true (as mean)</caption>
<thead><tr><th scope="col">Table</th><th scope="col">Column</th><th scope="col">Type</th><th scope="col" class="num">Nulls</th><th scope="col" class="num">Min</th><th scope="col" class="num">Max</th><th scope="col" class="num">Mean</th><th scope="col" class="num">Distinct</th><th scope="col">Unit</th></tr></thead>
<tbody>${
    columns.map((c) =>
      html`<tr><td><code class="token">${breakable(c.table)}</code></td><td><code class="token">${
        breakable(c.name)
      }</code></td><td title="${c.dtype}">${humanDtype(c.dtype)}</td>${num(c.nulls)}${
        typeof c.min === "string" ? html`<td class="num time">${shortTime(c.min)}</td>` : num(c.min)
      }${typeof c.max === "string" ? html`<td class="num time">${shortTime(c.max)}</td>` : num(c.max)}${
        num(c.mean, 4)
      }${num(c.distinct)}<td>${c.unit}</td></tr>`
    )
  }</tbody>
</table></div>
</section>`;
}

/**
 * The column profile: for every column of the first tables, its distribution (histogram or most frequent values)
 * and its alerts (constant, many zeros, piled at a bound, high cardinality, skew, unexpected nulls), alerts first.
 * @param data the report data
 * @returns the section, or nothing without profiles
 */
export function renderProfile(data: ReportData): Html {
  const profiles = data.profiles ?? {};
  if (Object.keys(profiles).length === 0) return html``;
  const byTable = data.tables.map((t) => ({
    t,
    cols: t.columns.filter((c) => profiles[`${t.name}.${c.name}`] !== undefined),
  })).filter((x) => x.cols.length > 0);
  const alerts = Object.values(profiles).filter((p) => p.alerts.length > 0);
  return html`<section id="profile" aria-labelledby="profile-h">
<h2 id="profile-h">Column profile</h2>
<p>${formatNumber(Object.keys(profiles).length)} columns profiled; ${formatNumber(alerts.length)} with alerts${
    alerts.length === 0
      ? ""
      : html`: ${
        alerts.slice(0, 12).map((p, i) =>
          html`${i > 0 ? "; " : ""}<code class="token">${breakable(p.column)}</code> ${p.alerts.join(", ")}`
        )
      }${alerts.length > 12 ? ` and ${alerts.length - 12} more` : ""}`
  }.</p>
${
    byTable.map(({ t, cols }) =>
      html`${
        byTable.length > 1 ? html`<h3><code class="token">${breakable(t.name)}</code></h3>` : ""
      }<div class="profile-grid">${
        cols.map((c) => {
          const p = profiles[`${t.name}.${c.name}`];
          return html`
            <div class="col-card"
              data-column="${t.name}.${c.name}"><h4><code class="token">${breakable(c.name)}</code></h4><p>${humanDtype(
                c.dtype,
              )}${c.distinct === null ? "" : ` · ${formatNumber(c.distinct)} distinct`}${c.nulls > 0
                ? ` · ${formatPercent(c.nullRate, 1)} null${c.nullsAllowed === true ? " (allowed)" : ""}`
                : ""}${p.skew === null ? "" : ` · skew ${formatNumber(p.skew, 2)}`}</p>${unsafe(
                  columnProfileSvg(p),
                )}${p.alerts.length === 0
                ? ""
                : html`<div class="alerts">${
                  p.alerts.map((a) => html`<span class="alert warn">${a}</span>`)
                }</div>`}</div>
          `;
        })
      }</div>`
    )
  }
</section>`;
}

/**
 * A kind's domain views (incident timeline, service desk, traffic, tickets, windows): one section each.
 * @param data the report data
 * @param chart chart options
 * @returns the sections
 */
export function renderViews(data: ReportData, chart: PageChartOptions): [string, string, Html][] {
  return (data.views ?? []).map((v) => [
    v.id,
    v.title,
    html`<section id="${v.id}" aria-labelledby="${v.id}-h">
<h2 id="${v.id}-h">${v.title}</h2>
${v.intro ? html`<p>${v.intro}</p>` : ""}
${
      v.charts.map((c) =>
        html`<h3>${c.title}</h3>${
          c.type === "multiples"
            // Panels of one width in a grid that reflows: drawn once, whatever the page width.
            ? figure(
              viewChart(c, { document: chart.document, width: MULTIPLE_WIDTH }),
              `${c.caption}${c.series.length < c.total ? ` The first ${c.series.length} of ${c.total} by id.` : ""}` ||
                undefined,
            )
            : c.type === "around"
            ? figure(viewChart(c, { document: chart.document, width: AROUND_WIDTH }), c.caption || undefined)
            : plot(chart, (o) => viewChart(c, o), { caption: c.caption || undefined })
        }`
      )
    }
</section>`,
  ]);
}

/**
 * Correlation: per-group heatmap of measured correlations beside the targets, the exact figures, and a sampled
 * scatter matrix.
 * @param data the report data
 * @param chart chart options
 * @returns the section, or nothing when the dataset declares no correlations
 */
export function renderCorrelation(data: ReportData, chart: PageChartOptions): Html {
  const c = data.correlation;
  if (c === null) return html``;
  const off = c.cells.filter((x) => x.passed === false);
  return html`<section id="correlation" aria-labelledby="correlation-h">
<h2 id="correlation-h">Correlation</h2>
<p>${c.method} ${
    c.source === "profile" ? "" : `Targets come from the generator config; accepted difference ±${c.tolerance}. `
  }${
    c.source === "profile"
      ? html`The matrix describes the data; nothing is judged.`
      : off.length === 0
      ? html`<span class="pass">All ${c.cells.length} pairs are within the tolerance.</span>`
      : html`<span class="fail">${off.length} of ${c.cells.length} pairs differ from their target by more than ${c.tolerance}.</span>`
  }</p>
${
    plot(chart, (o) => correlationHeatmap(c, o), {
      caption: c.source === "profile"
        ? "Measured r of each pair (cell colour and number)."
        : "Bold: measured r (cell colour). In brackets: the configured target. Red outline: off target by more than the tolerance.",
    })
  }
<div class="scroll"><table class="correlations">
<caption>${c.source === "profile" ? "Measured correlations" : "Measured correlations and targets"}</caption>
<thead><tr><th scope="col">Group</th><th scope="col">Pair</th><th scope="col" class="num">Measured r</th><th scope="col" class="num">Target</th><th scope="col" class="num">Difference</th><th scope="col" class="num">Rows</th><th scope="col">Verdict</th></tr></thead>
<tbody>${
    c.cells.map((x) => {
      const diff = x.target === null ? null : x.measured - x.target;
      const ok = x.passed;
      return html`<tr${
        ok === false
          ? html`
            class="failed"
          `
          : ""
      }><td>${x.group}</td><td><code>${x.x}</code> – <code>${x.y}</code></td>${num(x.measured, 3)}${num(x.target, 3)}${
        num(diff, 3)
      }${num(x.n)}<td>${
        ok === null
          ? html`<span class="none">no target</span>`
          : ok
          ? html`<span class="pass">within ±${x.tolerance}</span>`
          : html`<span class="fail">off target</span>`
      }</td></tr>`;
    })
  }</tbody>
</table></div>
${
    data.scatter === null ? "" : html`<h3>Scatter plots</h3>${
      // Panels of one width in a grid that reflows: drawn once, whatever the page width.
      figure(
        scatterMatrix(data.scatter, { document: chart.document }),
        `Every pair of metrics, ${data.scatter.group.length} rows sampled evenly per group (seeded, so the same data gives the same sample). Raw values: shared seasonality adds to the noise correlation above.`,
      )}`
  }
</section>`;
}

const EFFECT_NAMES: Record<string, string> = {
  weekend: "Weekend / weekday",
  eoq: "Quarter end / plain day",
  eoq_peak: "Quarter-end peak / plain day",
  holiday: "Holiday / plain day",
  business_hours: "Business-hours peak / off-hours",
};

/** Seasonality measured from a table's roles alone: profiles, autocorrelation and the daily cycle's strength. */
function renderGenericSeasonality(s: NonNullable<ReportData["seasonality"]>, chart: PageChartOptions): Html {
  return html`<section id="seasonality" aria-labelledby="seasonality-h">
<h2 id="seasonality-h">Seasonality</h2>
<p>Measured on <code>${s.metric}</code>${s.unit ? ` (${s.unit})` : ""}, the mean over entities at each instant${
    s.strength === null || s.strength === undefined ? "" : html`
      ; the hour of day explains <b data-stat="strength"
        data-value="${s.strength}">${formatPercent(s.strength, 1)}</b> of its variance (strength of the daily cycle)
    `
  }.</p>
${
    s.hour.length > 0
      ? plot(chart, (o) => hourProfileChart(s, o), {
        caption: "Mean level by hour of day (UTC), relative to the mean.",
      })
      : ""
  }
${
    s.dow.length > 0
      ? plot(chart, (o) => weekdayProfileChart(s, o), { caption: "Mean level by day of week, relative to the mean." })
      : ""
  }
${
    s.acf.length === 0 ? "" : plot(chart, (o) => autocorrelationChart(s, o), {
      caption: "Autocorrelation of the mean series (pairs matched in time, the validator's estimator).",
    })
  }
</section>`;
}

/**
 * Seasonality: hour-of-day, day-of-week and month profiles, the autocorrelation with the expected periods, and
 * the calendar effects measured against the config.
 * @param data the report data
 * @param chart chart options
 * @returns the section, or nothing when the dataset declares no seasonality
 */
export function renderSeasonality(data: ReportData, chart: PageChartOptions): Html {
  const s = data.seasonality;
  if (s === null) return html``;
  if (s.generic === true) return renderGenericSeasonality(s, chart);
  return html`<section id="seasonality" aria-labelledby="seasonality-h">
<h2 id="seasonality-h">Seasonality</h2>
<p>Measured on <code>${s.metric}</code>${
    s.unit ? ` (${s.unit})` : ""
  }, averaged over each group's entities at each timestamp. Levels are relative to the group's plain weekdays (not weekend, quarter end or holiday).</p>
${
    s.hour.length > 0
      ? plot(chart, (o) => hourProfileChart(s, o), { caption: "Mean level by hour of day on plain weekdays." })
      : ""
  }
${
    plot(chart, (o) => weekdayProfileChart(s, o), {
      caption: "Mean level by day of week, quarter ends and holidays left out.",
    })
  }
${
    plot(chart, (o) => monthProfileChart(s, o), {
      caption: "Mean level by month over all days: growth and quarter ends show here.",
    })
  }
<h3>Autocorrelation</h3>
${
    plot(chart, (o) => autocorrelationChart(s, o), {
      caption:
        `Autocorrelation of each group's mean series after removing a linear trend; dashed lines mark the expected periods (${
          s.periods.map((p) => p.label).join(", ")
        }).`,
    })
  }
<h3>Calendar effects against the config</h3>
${
    s.effects.length === 0 ? html`<p class="muted">No calendar flags to measure.</p>` : html`
      <p>${s.effects.some((e) => e.source === "validation")
        ? "Weekend/weekday ratio, quarter-end peak (1 + the fitted end-of-quarter uplift) and holiday level (1 − the dip) as the validator measured them on each group's median series, with its targets and tolerances."
        : "Each ratio is the group's mean level on days with that flag alone over its plain-weekday mean; quarter end is the mean over the ramp window, which the config implies as 1 + uplift × (days + 1) / (2 × days)."}${s
          .effects.some((e) => e.effect === "business_hours")
        ? " Business hours: the extreme business hour of the plain-weekday profile over the off-hours mean, measured here."
        : ""}</p>
      ${plot(chart, (o) => seasonalEffectsChart(s.effects, o), {
        caption:
          "Dot: measured ratio (green inside the accepted band, red outside). Tick: the ratio the config implies. Grey bar: the accepted band.",
      })}
      <div class="scroll">
        <table class="effects">
          <caption>Calendar effects: measured ratio of levels against the config</caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Effect</th>
              <th scope="col" class="num">Measured</th>
              <th scope="col" class="num">Config</th>
              <th scope="col" class="num">Accepted band</th>
              <th scope="col" class="num">Measured on</th>
              <th scope="col">By</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>${s.effects.map((e) => {
            const ok = e.passed;
            return html`<tr${
              ok === false
                ? html`
                  class="failed"
                `
                : ""
            }><td>${e.group}</td><td>${EFFECT_NAMES[e.effect] ?? e.effect}</td>${num(e.measured, 3)}${
              num(e.expected, 3)
            }<td class="num">${
              e.band === null ? "–" : `${formatNumber(e.band[0], 3)} – ${formatNumber(e.band[1], 3)}`
            }</td><td class="num" data-value="${e.n ?? ""}">${
              e.n === null ? "–" : `${formatNumber(e.n)} ${e.nUnit}`
            }</td><td>${e.source === "validation" ? "validator" : "report"}</td><td>${
              ok === null
                ? html`<span class="none">no target</span>`
                : ok
                ? html`<span class="pass">as configured</span>`
                : html`<span class="fail">differs</span>`
            }</td></tr>`;
          })}</tbody>
        </table>
      </div>
    `
  }
</section>`;
}

/**
 * Anomaly rate (labeled datasets): overall, per type and per series, an event timeline and sample series with
 * their windows shaded.
 * @param data the report data
 * @param chart chart options
 * @returns the section, or nothing for unlabeled datasets
 */
export function renderAnomalies(data: ReportData, chart: PageChartOptions): Html {
  const a = data.anomalies;
  if (a === null) return html``;
  const types = a.byType.map((t) => t.type);
  const stat = (label: string, value: string, key: string, raw: number | null) =>
    html`<div class="stat"><b data-stat="${key}" data-value="${
      raw === null ? "" : String(raw)
    }">${value}</b>${label}</div>`;
  return html`<section id="anomalies" aria-labelledby="anomalies-h">
<h2 id="anomalies-h">Anomaly rate</h2>
<div class="stats">
${stat("anomalous points", formatPercent(a.pointRate, 3), "point-rate", a.pointRate)}
${stat("labeled points", formatNumber(a.anomalousPoints), "anomalous-points", a.anomalousPoints)}
${stat("series with anomalies", formatPercent(a.seriesRate, 1), "series-rate", a.seriesRate)}
${
    stat(
      "configured anomaly_ratio",
      a.targetSeriesRate === null ? "–" : formatPercent(a.targetSeriesRate, 1),
      "target-series-rate",
      a.targetSeriesRate,
    )
  }
${stat("events", a.events === null ? "–" : formatNumber(a.events), "events", a.events)}
${stat("series", formatNumber(a.series), "series", a.series)}
</div>
${
    a.byType.length === 0 ? html`<p class="muted">No anomalies are labeled.</p>` : html`
      ${plot(chart, (c) => anomalyTypeChart(a, c), {
        caption: "Events per anomaly type, with the share of all points each type labels.",
      })}
      <div class="scroll">
        <table class="anomaly-types">
          <caption>Anomalies per type</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col" class="num">Events</th>
              <th scope="col" class="num">Labeled points</th>
              <th scope="col" class="num">Share of points</th>
            </tr>
          </thead>
          <tbody>${a.byType.map((t) =>
            html`<tr><td>${t.type}</td>${num(t.events)}${num(t.points)}<td class="num" data-value="${t.pointRate}">${
              formatPercent(t.pointRate, 3)
            }</td></tr>`
          )}</tbody>
        </table>
      </div>
    `
  }
${
    a.overTime.t.length < 2 || a.anomalousPoints === 0
      ? ""
      : html`<h3>Over time</h3>${
        plot(chart, (o) => anomalyRateTimeChart(a, o), {
          legend: typeLegend(types, chart.document),
          caption:
            `Share of points labelled anomalous per ${bucketWidth(a.overTime.bucketMs)} bucket, stacked by type; ` +
            "the symbol marks where each type peaks.",
        })
      }`
  }
${
    a.perSeries.length === 0 ? "" : html`
      <h3>Per series</h3>${plot(chart, (c) => anomalySeriesRateChart(a, c), {
        caption: `${a.perSeries.length} series with anomalies, by share of labeled points.`,
      })}
      <div class="scroll">
        <table class="anomaly-series">
          <caption>The ${Math.min(10, a.perSeries.length)} series with the largest anomalous share</caption>
          <thead>
            <tr>
              <th scope="col">Series</th>
              <th scope="col" class="num">Points</th>
              <th scope="col" class="num">Anomalous</th>
              <th scope="col" class="num">Share</th>
            </tr>
          </thead>
          <tbody>${a.perSeries.slice(0, 10).map((p) =>
            html`<tr><td><code>${p.series}</code></td>${num(p.points)}${num(p.anomalous)}<td class="num">${
              formatPercent(p.rate, 2)
            }</td></tr>`
          )}</tbody>
        </table>
      </div>
    `
  }
${
    a.timeline.length === 0 ? "" : html`<h3>Timeline of events</h3>${
      plot(chart, (o) => anomalyTimeline(a, o), {
        legend: typeLegend(types, chart.document),
        caption: a.timelineTruncated
          ? `Events of the first ${a.timelineSeries.length} series with anomalies (by id); ${a.seriesWithAnomalies} have anomalies in all.`
          : "Every event, one row per series.",
      })
    }`
  }
${
    a.samples.length === 0
      ? ""
      // One legend, then panels of one width in a grid that reflows: drawn once, whatever the page width.
      : html`
        <h3>Sample series with anomaly windows</h3>
        <figure
          class="chart">${unsafe(
            typeLegend(types, chart.document),
          )}<div class="series-panels" style="${`display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,${SERIES_PANEL_WIDTH}px),1fr));gap:.25rem 1rem`}">${a
            .samples.map((s) =>
              unsafe(
                chartMarkup(
                  anomalySampleChart(s, { document: chart.document, width: SERIES_PANEL_WIDTH, legend: false }),
                ),
              )
            )}</div><figcaption>One series per anomaly type (${a.samples.map((s) => `${s.series}: ${s.type}`).join(
              "; ",
            )}). Shaded: labeled anomaly windows; band: min–max per bucket; line: mean.</figcaption></figure>
      `
  }
</section>`;
}

/**
 * Sample series, downsampled to min-max-mean buckets.
 * @param data the report data
 * @param chart chart options
 * @returns the section, or nothing without a time column
 */
export function renderSeries(data: ReportData, chart: PageChartOptions): Html {
  if (data.series.length === 0) return html``;
  return html`<section id="series" aria-labelledby="series-h">
<h2 id="series-h">Sample series</h2>
<p>A few series per metric, each downsampled to at most ${
    Math.max(...data.series.flatMap((s) => s.series.map((x) => x.t.length)))
  } time buckets keeping the minimum, maximum and mean of each bucket, so peaks survive.</p>
${
    data.series.map((s) =>
      // Panels of one width in a grid that reflows: drawn once, whatever the page width.
      figure(
        seriesChart(s, { document: chart.document }),
        `${withUnit(s.metric, s.unit)}: ${s.series.length} series of about ${
          formatNumber(s.rowsPerSeries)
        } rows each. Band: min–max per bucket; line: mean.`,
      )
    )
  }
</section>`;
}

/** Per-entity statistics shown as spreads in the fidelity section, with their labels. */
const SPREAD_STATS: [string, string][] = [
  ["mean", "mean level"],
  ["cv", "coefficient of variation"],
  ["acf_1", "lag-1 autocorrelation"],
  ["resid_acf_1", "residual lag-1 autocorrelation"],
  ["acf_168h", "autocorrelation at 168 h"],
  ["weekend_ratio", "weekend / weekday mean"],
  ["daily_p95_ratio", "daily P95 / hourly mean"],
  ["kurt_diff", "excess kurtosis of differences"],
  ["step_level", "median step / median level"],
];

/**
 * The fidelity section: the 11 named checks of every reference in a table, then, against the first reference
 * with a profile, the pooled quantiles, the autocorrelation curve and per-entity spreads side by side.
 * @param data the report data
 * @param chart chart options
 * @returns the section, or nothing without a fidelity report
 */
export function renderFidelity(data: ReportData, chart: PageChartOptions): Html {
  const f = data.fidelity;
  if (!f) return html``;
  const tables = f.comparisons.map((c) =>
    html`
      <h3>Against ${c.reference}</h3>
      <p class="muted">${c.reference_source}. Named checks passed: ${c.named.passed} of ${c.named
        .measured} measured (${c
        .named.total} rows).</p>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>statistic</th>
              <th>status</th>
              <th>this dataset</th>
              <th>reference</th>
              <th>rule</th>
            </tr>
          </thead>
          <tbody>${c.checks.filter((k) => k.row !== null).map((k) =>
            html`<tr><td class="num">${String(k.row)}</td><td>${k.statistic}</td><td>${
              k.passed === null ? html`<span class="badge none">n/a</span>` : statusBadge(k.passed ? "pass" : "fail")
            }</td>${num(k.measured)}${num(k.reference)}<td>${k.passed === null ? k.note : k.expected}${
              k.ks === null ? "" : ` (KS ${k.ks})`
            }</td></tr>`
          )}</tbody>
        </table>
      </div>
    `
  );
  const figures: Html[] = [];
  const refName = Object.keys(f.reference_profiles ?? {})[0];
  const ref = refName === undefined ? undefined : f.reference_profiles[refName];
  const p = f.profile;
  if (ref) {
    const role = ["cpu", ...Object.keys(p.metrics)].find((r) => r in p.metrics && r in ref.metrics);
    if (role) {
      figures.push(figure(
        fidelityQuantileChart({
          role,
          reference: refName!,
          synthetic: p.metrics[role].pooled.values.q,
          referenceQ: ref.metrics[role].pooled.values.q,
        }, chart),
        `Pooled quantiles of ${role}: every value of every entity, this dataset (${p.granularity}) against ${refName} (${ref.granularity}).`,
      ));
      const curves = [["this dataset", p.acf_curve], ["reference", ref.acf_curve]] as const;
      const present = curves.filter(([, c]) => c !== null && c.role === role);
      if (present.length > 0) {
        figures.push(figure(
          fidelityAcfChart({
            role,
            reference: refName!,
            curves: present.map(([side, c]) => ({ side, ...c! })),
          }, chart),
          `Autocorrelation of ${role}: median over entities with the interquartile band.`,
        ));
      }
      for (const [stat, label] of SPREAD_STATS) {
        const a = p.metrics[role].entity[stat], b = ref.metrics[role].entity[stat];
        if (!a || !b || a.n === 0 || b.n === 0) continue;
        figures.push(figure(
          fidelitySpreadChart({
            label: `${role} ${label}`,
            reference: refName!,
            sides: [{ side: "this dataset", q: a.q, n: a.n }, { side: "reference", q: b.q, n: b.n }],
          }, chart),
        ));
      }
    }
  }
  return html`<section id="fidelity" aria-labelledby="fidelity-h">
<h2 id="fidelity-h">Fidelity</h2>
<p>How this dataset behaves next to real fleets: ${p.entities} entities, ${p.granularity}; overall score ${
    f.score === null ? "n/a" : formatPercent(f.score)
  } of the measured named checks passed (<code>deno task fidelity</code>). Spreads: P5-P95 line, interquartile bar, median tick.</p>
${tables}
${figures}
</section>`;
}
