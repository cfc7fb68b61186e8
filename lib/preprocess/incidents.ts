import pl from "nodejs-polars";
import { byList, overKeys, parseDuration } from "./_util.ts";

/** A traffic metric an incident can be triggered by. */
export type IncidentMetric = "rate_5xx" | "rate_4xx" | "time_taken_p95" | "time_taken_p50";

const METRICS: readonly IncidentMetric[] = ["rate_5xx", "rate_4xx", "time_taken_p95", "time_taken_p50"];

/** Options of {@linkcode incidentWindows}. */
export interface IncidentWindowsOptions {
  /** Rolling window in rows of the series (minutes for a per-minute series). @default 5 */
  window?: number;
  /** The bucket length of the series, for window ends. @default "1m" */
  every?: string;
  /** The time column. @default "timestamp" */
  time?: string;
  /** Group columns; incidents never span groups. @default [] */
  by?: string | readonly string[] | null;
  /** Requests a rolling window must hold before it can raise an incident (quiet minutes are noise). @default 20 */
  minRequests?: number;
  /**
   * Thresholds over the rolling window; null turns a metric off. Rates are errors over requests in the window;
   * latencies are the mean of the per-bucket percentile (seconds).
   * @default { rate_5xx: 0.05, time_taken_p95: 1 }
   */
  thresholds?: Partial<Record<IncidentMetric, number | null>>;
  /** Peak-to-threshold ratios from which an incident is `major` / `critical` (else `minor`). @default { major: 2, critical: 4 } */
  severity?: { major: number; critical: number };
  /** Runs separated by at most this many quiet rows are merged into one incident. @default 2 */
  mergeGap?: number;
}

/**
 * Tags incident windows in a traffic series ({@linkcode requestSeries}): rows whose rolling 5xx rate or latency
 * exceeds its threshold (with enough requests in the window) form runs; close runs merge; each becomes one
 * incident with its start, end (exclusive), severity and the metric that exceeded its threshold the most.
 *
 * @param series a traffic series with `requests`, `errors_4xx`, `errors_5xx`, `time_taken_p50`, `time_taken_p95`
 * @param options window, thresholds, severity and merging
 * @returns one row per incident: group columns, `start`, `end`, `rows`, `severity`, `metric`, `peak`,
 *   `threshold`, `peak_ratio`; sorted by group and start
 * @example
 * ```ts ignore
 * const incidents = incidentWindows(requestSeries(logs), { thresholds: { rate_5xx: 0.02 } });
 * ```
 */
