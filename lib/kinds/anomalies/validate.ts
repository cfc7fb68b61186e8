/**
 * How anomaly-labeled datasets are validated (the anomalies kind's validation rules): the points, events and series schemas, keys, the time axis from
 * the config, foreign keys between the tables, and the anomaly checks (series ratio, point rate, type mix,
 * bounds, overlaps, label agreement) against the config and the rates the generator reports.
 * @module
 */
import { AnomaliesConfig, freqToMs } from "@lib/generate/anomalies/config.ts";
import { AnomalyEventRow, AnomalyPoint, AnomalySeriesRow } from "@lib/schema/anomalies.ts";
import { type AnomalyTargets, checkAnomalies } from "@lib/validate/anomalies.ts";
import { type KindSpec, type ValidationContext } from "@lib/validate/registry.ts";
import { notMeasured } from "@lib/validate/result.ts";
import type { TimeSpec } from "@lib/validate/time.ts";

function timeSpec(config: AnomaliesConfig | undefined): TimeSpec {
  const base = { column: "timestamp", entity: "series_id", sorted: true };
  if (!config) return base;
  const step = freqToMs(config.freq);
  const start = Date.parse(config.start);
  return { ...base, cadenceMs: step, range: [start, start + (config.points - 1) * step] };
}

/**
 * The targets of a config: `anomaly_ratio`, the type weights, and the contamination the generator reported in
 * the manifest's stats (the labels must reproduce it). Only the types the config as written names count: a
 * dataset made before a type existed must not be judged by that type's default weight.
 * @param config the resolved config
 * @param options the manifest's stats and its config as written
 * @returns the targets
 */
export function anomalyTargets(
  config: AnomaliesConfig,
  options: { stats?: Record<string, unknown>; raw?: Record<string, unknown> } = {},
): AnomalyTargets {
  const { stats = {}, raw } = options;
  const written = raw && typeof raw.types === "object" && raw.types !== null ? Object.keys(raw.types) : undefined;
  const typeMix: Record<string, number> = {};
  for (const [name, params] of Object.entries(config.types)) {
    const weight = (params as { weight?: number }).weight ?? 0;
    if (weight > 0 && (written === undefined || written.includes(name))) typeMix[name] = weight;
  }
  const reported = Number(stats.contamination);
  return {
    seriesRatio: config.anomaly_ratio,
    typeMix,
    ...(Number.isFinite(reported) && reported > 0 ? { pointRate: reported } : {}),
  };
}

function anomaliesFamily(ctx: ValidationContext<AnomaliesConfig>) {
  const points = ctx.tables.points ?? ctx.tables[ctx.primary];
  if (!points) return [notMeasured("anomalies.labels", "no points table")];
  return checkAnomalies(points, {
    events: ctx.tables.events,
    series: ctx.tables.series,
    targets: ctx.config ? anomalyTargets(ctx.config, { stats: ctx.manifest?.stats, raw: ctx.manifest?.config }) : {},
  });
}

/** The anomalies kind. */
export const anomaliesKind: KindSpec<AnomaliesConfig> = {
  kind: "anomalies",
  description: "anomaly-labeled service metrics: points with labels, an event table and series metadata",
  primary: "points",
  parseConfig: (raw) => AnomaliesConfig.parse(raw),
  tables: (ctx) => ({
    points: {
      record: AnomalyPoint,
      key: ["series_id", "timestamp"],
      time: timeSpec(ctx.config),
      // Metrics are null only inside `missing` anomalies; their share is bounded by the contamination.
      nullRates: { latency_ms: 1, error_rate_pct: 1, throughput_rps: 1, anomaly_type: 1, anomaly_id: 1 },
      pii: "free-text",
    },
    events: { record: AnomalyEventRow, key: ["anomaly_id"], pii: false },
    series: { record: AnomalySeriesRow, key: ["series_id"], pii: "free-text" },
  }),
  foreignKeys: [
    { from: { table: "points", columns: ["series_id"] }, to: { table: "series", columns: ["series_id"] } },
    { from: { table: "events", columns: ["series_id"] }, to: { table: "series", columns: ["series_id"] } },
    { from: { table: "points", columns: ["anomaly_id"] }, to: { table: "events", columns: ["anomaly_id"] } },
  ],
  families: [{ name: "anomalies", run: anomaliesFamily }],
};
