import pl from "nodejs-polars";
import { dirname, join } from "node:path";
import { releaseNativeMemory, schemaOf } from "@lib/lake/mod.ts";
import {
  chooseWindows,
  fillRequestSeries,
  incidentWindows,
  midnightBefore,
  parseDuration,
  requestBuckets,
  windowStartExpr,
} from "@lib/preprocess/mod.ts";
import type { IngestReport, WrittenTable } from "../common/mod.ts";
import { REQUEST_COLUMNS } from "@lib/formats/cloudfront.ts";
import { type CloudFrontSpill, emptyBatch } from "./parse.ts";
import { processCloudFront, type ProcessCloudFrontOptions, processOptions } from "./process.ts";

/** Options of {@linkcode writeCloudFrontTables}. */
export interface WriteCloudFrontOptions extends ProcessCloudFrontOptions {
  /** About how many requests are sorted in memory at once (whole traffic buckets, so one may hold more). @default 50000 */
  partRows?: number;
}

/** What {@linkcode writeCloudFrontTables} wrote and derived. */
export interface CloudFrontTables {
  /** `requests.parquet`: every clean request with its `window_start`, sorted by time, file and line. */
  requests: WrittenTable;
  /** Per-bucket traffic of the (sampled) windows, as {@linkcode processCloudFront} gives it. */
  traffic: pl.DataFrame;
  /** Incident windows, as {@linkcode processCloudFront} gives them. */
  incidents: pl.DataFrame;
  /** The report with the preprocessing counts added. */
  report: IngestReport;
}

const t = pl.col("timestamp").cast(pl.Int64);
const instant = (ms: number) => pl.lit(new Date(ms)).cast(pl.Datetime("ms", "UTC"));

/**
 * Writes the CloudFront analysis tables from spilled batches ({@linkcode CloudFrontParser.finishSpilled}) with
 * memory bounded by `partRows`, not by the number of requests: the same `requests`, `traffic` and `incidents` as
 * {@linkcode processCloudFront} over all rows in memory. The batches are counted per time unit (a whole number of
 * traffic buckets, at least a minute), cut into time ranges of about `partRows` requests; each range is read,
 * sorted, written and reduced to its traffic buckets in turn; the sorted ranges are then streamed into one
 * `requests.parquet`, and the buckets (small) filled into the traffic series, from which incidents are found.
 *
 * @param spill the batches, sources, quarantine and report
 * @param dir the folder to write `requests.parquet` into (scratch files are written and removed there)
 * @param options windows, sampling, traffic bucket, incident rules and the part size
 * @returns the requests file, traffic, incidents and the report
 * @example
 * ```ts ignore
 * const spill = await spillCloudFrontLogs("data/raw/logs/cloudfront", "/scratch/batches");
 * const { requests, traffic, incidents } = await writeCloudFrontTables(spill, "/scratch");
 * ```
 */