export function incidentWindows(series: pl.DataFrame, options: IncidentWindowsOptions = {}): pl.DataFrame {
  const {
    window = 5,
    every = "1m",
    time = "timestamp",
    by = [],
    minRequests = 20,
    thresholds = { rate_5xx: 0.05, time_taken_p95: 1 },
    severity = { major: 2, critical: 4 },
    mergeGap = 2,
  } = options;
  if (!Number.isInteger(window) || window < 1) {
    throw new RangeError(`Cannot tag incidents: window must be an integer >= 1, got ${window}`);
  }
  const everyMs = parseDuration(every, "series interval");
  const keys = byList(by);
  const ov = (e: pl.Expr) => overKeys(e, keys);
  const active = METRICS.filter((m) => thresholds[m] !== null && thresholds[m] !== undefined);
  for (const m of active) {
    const v = thresholds[m] as number;
    if (!(v > 0)) throw new RangeError(`Cannot tag incidents: threshold ${m} must be > 0, got ${v}`);
  }
  const empty = pl.DataFrame([
    ...keys.map((k) => series.getColumn(k).slice(0, 0)),
    pl.Series("start", [], pl.Datetime("ms", "UTC")),
    pl.Series("end", [], pl.Datetime("ms", "UTC")),
    pl.Series("rows", [], pl.Int64),
    pl.Series("severity", [], pl.Utf8),
    pl.Series("metric", [], pl.Utf8),
    pl.Series("peak", [], pl.Float64),
    pl.Series("threshold", [], pl.Float64),
    pl.Series("peak_ratio", [], pl.Float64),
  ]);
  if (active.length === 0 || series.height === 0) return empty;

  const roll = (c: string) => ov(pl.col(c).cast(pl.Float64).rollingSum({ windowSize: window, minPeriods: 1 }));
  const rolled: pl.Expr[] = [roll("requests").alias("__req")];
  for (const m of active) {
    const expr = m.startsWith("rate_")
      ? pl.when(roll("requests").gt(0)).then(roll(`errors_${m.slice(5)}`).div(roll("requests")))
        .otherwise(pl.lit(null))
      : ov(pl.col(m).cast(pl.Float64).rollingMean({ windowSize: window, minPeriods: 1 }));
    rolled.push(expr.cast(pl.Float64).alias(`__v_${m}`));
  }
  const over = active.map((m) => pl.col(`__v_${m}`).gt(thresholds[m] as number).fillNull(false));
  const flag = pl.col("__req").gtEq(minRequests).and(over.reduce((a, b) => a.or(b)));
  const t = pl.col(time).dt.timestamp();
  const runs = series.lazy()
    .sort([...keys, time])
    .withColumns(...rolled)
    .withColumns(flag.alias("__flag"))
    .withColumns(ov(pl.col("__flag").neq(pl.col("__flag").shift(1)).fillNull(true).cumSum()).alias("__run"))
    .filter(pl.col("__flag"))
    .groupBy([...keys, "__run"])
    .agg(
      t.min().alias("__start"),
      t.max().add(everyMs).alias("__end"),
      pl.len().cast(pl.Int64).alias("rows"),
      // Only the rows that crossed a metric's threshold count towards that metric's peak.
      ...active.map((m) => pl.col(`__v_${m}`).max().alias(`__peak_${m}`)),
    )
    .sort([...keys, "__start"])
    .withColumns(
      ov(pl.col("__start").sub(pl.col("__end").shift(1)).gt(mergeGap * everyMs).fillNull(true).cumSum())
        .alias("__inc"),
    )
    .groupBy([...keys, "__inc"])
    .agg(
      pl.col("__start").min().alias("__start"),
      pl.col("__end").max().alias("__end"),
      pl.col("rows").sum().alias("rows"),
      ...active.map((m) => pl.col(`__peak_${m}`).max().alias(`__peak_${m}`)),
    )
    .withColumns(...active.map((m) => pl.col(`__peak_${m}`).div(thresholds[m] as number).alias(`__ratio_${m}`)))
    .collectSync();
  if (runs.height === 0) return empty;
  // The triggering metric is the one furthest above its threshold.
  const ratio = (m: IncidentMetric) => pl.col(`__ratio_${m}`).fillNull(-1);
  let metric: pl.Expr = pl.lit(active[0]);
  let best: pl.Expr = ratio(active[0]);
  let peak: pl.Expr = pl.col(`__peak_${active[0]}`);
  let thr: pl.Expr = pl.lit(thresholds[active[0]] as number);
  for (const m of active.slice(1)) {
    const better = ratio(m).gt(best);
    metric = pl.when(better).then(pl.lit(m)).otherwise(metric);
    peak = pl.when(better).then(pl.col(`__peak_${m}`)).otherwise(peak);
    thr = pl.when(better).then(pl.lit(thresholds[m] as number)).otherwise(thr);
    best = pl.when(better).then(ratio(m)).otherwise(best);
  }
  return runs.lazy()
    .withColumns(
      metric.alias("metric"),
      peak.cast(pl.Float64).alias("peak"),
      thr.cast(pl.Float64).alias("threshold"),
      best.cast(pl.Float64).alias("peak_ratio"),
    )
    .withColumns(
      pl.when(pl.col("peak_ratio").gtEq(severity.critical)).then(pl.lit("critical"))
        .when(pl.col("peak_ratio").gtEq(severity.major)).then(pl.lit("major"))
        .otherwise(pl.lit("minor")).alias("severity"),
      pl.col("__start").cast(pl.Datetime("ms", "UTC")).alias("start"),
      pl.col("__end").cast(pl.Datetime("ms", "UTC")).alias("end"),
    )
    .sort([...keys, "start"])
    .select(...keys, "start", "end", "rows", "severity", "metric", "peak", "threshold", "peak_ratio")
    .collectSync();
}
