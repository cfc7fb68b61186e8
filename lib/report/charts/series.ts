import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { withUnit } from "../kinds.ts";
import type { SeriesSample } from "../types.ts";
import { type ChartOptions, draw, isolated, nameChart, utcX, withGaps } from "./_common.ts";

/** Width of one panel of {@linkcode seriesChart} on a page: two side by side on a wide page, one on a phone. */
export const SERIES_PANEL_WIDTH = 440;

/**
 * Downsampled sample series of one metric: one panel per series (each with its own y scale, so a quiet series is
 * not flattened by a busy one) showing the min-max band and the mean per time bucket, all on the same time range.
 * The panels sit in a grid that fits as many per row as the page allows, so a page draws them once at one width
 * for every screen (two per row on a laptop, one on a phone) instead of a column of panels per width.
 * @param sample the sample series
 * @param options panel width and document
 * @returns the panels with one accessible name
 */
export function seriesChart(sample: SeriesSample, options: ChartOptions): ReportElement {
  const { width = SERIES_PANEL_WIDTH, document } = options;
  const ts = sample.series.flatMap((s) => s.t);
  const domain = [new Date(Math.min(...ts)), new Date(Math.max(...ts))];
  const wrap = document.createElement("div");
  wrap.setAttribute("class", "series-panels");
  wrap.setAttribute(
    "style",
    `display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,${width}px),1fr));gap:.25rem 1rem`,
  );
  for (const s of sample.series) {
    const data = withGaps(
      s.t.map((t, i) => ({ t: new Date(t), min: s.min[i], max: s.max[i], mean: s.mean[i] })),
      s.width,
    );
    wrap.appendChild(draw(`${sample.metric} of ${s.label}: min-max band and mean per time bucket`, {
      width,
      height: 160,
      marginLeft: 56,
      marginRight: 16,
      marginTop: 24,
      x: utcX(width, { domain, label: null, grid: true }),
      y: { label: `↑ ${withUnit(sample.metric, sample.unit)}`, grid: true, ticks: 3, nice: true },
      marks: [
        Plot.areaY(data, { x: "t", y1: "min", y2: "max", fill: "#4269d0", fillOpacity: 0.25 }),
        Plot.lineY(data, { x: "t", y: "mean", stroke: "#4269d0", strokeWidth: 1.2 }),
        Plot.ruleX(isolated(data), { x: "t", y1: "min", y2: "max", stroke: "#4269d0", strokeOpacity: 0.5 }),
        Plot.dot(isolated(data), { x: "t", y: "mean", fill: "#4269d0", r: 2 }),
        Plot.text([s.label], { text: (d) => d, frameAnchor: "top-right", dy: -20, fontWeight: "bold" }),
        Plot.frame({ strokeOpacity: 0.15 }),
      ],
    }, { width, document }));
  }
  return nameChart(wrap, {
    name:
      `${sample.metric} over time for ${sample.series.length} sample series: minimum-maximum band and mean per time bucket`,
    document,
  });
}