export async function writeCloudFrontTables(
  spill: CloudFrontSpill,
  dir: string,
  options: WriteCloudFrontOptions = {},
): Promise<CloudFrontTables> {
  const { partRows = 50_000 } = options;
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
  if (!Number.isInteger(partRows) || partRows < 1) {
    throw new RangeError(`Cannot write CloudFront tables: partRows must be an integer >= 1, got ${partRows}`);
  }
  const path = join(dir, "requests.parquet");
  const sources = pl.DataFrame([
    pl.Series("__src", spill.sources.map((_, i) => i), pl.Int32),
    pl.Series("source", spill.sources, pl.Utf8),
  ]);
  const ordered = (df: pl.DataFrame) =>
    df.lazy().join(sources.lazy(), { on: "__src", how: "left" }).sort(["timestamp", "__src", "line"])
      .select(...REQUEST_COLUMNS).collectSync();
  if (spill.rows === 0 || spill.parts.length === 0) {
    // Nothing to sort: derive from the empty table in memory, as processCloudFront does.
    const p = processCloudFront(
      { rows: ordered(emptyBatch()), quarantine: spill.quarantine, report: spill.report },
      options,
    );
    p.requests.writeParquet(path, { compression: "zstd" });
    return {
      requests: { path, rows: 0, schema: schemaOf(p.requests) },
      traffic: p.traffic,
      incidents: p.incidents,
      report: p.report,
    };
  }
  const everyMs = parseDuration(every, "traffic interval");
  const windowMs = parseDuration(window, "window length");
  const scan = () => pl.scanParquet(join(dirname(spill.parts[0]), "batch-*.parquet"));
  const streaming = { engine: "streaming" } as const;

  const min = Number(scan().select(t.min().alias("m")).collectSync(streaming).row(0)[0]);
  const originMs = midnightBefore(min);
  const rel = t.sub(originMs);
  const starts = (scan().select(rel.sub(rel.modulo(windowMs)).add(originMs).unique().alias("w")).collectSync(streaming)
    .getColumn("w").toArray() as unknown as (number | bigint)[]).map(Number).sort((a, b) => a - b);
  const chosen = count === null ? starts : chooseWindows(starts, { count, seed });

  // Time ranges of whole units (each a whole number of traffic buckets), about partRows requests each.
  const unitMs = everyMs >= 60_000 ? everyMs : everyMs * Math.ceil(60_000 / everyMs);
  const units = scan().select(t.sub(t.modulo(unitMs)).alias("u")).groupBy("u").agg(pl.len().alias("n")).sort("u")
    .collectSync(streaming);
  const us = (units.getColumn("u").toArray() as unknown as (number | bigint)[]).map(Number);
  const ns = (units.getColumn("n").toArray() as unknown as (number | bigint)[]).map(Number);
  const ranges: [number, number][] = [];
  for (let i = 0, from = 0, acc = 0; i < us.length; i++) {
    if (acc === 0) from = us[i];
    acc += ns[i];
    if (acc >= partRows || i === us.length - 1) {
      ranges.push([from, us[i] + unitMs]);
      acc = 0;
    }
  }

  const parts: string[] = [];
  const buckets: pl.DataFrame[] = [];
  let schema: Record<string, string> = {};
  let written = 0;
  try {
    for (const [a, b] of ranges) {
      // Compared as Datetime, not as cast integers, so the Parquet statistics let the scan skip other batches.
      const ts = pl.col("timestamp");
      const rows = ordered(scan().filter(ts.gtEq(instant(a)).and(ts.lt(instant(b)))).collectSync())
        .withColumns(windowStartExpr("timestamp", { everyMs: windowMs, originMs }).alias("window_start"));
      const part = join(dir, `.requests-part-${String(parts.length).padStart(6, "0")}.parquet`);
      rows.writeParquet(part, { compression: "lz4" });
      parts.push(part);
      schema = schemaOf(rows);
      written += rows.height;
      const sampled = count === null ? rows : rows.filter(pl.col("window_start").dt.timestamp().isIn(chosen));
      buckets.push(requestBuckets(sampled, { every, by: ["window_start"] }));
      await releaseNativeMemory();
    }
    if (written !== spill.rows) {
      throw new Error(`Cannot write CloudFront requests: ${spill.rows} rows were parsed, ${written} sorted`);
    }
    const all = parts.map((p) => pl.scanParquet(p));
    (all.length === 1 ? all[0] : pl.concat(all, { how: "vertical" }))
      .sinkParquet(path, { compression: "zstd", maintainOrder: true }).collectSync();
  } finally {
    for (const p of parts) await Deno.remove(p).catch(() => {});
  }
  await releaseNativeMemory();

  const traffic = fillRequestSeries(pl.concat(buckets, { how: "vertical" }), { every, by: ["window_start"] });
  const incidents = incidentWindows(traffic, {
    every,
    by: ["window_start"],
    window: incidentWindow,
    minRequests,
    thresholds,
    severity,
    mergeGap,
  });
  const sev = (s: string) =>
    incidents.height === 0 ? 0 : Number(incidents.filter(pl.col("severity").eq(pl.lit(s))).height);
  const report: IngestReport = {
    ...spill.report,
    preprocessing: {
      ...spill.report.preprocessing,
      window,
      windows: starts.length,
      windows_sampled: chosen.length,
      traffic_every: every,
      traffic_rows: traffic.height,
      incidents: incidents.height,
      incidents_critical: sev("critical"),
      incidents_major: sev("major"),
      incidents_minor: sev("minor"),
    },
  };
  return { requests: { path, rows: written, schema }, traffic, incidents, report };
}
