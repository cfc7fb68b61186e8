import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { type ChartOptions, draw, SIDE_COLOR } from "./_common.ts";

/**
 * Pooled quantiles of one metric, this dataset against a reference: value by quantile level, one line each.
 * @param data role, unit and the two quantile lists (levels 0, 0.01, ..., 1)
 * @param options width and document
 * @returns the chart
 */
export function fidelityQuantileChart(
  data: { role: string; reference: string; synthetic: number[]; referenceQ: number[] },
  options: ChartOptions,
): ReportElement {
  const rows = [
    ...data.synthetic.map((v, i) => ({ side: "this dataset", p: i, v })),
    ...data.referenceQ.map((v, i) => ({ side: "reference", p: i, v })),
  ].filter((d) => Number.isFinite(d.v));
  return draw(`Quantiles of ${data.role}: this dataset against ${data.reference}`, {
    height: 260,
    marginLeft: 56,
    x: { label: "quantile (%) →", domain: [0, 100] },
    y: { label: `↑ ${data.role}`, grid: true },
    color: SIDE_COLOR,
    marks: [Plot.line(rows, { x: "p", y: "v", stroke: "side", strokeWidth: 1.6 })],
  }, options);
}
