import pl from "nodejs-polars";
import { collectParts, type TableFrame } from "@lib/lake/mod.ts";
import { lagCorrelation } from "@lib/stats/acf.ts";
import { dtypeFamily, msOf, numbers, timeColumn } from "./_frame.ts";
import { type KindProfile, unitOf } from "./kinds.ts";
import type { SeasonalitySummary } from "./types.ts";

const HOUR = 3_600_000, DAY = 86_400_000;

/** The metric of a table a generic seasonality is measured on: the kind's first series metric, else the first decimal column. */
export function seasonalMetric(df: TableFrame, profile: KindProfile): string | null {
  const schema = df.schema as Record<string, pl.DataType>;
  const numeric = Object.entries(schema).filter(([, t]) =>
    dtypeFamily(String(t).replace(/^DataType\((.*)\)$/, "$1")) === "number"
  )
    .map(([c]) => c);
  const preferred = (profile.seriesMetrics ?? []).find((m) => numeric.includes(m));
  if (preferred) return preferred;
  return numeric.find((c) => /^Float/.test(String(schema[c]).replace(/^DataType\((.*)\)$/, "$1"))) ?? numeric[0] ??
    null;
}

/**
 * Seasonality of any time-series table, from its roles alone (a time column and a metric; no calendar flags
 * needed): the hour-of-day and day-of-week profiles of the metric relative to its mean, the autocorrelation of
 * the mean series (over entities at each instant, on a regular clock) with lib/stats' estimator, and the strength of
 * the daily cycle
 * (the share of the variance of hourly means that the hour of day explains).
 * @param df the table
 * @param profile the kind profile
 * @returns the section data, or null without a time column, a metric or enough instants
 */
export function genericSeasonality(df: TableFrame, profile: KindProfile): SeasonalitySummary | null {
  const time = timeColumn(df);
  const metric = seasonalMetric(df, profile);
  if (time === null || metric === null || df.height < 24) return null;
  // The mean over entities at each instant, file by file (sum and count, combined), grouped on the time column as
  // it is and converted to epoch ms per instant, not per row.
  const parts = collectParts(df, (p) =>
    p.select(pl.col(time).alias("t"), pl.col(metric).cast(pl.Float64).alias("x"))
      .filter(pl.col("t").isNotNull().and(pl.col("x").isNotNull()).and(pl.col("x").isNotNan()))
      .groupBy("t").agg(pl.col("x").sum().alias("s"), pl.len().cast(pl.Float64).alias("n")));
  const series = parts.groupBy("t").agg(pl.col("s").sum().div(pl.col("n").sum()).alias("x"))
    .select(msOf(pl.col("t")).alias("t"), "x").sort("t");
  if (series.height < 24) return null;
  const t = numbers(series, "t");
  const steps = t.slice(1).map((v, i) => v - t[i]).sort((a, b) => a - b);
  const cadence = steps[Math.floor(steps.length / 2)];
  const spanMs = t[t.length - 1] - t[0];
  // A series on a regular clock (most steps equal): event tables (tickets, e-mails) have no cadence to lag by.
  const regular = steps.filter((d) => d === cadence).length >= 0.8 * steps.length;
  if (!(cadence > 0) || !regular) return null;
  const mean = Number(series.getColumn("x").mean());
  const hourly = spanMs >= 2 * DAY && cadence <= HOUR;
  const withKeys = series.lazy().withColumns(
    pl.col("t").cast(pl.Datetime("ms")).dt.hour().cast(pl.Int32).alias("hour"),
    pl.col("t").cast(pl.Datetime("ms")).dt.weekday().cast(pl.Int32).sub(1).alias("dow"),
  );
  const profileBy = (key: string) => {
    const f = withKeys.groupBy(key).agg(pl.col("x").mean().alias("v")).sort(key).collectSync();
    return numbers(f, key).map((k, i) => ({
      group: "all",
      key: k,
      value: mean !== 0 ? numbers(f, "v")[i] / mean : NaN,
    }));
  };
  const hour = spanMs >= DAY && cadence <= HOUR ? profileBy("hour") : [];
  const dow = spanMs >= 14 * DAY ? profileBy("dow") : [];
  // Lags in hours (a day and a week marked) for data over days, else in steps of the cadence.
  const unit = hourly ? HOUR : cadence;
  const maxLag = hourly ? Math.min(24 * 8, Math.floor(spanMs / HOUR / 3)) : Math.min(120, Math.floor(t.length / 3));
  // Every lag up to two days, then every sixth: each lag is one join.
  const lags = Array.from({ length: Math.max(0, maxLag) }, (_, k) => k + 1).filter((k) =>
    !hourly || k <= 48 || k % 6 === 0
  )
    .map((k) => k * unit);
  const frame = series.select(pl.lit("all").alias("g"), pl.col("t").cast(pl.Int64), pl.col("x"));
  const acf = lagCorrelation(frame, lags).filter((r) => r.r !== null).map((r) => ({
    group: "all",
    lag: r.lag / unit,
    r: r.r!,
  }));
  // Strength of the daily cycle: variance of the hour-of-day means over the variance of the series.
  let strength: number | null = null;
  if (hour.length >= 12) {
    const f = withKeys.select(pl.col("x").var().alias("vx"), pl.col("x").mean().over("hour").var().alias("vh"))
      .collectSync().toRecords()[0];
    const vx = Number(f.vx), vh = Number(f.vh);
    strength = vx > 0 ? Math.min(1, vh / vx) : null;
  }
  return {
    metric,
    unit: unitOf(profile, metric),
    hour,
    dow,
    month: [],
    acf,
    lagUnit: hourly ? "hour" : `${Math.round(cadence / 60_000)}-minute step`,
    periods: hourly ? [{ lag: 24, label: "24 h" }, { lag: 168, label: "7 d" }] : [],
    effects: [],
    strength,
    generic: true,
  };
}
