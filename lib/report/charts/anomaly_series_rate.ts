import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import type { AnomalySummary } from "../types.ts";
import { BAD, type ChartOptions, draw } from "./_common.ts";

/**
 * Histogram of the anomalous-point share of each series that has anomalies.
 * @param summary the anomaly section data
 * @param options width and document
 * @returns the chart
 */
export function anomalySeriesRateChart(summary: AnomalySummary, options: ChartOptions): ReportElement {
  const data = summary.perSeries.map((p) => ({ pct: p.rate * 100 }));
  return draw("Histogram of the anomalous-point share per series with anomalies", {
    height: 220,
    marginLeft: 50,
    x: { label: "anomalous points in the series (%) →" },
    y: { label: "↑ series", grid: true },
    marks: [
      Plot.rectY(data, { ...Plot.binX({ y: "count" }, { x: "pct", thresholds: 30 }), fill: BAD, fillOpacity: 0.8 }),
      Plot.ruleY([0]),
    ],
  }, options);
}
