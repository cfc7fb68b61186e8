import pl from "nodejs-polars";
import { collectParts, engineFor, type TableFrame } from "@lib/lake/mod.ts";
import { minMaxBuckets } from "./downsample.ts";
import { columnTypes, epochMs, msOf, numbers, strings, timeColumn } from "./_frame.ts";
import { configNumber, type KindProfile, unitOf } from "./kinds.ts";
import { bucketsOf, metricColumns } from "./_series.ts";
import { bucketFor } from "./_views.ts";
import type { AnomalySummary, AnomalyWindow } from "./types.ts";

/** Options of {@linkcode summarizeAnomalies}. */
export interface AnomalyOptions {
  buckets: number;
  /** Series shown in the event timeline. */
  timelineSeries: number;
  /** Sample series with shaded windows. */
  samples: number;
}

/**
 * The labeled points table of a dataset: `points` when it has `is_anomaly`, else the first table that has it.
 * @param tables the tables
 * @param primary the primary table name
 * @returns the table name, or null for unlabeled datasets
 */
export function labeledTable(tables: Record<string, TableFrame>, primary: string): string | null {
  const names = [primary, "points", ...Object.keys(tables).sort()];
  return names.find((n) => tables[n]?.columns.includes("is_anomaly")) ?? null;
}

function eventWindows(
  tables: Record<string, TableFrame>,
  points: TableFrame,
  series: string | null,
  time: string,
): pl.DataFrame | null {
  const events = tables.events;
  const need = ["series_id", "type", "start", "end"];
  if (events !== undefined && need.every((c) => events.columns.includes(c))) {
    const metricsType = columnTypes(events).find(([c]) => c === "metrics")?.[1];
    const metrics = metricsType === undefined
      ? pl.lit("")
      : metricsType.startsWith("List")
      ? pl.col("metrics").lst.join(",")
      : pl.col("metrics").cast(pl.String);
    return events.lazy().select(
      pl.col("series_id").cast(pl.String).alias("series"),
      pl.col("type").cast(pl.String).alias("type"),
      epochMs("start").alias("start"),
      epochMs("end").alias("end"),
      metrics.fillNull("").alias("metrics"),
    ).sort(["series", "start"]).collectSync(engineFor(events));
  }
  const labeled = tables.windows;
  if (labeled !== undefined && ["series_id", "start", "end"].every((c) => labeled.columns.includes(c))) {
    // Label windows without types (NAB's combined_windows): each window is one event.
    return labeled.lazy().select(
      pl.col("series_id").cast(pl.String).alias("series"),
      (labeled.columns.includes("type") ? pl.col("type").cast(pl.String) : pl.lit("labeled window")).alias("type"),
      epochMs("start").alias("start"),
      epochMs("end").alias("end"),
      pl.lit("").alias("metrics"),
    ).sort(["series", "start"]).collectSync(engineFor(labeled));
  }
  if (!points.columns.includes("anomaly_id")) return null;
  // No event table: each anomaly's window is the span of its labeled points.
  return points.lazy().filter(pl.col("anomaly_id").isNotNull().and(pl.col("is_anomaly").cast(pl.Bool)))
    .groupBy(pl.col("anomaly_id"))
    .agg(
      (series === null ? pl.lit("all") : pl.col(series).cast(pl.String)).first().alias("series"),
      (points.columns.includes("anomaly_type") ? pl.col("anomaly_type").cast(pl.String) : pl.lit("anomaly")).first()
        .alias("type"),
      msOf(pl.col(time).min()).alias("start"),
      msOf(pl.col(time).max()).alias("end"),
    )
    .select("series", "type", "start", "end", pl.lit("").alias("metrics"))
    .sort(["series", "start"]).collectSync(engineFor(points));
}

function windowsOf(df: pl.DataFrame): (AnomalyWindow & { metrics: string })[] {
  const s = strings(df, "series"), ty = strings(df, "type"), a = numbers(df, "start"), b = numbers(df, "end");
  const m = strings(df, "metrics");
  return s.map((series, i) => ({ series, type: ty[i] || "anomaly", start: a[i], end: b[i], metrics: m[i] }));
}

/**
 * The share of events a type should get from the config's type weights (`types.<name>.weight`).
 * @param config the resolved config
 * @param type the type
 * @returns the share, or null when the config has no weights
 */
function expectedShare(config: Record<string, unknown>, type: string): number | null {
  const types = config.types;
  if (types === null || typeof types !== "object") return null;
  let total = 0;
  for (const name of Object.keys(types)) total += configNumber(config, `types.${name}.weight`) ?? 0;
  const w = configNumber(config, `types.${type}.weight`);
  return w === null || total <= 0 ? null : w / total;
}

