/**
 * Row schemas of the three tables of an anomalies dataset: each column declared once, giving the TypeScript type,
 * the Polars dtypes (`polarsSchema`) and the value rules checks can test (latency > 0, throughput >= 0, error rate
 * within 0-100; metrics null only where a `missing` anomaly left a gap).
 * @module
 */
import { z } from "zod";
import { ANOMALY_TYPE_NAMES } from "./types/mod.ts";
import { REGIONS, TIERS } from "./model.ts";

const TYPE = z.enum(ANOMALY_TYPE_NAMES as [string, ...string[]]);
const SERIES_ID = z.string().regex(/^series-\d{5,}$/);
const ANOMALY_ID = z.string().regex(/^series-\d{5,}-a\d+$/);

/** One row of the points table: one series at one timestamp, with its labels. */
export const AnomalyPoint = z.strictObject({
  series_id: SERIES_ID,
  timestamp: z.date(),
  /** Latency in ms, > 0; null inside a `missing` anomaly. */
  latency_ms: z.number().positive().nullable(),
  /** Error rate in percent, within 0-100; null inside a `missing` anomaly. */
  error_rate_pct: z.number().min(0).max(100).nullable(),
  /** Requests per second, >= 0; null inside a `missing` anomaly. */
  throughput_rps: z.number().min(0).nullable(),
  /** Whether the point lies in an anomaly's labeled span. */
  is_anomaly: z.boolean(),
  /** The anomaly's type; null for normal points. */
  anomaly_type: TYPE.nullable(),
  /** The anomaly's id (as in the events table); null for normal points. */
  anomaly_id: ANOMALY_ID.nullable(),
  /** Whether the anomaly affects latency at this point. */
  is_anomaly_latency_ms: z.boolean(),
  /** Whether the anomaly affects the error rate at this point. */
  is_anomaly_error_rate_pct: z.boolean(),
  /** Whether the anomaly affects throughput at this point. */
  is_anomaly_throughput_rps: z.boolean(),
});
/** One row of the points table. */
export type AnomalyPoint = z.infer<typeof AnomalyPoint>;

/** One row of the events table: one anomaly. */
export const AnomalyEventRow = z.strictObject({
  anomaly_id: ANOMALY_ID,
  series_id: SERIES_ID,
  type: TYPE,
  /** Affected metrics, comma-separated, e.g. `latency_ms,throughput_rps`. */
  metrics: z.string().min(1),
  /** First labeled timestamp. */
  start: z.date(),
  /** Last labeled timestamp (inclusive). */
  end: z.date(),
  /** First labeled point, 0-based within the series. */
  start_index: z.int().min(0).meta({ dtype: "Int32" }),
  /** Last labeled point (inclusive). */
  end_index: z.int().min(0).meta({ dtype: "Int32" }),
  /** Labeled points. */
  length: z.int().min(1).meta({ dtype: "Int32" }),
  /** Largest |z| over span and metrics against the 60 observed points before onset; null when not measurable. */
  difficulty: z.number().min(0).nullable(),
  /** Realized parameters, JSON. */
  parameters: z.string(),
});
/** One row of the events table. */
export type AnomalyEventRow = z.infer<typeof AnomalyEventRow>;

/** One row of the series table: a series' identity, base levels, seasonality and anomaly counts. */
export const AnomalySeriesRow = z.strictObject({
  series_id: SERIES_ID,
  service: z.string().min(1),
  tier: z.enum(Object.keys(TIERS) as [string, ...string[]]),
  region: z.enum(Object.keys(REGIONS) as [string, ...string[]]),
  utc_offset_hours: z.number(),
  capacity_rps: z.number().positive(),
  base_utilization: z.number().gt(0).lt(1),
  base_latency_ms: z.number().positive(),
  queue_factor: z.number().positive(),
  base_error_rate_pct: z.number().min(0).max(100),
  saturation_error_pct: z.number().min(0).max(100),
  load_noise: z.number().min(0),
  load_ar: z.number().min(0).lt(1),
  latency_noise: z.number().min(0),
  error_overdispersion: z.number().min(1),
  daily_amplitude: z.number().min(0),
  daily_peak_hour: z.number().min(0).lt(24),
  daily_harmonic: z.number(),
  weekend_drop: z.number(),
  /** Tukey h of the noise (heavy tails). */
  noise_tail: z.number().min(0),
  /** Relative standard deviation of request counts beyond Poisson. */
  count_cv: z.number().min(0),
  /** Benign GC pauses per day (rate). */
  gc_per_day: z.number().min(0),
  /** Cron period in minutes, 0 for none. */
  cron_period_min: z.number().min(0),
  /** Benign deploys per day (rate). */
  deploys_per_day: z.number().min(0),
  mean_latency_ms: z.number().positive(),
  mean_error_rate_pct: z.number().min(0).max(100),
  mean_throughput_rps: z.number().min(0),
  has_anomaly: z.boolean(),
  /** Distinct anomaly types, comma-separated in registry order; empty when none. */
  anomaly_types: z.string(),
  anomaly_count: z.int().min(0).meta({ dtype: "Int32" }),
  anomaly_points: z.int().min(0).meta({ dtype: "Int32" }),
  /** Unlabelled benign bursts (GC pauses, cron runs, deploys). */
  benign_bursts: z.int().min(0).meta({ dtype: "Int32" }),
});
/** One row of the series table. */
export type AnomalySeriesRow = z.infer<typeof AnomalySeriesRow>;
