import type { ReportElement } from "../document.ts";
import type { SeasonalitySummary } from "../types.ts";
import { type ChartOptions, profileChart, WEEKDAYS } from "./_common.ts";

/**
 * Day-of-week profile per group (quarter ends and holidays left out), relative to the plain-weekday mean.
 * @param summary the seasonality section data
 * @param options width and document
 * @returns the chart
 */
export function weekdayProfileChart(summary: SeasonalitySummary, options: ChartOptions): ReportElement {
  return profileChart(`Day-of-week profile of ${summary.metric} per group, relative to the plain-weekday mean`, {
    points: summary.dow,
    x: { label: "day of week →", domain: [0, 6], ticks: 7, tickFormat: (d: number) => WEEKDAYS[d] ?? String(d) },
    summary,
    options,
  });
}