/** The labelled share of points per time bucket, overall and per type, counted file by file. */
function rateOverTime(
  points: TableFrame,
  input: { time: string; flag: pl.Expr; type: string | null },
): AnomalySummary["overTime"] {
  const { time, flag, type } = input;
  const range = collectParts(
    points,
    (p) => p.select(msOf(pl.col(time).min()).alias("lo"), msOf(pl.col(time).max()).alias("hi")),
  );
  const lo = Math.min(...numbers(range, "lo").filter(Number.isFinite));
  const hi = Math.max(...numbers(range, "hi").filter(Number.isFinite));
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { bucketMs: 0, t: [], rate: [], byType: [] };
  // About 60 buckets: one step area per type stays small on the page.
  const bucketMs = bucketFor(hi - lo, 60);
  const bucket = epochMs(time).div(bucketMs).floor().mul(bucketMs).alias("t");
  const typeExpr = type === null ? pl.lit("anomaly") : pl.col(type).cast(pl.String).fillNull("unknown");
  // Totals by bucket (an integer key), then the labelled rows alone by bucket and type: grouping every row by a
  // type string that is mostly null took most of the section's time.
  // Totals are counted per instant on the time column as stored, then bucketed: converting every row to epoch ms
  // first cost more than the counting.
  const totals = collectParts(
    points,
    (p) =>
      p.select(pl.col(time).alias("t")).filter(pl.col("t").isNotNull()).groupBy("t").agg(
        pl.len().cast(pl.Float64).alias("n"),
      ),
  ).lazy().select(msOf(pl.col("t")).div(bucketMs).floor().mul(bucketMs).alias("t"), "n")
    .groupBy("t").agg(pl.col("n").sum().alias("total")).sort("t").collectSync();
  const labelled = collectParts(
    points,
    (p) =>
      p.filter(flag).select(bucket, typeExpr.alias("type")).filter(pl.col("t").isNotNull())
        .groupBy(["t", "type"]).agg(pl.len().cast(pl.Float64).alias("n")),
  ).groupBy(["t", "type"]).agg(pl.col("n").sum().alias("n")).sort(["t", "type"]);
  const t = numbers(totals, "t"), total = numbers(totals, "total");
  const index = new Map(t.map((v, i) => [v, i]));
  const lt = numbers(labelled, "t"), ln = numbers(labelled, "n"), ly = strings(labelled, "type");
  const byType = new Map<string, number[]>();
  const rate = new Array<number>(t.length).fill(0);
  ly.forEach((ty, i) => {
    const j = index.get(lt[i])!;
    if (!byType.has(ty)) byType.set(ty, new Array<number>(t.length).fill(0));
    byType.get(ty)![j] += ln[i] / total[j];
    rate[j] += ln[i] / total[j];
  });
  return {
    bucketMs,
    t,
    rate,
    byType: [...byType.keys()].sort().map((ty) => ({ type: ty, rate: byType.get(ty)! })),
  };
}

/**
 * Anomaly rates overall, per type and per series, an event timeline and a few sample series with their windows.
 * @param tables the dataset's tables (`points`; `events` or label `windows`, and `series`, when present)
 * @param pointsName the labeled table
 * @param config the resolved config (`anomaly_ratio` is the target share of series with anomalies)
 * @param profile the kind profile (units)
 * @param options sizes
 * @returns the section data, or null without a time column
 */
