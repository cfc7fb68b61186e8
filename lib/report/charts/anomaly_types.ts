import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { formatNumber } from "../_format.ts";
import type { AnomalySummary } from "../types.ts";
import { categoryStyles, type ChartOptions, draw } from "./_common.ts";

/**
 * Anomaly events per type (bars) against the count the config's type weights imply (ticks), with each type's
 * share of events and of all points written beside the bar.
 * @param summary the anomaly section data
 * @param options width and document
 * @returns the chart
 */
export function anomalyTypeChart(summary: AnomalySummary, options: ChartOptions): ReportElement {
  const total = summary.byType.reduce((a, t) => a + t.events, 0);
  const useEvents = summary.events !== null && total > 0;
  const data = summary.byType.map((t) => ({
    ...t,
    value: useEvents ? t.events : t.points,
    expected: useEvents && t.expectedShare !== null ? t.expectedShare * total : null,
  }));
  const styles = categoryStyles(summary.byType.map((t) => t.type));
  const longest = Math.max(...data.map((d) => d.type.length), 4);
  const withTargets = data.some((d) => d.expected !== null);
  return draw(
    `Anomaly ${useEvents ? "events" : "points"} per type${
      withTargets ? ", ticks at the count the config implies" : ""
    }`,
    {
      height: 30 + 22 * data.length + 40,
      marginLeft: Math.min(220, 12 + longest * 6.4),
      marginRight: 250,
      x: { label: useEvents ? "events →" : "anomalous points →", grid: true },
      y: { label: null, domain: data.map((d) => d.type) },
      color: styles.color,
      symbol: styles.symbol,
      marks: [
        Plot.barX(data, { x: "value", y: "type", fill: "type", fillOpacity: 0.85 }),
        Plot.tickX(data.filter((d) => d.expected !== null), { x: "expected", y: "type", strokeWidth: 2.5 }),
        Plot.text(data, {
          x: (d) => Math.max(d.value, d.expected ?? 0),
          y: "type",
          text: (d) =>
            useEvents
              ? `${formatNumber(d.events)} events, ${formatNumber(d.eventShare * 100, 1)} %${
                d.expectedShare === null ? "" : ` (config ${formatNumber(d.expectedShare * 100, 1)} %)`
              }; ${formatNumber(d.pointRate * 100, 3)} % of points`
              : `${formatNumber(d.points)} points, ${formatNumber(d.pointRate * 100, 3)} % of points`,
          dx: 6,
          textAnchor: "start",
        }),
        Plot.dot(data, { x: 0, y: "type", dx: -7, fill: "type", stroke: "type", symbol: "type", r: 3.5 }),
        Plot.ruleX([0]),
      ],
    },
    options,
  );
}
