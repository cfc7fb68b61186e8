import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { formatNumber } from "../_format.ts";
import type { SeasonalEffect } from "../types.ts";
import { BAD, BAND, type ChartOptions, draw, EFFECT_LABELS, GOOD } from "./_common.ts";

/**
 * Calendar effects per group: the measured ratio (dot, green inside the accepted band, red outside) against the
 * ratio the config implies (tick) and the accepted band (grey bar).
 * @param effects the measured effects
 * @param options width and document
 * @returns the chart
 */
export function seasonalEffectsChart(effects: SeasonalEffect[], options: ChartOptions): ReportElement {
  const data = effects.map((e) => ({
    ...e,
    label: EFFECT_LABELS[e.effect] ?? e.effect,
    verdict: e.passed === null ? "no target" : e.passed ? "within band" : "outside band",
  }));
  const groups = [...new Set(data.map((d) => d.group))];
  const facets = [...new Set(data.map((d) => d.label))];
  const xs = data.flatMap((d) => [d.measured, ...(d.band ?? []), ...(d.expected === null ? [] : [d.expected])]);
  const right = (d: (typeof data)[number]) => Math.max(d.measured, d.band?.[1] ?? -Infinity, d.expected ?? -Infinity);
  return draw("Calendar effects measured against the config, as ratios of levels", {
    height: 40 + facets.length * (40 + 20 * groups.length),
    marginLeft: 90,
    marginRight: 150,
    marginTop: 30,
    x: { label: "ratio of levels (×) →", domain: [Math.min(...xs) - 0.05, Math.max(...xs) + 0.05], grid: true },
    y: { label: null, domain: groups },
    // Facet titles are drawn above each facet (below), not as a side axis that would collide with the values.
    fy: { label: null, domain: facets, axis: null, padding: 0.35 },
    color: {
      domain: ["within band", "outside band", "no target"],
      range: [GOOD, BAD, BAND],
      legend: true,
    },
    marks: [
      Plot.text(facets, {
        fy: (d) => d,
        text: (d) => d,
        frameAnchor: "top-left",
        dy: -16,
        dx: -80,
        fontWeight: "bold",
      }),
      Plot.barX(data.filter((d) => d.band !== null), {
        x1: (d) => d.band![0],
        x2: (d) => d.band![1],
        y: "group",
        fy: "label",
        fill: BAND,
        fillOpacity: 0.35,
        insetTop: 3,
        insetBottom: 3,
      }),
      Plot.tickX(data.filter((d) => d.expected !== null), {
        x: "expected",
        y: "group",
        fy: "label",
        strokeWidth: 2,
      }),
      Plot.dot(data, { x: "measured", y: "group", fy: "label", fill: "verdict", r: 4.5 }),
      Plot.text(data, {
        x: right,
        y: "group",
        fy: "label",
        text: (d) =>
          d.expected === null
            ? formatNumber(d.measured, 3)
            : `${formatNumber(d.measured, 3)} (config ${formatNumber(d.expected, 3)})`,
        dx: 8,
        textAnchor: "start",
      }),
    ],
  }, options);
}
