/**
 * Exports for the tools detector builders already use, as file contents (the task writes them):
 *
 * - NAB layout: `nab/data/<metric>/<series_id>.csv` (`timestamp,value`, missing points left out, as NAB files
 *   have gaps rather than empty values), `nab/labels/combined_windows.json` (per file, the `[start, end]` windows)
 *   and `nab/labels/combined_labels.json` (per file, each anomaly's label: its first row in the file). Valid by
 *   NAB's rules: every boundary and label is a timestamp of the file, every window spans at least two rows, windows
 *   do not overlap. Windows are the exact labeled spans (`exact`, the default) or NAB's own (`nab`); see
 *   {@linkcode nabFileLabels}.
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

/** How NAB windows are drawn: the exact labeled spans, or NAB's labeler's windows around each label. */
export type NabWindowing = "exact" | "nab";
/** The windowings on offer. */
export const NAB_WINDOWINGS: readonly NabWindowing[] = ["exact", "nab"];

/** NAB's `windowSize`: all windows of a file together span this share of its rows (`scripts/combine_labels.py`). */
export const NAB_WINDOW_SIZE = 0.1;
/** NAB's `probationaryPercent`: the first window is dropped when it starts in this leading share of the rows. */
export const NAB_PROBATIONARY_PERCENT = 0.15;

/** One NAB data file's labels: windows as row pairs and the anomalies' label rows, in the file's row numbers. */
export interface NabFileLabels {
  /** Timestamps (epoch ms) of the file's rows. */
  times: Float64Array;
  /** `[first, last]` row of each window, in order, at least two rows each, not overlapping. */
  windows: [number, number][];
  /** Row of each anomaly's label, ascending, distinct. */
  labels: number[];
}

/** Options of {@linkcode nabFileLabels}. */
export interface NabFileLabelsOptions {
  /** `exact` or `nab`. @default "exact" */
  windowing?: NabWindowing;
}

/** First index with `times[i] >= t`. */
function lowerBound(times: Float64Array, t: number): number {
  let lo = 0, hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Widens `[lo, hi]` a row to each side at a time (so it stays centred) until it holds two rows at least. */
function atLeastTwo(lo: number, hi: number, n: number): [number, number] {
  while (hi - lo + 1 < 2 && (lo > 0 || hi < n - 1)) {
    if (lo > 0) lo--;
    if (hi < n - 1) hi++;
  }
  return [lo, hi];
}

/** Merges windows in order that overlap or touch, as NAB's `checkWindows` does (without its skip after a merge). */
function mergeWindows(windows: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const w of windows) {
    const last = out.at(-1);
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else out.push([w[0], w[1]]);
  }
  return out;
}

/**
 * The labels and windows of one NAB data file, snapped to the rows it has (the `missing` type removes rows).
 *
 * An anomaly's label is its first row in the file: the first present at or after its start (the row after a gap).
 * `exact` windows span the rows of the labeled span; a span with fewer than two rows (a one-point spike, or a gap
 * with no row at all) is widened a row to each side, so a gap's window runs from the row before it to the row
 * after. `nab` windows are NAB's labeler's (`LabelCombiner.applyWindows` and `checkWindows`, numenta/NAB): centred
 * on the label, `int(0.10 * rows / anomalies)` rows long (half of it, rounded down, each side, clipped to the
 * file), the first window dropped when it starts before the probationary period (`min(floor(0.15 * rows), 750)`
 * rows), then overlapping windows merged. Both then merge windows that overlap or touch and keep two rows at least.
 *
 * @param times the file's timestamps, epoch ms, ascending
 * @param events the anomalies affecting the file
 * @param options the windowing
 * @returns the file's windows and labels as row numbers
 * @example
 * ```ts
 * import { nabFileLabels } from "@lib/generate/anomalies/export.ts";
 * const times = Float64Array.from({ length: 100 }, (_, i) => i * 60_000);
 * const events = [{ start_ms: 50 * 60_000, end_ms: 50 * 60_000 }];
 * nabFileLabels(times, events, { windowing: "nab" }).windows; // [[45, 55]]
 * ```
 */
