/**
 * Row schemas of the three tables of an anomalies dataset: each column declared once, giving the TypeScript type,
 * the Polars dtypes (`polarsSchema`), the value rules checks can test (latency > 0, throughput >= 0, error rate
 * within 0-100; metrics null only where a `missing` anomaly left a gap) and the column's description (meaning,
 * unit, range; rendered into `docs/columns.md`).
 * @module
 */
import { z } from "zod";

/**
 * The anomaly types, in the generator's registry order (`ANOMALY_TYPES` in `lib/generate/anomalies/types/`; a test
 * keeps the two equal, so a new type is also one name here).
 */
export const ANOMALY_TYPE_NAMES = [
  "spike",
  "dip",
  "level_shift",
  "drift",
  "variance_change",
  "seasonal_change",
  "missing",
  "flatline",
  "pattern",
  "incident",
  "gc_sawtooth",
  "thundering_herd",
  "batch_window",
  "memory_leak",
] as const;
/** Service tiers (the generator's `TIERS` keys). */
export const TIER_NAMES = ["frontend", "api", "backend", "database", "cache", "queue"] as const;
/** Cloud regions (the generator's `REGIONS` keys). */
export const REGION_NAMES = [
  "us-east-1",
  "us-west-2",
  "sa-east-1",
  "eu-west-1",
  "eu-central-1",
  "ap-south-1",
  "ap-southeast-1",
  "ap-northeast-1",
] as const;

const TYPE = z.enum(ANOMALY_TYPE_NAMES);
const SERIES_ID = z.string().regex(/^series-\d{5,}$/);
const ANOMALY_ID = z.string().regex(/^series-\d{5,}-a\d+$/);

/** One row of the points table: one series at one timestamp, with its labels. */
export const AnomalyPoint = z.strictObject({
  series_id: SERIES_ID.describe("series id, `series-00000` …"),
  timestamp: z.date().describe("time of the point, UTC, every `freq` from `start`"),
  latency_ms: z.number().positive().nullable().describe("Latency in ms, > 0; null inside a `missing` anomaly."),
  error_rate_pct: z.number().min(0).max(100).nullable().describe(
    "Error rate in percent, within 0-100; null inside a `missing` anomaly.",
  ),
  throughput_rps: z.number().min(0).nullable().describe("Requests per second, >= 0; null inside a `missing` anomaly."),
  is_anomaly: z.boolean().describe("Whether the point lies in an anomaly's labeled span."),
  anomaly_type: TYPE.nullable().describe("The anomaly's type; null for normal points."),
  anomaly_id: ANOMALY_ID.nullable().describe("The anomaly's id (as in the events table); null for normal points."),
  is_anomaly_latency_ms: z.boolean().describe("Whether the anomaly affects latency at this point."),
  is_anomaly_error_rate_pct: z.boolean().describe("Whether the anomaly affects the error rate at this point."),
  is_anomaly_throughput_rps: z.boolean().describe("Whether the anomaly affects throughput at this point."),
});
/** One row of the points table. */
export type AnomalyPoint = z.infer<typeof AnomalyPoint>;

/** One row of the events table: one anomaly. */
export const AnomalyEventRow = z.strictObject({
  anomaly_id: ANOMALY_ID.describe("anomaly id, `<series_id>-a<n>`"),
  series_id: SERIES_ID.describe("the series the anomaly lies in"),
  type: TYPE.describe("anomaly type (one of the 14 registered types)"),
  metrics: z.string().min(1).describe("Affected metrics, comma-separated, e.g. `latency_ms,throughput_rps`."),
  start: z.date().describe("First labeled timestamp."),
  end: z.date().describe("Last labeled timestamp (inclusive)."),
  start_index: z.int().min(0).meta({ dtype: "Int32", description: "First labeled point, 0-based within the series." }),
  end_index: z.int().min(0).meta({ dtype: "Int32", description: "Last labeled point (inclusive)." }),
  length: z.int().min(1).meta({ dtype: "Int32", description: "Labeled points." }),
  difficulty: z.number().min(0).nullable().describe(
    "Largest |z| over span and metrics against the 60 observed points before onset; null when not measurable.",
  ),
  parameters: z.string().describe("Realized parameters, JSON."),
});
/** One row of the events table. */
export type AnomalyEventRow = z.infer<typeof AnomalyEventRow>;

