/**
 * Published dataset reports: pure functions from data (frames, manifests, validation results) to self-contained
 * HTML pages. {@linkcode summarizeDataset} aggregates the data in Polars (small output whatever the row count),
 * the section renderers turn it into HTML with the escaping {@linkcode html} tag, and the charts in `charts.ts`
 * draw with Observable Plot on a server-side document. No file I/O: `tasks/report.ts` reads and writes.
 *
 * @example
 * ```ts ignore
 * import { buildReport, renderIndex, indexEntry } from "@lib/report/mod.ts";
 * const report = buildReport({ manifest, tables: { capacity: df }, validation });
 * report.bytes; // about 0.45 MB for the default capacity dataset, 0.48 MB for the hourly one
 * const index = renderIndex([indexEntry(manifest, { validation, href: "capacity/index.html", bytes: report.bytes })]);
 * ```
 * @module
 */
export { escapeHtml, Html, html, type HtmlValue, unsafe } from "./html.ts";
export { createDocument, type ReportDocument, type ReportElement } from "./document.ts";
export { lttb, minMaxBuckets, type MinMaxBucketsOptions, type XY } from "./downsample.ts";
export { ANOMALIES_PROFILE, CAPACITY_PROFILE, configNumber, type KindProfile, kindProfile, unitOf } from "./kinds.ts";
export { summarizeDataset, type SummarizeOptions } from "./summarize.ts";
export { lagCorrelation } from "@lib/stats/acf.ts";
export * as charts from "./charts.ts";
export {
  figure,
  renderAnomalies,
  renderCard,
  renderCorrelation,
  renderQuality,
  renderSeasonality,
  renderSeries,
  statusBadge,
  type ValidationStatus,
  validationStatus,
} from "./sections.ts";
export { HtmlPage, renderPage } from "./page.ts";
export { show, type ShowOptions, showWith } from "./show.ts";
export { buildReport, type BuildReportOptions, renderReport, type RenderReportOptions, Report } from "./report.ts";
export { type IndexEntry, indexEntry, renderIndex, type RenderIndexOptions } from "./index_page.ts";
export {
  buildCompare,
  type BuildCompareOptions,
  CompareInputError,
  CompareReport,
  type CompareSide,
  type CompareSummary,
  driftVerdict,
  renderCompare,
  type RenderCompareOptions,
  summarizeCompare,
} from "./compare.ts";
export type * from "./types.ts";
