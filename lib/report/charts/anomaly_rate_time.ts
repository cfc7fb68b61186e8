import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import type { AnomalySummary } from "../types.ts";
import { categoryStyles, type ChartOptions, draw, utcX } from "./_common.ts";

/**
 * The anomalous-point share per time bucket, stacked by type: a step area per type in the type's colour, with the
 * type's symbol where its share peaks, so bursts of labels and quiet stretches show.
 * @param summary the anomaly section data
 * @param options width and document
 * @returns the chart
 */
export function anomalyRateTimeChart(summary: AnomalySummary, options: ChartOptions): ReportElement {
  const { width = 720 } = options;
  const { t, byType, bucketMs } = summary.overTime;
  const styles = categoryStyles(summary.byType.map((x) => x.type));
  const base = new Array<number>(t.length).fill(0);
  const bands: { type: string; t: Date; y1: number; y2: number }[] = [];
  const peaks: { type: string; t: Date; y: number }[] = [];
  for (const { type, rate } of byType) {
    let peak = 0;
    t.forEach((v, i) => {
      const y1 = base[i], y2 = base[i] + rate[i] * 100;
      bands.push({ type, t: new Date(v), y1, y2 });
      if (rate[i] > rate[peak]) peak = i;
      base[i] = y2;
    });
    // The band's last point again at the bucket's end, so a step area covers its whole last bucket.
    bands.push({ type, t: new Date(t[t.length - 1] + bucketMs), y1: bands.at(-1)!.y1, y2: bands.at(-1)!.y2 });
    if (rate[peak] > 0) {
      const b = bands[bands.length - 1 - t.length + peak];
      peaks.push({ type, t: new Date(t[peak] + bucketMs / 2), y: (b.y1 + b.y2) / 2 });
    }
  }
  return draw("Anomalous points per time bucket, in percent, stacked by type", {
    height: 240,
    marginLeft: 50,
    x: utcX(width, { label: "time (UTC) →" }),
    y: { label: "↑ anomalous points (%)", grid: true },
    color: styles.color,
    symbol: { ...styles.symbol, legend: options.legend !== false },
    marks: [
      Plot.areaY(bands, { x: "t", y1: "y1", y2: "y2", z: "type", fill: "type", fillOpacity: 0.7, curve: "step-after" }),
      Plot.dot(peaks, { x: "t", y: "y", fill: "type", symbol: "type", stroke: "white", strokeWidth: 0.6, r: 4 }),
      Plot.ruleY([0]),
    ],
  }, options);
}
