import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { type ChartOptions, draw, SIDE_COLOR } from "./_common.ts";

/**
 * Autocorrelation by lag in hours, median over entities with the interquartile band, this dataset against a
 * reference.
 * @param data the two curves
 * @param options width and document
 * @returns the chart
 */
export function fidelityAcfChart(
  data: {
    role: string;
    reference: string;
    curves: { side: string; lags_h: number[]; median: number[]; p25: number[]; p75: number[] }[];
  },
  options: ChartOptions,
): ReportElement {
  const rows = data.curves.flatMap((c) =>
    c.lags_h.map((lag, i) => ({ side: c.side, lag, r: c.median[i], lo: c.p25[i], hi: c.p75[i] }))
  ).filter((d) => Number.isFinite(d.r));
  const maxLag = Math.max(1, ...rows.map((d) => d.lag));
  const marks = [24, 168].filter((l) => l <= maxLag).map((lag) => ({ lag, label: lag === 24 ? "1 day" : "1 week" }));
  return draw(`Autocorrelation of ${data.role} by lag in hours: this dataset against ${data.reference}`, {
    height: 260,
    marginLeft: 50,
    marginTop: 28,
    x: { label: "lag (hours) →", domain: [0, maxLag] },
    y: { label: "↑ autocorrelation r (median, IQR band)", domain: [-1, 1], grid: true },
    color: SIDE_COLOR,
    marks: [
      Plot.ruleY([0]),
      Plot.ruleX(marks, { x: "lag", strokeDasharray: "4,3", strokeOpacity: 0.7 }),
      Plot.text(marks, { x: "lag", text: "label", frameAnchor: "top", dy: -12 }),
      Plot.areaY(rows.filter((d) => Number.isFinite(d.lo) && Number.isFinite(d.hi)), {
        x: "lag",
        y1: "lo",
        y2: "hi",
        fill: "side",
        fillOpacity: 0.18,
      }),
      Plot.line(rows, { x: "lag", y: "r", stroke: "side", strokeWidth: 1.6 }),
    ],
  }, options);
}
