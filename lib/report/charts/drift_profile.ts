import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { formatNumber } from "../_format.ts";
import { type ChartOptions, draw, WEEKDAYS } from "./_common.ts";
import { COMPARE_COLOR } from "./drift_histogram.ts";

/**
 * The mean level of one metric by hour of day or day of week, A and B overlaid.
 * @param data the metric, the key ("hour" or "dow") and the points of each side
 * @param options width and document
 * @returns the chart
 */
export function driftProfileChart(
  data: { metric: string; key: "hour" | "dow"; points: { side: string; key: number; value: number }[] },
  options: ChartOptions,
): ReportElement {
  const { metric, key, points } = data;
  const hour = key === "hour";
  return draw(`Mean ${metric} by ${hour ? "hour of day (UTC)" : "day of week"}, A and B`, {
    height: 160,
    marginLeft: 44,
    marginRight: 12,
    x: hour
      ? { label: "hour of day (UTC) →", domain: [0, 23], ticks: 6 }
      : { label: null, domain: [0, 6], ticks: 7, tickFormat: (d: number) => WEEKDAYS[d] ?? "" },
    y: { label: `↑ ${metric}`, grid: true, ticks: 4, tickFormat: (v: number) => formatNumber(v, 2) },
    color: COMPARE_COLOR,
    marks: [
      Plot.line(points, { x: "key", y: "value", stroke: "side", strokeWidth: 1.8 }),
      Plot.dot(points, { x: "key", y: "value", fill: "side", r: 2.2 }),
    ],
  }, options);
}