export function summarizeAnomalies(
  tables: Record<string, TableFrame>,
  input: { pointsName: string; config: Record<string, unknown>; profile: KindProfile; options: AnomalyOptions },
): AnomalySummary | null {
  const { pointsName, config, profile, options } = input;
  const points = tables[pointsName];
  const time = timeColumn(points);
  if (time === null) return null;
  const series = points.columns.includes("series_id") ? "series_id" : null;
  const flag = pl.col("is_anomaly").cast(pl.Bool).fillNull(false);
  const seriesExpr = series === null ? pl.lit("all").alias("series") : pl.col(series).cast(pl.String).alias("series");
  // The flag is summed inside the aggregation: a Float64 copy of it selected first doubled the pass.
  const counts = [pl.len().cast(pl.Float64).alias("n"), flag.cast(pl.Float64).sum().alias("k")];
  const per =
    (series === null
      ? points.lazy().select(pl.lit("all").alias("series"), ...counts)
      : points.lazy().groupBy(seriesExpr).agg(...counts).sort("series")).collectSync(engineFor(points));
  const ids = strings(per, "series"), n = numbers(per, "n"), k = numbers(per, "k");
  const totalPoints = points.height;
  const anomalous = k.reduce((a, b) => a + b, 0);
  const perSeries = ids.map((s, i) => ({ series: s, points: n[i], anomalous: k[i], rate: n[i] > 0 ? k[i] / n[i] : 0 }))
    .filter((p) => p.anomalous > 0)
    .sort((a, b) => b.rate - a.rate || a.series.localeCompare(b.series));

  const windows = eventWindows(tables, points, series, time);
  const typeCol = points.columns.includes("anomaly_type") ? "anomaly_type" : null;
  const typePoints = new Map<string, number>();
  if (typeCol !== null) {
    const byType = points.lazy().filter(flag).groupBy(pl.col(typeCol).cast(pl.String).fillNull("unknown").alias("type"))
      .agg(pl.len().cast(pl.Float64).alias("n")).sort("type").collectSync(engineFor(points));
    strings(byType, "type").forEach((t, i) => typePoints.set(t, numbers(byType, "n")[i]));
  }
  const overTime = rateOverTime(points, { time, flag, type: typeCol });
  const typeEvents = new Map<string, number>();
  const all = windows === null ? [] : windowsOf(windows);
  if (typeCol === null && anomalous > 0) {
    // Untyped labels: the points belong to the windows' one type when there is one.
    const kinds = [...new Set(all.map((w) => w.type))];
    typePoints.set(kinds.length === 1 ? kinds[0] : "anomaly", anomalous);
  }
  for (const w of all) typeEvents.set(w.type, (typeEvents.get(w.type) ?? 0) + 1);
  const types = [...new Set([...typePoints.keys(), ...typeEvents.keys()])].sort();

  const withAnomalies = [...new Set(all.map((w) => w.series).concat(perSeries.map((p) => p.series)))].sort();
  const timelineSeries = withAnomalies.slice(0, options.timelineSeries);
  const shown = new Set(timelineSeries);
  const timeline = all.filter((w) => shown.has(w.series)).map(({ series, type, start, end }) => ({
    series,
    type,
    start,
    end,
  }));

  // One sample per type: the first event of the type (by series, then start) on a series not already shown.
  // The metric shown is the first the event names as affected, else the first metric.
  const metrics = metricColumns(points, { profile, max: 8 });
  const picked: { series: string; type: string; metric: string }[] = [];
  for (const type of types) {
    if (picked.length >= options.samples || metrics.length === 0) break;
    const w = all.find((e) => e.type === type && !picked.some((p) => p.series === e.series));
    if (w === undefined) continue;
    const named = w.metrics.split(/[^A-Za-z0-9_]+/).find((m) => metrics.includes(m));
    picked.push({ series: w.series, type, metric: named ?? metrics[0] });
  }
  const samples: AnomalySummary["samples"] = [];
  if (picked.length > 0) {
    const used = [...new Set(picked.map((p) => p.metric))];
    const rows = points.lazy().filter(
      series === null ? pl.lit(true) : pl.col(series).cast(pl.String).isIn(picked.map((p) => p.series)),
    ).select(seriesExpr, pl.col(time), ...used.map((m) => pl.col(m))).collectSync(engineFor(points));
    for (const p of picked) {
      const metric = p.metric;
      const one = rows.filter(pl.col("series").eq(pl.lit(p.series)));
      const b = minMaxBuckets(one, [metric], { time, buckets: options.buckets });
      samples.push({
        series: p.series,
        type: p.type,
        metric,
        unit: unitOf(profile, metric),
        buckets: bucketsOf(b, { metric, label: p.series }),
        types,
        windows: all.filter((w) => w.series === p.series).map(({ series, type, start, end }) => ({
          series,
          type,
          start,
          end,
        })),
      });
    }
  }
  return {
    points: totalPoints,
    anomalousPoints: anomalous,
    pointRate: totalPoints > 0 ? anomalous / totalPoints : 0,
    series: ids.length,
    seriesWithAnomalies: perSeries.length,
    seriesRate: ids.length > 0 ? perSeries.length / ids.length : 0,
    targetSeriesRate: configNumber(config, "anomaly_ratio"),
    events: windows === null ? null : all.length,
    byType: types.map((type) => ({
      type,
      events: typeEvents.get(type) ?? 0,
      eventShare: all.length > 0 ? (typeEvents.get(type) ?? 0) / all.length : 0,
      expectedShare: expectedShare(config, type),
      points: typePoints.get(type) ?? 0,
      pointRate: totalPoints > 0 ? (typePoints.get(type) ?? 0) / totalPoints : 0,
    })),
    overTime,
    perSeries,
    timeline,
    timelineSeries,
    timelineTruncated: timeline.length < all.length,
    samples,
  };
}
