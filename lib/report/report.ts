import { type Html, html } from "./html.ts";
import { createDocument, type ReportDocument } from "./document.ts";
import { HtmlPage, renderPage } from "./page.ts";
import {
  renderAnomalies,
  renderCard,
  renderCorrelation,
  renderFidelity,
  renderHeadline,
  renderProfile,
  renderQuality,
  renderSeasonality,
  renderSeries,
  renderViews,
  statusBadge,
  validationStatus,
} from "./sections.ts";
import { summarizeDataset, type SummarizeOptions } from "./summarize.ts";
import type { ReportData, ReportInput } from "./types.ts";
import { formatNumber } from "./_format.ts";
import { stackTables } from "./_table.ts";

/** Options of {@linkcode renderReport}. */
export interface RenderReportOptions {
  /** Chart width in pixels. @default 880 */
  width?: number;
  /** Width of the second drawing of each chart shown on phones (below 640 px), 0 for none. @default 360 */
  narrow?: number;
  /** The document charts are drawn in. @default a fresh linkedom document */
  document?: ReportDocument;
  /** Link back to the list of reports, or null for none. @default "../index.html" */
  indexHref?: string | null;
  /** When the report was built, shown in the footer; leave out for byte-identical output. @default undefined */
  built?: string;
}

/** Options of {@linkcode buildReport}: summarising and rendering. */
export type BuildReportOptions = SummarizeOptions & RenderReportOptions;

/**
 * Renders a whole report page from report data: the dataset card, data quality, and the correlation,
 * seasonality, anomaly and sample-series sections that apply.
 * @param data the report data
 * @param options width, document, back link, build time
 * @returns the page
 */
export function renderReport(data: ReportData, options: RenderReportOptions = {}): Html {
  const { width = 880, narrow = 360, document = createDocument(), indexHref = "../index.html", built } = options;
  const chart = { width, narrow, document };
  const sections: [string, string, Html][] = [
    ["card", "Dataset card", renderCard(data)],
    ["quality", "Data quality", renderQuality(data, chart)],
    ["profile", "Column profile", renderProfile(data)],
    ...renderViews(data, chart),
    ["correlation", "Correlation", renderCorrelation(data, chart)],
    ["seasonality", "Seasonality", renderSeasonality(data, chart)],
    ["anomalies", "Anomaly rate", renderAnomalies(data, chart)],
    ["series", "Sample series", renderSeries(data, chart)],
    ["fidelity", "Fidelity", renderFidelity(data, chart)],
  ];
  const present = sections.filter(([, , body]) => body.value !== "");
  const c = data.card;
  const body = html`<header>
${indexHref === null ? "" : html`<p><a href="${indexHref}">← All datasets</a></p>`}
<h1>${c.name}</h1>
<p class="lead">${c.kind} dataset, ${
    c.tables.length > 1
      ? `${c.tables.length} tables, ${formatNumber(c.tables.reduce((a, t) => a + t.rows, 0))} rows in all`
      : `${formatNumber(c.rows)} rows`
  }, ${c.generator.name} ${c.generator.version} · ${statusBadge(validationStatus(data.validation))}</p>
${renderHeadline(data)}
<nav class="toc" aria-label="Sections"><ul>${
    present.map(([id, title]) => html`<li><a href="#${id}">${title}</a></li>`)
  }</ul></nav>
</header>
${present.map(([, , b]) => b)}
<footer>opslab report · self-contained: no scripts, fonts or images are loaded${
    built === undefined ? "" : html`
      · built ${built}
    `
  }</footer>`;
  return renderPage(`${c.name} — opslab dataset report`, stackTables(body), {
    description: `Data quality, correlation and seasonality report for the ${c.kind} dataset ${c.name}`,
  });
}

/** A built report: its data and HTML page; displays inline in Jupyter. */
export class Report extends HtmlPage {
  /** The dataset name. */
  readonly name: string;
  /** What the report shows, computed from the data. */
  readonly data: ReportData;

  /**
   * @param data the report data
   * @param page the rendered page
   */
  constructor(data: ReportData, page: Html) {
    super(page);
    this.name = data.card.name;
    this.data = data;
  }

  protected get frameTitle(): string {
    return `Report of ${this.name}`;
  }
}

/**
 * Builds the report of one dataset: summarises the tables ({@linkcode summarizeDataset}) and renders the page.
 * Pure: no file I/O.
 * @param input the manifest, tables and validation results
 * @param options sampling sizes and rendering options
 * @returns the report
 * @example
 * ```ts ignore
 * import { buildReport } from "@lib/report/mod.ts";
 * const report = buildReport({ manifest, tables: { capacity: df }, validation });
 * await Deno.writeTextFile("report.html", report.html);
 * ```
 */
export function buildReport(input: ReportInput, options: BuildReportOptions = {}): Report {
  const data = summarizeDataset(input, options);
  return new Report(data, renderReport(data, options));
}
