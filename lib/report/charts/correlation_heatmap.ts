import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { commonSuffix } from "../_format.ts";
import type { CorrelationSummary } from "../types.ts";
import { BAD, type ChartOptions, draw, hasTargets } from "./_common.ts";

/**
 * Per group, the measured correlation of each metric pair as a heatmap cell (colour and bold number) with the
 * configured target under it; cells off target by more than the tolerance are outlined.
 * @param summary the correlation section data
 * @param options width and document
 * @returns the chart
 */
export function correlationHeatmap(summary: CorrelationSummary, options: ChartOptions): ReportElement {
  const { metrics, tolerance } = summary;
  const suffix = commonSuffix(metrics);
  const short = (m: string) => suffix ? m.slice(0, -suffix.length) : m;
  const cells = summary.cells.map((c) => ({
    ...c,
    xs: short(c.x),
    ys: short(c.y),
    off: c.passed === false,
  }));
  const groups = [...new Set(cells.map((c) => c.group))];
  const cols = metrics.slice(0, -1).map(short);
  const rows = metrics.slice(1).map(short);
  return draw(
    summary.source === "profile"
      ? `Measured correlations of each metric pair, per group`
      : `Measured noise correlations per group beside their targets; outlined cells differ from the target by more than ${tolerance}`,
    {
      height: 70 + 58 * rows.length,
      marginLeft: 70,
      marginBottom: 40,
      x: { label: `metric${suffix ? ` (${suffix.slice(1)})` : ""}`, domain: cols },
      y: { label: null, domain: rows },
      fx: { label: null, domain: groups },
      // Quantized, so the legend is drawn as SVG rects (a continuous ramp needs a canvas and an image).
      color: {
        type: "quantize",
        n: 10,
        scheme: "RdBu",
        domain: [-1, 1],
        legend: true,
        label: "Pearson r (measured)",
      },
      marks: [
        Plot.frame({ strokeOpacity: 0.15 }),
        Plot.cell(cells, { x: "xs", y: "ys", fx: "group", fill: "measured", inset: 1 }),
        Plot.text(cells, {
          x: "xs",
          y: "ys",
          fx: "group",
          text: (d) => d.measured.toFixed(2),
          dy: hasTargets(cells) ? -7 : 0,
          fontWeight: "bold",
          fontSize: 12,
          fill: (d) => Math.abs(d.measured) > 0.55 ? "white" : "black",
        }),
        Plot.text(cells.filter((c) => c.target !== null), {
          x: "xs",
          y: "ys",
          fx: "group",
          text: (d) => `(${d.target!.toFixed(2)})`,
          dy: 8,
          fontSize: 10,
          fill: (d) => Math.abs(d.measured) > 0.55 ? "white" : "black",
        }),
        Plot.cell(cells.filter((c) => c.off), {
          x: "xs",
          y: "ys",
          fx: "group",
          fill: "none",
          stroke: BAD,
          strokeWidth: 3,
          inset: 2,
        }),
      ],
    },
    options,
  );
}
