import type { Manifest } from "@lib/lake/mod.ts";
import type { TableFrame } from "@lib/lake/mod.ts";
import type { DatasetValidation } from "@lib/validate/types.ts";
import type { FidelityReport } from "@lib/fidelity/mod.ts";

/** What a report is built from: the manifest, the loaded tables and, when available, the validation results. */
export interface ReportInput {
  manifest: Manifest;
  /** The dataset's tables by name; the primary table at least. */
  tables: Record<string, TableFrame>;
  /** The validation results (`validation.json`), or null when the dataset was not validated. */
  validation?: DatasetValidation | null;
  /** The fidelity report (`fidelity.json`), or null when the dataset was not profiled. */
  fidelity?: FidelityReport | null;
}

/** One column of one table: dtype, nulls and value range. */
export interface ColumnSummary {
  table: string;
  name: string;
  dtype: string;
  nulls: number;
  /** Nulls / rows, 0 for an empty table. */
  nullRate: number;
  /** Smallest value (numbers), earliest (times, ISO), shortest length (text); null when not applicable. */
  min: number | string | null;
  max: number | string | null;
  /** Mean (numbers), share true (booleans); null for text and times. */
  mean: number | null;
  /** Distinct values (text and booleans). */
  distinct: number | null;
  /** Unit of the values, e.g. `%`, or "" when unknown. */
  unit: string;
  /**
   * Whether the schema allows this column's nulls (a passed completeness check that tolerates some), false when a
   * completeness check failed or tolerates none, null when no check says. @default null
   */
  nullsAllowed?: boolean | null;
}

/** The distribution and alerts of one column (the column profile). */
export interface ColumnProfile {
  table: string;
  column: string;
  /** Equal-width bins from `lo` to `hi` (numbers; times as epoch ms), or null. */
  histogram: { lo: number; hi: number; counts: number[]; time: boolean } | null;
  /** The most frequent values with their counts (text, booleans), or null. */
  top: { value: string; count: number }[] | null;
  /** Non-null values the figures below are counted on: every row, or every k-th row of a large table. */
  counted: number | null;
  /** Distinct values among them (numbers; a lower bound for a table of several files), else null. */
  distinct: number | null;
  /** Of those, values equal to 0, to the minimum and to the maximum (numbers), else null. */
  zeros: number | null;
  atMin: number | null;
  atMax: number | null;
  /** Sample skewness (numbers), or null. */
  skew: number | null;
  /** What a profiler would flag: `constant`, `12 % zeros`, `11.5 % at max`, `high cardinality`, `skewed (3.1)`, `unexpected nulls`. */
  alerts: string[];
}

/** One chart of a domain view, aggregated (see `ViewChartSpec` in kinds.ts). */
export type ViewChart =
  & { title: string; caption: string }
  & (
    | {
      type: "time";
      /** Bucket width, ms. */
      bucket: number;
      /** The column averaged per bucket, or null for row counts. */
      value: string | null;
      t: number[];
      key: string[];
      v: number[];
      windows: { start: number; end: number }[];
      /** Draw on a log scale (volumes of tables of very different sizes). */
      log?: boolean;
    }
    | { type: "bars"; label: string; keys: string[]; v: number[]; ordered: boolean }
    | { type: "rate"; label: string; keys: string[]; v: number[] }
    | {
      type: "intervals";
      label: string[];
      by: string[];
      start: number[];
      end: number[];
      marks: { row: number; t: number; what: string }[];
    }
    | {
      type: "around";
      /** The incidents, each with the range its panel shows and the bucket width there (ms). */
      incidents: { id: string; start: number; end: number; lo: number; hi: number; bucket: number }[];
      /** Rows per bucket, as columns: the incident's index, the table, the bucket's start and the count. */
      rows: { incident: number[]; table: string[]; t: number[]; n: number[] };
    }
    | {
      type: "multiples";
      value: string;
      /** Entities in the table; the first `series.length` by id are drawn. */
      total: number;
      series: {
        id: string;
        /** Bucket starts (ms) and each bucket's minimum, maximum and mean. */
        t: number[];
        min: number[];
        max: number[];
        mean: number[];
        windows: { start: number; end: number }[];
      }[];
    }
    | {
      type: "follow";
      incident: {
        id: string;
        label: string;
        start: number;
        end: number;
        lo: number;
        hi: number;
        marks: { t: number; what: string }[];
      };
      panels: FollowPanel[];
    }
  );

