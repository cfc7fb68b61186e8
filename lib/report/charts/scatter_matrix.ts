import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { withUnit } from "../kinds.ts";
import type { ScatterSample } from "../types.ts";
import { type ChartOptions, draw, FONT, groupColor, nameChart } from "./_common.ts";

/**
 * A scatter matrix of sampled rows: one small panel per metric pair (lower triangle), points coloured by group.
 * @param sample the sampled rows
 * @param options width and document
 * @returns a grid of charts with one legend
 */
export function scatterMatrix(sample: ScatterSample, options: ChartOptions): ReportElement {
  const { width = 720, document } = options;
  const { metrics } = sample;
  const k = metrics.length;
  const cell = Math.floor(width / (k - 1));
  const points = sample.group.map((g, i) => {
    const row: Record<string, number | string> = { group: g };
    for (const m of metrics) row[m] = sample.values[m][i];
    return row;
  });
  const color = groupColor(sample.group);
  const grid = document.createElement("div");
  grid.setAttribute("class", "scatter-matrix");
  grid.setAttribute("style", `display:grid;grid-template-columns:repeat(${k - 1},minmax(0,1fr));max-width:${width}px`);
  for (let r = 1; r < k; r++) {
    for (let c = 0; c < k - 1; c++) {
      if (c >= r) {
        grid.appendChild(document.createElement("div"));
        continue;
      }
      const [x, y] = [metrics[c], metrics[r]];
      grid.appendChild(draw(`${y} against ${x}, ${points.length} sampled rows`, {
        width: cell,
        height: cell,
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
      }, { width: cell, document }));
    }
  }
  // Plot.legend takes a document at run time, though its types do not say so.
  const legend = Plot.legend({ color, document, style: { fontFamily: FONT } } as never) as unknown as ReportElement;
  const wrap = document.createElement("div");
  wrap.appendChild(legend);
  wrap.appendChild(grid);
  return nameChart(wrap, {
    name: `Scatter matrix of ${metrics.join(", ")}, ${points.length} sampled rows by group`,
    document,
  });
}
