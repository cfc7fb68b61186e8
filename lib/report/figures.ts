/**
 * The notebooks' charts as named functions, so the notebooks stay thin: each takes plain records (a frame's
 * `toRecords()`, aggregated or sampled first) and `{ width, document }`, as the report charts in `charts.ts` do, and
 * returns the Plot element (show it with `figure(el)`).
 * @module
 */
import * as Plot from "@observablehq/plot";
import { type ChartOptions, nameChart } from "./charts.ts";
import type { ReportElement } from "./document.ts";

export type { ChartOptions } from "./charts.ts";

type Row = Record<string, unknown>;
/** A shaded time span. */
export interface Span {
  x1: Date;
  x2: Date;
}

function plot(name: string, options: Plot.PlotOptions, chart: ChartOptions): ReportElement {
  const { width = 720, document } = chart;
  const el = Plot.plot({ width, ...options, document: document as never, ariaLabel: name }) as unknown as ReportElement;
  return nameChart(el, { name, document });
}

// 01 · capacity

/**
 * CPU P95 per archetype as box plots.
 * @param rows `{ server_type, cpu_p95 }` (a sample: a box plot needs no more than some 20,000 points)
 * @param options width and document
 * @returns the chart
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createDocument } from "@lib/report/document.ts";
 * import { cpuByArchetype } from "@lib/report/figures.ts";
 * const el = cpuByArchetype([{ server_type: "web", cpu_p95: 40 }], { document: createDocument() });
 * assert.match(el.outerHTML, /CPU P95/);
 * ```
 */
export function cpuByArchetype(rows: Row[], options: ChartOptions): ReportElement {
  return plot("CPU P95 by archetype", {
    height: 260,
    marginLeft: 90,
    x: { label: "CPU P95 (%)", domain: [0, 100] },
    y: { label: null },
    color: { legend: true },
    marks: [Plot.boxX(rows, { x: "cpu_p95", y: "server_type", fill: "server_type" })],
  }, options);
}

/**
 * Utilisation metrics of one server over time, a line each.
 * @param rows long format `{ timestamp, variable, value }` (a frame's `unpivot`)
 * @param options width and document
 * @returns the chart
 */
export function serverUtilisation(rows: Row[], options: ChartOptions): ReportElement {
  return plot("Utilisation of one server", {
    height: 260,
    y: { label: "Utilisation (%)" },
    x: { label: "Date (UTC)" },
    color: { legend: true },
    marks: [Plot.lineY(rows, { x: "timestamp", y: "value", stroke: "variable" }), Plot.ruleY([0])],
  }, options);
}

/**
 * Mean network-in P95 by day of the quarter's last month, a line per archetype.
 * @param rows `{ server_type, day, net_in }`
 * @param options width and document
 * @returns the chart
 */
export function endOfQuarterEffect(rows: Row[], options: ChartOptions): ReportElement {
  return plot("End-of-quarter effect", {
    height: 260,
    x: { label: "Day of the quarter's last month" },
    y: { label: "Mean net in P95 (Mbps)" },
    color: { legend: true },
    marks: [Plot.lineY(rows, { x: "day", y: "net_in", stroke: "server_type" })],
  }, options);
}

// 04 · anomalies

/**
 * Achieved share of anomalies per type (bars) against the share the weights ask for (ticks).
 * @param rows `rateTable()` records without the `all` row: `{ type, event_share, expected_share }`
 * @param options width and document
 * @returns the chart
 */
export function anomalyShares(rows: Row[], options: ChartOptions): ReportElement {
  return plot("Anomaly shares per type", {
    height: 320,
    marginLeft: 110,
    x: { label: "share of anomalies (%)", percent: true, grid: true },
    y: { label: null },
    marks: [
      Plot.barX(rows, { x: "event_share", y: "type", fill: "#4e79a7", sort: { y: "-x" } }),
      Plot.tickX(rows, { x: "expected_share", y: "type", stroke: "#e15759", strokeWidth: 2 }),
      Plot.ruleX([0]),
    ],
    caption: "bars: achieved share of anomalies; red ticks: the share the type weights ask for",
  }, options);
}

/** One example of an anomaly type (see `anomalyExamples`). */
export interface AnomalyExample {
  type: string;
  series_id: string;
  metric: string;
  windows: Row[];
  rows: Row[];
}

/**
 * One metric of one series over the run with its anomaly windows shaded, coloured by type.
 * @param example the example: its rows `{ t, value }` and windows `{ start, end, type }`
 * @param options width, document and every type name (for stable colours)
 * @returns the chart
 */
