import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { type ChartOptions, draw, SIDE_COLOR } from "./_common.ts";

/**
 * Spread over entities of one per-entity statistic: P5-P95 line, interquartile bar and median tick, for this
 * dataset and the reference.
 * @param data the statistic and the two summaries (quantiles at 0, 0.01, ..., 1)
 * @param options width and document
 * @returns the chart
 */
export function fidelitySpreadChart(
  data: { label: string; reference: string; sides: { side: string; q: number[]; n: number }[] },
  options: ChartOptions,
): ReportElement {
  const rows = data.sides.filter((s) => s.q.length === 101).map((s) => ({
    side: s.side,
    label: `${s.side} (n=${s.n})`,
    p05: s.q[5],
    p25: s.q[25],
    p50: s.q[50],
    p75: s.q[75],
    p95: s.q[95],
  }));
  return draw(`Spread over entities of ${data.label}: this dataset against ${data.reference}`, {
    height: 96,
    marginLeft: 150,
    marginTop: 10,
    x: { label: `${data.label} →`, grid: true },
    y: { label: null, domain: rows.map((r) => r.label) },
    color: { ...SIDE_COLOR, legend: false },
    marks: [
      Plot.ruleY(rows, { y: "label", x1: "p05", x2: "p95", stroke: "side" }),
      Plot.barX(rows, { y: "label", x1: "p25", x2: "p75", fill: "side", fillOpacity: 0.5 }),
      Plot.tickX(rows, { y: "label", x: "p50", stroke: "side", strokeWidth: 2.5 }),
    ],
  }, options);
}