/**
 * One panel of an incident followed across modalities: a metric of the entity it hits (`series`, its own points
 * flagged), rows per bucket of a large table (`counts`, keyed `this incident` or `other`), or the rows of a small
 * one as events (`events`, with a label each).
 */
export type FollowPanel =
  & { table: string; title: string }
  & (
    | { kind: "series"; unit: string; t: number[]; v: number[]; mine: boolean[] }
    | { kind: "counts"; bucket: number; t: number[]; key: string[]; v: number[] }
    | { kind: "events"; t: number[]; label: string[]; mine: boolean[] }
  );

/** A domain view: a section of charts. */
export interface ViewData {
  id: string;
  title: string;
  intro: string;
  charts: ViewChart[];
}

/** One table of a dataset. */
export interface TableSummary {
  name: string;
  rows: number;
  columns: ColumnSummary[];
}

/** One measured correlation beside its target. */
export interface CorrelationCell {
  group: string;
  x: string;
  y: string;
  measured: number;
  /** The configured target, or null when the config declares none. */
  target: number | null;
  /** Largest accepted |measured - target|. */
  tolerance: number;
  /** Whether the figure is within the tolerance of its target; null without a target. */
  passed: boolean | null;
  /** Rows the figure is measured on, when known. */
  n: number | null;
}

/** The correlation section's data. */
export interface CorrelationSummary {
  metrics: string[];
  /** Largest accepted |measured - target| over the cells. */
  tolerance: number;
  /**
   * `validation` when the figures are the validator's own results, `report` when measured here against the
   * config's targets, `profile` when measured here on data with no targets.
   */
  source: "validation" | "report" | "profile";
  /** How the figures were measured, one sentence. */
  method: string;
  cells: CorrelationCell[];
}

/** Rows sampled for the scatter matrix, as columns. */
export interface ScatterSample {
  metrics: string[];
  /** Unit of each metric. */
  units: Record<string, string>;
  group: string[];
  values: Record<string, number[]>;
}

/** One point of an hour-of-day, day-of-week or month profile: the level relative to the group's mean. */
export interface ProfilePoint {
  group: string;
  key: number;
  value: number;
}

/** One autocorrelation coefficient. */
export interface AcfPoint {
  group: string;
  lag: number;
  r: number;
}

/** One calendar effect measured against the config. */
export interface SeasonalEffect {
  group: string;
  /** `weekend`, `eoq` (mean of the window), `eoq_peak` (top of the ramp), `holiday` or `business_hours`. */
  effect: string;
  /** Measured ratio of levels (e.g. weekend mean / weekday mean). */
  measured: number;
  /** The ratio the config implies, or null. */
  expected: number | null;
  /** Accepted band of the measured ratio, or null. */
  band: [number, number] | null;
  /** Whether the measured ratio lies in the band; null without one. */
  passed: boolean | null;
  /** What the figure is measured on, e.g. 396 and "timestamps", when known. */
  n: number | null;
  nUnit: string;
  /** `validation` when the figure is the validator's own result (converted to a ratio), `report` when measured here. */
  source: "validation" | "report";
}

/** The seasonality section's data. */
export interface SeasonalitySummary {
  metric: string;
  unit: string;
  /** Hour-of-day profile (hourly data only). */
  hour: ProfilePoint[];
  dow: ProfilePoint[];
  month: ProfilePoint[];
  acf: AcfPoint[];
  /** Unit of the lags: `hour` or `day`. */
  lagUnit: string;
  /** Expected periods to mark on the autocorrelation plot. */
  periods: { lag: number; label: string }[];
  effects: SeasonalEffect[];
  /** Strength of the daily cycle (share of variance the hour of day explains), when measured. @default undefined */
  strength?: number | null;
  /** Measured from the table's roles alone (no calendar flags, no config targets). @default false */
  generic?: boolean;
}

