import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { withUnit } from "../kinds.ts";
import type { ScatterSample } from "../types.ts";
import { type ChartOptions, draw, FONT, groupColor, nameChart } from "./_common.ts";

/** Width of one scatter panel: as many per row as the page allows, one on a phone. */
export const SCATTER_PANEL_WIDTH = 280;

/**
 * Scatter plots of sampled rows, one panel per metric pair (each pair once), points coloured by group, under one
 * legend. The panels sit in a grid that fits as many per row as the page allows, so a page draws them once at one
 * width for every screen (a phone gets one readable panel per row instead of a matrix of thumbnails).
 * @param sample the sampled rows
 * @param options panel width and document
 * @returns a grid of charts with one legend
 */
export function scatterMatrix(sample: ScatterSample, options: ChartOptions): ReportElement {
  const { width = SCATTER_PANEL_WIDTH, document } = options;
  const { metrics } = sample;
  const k = metrics.length;
  const points = sample.group.map((g, i) => {
    const row: Record<string, number | string> = { group: g };
    for (const m of metrics) row[m] = sample.values[m][i];
    return row;
  });
  const color = groupColor(sample.group);
  const grid = document.createElement("div");
  grid.setAttribute("class", "scatter-matrix");
  grid.setAttribute(
    "style",
    `display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,${width}px),1fr));gap:.25rem .75rem`,
  );
  for (let r = 1; r < k; r++) {
    for (let c = 0; c < r; c++) {
      const [x, y] = [metrics[c], metrics[r]];
      grid.appendChild(draw(`${y} against ${x}, ${points.length} sampled rows`, {
        width,
        height: width,
        marginLeft: 44,
        marginBottom: 36,
        marginTop: 14,
        marginRight: 8,
        x: { label: withUnit(x, sample.units[x]), ticks: 4 },
        y: { label: withUnit(y, sample.units[y]), ticks: 4 },
        color: { ...color, legend: false },
        marks: [
          Plot.frame({ strokeOpacity: 0.2 }),
          Plot.dot(points, { x, y, fill: "group", r: 1.6, fillOpacity: 0.7 }),
        ],
      }, { width, document }));
    }
  }
  // Plot.legend takes a document at run time, though its types do not say so.
  const legend = Plot.legend({ color, document, style: { fontFamily: FONT } } as never) as unknown as ReportElement;
  const wrap = document.createElement("div");
  wrap.appendChild(legend);
  wrap.appendChild(grid);
  return nameChart(wrap, {
    name: `Scatter plots of ${metrics.join(", ")} in pairs, ${points.length} sampled rows by group`,
    document,
  });
}
