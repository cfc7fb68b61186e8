import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { withUnit } from "../kinds.ts";
import type { AnomalySummary } from "../types.ts";
import { categoryStyles, type ChartOptions, draw, isolated, padWindows, utcX, withGaps } from "./_common.ts";

/**
 * One sample series with its anomaly windows shaded by type: min-max band and mean per bucket.
 * @param sample one entry of `AnomalySummary.samples`
 * @param options width and document
 * @returns the chart
 */
export function anomalySampleChart(sample: AnomalySummary["samples"][number], options: ChartOptions): ReportElement {
  const { width = 720 } = options;
  const b = sample.buckets;
  const data = withGaps(
    b.t.map((t, i) => ({ t: new Date(t), min: b.min[i], max: b.max[i], mean: b.mean[i] })),
    b.width,
  );
  const span = (b.t[b.t.length - 1] ?? 0) - (b.t[0] ?? 0);
  const styles = categoryStyles(sample.types);
  const windows = padWindows(sample.windows, (span / width) * 3);
  return draw(
    `${sample.metric} of series ${sample.series} with its ${sample.windows.length} anomaly windows shaded (${sample.type})`,
    {
      height: 200,
      marginLeft: 50,
      marginTop: 30,
      x: utcX(width, { label: "time (UTC) →" }),
      y: { label: `↑ ${withUnit(sample.metric, sample.unit)}`, grid: true, ticks: 4 },
      // The dataset's whole type list as domain keeps each type's colour the same in every chart.
      color: styles.color,
      symbol: { ...styles.symbol, legend: options.legend !== false },
      marks: [
        Plot.rect(windows, {
          x1: "x1",
          x2: "x2",
          fill: "type",
          fillOpacity: 0.25,
          stroke: "type",
        }),
        Plot.dot(windows, { x: "x1", frameAnchor: "top", dy: 6, fill: "type", stroke: "type", symbol: "type", r: 3.5 }),
        Plot.areaY(data, { x: "t", y1: "min", y2: "max", fill: "currentColor", fillOpacity: 0.15 }),
        Plot.lineY(data, { x: "t", y: "mean", stroke: "currentColor", strokeWidth: 1 }),
        Plot.dot(isolated(data), { x: "t", y: "mean", fill: "currentColor", r: 1.5 }),
        Plot.text([`${sample.series} · ${sample.type}`], {
          text: (d) => d,
          frameAnchor: "top-right",
          dy: -26,
          fontWeight: "bold",
        }),
      ],
    },
    options,
  );
}
