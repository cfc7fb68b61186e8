/**
 * A few example series per anomaly type, as plain records ready for a chart (a notebook's, a report's): the
 * series of one metric and the windows of every anomaly on it.
 * @module
 */
import pl from "nodejs-polars";
import { ANOMALY_TYPE_NAMES } from "./types/mod.ts";

/** One example: a series and metric around an anomaly of one type, with every window of that series. */
export interface AnomalyExample {
  /** The type the example was picked for. */
  type: string;
  /** The anomaly it was picked for. */
  anomaly_id: string;
  /** The series. */
  series_id: string;
  /** The metric shown (the first the anomaly affects). */
  metric: string;
  /** The series: time and value (null where missing). */
  rows: { t: Date; value: number | null }[];
  /** Every anomaly of the series: `end` is exclusive (last labeled point + one step), so one-point spikes show. */
  windows: { type: string; anomaly_id: string; start: Date; end: Date; metrics: string }[];
}

/** Options of {@linkcode anomalyExamples}. */
export interface AnomalyExamplesOptions {
  /** Examples per type, each on a different series. @default 2 */
  perType?: number;
  /** Types to show, in order. @default every registered type */
  types?: readonly string[];
}

/**
 * Picks examples: per type, the first anomalies (in event order) on series not shown yet.
 * @param points the points table (`series_id`, `timestamp`, metric columns)
 * @param events the events table
 * @param options examples per type and the types
 * @returns the examples, grouped by type in the order asked
 * @example
 * ```ts
 * import { anomalyExamples, generateAnomalies } from "@lib/generate/anomalies/mod.ts";
 * const ds = generateAnomalies({ series: 40 });
 * const ex = anomalyExamples(ds.points, ds.events, { perType: 1 });
 * ```
 */
export function anomalyExamples(
  points: pl.DataFrame,
  events: pl.DataFrame,
  options: AnomalyExamplesOptions = {},
): AnomalyExample[] {
  const { perType = 2, types = ANOMALY_TYPE_NAMES } = options;
  const ev = events.select(
    pl.col("anomaly_id").cast(pl.String),
    pl.col("series_id").cast(pl.String),
    pl.col("type").cast(pl.String),
    pl.col("metrics").cast(pl.String),
    pl.col("start"),
    pl.col("end"),
  ).toRecords() as unknown as {
    anomaly_id: string;
    series_id: string;
    type: string;
    metrics: string;
    start: Date;
    end: Date;
  }[];
  const used = new Set<string>();
  const picked: { type: string; anomaly_id: string; series_id: string; metric: string }[] = [];
  for (const type of types) {
    let n = 0;
    for (const e of ev) {
      if (n >= perType) break;
      if (e.type !== type || used.has(e.series_id)) continue;
      used.add(e.series_id);
      picked.push({ type, anomaly_id: e.anomaly_id, series_id: e.series_id, metric: e.metrics.split(",")[0] });
      n++;
    }
  }
  if (picked.length === 0) return [];
  const ts = points.getColumn("timestamp").toArray() as unknown as Date[];
  const step = ts.length > 1 ? ts[1].getTime() - ts[0].getTime() : 60_000;
  const rows = points.filter(pl.col("series_id").cast(pl.String).isIn(picked.map((p) => p.series_id)));
  return picked.map((p) => {
    const one = rows.filter(pl.col("series_id").cast(pl.String).eq(pl.lit(p.series_id)));
    const t = one.getColumn("timestamp").toArray() as unknown as Date[];
    const v = one.getColumn(p.metric).toArray() as (number | null)[];
    return {
      ...p,
      rows: t.map((time, i) => ({ t: time, value: v[i] })),
      windows: ev.filter((e) => e.series_id === p.series_id).map((e) => ({
        type: e.type,
        anomaly_id: e.anomaly_id,
        start: e.start,
        end: new Date(e.end.getTime() + step),
        metrics: e.metrics,
      })),
    };
  });
}
