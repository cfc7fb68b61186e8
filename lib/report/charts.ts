/**
 * Named charts of the reports, each `(data, {width, document})` to an element drawn by Observable Plot. They take
 * data already aggregated by {@linkcode summarizeDataset} (never raw rows), so a chart's size does not grow with
 * the dataset. Every chart carries an accessible name (`aria-label` and a `<title>`), axis labels with units and,
 * where colour encodes something, a legend.
 *
 * @example
 * ```ts
 * import { charts, createDocument, figure } from "@lib/report/mod.ts";
 * const column = { table: "t", name: "cpu", dtype: "Float64", nulls: 3, nullRate: 0.03, min: 0, max: 99, mean: 41,
 *   distinct: null, unit: "%" };
 * const chart = charts.nullRateChart([column], { width: 480, document: createDocument() });
 * figure(chart, "Null rate").value.includes('aria-label="Null rate by column, in percent"'); // true
 * ```
 * @module
 */
export { chartMarkup, type ChartOptions, nameChart, typeLegend } from "./charts/_common.ts";
export { nullRateChart } from "./charts/null_rate.ts";
export { correlationHeatmap } from "./charts/correlation_heatmap.ts";
export { scatterMatrix } from "./charts/scatter_matrix.ts";
export { hourProfileChart } from "./charts/hour_profile.ts";
export { weekdayProfileChart } from "./charts/weekday_profile.ts";
export { monthProfileChart } from "./charts/month_profile.ts";
export { autocorrelationChart } from "./charts/autocorrelation.ts";
export { seasonalEffectsChart } from "./charts/seasonal_effects.ts";
export { SERIES_PANEL_WIDTH, seriesChart } from "./charts/series.ts";
export { anomalyTypeChart } from "./charts/anomaly_types.ts";
export { anomalySeriesRateChart } from "./charts/anomaly_series_rate.ts";
export { anomalyTimeline } from "./charts/anomaly_timeline.ts";
export { anomalyRateTimeChart } from "./charts/anomaly_rate_time.ts";
export { anomalySampleChart } from "./charts/anomaly_sample.ts";
export { fidelityQuantileChart } from "./charts/fidelity_quantiles.ts";
export { fidelityAcfChart } from "./charts/fidelity_acf.ts";
export { fidelitySpreadChart } from "./charts/fidelity_spread.ts";
export { viewChart } from "./charts/view_chart.ts";
export { columnProfileSvg } from "./charts/column_profile.ts";
export { COMPARE_COLOR, driftHistogramChart } from "./charts/drift_histogram.ts";
export { driftProfileChart } from "./charts/drift_profile.ts";
export { driftCorrelationChart } from "./charts/drift_correlation.ts";
