/**
 * What every column of an ingested NAB dataset means (rendered into `docs/columns.md`).
 * @module
 */
import { QUARANTINE_COLUMN_DOCS } from "../_quarantine.ts";

const SERIES_ID =
  "series id: the NAB file's path without `.csv` (e.g. `realKnownCause/machine_temperature_system_failure`)";

/** Column descriptions of the NAB tables, by table then column. */
export const NAB_COLUMN_DOCS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  hourly: {
    series_id: SERIES_ID,
    timestamp: "start of the bucket (`--interval`, default 1 hour), UTC",
    value: "the bucket's value: the aggregate (`--agg`, default mean) of the points in it, the series' own unit",
    n_obs: "points in the bucket, count (0 for a filled bucket)",
    filled: "whether the bucket was empty and filled from its neighbours (runs up to 3 buckets)",
    is_anomaly: "whether the bucket overlaps one of NAB's label windows",
    value_mean_24: "trailing mean of value over 24 buckets (this one included), the series' unit",
    value_std_24: "trailing standard deviation over 24 buckets",
    value_mean_168: "trailing mean over 168 buckets (a week of hours)",
    value_std_168: "trailing standard deviation over 168 buckets",
    value_z_24: "(value - value_mean_24) / value_std_24, unitless; null while the window fills",
    value_z_168: "(value - value_mean_168) / value_std_168, unitless",
    split: "train or test: a chronological split per series (`--train-ratio`), features never look past their row",
  },
  series: {
    series_id: SERIES_ID,
    timestamp: "time of the raw point, UTC (NAB's zone-less timestamps read in the configured `timezone`, default UTC)",
    value: "the raw value, the series' own unit",
    is_anomaly: "whether the point lies in a label window",
  },
  windows: {
    series_id: SERIES_ID,
    start: "first time of NAB's anomaly window, UTC",
    end: "last time of the window, UTC (inclusive)",
  },
  labels: {
    series_id: SERIES_ID,
    timestamp: "an anomaly NAB's labellers marked (combined labels), UTC",
  },
  series_info: {
    series_id: SERIES_ID,
    category: "NAB category: the folder (realKnownCause, artificialWithAnomaly, …)",
    file: "the source file, relative to the input folder",
    rows_read: "data rows read, count",
    rows_kept: "rows in the series table, count",
    rows_quarantined: "rows moved to quarantine, count (read = kept + quarantined)",
    start: "first timestamp, UTC",
    end: "last timestamp, UTC",
    cadence_s: "the series' typical step between points, s",
    gaps: "steps longer than the cadence (gaps), count; kept here, filled only when resampling",
    missing_steps: "cadence steps missing inside those gaps, count",
    irregular_steps: "steps off the cadence that are not gaps, count",
    duplicates: "rows repeating a timestamp, count",
    reordered_rows: "rows out of time order in the file (sorted at ingest), count",
    backward_steps: "steps going back in time, count",
    crlf_lines: "lines ending in CRLF, count",
    missing_final_newline: "whether the file's last line lacks a newline",
    label_windows: "label windows of the series, count",
  },
  quarantine: QUARANTINE_COLUMN_DOCS,
};
