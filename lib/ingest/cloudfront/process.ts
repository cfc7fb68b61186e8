import pl from "nodejs-polars";
import type { Seed } from "@lib/random/mod.ts";
import {
  type IncidentMetric,
  incidentWindows,
  requestSeries,
  sampleWindows,
  timeWindows,
} from "@lib/preprocess/mod.ts";
import type { IngestReport } from "../common/mod.ts";
import type { CloudFrontParse } from "./parse.ts";

/** Options of {@linkcode processCloudFront}. */
export interface ProcessCloudFrontOptions {
  /** Window length, anchored at UTC midnight of the first request. @default "7d" */
  window?: string;
  /** How many windows get a traffic series and incidents; null for all. @default null */
  sampleWindows?: number | null;
  /** Seed of the window sample. @default 0 */
  seed?: Seed;
  /** Traffic series bucket. @default "1m" */
  every?: string;
  /** Rolling window of the incident rules, in buckets. @default 5 */
  incidentWindow?: number;
  /** Requests a rolling window needs before it can raise an incident. @default 20 */
  minRequests?: number;
  /** Incident thresholds (rates as fractions, latencies in seconds); null turns one off. @default { rate_5xx: 0.05, time_taken_p95: 1 } */
  thresholds?: Partial<Record<IncidentMetric, number | null>>;
  /** Peak/threshold ratios for `major` and `critical`. @default { major: 2, critical: 4 } */
  severity?: { major: number; critical: number };
  /** Quiet buckets bridged when merging incident runs. @default 2 */
  mergeGap?: number;
}

/**
 * The options of {@linkcode processCloudFront} with their defaults filled in: one place for them, shared with the
 * batch-by-batch writer (`writeCloudFrontTables`), so both derive the same tables.
 * @param options the options as given
 * @returns every option, defaults applied
 * @example
 * ```ts
 * import { processOptions } from "@lib/ingest/cloudfront/process.ts";
 * processOptions({ every: "5m" }).window; // "7d"
 * ```
 */
export function processOptions(options: ProcessCloudFrontOptions = {}): Required<ProcessCloudFrontOptions> {
  const {
    window = "7d",
    sampleWindows = null,
    seed = 0,
    every = "1m",
    incidentWindow = 5,
    minRequests = 20,
    thresholds = { rate_5xx: 0.05, time_taken_p95: 1 },
    severity = { major: 2, critical: 4 },
    mergeGap = 2,
  } = options;
  return { window, sampleWindows, seed, every, incidentWindow, minRequests, thresholds, severity, mergeGap };
}

/** What {@linkcode processCloudFront} derives. */
export interface CloudFrontProcessed {
  /** Every clean request with its `window_start`. */
  requests: pl.DataFrame;
  /** Per-bucket traffic of the (sampled) windows: requests, bytes, 4xx/5xx rates, p50/p95 time taken, cache hits. */
  traffic: pl.DataFrame;
  /** Incident windows: `window_start`, `start`, `end`, `rows`, `severity`, `metric`, `peak`, `threshold`, `peak_ratio`. */
  incidents: pl.DataFrame;
  /** The report with the preprocessing counts added. */
  report: IngestReport;
}

/**
 * Derives the CloudFront analysis tables: requests assigned to fixed windows (7 days by default, optionally a
 * seeded sample of them), a per-minute traffic series per window and the incident windows found in it.
 * @param data parsed requests ({@linkcode readCloudFrontLogs} or {@linkcode parseCloudFrontLog})
 * @param options windows, sampling, bucket and incident rules
 * @returns requests, traffic, incidents and the report
 * @example
 * ```ts ignore
 * const { traffic, incidents } = processCloudFront(await readCloudFrontLogs("data/raw/logs/cloudfront"));
 * ```
 */
export function processCloudFront(data: CloudFrontParse, options: ProcessCloudFrontOptions = {}): CloudFrontProcessed {
  const {
    window,
    sampleWindows: count,
    seed,
    every,
    incidentWindow,
    minRequests,
    thresholds,
    severity,
    mergeGap,
  } = processOptions(options);
  const requests = timeWindows(data.rows, { every: window });
  const sampled = sampleWindows(data.rows, { every: window, count, seed });
  const traffic = sampled.height === 0 ? sampled : requestSeries(sampled, { every, by: ["window_start"] });
  const incidents = traffic.height === 0 ? traffic : incidentWindows(traffic, {
    every,
    by: ["window_start"],
    window: incidentWindow,
    minRequests,
    thresholds,
    severity,
    mergeGap,
  });
  const windows = requests.select(pl.col("window_start").nUnique()).row(0)[0] ?? 0;
  const windowsSampled = sampled.select(pl.col("window_start").nUnique()).row(0)[0] ?? 0;
  const sev = (s: string) =>
    incidents.height === 0 ? 0 : Number(incidents.filter(pl.col("severity").eq(pl.lit(s))).height);
  const report: IngestReport = {
    ...data.report,
    preprocessing: {
      ...data.report.preprocessing,
      window,
      windows: Number(windows),
      windows_sampled: Number(windowsSampled),
      traffic_every: every,
      traffic_rows: traffic.height,
      incidents: incidents.height,
      incidents_critical: sev("critical"),
      incidents_major: sev("major"),
      incidents_minor: sev("minor"),
    },
  };
  return { requests, traffic, incidents, report };
}
