import type { ReportElement } from "../document.ts";
import type { SeasonalitySummary } from "../types.ts";
import { type ChartOptions, profileChart } from "./_common.ts";

/**
 * Hour-of-day profile per group (plain weekdays), relative to the group's mean.
 * @param summary the seasonality section data
 * @param options width and document
 * @returns the chart
 */
export function hourProfileChart(summary: SeasonalitySummary, options: ChartOptions): ReportElement {
  return profileChart(`Hour-of-day profile of ${summary.metric} per group, relative to the plain-weekday mean`, {
    points: summary.hour,
    x: { label: "hour of day (UTC) →", domain: [0, 23], ticks: 12 },
    summary,
    options,
  });
}