/** One downsampled series: a min-max band and mean per time bucket. */
export interface SeriesBuckets {
  label: string;
  /** Bucket start, epoch ms. */
  t: number[];
  /** Bucket width, ms: a longer step between buckets is a stretch without data. */
  width: number;
  min: number[];
  max: number[];
  mean: number[];
}

/** Sample series of one metric. */
export interface SeriesSample {
  metric: string;
  unit: string;
  /** Rows that went in, per series, before downsampling. */
  rowsPerSeries: number;
  series: SeriesBuckets[];
}

/** An anomaly window, epoch ms. */
export interface AnomalyWindow {
  series: string;
  type: string;
  start: number;
  end: number;
}

/** The anomaly-rate section's data (labeled datasets). */
export interface AnomalySummary {
  points: number;
  anomalousPoints: number;
  /** Anomalous points / points. */
  pointRate: number;
  series: number;
  seriesWithAnomalies: number;
  /** Series with anomalies / series. */
  seriesRate: number;
  /** Configured share of series with anomalies (`anomaly_ratio`), or null. */
  targetSeriesRate: number | null;
  /** Events in the event table, or null without one. */
  events: number | null;
  byType: {
    type: string;
    events: number;
    points: number;
    pointRate: number;
    /** Share of the events of this type. */
    eventShare: number;
    /** The share the config's type weights imply, or null. */
    expectedShare: number | null;
  }[];
  /**
   * The anomalous-point share per time bucket (`bucketMs` wide, starts in `t`), overall and per type, so bursts and
   * quiet stretches of labels show.
   */
  overTime: { bucketMs: number; t: number[]; rate: number[]; byType: { type: string; rate: number[] }[] };
  /** Per-series anomalous-point share, for the series that have anomalies, largest first. */
  perSeries: { series: string; points: number; anomalous: number; rate: number }[];
  /** Event windows for the timeline (at most a few hundred, from the first series by id). */
  timeline: AnomalyWindow[];
  /** Series in the timeline, in display order. */
  timelineSeries: string[];
  /** Whether the timeline leaves events out. */
  timelineTruncated: boolean;
  /** A few series, one per anomaly type where possible, with their windows. */
  samples: {
    series: string;
    type: string;
    metric: string;
    unit: string;
    buckets: SeriesBuckets;
    windows: AnomalyWindow[];
    /** Every type of the dataset, for consistent colours. */
    types: string[];
  }[];
}

/** The dataset card: what the manifest says, plus the time range measured on the data. */
export interface DatasetCard {
  name: string;
  kind: string;
  layer: string;
  generator: { name: string; version: string };
  seed: number | string | null;
  config: Record<string, unknown>;
  rows: number;
  created: string;
  classification: string;
  retention_days: number;
  lineage: { source: string; relation: string; sha256?: string }[];
  files: { path: string; bytes: number; sha256: string }[];
  tables: { name: string; rows: number; columns: number; files?: string[] }[];
  source: { name: string; url?: string; license?: string } | null;
  stats: Record<string, unknown> | null;
  /** Earliest and latest timestamp of the primary table, ISO, or null without a time column. */
  timeRange: { column: string; start: string; end: string } | null;
}

/** Everything a report shows, computed from the data: small, JSON-serialisable, independent of the row count. */
export interface ReportData {
  card: DatasetCard;
  validation: DatasetValidation | null;
  tables: TableSummary[];
  /** The kind's domain views. */
  views?: ViewData[];
  /** Column profiles keyed `table.column` (the first tables and columns, see the profile options). */
  profiles?: Record<string, ColumnProfile>;
  correlation: CorrelationSummary | null;
  scatter: ScatterSample | null;
  seasonality: SeasonalitySummary | null;
  anomalies: AnomalySummary | null;
  series: SeriesSample[];
  /** The fidelity report, shown side by side with its reference; null when there is none. */
  fidelity: FidelityReport | null;
}