export function nabFileLabels(
  times: Float64Array,
  events: readonly Pick<AnomalyEvent, "start_ms" | "end_ms">[],
  options: NabFileLabelsOptions = {},
): NabFileLabels {
  const { windowing = "exact" } = options;
  const n = times.length;
  if (n < 2) return { times, windows: [], labels: [] };
  const sorted = [...events].sort((a, b) => a.start_ms - b.start_ms || a.end_ms - b.end_ms);
  const labels = [...new Set(sorted.map((e) => Math.min(lowerBound(times, e.start_ms), n - 1)))].sort((a, b) => a - b);
  let windows: [number, number][];
  if (windowing === "exact") {
    windows = sorted.map((e) => atLeastTwo(lowerBound(times, e.start_ms), lowerBound(times, e.end_ms + 1) - 1, n));
  } else {
    const length = labels.length > 0 ? Math.trunc(NAB_WINDOW_SIZE * n / labels.length) : 0;
    const half = Math.floor(length / 2);
    windows = labels.map((a) => [Math.max(a - half, 0), Math.min(a + half, n - 1)]);
    const probation = Math.min(Math.floor(NAB_PROBATIONARY_PERCENT * n), NAB_PROBATIONARY_PERCENT * 5000);
    if (windows.length > 0 && windows[0][0] < probation) windows.shift();
    windows = windows.map(([lo, hi]) => atLeastTwo(lo, hi, n));
  }
  return { times, windows: mergeWindows(windows), labels };
}

/** One file's entries of the label files: windows and labels as NAB writes them. */
export interface NabFileEntry {
  windows: [string, string][];
  labels: string[];
}

/**
 * The NAB labels of a chunk's files: per `<metric>/<series_id>.csv`, the windows and labels of the anomalies
 * affecting that metric, on the rows the data file has ({@linkcode nabFileLabels}), as NAB's timestamps.
 * @param data the chunk's typed arrays
 * @param events the anomalies of the chunk's series
 * @param options the windowing
 * @returns per file key, its entries
 */
export function nabChunkLabels(
  data: ChunkData,
  events: readonly AnomalyEvent[],
  options: NabFileLabelsOptions = {},
): Map<string, NabFileEntry> {
  const out = new Map<string, NabFileEntry>();
  const p = data.grid.points;
  const bySeries = new Map<string, AnomalyEvent[]>();
  for (const e of events) {
    const list = bySeries.get(e.series_id) ?? [];
    list.push(e);
    bySeries.set(e.series_id, list);
  }
  for (let s = 0; s < data.seriesIds.length; s++) {
    const id = data.seriesIds[s];
    for (let m = 0; m < METRICS.length; m++) {
      const mine = (bySeries.get(id) ?? []).filter((e) => e.metrics.includes(METRICS[m]));
      if (mine.length === 0) continue;
      const v = data.values[m];
      const present: number[] = [];
      for (let i = 0; i < p; i++) {
        if (v[s * p + i] === v[s * p + i]) present.push(data.grid.startMs + i * data.grid.stepMs);
      }
      const f = nabFileLabels(Float64Array.from(present), mine, options);
      out.set(`${METRICS[m]}/${id}.csv`, {
        windows: f.windows.map(([a, b]) => [nabTimestamp(f.times[a], true), nabTimestamp(f.times[b], true)]),
        labels: f.labels.map((a) => nabTimestamp(f.times[a])),
      });
    }
  }
  return out;
}

/**
 * NAB's label files for a whole dataset, keyed `<metric>/<series_id>.csv`; every file has a key, maybe with `[]`.
 * @param seriesIds every series, in order
 * @param files the labels of the files with anomalies ({@linkcode nabChunkLabels})
 * @returns `labels/combined_windows.json` and `labels/combined_labels.json`
 */
export function nabLabelFiles(seriesIds: readonly string[], files: ReadonlyMap<string, NabFileEntry>): ExportFile[] {
  const windows: Record<string, [string, string][]> = {};
  const labels: Record<string, string[]> = {};
  for (const m of METRICS) {
    for (const id of seriesIds) {
      const key = `${m}/${id}.csv`;
      windows[key] = files.get(key)?.windows ?? [];
      labels[key] = files.get(key)?.labels ?? [];
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
 * @param dataset every series row and anomaly, points per series and per seasonal period
 * @returns the file
 */
export function timeevalIndexFile(collection: string, dataset: {
  series: readonly SeriesMeta[];
  events: readonly AnomalyEvent[];
  points: number;
  period: number;
}): ExportFile {
  const { series, events, ...options } = dataset;
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
