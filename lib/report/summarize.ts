import type { TableFrame } from "@lib/lake/mod.ts";
import { timeRangeOf } from "./_frame.ts";
import { summarizeTable } from "./_quality.ts";
import { profileTables } from "./_profile.ts";
import { summarizeViews } from "./_views.ts";
import { genericSeasonality } from "./_generic_seasonality.ts";
import { correlationFromValidation, genericCorrelation, sampleScatter, summarizeCorrelation } from "./_correlation.ts";
import { effectsFromValidation, summarizeSeasonality } from "./_seasonality.ts";
import { sampleSeries } from "./_series.ts";
import { labeledTable, summarizeAnomalies } from "./_anomalies.ts";
import { kindProfile } from "./kinds.ts";
import type { DatasetCard, ReportData, ReportInput, TableSummary } from "./types.ts";
import type { DatasetValidation } from "@lib/validate/types.ts";

/** Options of {@linkcode summarizeDataset}. */
export interface SummarizeOptions {
  /** Time buckets of each downsampled series. @default 300 */
  buckets?: number;
  /** Points of the scatter matrix, over all groups. @default 480 */
  scatterPoints?: number;
  /** Sample series per metric. @default 4 */
  maxSeries?: number;
  /** Metrics with sample series. @default 3 */
  maxMetrics?: number;
  /** Series in the anomaly timeline. @default 40 */
  timelineSeries?: number;
  /** Sample series with shaded anomaly windows. @default 6 */
  anomalySamples?: number;
}

function datasetCard(input: ReportInput, primary: TableFrame | undefined): DatasetCard {
  const m = input.manifest;
  const timeRange = timeRangeOf(primary);
  return {
    name: m.name,
    kind: m.kind,
    layer: m.layer,
    generator: m.generator,
    seed: m.seed,
    config: m.config,
    rows: m.rows,
    created: m.created,
    classification: m.classification,
    retention_days: m.retention_days,
    lineage: m.lineage,
    files: m.files,
    tables: Object.entries(m.tables).map(([name, t]) => ({
      name,
      rows: t.rows,
      columns: Object.keys(t.schema).length,
      files: t.files,
    })),
    source: m.source ?? null,
    stats: m.stats ?? null,
    timeRange,
  };
}

/**
 * Marks each column whose nulls the schema allows, from the validator's completeness checks
 * (`completeness.null_rate:<column>` for the primary table, `…:<table>.<column>` for the others): a passed check
 * with a threshold above 0 allows them, a failed one or a threshold of 0 does not.
 */
function markAllowedNulls(tables: TableSummary[], validation: DatasetValidation, primary: string | undefined): void {
  const checks = new Map(
    validation.results.filter((r) => r.id.startsWith("completeness.null_rate:")).map((r) => [r.id.slice(22), r]),
  );
  for (const t of tables) {
    for (const c of t.columns) {
      const r = checks.get(`${t.name}.${c.name}`) ?? (t.name === primary ? checks.get(c.name) : undefined);
      if (r === undefined) continue;
      const limit = Number(/([0-9.]+)\s*%?\s*$/.exec(r.threshold)?.[1] ?? NaN);
      c.nullsAllowed = r.passed && limit > 0;
    }
  }
}

/**
 * Computes everything a report shows from a dataset: the card, column summaries, correlations against the
 * config's targets, a scatter sample, seasonal profiles and effects, anomaly rates (labeled datasets) and
 * downsampled sample series. All heavy work runs as Polars aggregations; the result is small whatever the row
 * count. Sections that do not apply (no targets, no labels, no time column) are null or empty.
 * @param input the manifest, the loaded tables and the validation results
 * @param options sampling sizes
 * @returns the report data
 * @example
 * ```ts ignore
 * import { summarizeDataset } from "@lib/report/mod.ts";
 * const data = summarizeDataset({ manifest, tables: { capacity: df } });
 * data.correlation?.cells.length; // 24 for the default capacity dataset
 * ```
 */
export function summarizeDataset(input: ReportInput, options: SummarizeOptions = {}): ReportData {
  const {
    buckets = 300,
    scatterPoints = 480,
    maxSeries = 4,
    maxMetrics = 3,
    timelineSeries = 40,
    anomalySamples = 6,
  } = options;
  const { manifest, tables } = input;
  const profile = kindProfile(manifest.kind);
  const primaryName = tables[manifest.primary_table] !== undefined ? manifest.primary_table : Object.keys(tables)[0];
  const primary = primaryName === undefined ? undefined : tables[primaryName];
  const names = Object.keys(tables).sort((a, b) => a === primaryName ? -1 : b === primaryName ? 1 : a.localeCompare(b));
  const config = manifest.config;
  const labeled = primaryName === undefined ? null : labeledTable(tables, primaryName);
  // The validator's own figures when there are some: the report then shows exactly what was judged, and the
  // residual correlations (the costliest measurement) are not computed twice.
  const validation = input.validation ?? null;
  const correlation = primary === undefined
    ? null
    : (validation && correlationFromValidation(validation, { config, profile })) ??
      summarizeCorrelation(primary, { config, profile }) ?? genericCorrelation(primary, profile);
  const seasonality = primary === undefined
    ? null
    : summarizeSeasonality(primary, { config, profile }) ?? genericSeasonality(primary, profile);
  const validated = validation === null ? [] : effectsFromValidation(validation);
  if (seasonality !== null && validated.length > 0) {
    // Business hours are not among the validator's factors: that one stays measured here.
    seasonality.effects = [...validated, ...seasonality.effects.filter((e) => e.effect === "business_hours")]
      .sort((a, b) => a.group.localeCompare(b.group));
  }
  const summaries = names.map((n) => summarizeTable(n, { df: tables[n], profile }));
  if (validation !== null) markAllowedNulls(summaries, validation, primaryName);
  return {
    card: datasetCard(input, primary),
    validation,
    tables: summaries,
    profiles: profileTables(tables, summaries),
    views: summarizeViews(tables, profile),
    correlation,
    scatter: primary === undefined || correlation === null
      ? null
      // Without targets the matrix is descriptive: the scatter shows its first three metrics, on fewer points.
      : correlation.source === "profile"
      ? sampleScatter(primary, correlation.metrics.slice(0, 3), {
        profile,
        points: Math.min(scatterPoints, 300),
        seed: manifest.seed ?? 0,
      })
      : sampleScatter(primary, correlation.metrics, { profile, points: scatterPoints, seed: manifest.seed ?? 0 }),
    seasonality,
    anomalies: labeled === null ? null : summarizeAnomalies(tables, {
      pointsName: labeled,
      config,
      profile,
      options: {
        buckets,
        timelineSeries,
        samples: anomalySamples,
      },
    }),
    series: primary === undefined ? [] : sampleSeries(primary, profile, { buckets, maxSeries, maxMetrics }),
    fidelity: input.fidelity ?? null,
  };
}