export function anomalyExample(
  example: AnomalyExample,
  options: ChartOptions & { types: readonly string[] },
): ReportElement {
  return plot(`${example.type}: ${example.series_id} · ${example.metric}`, {
    height: 150,
    marginLeft: 60,
    title: `${example.type}: ${example.series_id} · ${example.metric}`,
    x: { type: "utc", label: null },
    y: { label: example.metric, grid: true, ticks: 4 },
    color: { domain: [...options.types], scheme: "observable10", legend: false },
    marks: [
      Plot.rect(example.windows, { x1: "start", x2: "end", fill: "type", fillOpacity: 0.3 }),
      Plot.lineY(example.rows, { x: "t", y: "value", stroke: "currentColor", strokeWidth: 1 }),
    ],
  }, options);
}

/**
 * One metric around an anomaly, its window shaded.
 * @param rows the points `{ timestamp, <metric> }`
 * @param metric the column to draw
 * @param options width, document, the window and an optional title
 * @returns the chart
 */
export function metricAroundAnomaly(
  rows: Row[],
  metric: string,
  options: ChartOptions & { window: Span[]; title?: string },
): ReportElement {
  return plot(options.title ?? metric, {
    height: 130,
    marginLeft: 60,
    title: options.title,
    x: { type: "utc", label: null },
    y: { label: metric, grid: true, ticks: 4 },
    marks: [
      Plot.rect(options.window, { x1: "x1", x2: "x2", fill: "#e15759", fillOpacity: 0.2 }),
      Plot.lineY(rows, { x: "timestamp", y: metric, stroke: "currentColor" }),
    ],
  }, options);
}

// 05 · ingest

/**
 * An ingested NAB series: the hourly value, anomalous hours as red dots, the train | test boundary dashed.
 * @param rows `{ timestamp, value, is_anomaly }` of one series
 * @param options width, document, the boundary and the series id
 * @returns the chart
 */
export function nabSeries(
  rows: Row[],
  options: ChartOptions & { boundary: Date | undefined; seriesId: string },
): ReportElement {
  const title = `${options.seriesId}: hourly value, anomalous hours in red, train | test boundary dashed`;
  return plot(title, {
    height: 260,
    title,
    x: { label: "Hour (UTC)" },
    y: { label: "Hourly mean" },
    marks: [
      Plot.lineY(rows, { x: "timestamp", y: "value" }),
      Plot.dot(rows.filter((r) => r.is_anomaly), { x: "timestamp", y: "value", fill: "crimson", r: 3 }),
      ...(options.boundary ? [Plot.ruleX([options.boundary], { stroke: "gray", strokeDasharray: "4,3" })] : []),
    ],
  }, options);
}

/**
 * CloudFront traffic of one window: requests a minute and the 5xx rate, incident windows shaded, as two panels.
 * @param rows per-minute traffic `{ timestamp, requests, rate_5xx }` (rate as a fraction)
 * @param options width, document and the incidents `{ start, end }`
 * @returns the two charts, requests first
 */
export function cloudfrontTraffic(rows: Row[], options: ChartOptions & { incidents: Row[] }): ReportElement[] {
  const shade = (top: number) =>
    Plot.rectY(options.incidents, { x1: "start", x2: "end", y1: 0, y2: top, fill: "orange", fillOpacity: 0.3 });
  const top = Math.max(0, ...rows.map((r) => Number(r.requests)));
  const percent = rows.map((r) => ({ timestamp: r.timestamp, rate_5xx: Number(r.rate_5xx) * 100 }));
  return [
    plot("CloudFront requests a minute", {
      height: 180,
      x: { label: null },
      y: { label: "Requests / minute", grid: true },
      marks: [shade(top), Plot.lineY(rows, { x: "timestamp", y: "requests" })],
    }, options),
    plot("CloudFront 5xx rate", {
      height: 180,
      x: { label: "Minute (UTC); incident windows shaded" },
      y: { label: "5xx rate (%)", grid: true },
      marks: [shade(100), Plot.lineY(percent, { x: "timestamp", y: "rate_5xx", stroke: "crimson" })],
    }, options),
  ];
}

/**
 * Tickets by severity, stacked by detected language.
 * @param rows `{ language, severity, tickets }`
 * @param options width and document
 * @returns the chart
 */
export function ticketsBySeverity(rows: Row[], options: ChartOptions): ReportElement {
  return plot("Tickets by severity and detected language", {
    height: 220,
    title: "Tickets by severity and detected language",
    x: { label: "Severity" },
    y: { label: "Tickets", grid: true },
    color: { legend: true },
    marks: [Plot.barY(rows, { x: "severity", y: "tickets", fill: "language" }), Plot.ruleY([0])],
  }, options);
}

// 06 · incidents

/**
 * A metric around an incident, a line per series, the incident's span shaded and its labeled points in red.
 * @param rows `{ timestamp, series, value, incident_id }`
 * @param options width, document, the incident's id and span, and the value's label
 * @returns the chart
 */
