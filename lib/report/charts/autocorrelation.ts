import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import type { SeasonalitySummary } from "../types.ts";
import { type ChartOptions, draw, groupColor } from "./_common.ts";

/**
 * Autocorrelation of each group's mean series by lag, with the expected periods marked.
 * @param summary the seasonality section data
 * @param options width and document
 * @returns the chart
 */
export function autocorrelationChart(summary: SeasonalitySummary, options: ChartOptions): ReportElement {
  const maxLag = Math.max(...summary.acf.map((p) => p.lag), 1);
  const periods = summary.periods.filter((p) => p.lag <= maxLag);
  return draw(
    `Autocorrelation of the mean ${summary.metric} per group by lag in ${summary.lagUnit}s; expected periods ${
      periods.map((p) => p.label).join(" and ")
    } marked`,
    {
      height: 280,
      marginLeft: 50,
      marginTop: 30,
      x: { label: `lag (${summary.lagUnit}s) →`, domain: [0, maxLag] },
      y: { label: "↑ autocorrelation r", domain: [-1, 1], grid: true },
      color: groupColor(summary.acf.map((p) => p.group)),
      marks: [
        Plot.ruleY([0]),
        Plot.ruleX(periods, { x: "lag", strokeDasharray: "4,3", strokeOpacity: 0.8 }),
        Plot.text(periods, { x: "lag", text: "label", frameAnchor: "top", dy: -14, fontWeight: "bold" }),
        Plot.line(summary.acf, { x: "lag", y: "r", stroke: "group", strokeWidth: 1.4 }),
      ],
    },
    options,
  );
}
