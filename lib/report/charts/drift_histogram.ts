import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { formatNumber } from "../_format.ts";
import { type ChartOptions, draw } from "./_common.ts";

/** The two sides of a compare chart: A (the reference) and B, the same colours on every chart of the page. */
export const COMPARE_COLOR: Plot.ScaleOptions = {
  type: "ordinal",
  domain: ["A", "B"],
  range: ["#3b7dd8", "#e08a2c"],
};

/**
 * One column's distribution in A and in B as overlaid histograms: the share of each sample per bin, on common bins.
 * @param data the column and its bins (shares of A and B)
 * @param options width and document
 * @returns the chart
 */
export function driftHistogramChart(
  data: { column: string; histogram: { x0: number; x1: number; a: number; b: number }[] },
  options: ChartOptions,
): ReportElement {
  const rows = data.histogram.flatMap((h) => [
    { side: "A", x0: h.x0, x1: h.x1, share: h.a },
    { side: "B", x0: h.x0, x1: h.x1, share: h.b },
  ]);
  return draw(`Distribution of ${data.column} in A and B: share of each sample per bin`, {
    height: 150,
    marginLeft: 38,
    marginRight: 12,
    marginBottom: 30,
    x: { label: `${data.column} →`, ticks: 4, tickFormat: (v: number) => formatNumber(v, 2) },
    y: { label: "↑ share (%)", grid: true, percent: true, ticks: 3 },
    color: COMPARE_COLOR,
    marks: [
      // Overlaid, not stacked: each bar from 0 to its own share.
      Plot.rect(rows, { x1: "x0", x2: "x1", y1: 0, y2: "share", fill: "side", fillOpacity: 0.42, inset: 0.5 }),
      Plot.lineY(rows.filter((r) => r.side === "B"), {
        x: (d) => (d.x0 + d.x1) / 2,
        y: "share",
        stroke: "side",
        strokeWidth: 1.4,
        curve: "step",
      }),
      Plot.ruleY([0]),
    ],
  }, options);
}
