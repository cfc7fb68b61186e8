import type { ReportElement } from "../document.ts";
import type { SeasonalitySummary } from "../types.ts";
import { type ChartOptions, MONTHS, profileChart } from "./_common.ts";

/**
 * Month profile per group (every day), relative to the plain-weekday mean: quarter-end months stand out.
 * @param summary the seasonality section data
 * @param options width and document
 * @returns the chart
 */
export function monthProfileChart(summary: SeasonalitySummary, options: ChartOptions): ReportElement {
  return profileChart(`Month profile of ${summary.metric} per group, relative to the plain-weekday mean`, {
    points: summary.month,
    x: { label: "month →", domain: [1, 12], ticks: 12, tickFormat: (d: number) => MONTHS[d - 1] ?? String(d) },
    summary,
    options,
  });
}