/** One row of the series table: a series' identity, base levels, seasonality and anomaly counts. */
export const AnomalySeriesRow = z.strictObject({
  series_id: SERIES_ID.describe("series id, `series-00000` …"),
  service: z.string().min(1).describe("service name (e.g. `checkout-api`)"),
  tier: z.enum(TIER_NAMES).describe("service tier: frontend, api, backend, database, cache, queue (sets base ranges)"),
  region: z.enum(REGION_NAMES).describe("cloud region; the daily cycle follows its local time"),
  utc_offset_hours: z.number().describe("UTC offset of the region, hours (-8 to 9)"),
  capacity_rps: z.number().positive().describe("requests per second at saturation, req/s (> 0)"),
  base_utilization: z.number().gt(0).lt(1).describe(
    "mean utilization (load / capacity) before seasonality, fraction (0-1)",
  ),
  base_latency_ms: z.number().positive().describe("latency at zero load (service time), ms (> 0)"),
  queue_factor: z.number().positive().describe(
    "queueing factor q: latency = base * (1 + q u^2 / (1 - u)), unitless (0.2-0.8)",
  ),
  base_error_rate_pct: z.number().min(0).max(100).describe("error rate at normal load, % (0-100)"),
  saturation_error_pct: z.number().min(0).max(100).describe("error rate added at saturation, % (0-100)"),
  load_noise: z.number().min(0).describe("standard deviation of the log-load noise, unitless (>= 0)"),
  load_ar: z.number().min(0).lt(1).describe("AR(1) coefficient of the load noise, per step (0.6-0.95)"),
  latency_noise: z.number().min(0).describe("standard deviation of the multiplicative latency noise, unitless (>= 0)"),
  error_overdispersion: z.number().min(1).describe("over-dispersion of error counts relative to binomial, ratio (1-2)"),
  daily_amplitude: z.number().min(0).describe("amplitude of the daily load cycle, fraction of the mean (>= 0)"),
  daily_peak_hour: z.number().min(0).lt(24).describe("local hour of the daily peak, h (0-24)"),
  daily_harmonic: z.number().describe("amplitude of the second daily harmonic, fraction of the mean"),
  weekend_drop: z.number().describe(
    "fractional load change on Saturday and Sunday (-0.1-0.35; negative: busier at weekends)",
  ),
  noise_tail: z.number().min(0).describe("Tukey h of the noise (heavy tails)."),
  count_cv: z.number().min(0).describe("Relative standard deviation of request counts beyond Poisson."),
  gc_per_day: z.number().min(0).describe("Benign GC pauses per day (rate)."),
  cron_period_min: z.number().min(0).describe("Cron period in minutes, 0 for none."),
  deploys_per_day: z.number().min(0).describe("Benign deploys per day (rate)."),
  mean_latency_ms: z.number().positive().describe("mean of the series' latency_ms, ms"),
  mean_error_rate_pct: z.number().min(0).max(100).describe("mean of the series' error_rate_pct, % (0-100)"),
  mean_throughput_rps: z.number().min(0).describe("mean of the series' throughput_rps, req/s"),
  has_anomaly: z.boolean().describe("whether the series holds at least one labeled anomaly"),
  anomaly_types: z.string().describe("Distinct anomaly types, comma-separated in registry order; empty when none."),
  anomaly_count: z.int().min(0).meta({ dtype: "Int32", description: "labeled anomalies in the series (>= 0)" }),
  anomaly_points: z.int().min(0).meta({ dtype: "Int32", description: "points labeled anomalous in the series (>= 0)" }),
  benign_bursts: z.int().min(0).meta({
    dtype: "Int32",
    description: "Unlabelled benign bursts (GC pauses, cron runs, deploys).",
  }),
});
/** One row of the series table. */
export type AnomalySeriesRow = z.infer<typeof AnomalySeriesRow>;
