/**
 * Exports for the tools detector builders already use, as file contents (the task writes them):
 *
 * - NAB layout: `nab/data/<metric>/<series_id>.csv` (`timestamp,value`, missing points left out, as NAB files
 *   have gaps rather than empty values), `nab/labels/combined_windows.json` (per file, the `[start, end]` window of
 *   every anomaly affecting that metric; exact labeled spans, not NAB's widened windows) and
 *   `nab/labels/combined_labels.json` (per file, the first timestamp of each anomaly).
 * - GutenTAG / TimeEval layout: `timeeval/<series_id>.csv` (`timestamp,value-0,value-1,value-2,is_anomaly` with
 *   value-0 latency_ms, value-1 error_rate_pct, value-2 throughput_rps; a missing value is an empty cell) and
 *   `timeeval/datasets.csv`, TimeEval's dataset index.
 * @module
 */
import type { ChunkData } from "./frames.ts";
import type { AnomalyEvent, SeriesMeta } from "./series.ts";
import { type Grid, METRICS } from "./model.ts";

/** An export format. */
export type ExportFormat = "nab" | "timeeval";
/** The export formats on offer. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ["nab", "timeeval"];

/** One file of an export, relative to the dataset folder. */
export interface ExportFile {
  /** Relative path with `/` separators. */
  path: string;
  /** The content. */
  text: string;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/**
 * A timestamp as NAB writes it: `YYYY-MM-DD HH:MM:SS` (UTC).
 * @param ms ms since the epoch
 * @param fraction append `.ffffff` as NAB's label files do
 * @returns the text
 */
export function nabTimestamp(ms: number, fraction = false): string {
  const d = new Date(ms);
  const text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${
    pad(d.getUTCMinutes())
  }:${pad(d.getUTCSeconds())}`;
  return fraction ? `${text}.${pad(d.getUTCMilliseconds(), 3)}000` : text;
}

function formatValue(v: number): string {
  return String(Math.round(v * 1e6) / 1e6);
}

function timestamps(grid: Grid, format: (ms: number) => string): string[] {
  return Array.from({ length: grid.points }, (_, i) => format(grid.startMs + i * grid.stepMs));
}

/**
 * The NAB data files of a chunk: one `timestamp,value` CSV per series and metric.
 * @param data the chunk's typed arrays
 * @returns the files
 */
export function* nabDataFiles(data: ChunkData): Generator<ExportFile> {
  const ts = timestamps(data.grid, (ms) => nabTimestamp(ms));
  const p = data.grid.points;
  for (let s = 0; s < data.seriesIds.length; s++) {
    for (let m = 0; m < METRICS.length; m++) {
      const v = data.values[m];
      const lines = ["timestamp,value"];
      for (let i = 0; i < p; i++) {
        const x = v[s * p + i];
        if (x === x) lines.push(`${ts[i]},${formatValue(x)}`);
      }
      yield { path: `nab/data/${METRICS[m]}/${data.seriesIds[s]}.csv`, text: lines.join("\n") + "\n" };
    }
  }
}

/**
 * NAB's label files for a whole dataset: windows (`[start, end]` of each anomaly affecting the file's metric)
 * and labels (the start of each), keyed `<metric>/<series_id>.csv`; every file has a key, maybe with `[]`.
 * @param seriesIds every series, in order
 * @param events every anomaly
 * @returns `labels/combined_windows.json` and `labels/combined_labels.json`
 */
export function nabLabelFiles(seriesIds: readonly string[], events: readonly AnomalyEvent[]): ExportFile[] {
  const windows: Record<string, [string, string][]> = {};
  const labels: Record<string, string[]> = {};
  for (const m of METRICS) {
    for (const id of seriesIds) {
      windows[`${m}/${id}.csv`] = [];
      labels[`${m}/${id}.csv`] = [];
    }
  }
  for (const e of events) {
    for (const m of e.metrics) {
      const key = `${m}/${e.series_id}.csv`;
      windows[key]?.push([nabTimestamp(e.start_ms, true), nabTimestamp(e.end_ms, true)]);
      labels[key]?.push(nabTimestamp(e.start_ms));
    }
  }
  return [
    { path: "nab/labels/combined_windows.json", text: JSON.stringify(windows, null, 4) + "\n" },
    { path: "nab/labels/combined_labels.json", text: JSON.stringify(labels, null, 4) + "\n" },
  ];
}

/**
 * The TimeEval files of a chunk: one multivariate CSV per series.
 * @param data the chunk's typed arrays
 * @returns the files
 */
export function* timeevalDataFiles(data: ChunkData): Generator<ExportFile> {
  const ts = timestamps(data.grid, (ms) => new Date(ms).toISOString());
  const p = data.grid.points;
  const cell = (x: number) => (x === x ? formatValue(x) : "");
  for (let s = 0; s < data.seriesIds.length; s++) {
    const lines = ["timestamp,value-0,value-1,value-2,is_anomaly"];
    for (let i = 0; i < p; i++) {
      const k = s * p + i;
      lines.push(
        `${ts[i]},${cell(data.values[0][k])},${cell(data.values[1][k])},${cell(data.values[2][k])},${
          data.labels.typeCode[k] === 0 ? 0 : 1
        }`,
      );
    }
    yield { path: `timeeval/${data.seriesIds[s]}.csv`, text: lines.join("\n") + "\n" };
  }
}

const TIMEEVAL_COLUMNS = [
  "collection_name",
  "dataset_name",
  "train_path",
  "test_path",
  "dataset_type",
  "datetime_index",
  "split_at",
  "train_type",
  "train_is_normal",
  "input_type",
  "length",
  "dimensions",
  "contamination",
  "num_anomalies",
  "min_anomaly_length",
  "median_anomaly_length",
  "max_anomaly_length",
  "mean",
  "stddev",
  "trend",
  "stationarity",
  "period_size",
];

/**
 * TimeEval's dataset index (`datasets.csv`), one row per series, paths relative to the index.
 * @param collection the collection name (the dataset name)
 * @param series every series row
 * @param events every anomaly
 * @param options points per series and per seasonal period
 * @returns the file
 */
export function timeevalIndexFile(
  collection: string,
  series: readonly SeriesMeta[],
  events: readonly AnomalyEvent[],
  options: { points: number; period: number },
): ExportFile {
  const bySeries = new Map<string, number[]>();
  for (const e of events) {
    const list = bySeries.get(e.series_id) ?? [];
    list.push(e.length);
    bySeries.set(e.series_id, list);
  }
  const lines = [TIMEEVAL_COLUMNS.join(",")];
  for (const s of series) {
    const lengths = (bySeries.get(s.series_id) ?? []).sort((a, b) => a - b);
    const median = lengths.length === 0
      ? ""
      : lengths.length % 2 === 1
      ? String(lengths[(lengths.length - 1) / 2])
      : String((lengths[lengths.length / 2 - 1] + lengths[lengths.length / 2]) / 2);
    lines.push([
      collection,
      s.series_id,
      "",
      `${s.series_id}.csv`,
      "synthetic",
      "True",
      "",
      "unsupervised",
      "False",
      "multivariate",
      options.points,
      3,
      s.anomaly_points / options.points,
      lengths.length,
      lengths.length ? lengths[0] : "",
      median,
      lengths.length ? lengths[lengths.length - 1] : "",
      "",
      "",
      "",
      "",
      options.period,
    ].join(","));
  }
  return { path: "timeeval/datasets.csv", text: lines.join("\n") + "\n" };
}
