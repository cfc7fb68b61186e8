import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import type { AnomalySummary } from "../types.ts";
import { categoryStyles, type ChartOptions, draw, padWindows, utcX } from "./_common.ts";

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
  const styles = categoryStyles(summary.byType.map((t) => t.type));
  const longest = Math.max(...summary.timelineSeries.map((s) => s.length), 4);
  return draw(`Timeline of anomaly events for ${summary.timelineSeries.length} series, coloured by type`, {
    height: 60 + 14 * summary.timelineSeries.length,
    marginLeft: Math.min(200, 12 + longest * 6.2),
    x: utcX(width, { label: "time (UTC) →", grid: true }),
    y: { label: null, domain: summary.timelineSeries, tickSize: 0 },
    color: styles.color,
    symbol: { ...styles.symbol, legend: options.legend !== false },
    marks: [
      Plot.barX(data, {
        x1: "x1",
        x2: "x2",
        y: "series",
        fill: "type",
        fillOpacity: 0.55,
        insetTop: 1,
        insetBottom: 1,
      }),
      // The type's symbol at the start of every event: colour and shape tell 14 and more types apart.
      Plot.dot(data, {
        x: "x1",
        y: "series",
        fill: "type",
        symbol: "type",
        r: 3.2,
        stroke: "type",
      }),
    ],
  }, options);
}