export function incidentMetric(
  rows: Row[],
  options: ChartOptions & { incidentId: string; span: Span[]; label: string },
): ReportElement {
  return plot(`${options.label} around ${options.incidentId}`, {
    height: 260,
    y: { label: options.label },
    x: { label: "UTC" },
    color: { legend: true },
    marks: [
      Plot.rectX(options.span, { x1: "x1", x2: "x2", fill: "orange", fillOpacity: 0.15 }),
      Plot.lineY(rows, { x: "timestamp", y: "value", stroke: "series" }),
      Plot.dot(rows.filter((r) => r.incident_id === options.incidentId), {
        x: "timestamp",
        y: "value",
        r: 2,
        fill: "red",
      }),
    ],
  }, options);
}

/**
 * CloudFront requests, 5xx and labeled requests per bucket around an incident, its span shaded.
 * @param rows `{ minute, requests, errors_5xx, labeled }`
 * @param options width, document and the incident's span
 * @returns the chart
 */
export function incidentRequests(rows: Row[], options: ChartOptions & { span: Span[] }): ReportElement {
  return plot("CloudFront requests around the incident", {
    height: 240,
    x: { label: "UTC (5-minute buckets)" },
    y: { label: "Requests" },
    marks: [
      Plot.rectX(options.span, { x1: "x1", x2: "x2", fill: "orange", fillOpacity: 0.15 }),
      Plot.lineY(rows, { x: "minute", y: "requests", stroke: "gray" }),
      Plot.lineY(rows, { x: "minute", y: "errors_5xx", stroke: "red" }),
      Plot.lineY(rows, { x: "minute", y: "labeled", stroke: "orange", strokeDasharray: "3,2" }),
    ],
  }, options);
}

// 07 · msp

/**
 * SLA compliance by contract type and priority as a heatmap, each cell labeled with its share and ticket count.
 * @param rows `{ contract_type, priority, compliance, tickets }`
 * @param options width and document
 * @returns the chart
 */
export function slaCompliance(rows: Row[], options: ChartOptions): ReportElement {
  return plot("SLA compliance by contract type and priority", {
    height: 240,
    marginLeft: 120,
    x: { domain: ["critical", "high", "medium", "low"], label: "Priority" },
    y: { label: null },
    color: { scheme: "RdYlGn", domain: [0.4, 1], label: "SLA compliance" },
    marks: [
      Plot.cell(rows, { x: "priority", y: "contract_type", fill: "compliance", inset: 1 }),
      Plot.text(rows, {
        x: "priority",
        y: "contract_type",
        text: (d: Row) => `${Math.round(Number(d.compliance) * 100)}% (${d.tickets})`,
        fill: "black",
      }),
    ],
  }, options);
}

/**
 * Monthly utilization of every technician as a heatmap.
 * @param rows `{ period: "YYYY-MM", technician_id, utilization }`
 * @param options width and document
 * @returns the chart
 */
export function technicianUtilization(rows: Row[], options: ChartOptions): ReportElement {
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const cells = rows.map((r) => {
    const period = String(r.period);
    return { ...r, month: `${months[Number(period.slice(5)) - 1]} ${period.slice(2, 4)}` };
  });
  return plot("Technician utilization per month", {
    height: 420,
    marginLeft: 70,
    x: { label: "Month", domain: [...new Set(cells.map((c) => c.month))] },
    y: { label: null },
    color: { scheme: "Blues", domain: [0, 1.2], label: "Utilization" },
    marks: [Plot.cell(cells, { x: "month", y: "technician_id", fill: "utilization", inset: 0.5 })],
  }, options);
}

/**
 * Mean monthly utilization per role, with 0 and 0.8 marked.
 * @param rows `{ role, utilization }`
 * @param options width and document
 * @returns the chart
 */
export function utilizationByRole(rows: Row[], options: ChartOptions): ReportElement {
  return plot("Mean monthly utilization per role", {
    height: 220,
    marginLeft: 130,
    x: { label: "Mean monthly utilization", domain: [0, 1.2] },
    y: { label: null },
    marks: [
      Plot.barX(rows, { x: "utilization", y: "role", fill: "steelblue", sort: { y: "-x" } }),
      Plot.ruleX([0, 0.8], { stroke: "gray", strokeDasharray: "3,3" }),
    ],
  }, options);
}

/**
 * Open tickets at the end of each day, with the starts of severe bursts marked.
 * @param rows `{ date, open_tickets }`
 * @param options width, document and the burst starts
 * @returns the chart
 */
export function backlog(rows: Row[], options: ChartOptions & { bursts: Date[] }): ReportElement {
  return plot("Open tickets a day", {
    height: 240,
    x: { label: "Date (UTC)" },
    y: { label: "Open tickets", grid: true },
    marks: [
      Plot.ruleX(options.bursts, { stroke: "tomato", strokeOpacity: 0.5 }),
      Plot.lineY(rows, { x: "date", y: "open_tickets" }),
    ],
  }, options);
}
