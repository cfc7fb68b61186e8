import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { commonSuffix } from "../_format.ts";
import { type ChartOptions, draw } from "./_common.ts";

/**
 * Pearson correlations of the shared metrics as heatmaps: A and B side by side on one scale (-1 to 1), or the
 * difference B − A on a scale of its own. Lower triangle, one cell per pair, its value printed when it fits.
 * @param data the metrics, the pairs' r in A and B, and which view
 * @param options width and document
 * @returns the chart
 */
export function driftCorrelationChart(
  data: { metrics: string[]; cells: { x: string; y: string; a: number; b: number }[]; view: "sides" | "difference" },
  options: ChartOptions,
): ReportElement {
  const { metrics, view } = data;
  const width = options.width ?? 720;
  const suffix = commonSuffix(metrics);
  const short = (m: string) => suffix ? m.slice(0, -suffix.length) : m;
  const cols = metrics.slice(0, -1).map(short), rows = metrics.slice(1).map(short);
  const panels = view === "sides" ? ["A", "B"] : ["B − A"];
  const cells = data.cells.flatMap((c) =>
    view === "sides"
      ? [{ panel: "A", xs: short(c.x), ys: short(c.y), v: c.a }, { panel: "B", xs: short(c.x), ys: short(c.y), v: c.b }]
      : [{ panel: "B − A", xs: short(c.x), ys: short(c.y), v: c.b - c.a }]
  ).filter((c) => Number.isFinite(c.v));
  const marginLeft = 12 + 6.5 * Math.max(4, ...rows.map((r) => r.length));
  const cellWidth = (width - marginLeft - 10) / (panels.length * cols.length);
  const limit = view === "sides" ? 1 : Math.max(0.1, ...cells.map((c) => Math.abs(c.v)));
  const dark = (v: number) => Math.abs(v) / limit > 0.55;
  return draw(
    view === "sides"
      ? "Pearson correlations of the shared metrics in A and in B"
      : "Difference of the Pearson correlations of the shared metrics, B minus A",
    {
      height: 70 + Math.min(46, Math.max(22, cellWidth * 0.8)) * rows.length,
      marginLeft,
      marginBottom: 54,
      marginRight: 10,
      x: {
        label: `metric${suffix ? ` (${suffix.slice(1)})` : ""}`,
        domain: cols,
        tickRotate: cellWidth < 60 ? -30 : 0,
      },
      y: { label: null, domain: rows },
      fx: { label: null, domain: panels },
      // Quantized, so the legend is drawn as SVG rects (a continuous ramp needs a canvas and an image).
      color: {
        type: "quantize",
        n: 10,
        scheme: view === "sides" ? "RdBu" : "PuOr",
        domain: [-limit, limit],
        legend: true,
        label: view === "sides" ? "Pearson r" : "r in B − r in A",
      },
      marks: [
        Plot.frame({ strokeOpacity: 0.15 }),
        Plot.cell(cells, { x: "xs", y: "ys", fx: "panel", fill: "v", inset: 1 }),
        cellWidth >= 30
          ? Plot.text(cells, {
            x: "xs",
            y: "ys",
            fx: "panel",
            text: (d) => d.v.toFixed(2),
            fontSize: 11,
            fill: (d) => dark(d.v) ? "white" : "black",
          })
          : null,
      ],
    },
    options,
  );
}
