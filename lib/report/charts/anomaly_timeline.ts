import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import type { AnomalySummary } from "../types.ts";
import { type ChartOptions, draw, padWindows } from "./_common.ts";

/**
 * A timeline of anomaly events: one row per series, one bar per event coloured by type. Windows narrower than a
 * pixel or two are widened so single-point anomalies stay visible.
 * @param summary the anomaly section data
 * @param options width and document
 * @returns the chart
 */
export function anomalyTimeline(summary: AnomalySummary, options: ChartOptions): ReportElement {
  const { width = 720 } = options;
  const span = Math.max(1, ...summary.timeline.map((w) => w.end)) - Math.min(...summary.timeline.map((w) => w.start));
  const data = padWindows(summary.timeline, (span / width) * 2);
  const longest = Math.max(...summary.timelineSeries.map((s) => s.length), 4);
  return draw(`Timeline of anomaly events for ${summary.timelineSeries.length} series, coloured by type`, {
    height: 60 + 14 * summary.timelineSeries.length,
    marginLeft: Math.min(200, 12 + longest * 6.2),
    x: { type: "utc", label: "time (UTC) →", grid: true },
    y: { label: null, domain: summary.timelineSeries, tickSize: 0 },
    color: { type: "ordinal", domain: summary.byType.map((t) => t.type), scheme: "observable10", legend: true },
    marks: [Plot.barX(data, { x1: "x1", x2: "x2", y: "series", fill: "type", insetTop: 1, insetBottom: 1 })],
  }, options);
}
