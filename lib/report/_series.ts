import pl from "nodejs-polars";
import { engineFor, type TableFrame } from "@lib/lake/mod.ts";
import { minMaxBuckets } from "./downsample.ts";
import { columnTypes, dtypeFamily, numbers, strings, timeColumn } from "./_frame.ts";
import { type KindProfile, unitOf } from "./kinds.ts";
import type { SeriesBuckets, SeriesSample } from "./types.ts";

/** Calendar fields, flags, ids and codes (HTTP status...) are numbers but not measurements. */
const NOT_METRICS = /^(year|month|quarter|day|dayofweek|hour|minute|week|is_.*|.*_id|index|.*_(status|code))$/;

/**
 * The metric columns of a table: the kind's series metrics when present, else numeric columns that are not
 * calendar fields, flags or ids.
 * @param df the table
 * @param profile the kind profile
 * @param max at most this many
 * @returns column names
 */
export function metricColumns(df: TableFrame, options: { profile: KindProfile; max: number }): string[] {
  const { profile, max } = options;
  const declared = (profile.seriesMetrics ?? []).filter((m) => df.columns.includes(m));
  if (declared.length > 0) return declared.slice(0, max);
  return columnTypes(df).filter(([n, t]) => dtypeFamily(t) === "number" && !NOT_METRICS.test(n)).map(([n]) => n)
    .slice(0, max);
}

/**
 * Buckets of one series out of a {@linkcode minMaxBuckets} frame.
 * @param df the bucket frame
 * @param metric the metric
 * @param label the series label
 * @returns the buckets
 */
export function bucketsOf(df: pl.DataFrame, series: { metric: string; label: string }): SeriesBuckets {
  const { metric, label } = series;
  return {
    label,
    t: numbers(df, "t"),
    width: df.height > 0 ? numbers(df, "width")[0] : 0,
    min: numbers(df, `${metric}_min`),
    max: numbers(df, `${metric}_max`),
    mean: numbers(df, `${metric}_mean`),
  };
}

/**
 * A few sample series per metric, downsampled to min-max-mean buckets: one entity per group (the first by id), or
 * the first entities, or the whole table when it has no entity column.
 * @param df the primary table
 * @param profile the kind profile
 * @param options buckets, series and metrics per report
 * @returns one sample per metric (empty without a time column or metrics)
 */
export function sampleSeries(
  df: TableFrame,
  profile: KindProfile,
  options: { buckets: number; maxSeries: number; maxMetrics: number },
): SeriesSample[] {
  const time = timeColumn(df);
  if (time === null || df.height === 0) return [];
  const metrics = metricColumns(df, { profile, max: options.maxMetrics });
  if (metrics.length === 0) return [];
  const entity = profile.entity !== undefined && df.columns.includes(profile.entity)
    ? profile.entity
    : ["series_id", "server_id", "entity_id"].find((c) => df.columns.includes(c)) ?? null;
  if (entity === null) {
    const b = minMaxBuckets(df, metrics, { time, buckets: options.buckets });
    return metrics.map((m) => ({
      metric: m,
      unit: unitOf(profile, m),
      rowsPerSeries: df.height,
      series: [bucketsOf(b, { metric: m, label: "all rows" })],
    }));
  }
  const group = profile.group !== undefined && df.columns.includes(profile.group) ? profile.group : null;
  const picks = group === null
    ? df.lazy().select(pl.col(entity).cast(pl.String).alias("e")).unique().sort("e").head(options.maxSeries)
      .collectSync(engineFor(df))
      .withColumns(pl.lit("").alias("g"))
    : df.lazy().groupBy(pl.col(group).cast(pl.String).alias("g")).agg(pl.col(entity).cast(pl.String).min().alias("e"))
      .sort("g").head(options.maxSeries).collectSync(engineFor(df));
  const ids = strings(picks, "e");
  const labels = new Map(ids.map((id, i) => [id, group === null ? id : `${id} (${strings(picks, "g")[i]})`]));
  const rows = df.lazy().filter(pl.col(entity).cast(pl.String).isIn(ids))
    .select(pl.col(entity).cast(pl.String).alias("__e"), pl.col(time), ...metrics.map((m) => pl.col(m)))
    .collectSync(engineFor(df));
  const b = minMaxBuckets(rows, metrics, { time, by: ["__e"], buckets: options.buckets });
  return metrics.map((m) => ({
    metric: m,
    unit: unitOf(profile, m),
    rowsPerSeries: Math.round(rows.height / Math.max(1, ids.length)),
    series: ids.map((id) => bucketsOf(b.filter(pl.col("__e").eq(pl.lit(id))), { metric: m, label: labels.get(id)! })),
  }));
}
