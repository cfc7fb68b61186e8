import pl from "nodejs-polars";
import { engineFor, partsOf, stackParts, type TableFrame } from "@lib/lake/mod.ts";
import { numbers, strings, timeColumn } from "./_frame.ts";
import { configNumber, type KindProfile, unitOf } from "./kinds.ts";
import type { AcfPoint, ProfilePoint, SeasonalEffect, SeasonalitySummary } from "./types.ts";
import type { DatasetValidation } from "@lib/validate/types.ts";
import { lagCorrelation } from "@lib/stats/acf.ts";

/**
 * The calendar factors of the validation results (`seasonality.weekend_ratio`, `.eoq_uplift`, `.holiday_dip`, per
 * group), as ratios of levels: the weekend ratio as is, the quarter-end peak as 1 + uplift, the holiday level as
 * 1 - dip, each with the validator's own target and tolerance.
 * @param validation the results
 * @returns the effects (empty when the results hold none)
 */
export function effectsFromValidation(validation: DatasetValidation): SeasonalEffect[] {
  const kinds: Record<string, { effect: string; toRatio: (v: number) => number }> = {
    weekend_ratio: { effect: "weekend", toRatio: (v) => v },
    eoq_uplift: { effect: "eoq_peak", toRatio: (v) => 1 + v },
    holiday_dip: { effect: "holiday", toRatio: (v) => 1 - v },
  };
  const out: SeasonalEffect[] = [];
  for (const r of validation.results) {
    const m = /^seasonality\.(weekend_ratio|eoq_uplift|holiday_dip):(.+)$/.exec(r.id);
    if (m === null || typeof r.measured !== "number") continue;
    const { effect, toRatio } = kinds[m[1]];
    // "0.5 ± 0.05", or a configured range "0.3-0.5 ± 0.062".
    const t = /^\s*(-?[0-9.]+)(?:-([0-9.]+))?\s*±\s*([0-9.]+)/.exec(r.threshold);
    const sample = /s\.e\., ([0-9,]+) ([^)]+)\)/.exec(r.message);
    const lo = t === null ? NaN : Number(t[1]);
    const hi = t === null ? NaN : Number(t[2] ?? t[1]);
    const tol = t === null ? NaN : Number(t[3]);
    const [a, b] = t === null ? [NaN, NaN] : [toRatio(lo - tol), toRatio(hi + tol)];
    out.push({
      group: m[2],
      effect,
      measured: toRatio(r.measured),
      expected: t === null ? null : toRatio((lo + hi) / 2),
      band: t === null ? null : [Math.min(a, b), Math.max(a, b)],
      passed: r.passed,
      n: sample ? Number(sample[1].replaceAll(",", "")) : null,
      nUnit: sample ? sample[2] : "",
      source: "validation",
    });
  }
  return out.sort((x, y) => x.group.localeCompare(y.group));
}

/** Rows of a scanned table up to which the autocorrelation's median series is taken over the stacked files. */
const MEDIAN_ROWS = 5_000_000;

const mean = (xs: number[]) => xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;

/**
 * Means per (group, instant) of a scanned table from per-file sums and counts, reduced eight files at a time so
 * that what is held stays near one file's worth of groups (on the streaming engine, one group-by over 10 M rows
 * took 1.3 GB; this, 380 MB).
 */
function groupMeans(
  df: TableFrame,
  rows: (lf: pl.LazyDataFrame) => pl.LazyDataFrame,
  flags: pl.Expr[],
): pl.LazyDataFrame {
  const reduce = (lf: pl.LazyDataFrame) =>
    lf.groupBy(["g", "t"]).agg(pl.col("s").sum().alias("s"), pl.col("n").sum().alias("n"), ...flags);
  const parts = partsOf(df).map((p) =>
    rows(p.lazy()).groupBy(["g", "t"]).agg(
      pl.col("v").sum().alias("s"),
      pl.col("v").count().cast(pl.Float64).alias("n"),
      ...flags,
    )
  );
  const batches: pl.LazyDataFrame[] = [];
  for (let i = 0; i < parts.length; i += 8) {
    batches.push(reduce(pl.concat(parts.slice(i, i + 8), { how: "vertical", parallel: false })));
  }
  const all = batches.length === 1 ? batches[0] : reduce(pl.concat(batches, { how: "vertical", parallel: false }));
  return all.select("g", "t", pl.col("s").div(pl.col("n")).alias("v"), "wk", "eoq", "hol");
}

/**
 * Hour-of-day, day-of-week and month profiles per group, the autocorrelation of each group's series, and the
 * weekend, end-of-quarter, holiday and business-hours ratios measured against the config. Everything is measured
 * on the per-group median at each timestamp (one Polars group-by; the per-group mean for a table scanned file by
 * file), so the cost after that is independent of the row count.
 *
 * Ratios are to the group's plain-weekday level (not weekend, quarter end or holiday), each effect measured on
 * rows that have that flag alone.
 * @param df the primary table (needs `is_weekend`, `is_eoq`, `is_holiday`)
 * @param config the resolved config
 * @param profile the kind profile
 * @returns the section data, or null when the kind declares no seasonality or columns are missing
 */
export function summarizeSeasonality(
  df: TableFrame,
  config: Record<string, unknown>,
  profile: KindProfile,
): SeasonalitySummary | null {
  const spec = profile.seasonality;
  const time = timeColumn(df);
  if (spec === undefined || time === null) return null;
  const needed = [spec.metric, "is_weekend", "is_eoq", "is_holiday"];
  if (!needed.every((c) => df.columns.includes(c))) return null;
  const group = profile.group !== undefined && df.columns.includes(profile.group) ? profile.group : null;
  const hourly = spec.granularity(config) === "hourly";
  const rows = (lf: pl.LazyDataFrame) =>
    lf.select(
      group === null ? pl.lit("all").alias("g") : pl.col(group).cast(pl.String).alias("g"),
      pl.col(time).alias("t"),
      pl.col(spec.metric).cast(pl.Float64).alias("v"),
      pl.col("is_weekend").cast(pl.Bool).alias("wk"),
      pl.col("is_eoq").cast(pl.Bool).alias("eoq"),
      pl.col("is_holiday").cast(pl.Bool).alias("hol"),
    );
  const flags = [pl.col("wk").first(), pl.col("eoq").first(), pl.col("hol").first()];
  // The profiles and effects are on the group's mean at each instant. The autocorrelation is on its median over
  // the valid values (in memory), the series the validator's seasonality checks measure (lib/validate/
  // seasonality.ts, which samples 128 entities of a larger group), so the chart at 24 h / 7 d is the figure judged.
  // Scanned file by file, a median cannot be merged across files: up to MEDIAN_ROWS rows the files' (group,
  // instant, value) columns are stacked for it (the page then equals the in-memory one), beyond that the mean
  // serves both, in bounded memory.
  const valid = pl.col("v").isNotNull().and(pl.col("v").isNotNan());
  const means = partsOf(df).length === 1
    ? rows(df.lazy()).groupBy(["g", "t"]).agg(
      pl.col("v").mean(),
      pl.col("v").filter(valid).median().alias("m"),
      ...flags,
    )
    : df.height <= MEDIAN_ROWS
    ? groupMeans(df, rows, flags).join(
      stackParts(df, rows).filter(valid).groupBy(["g", "t"]).agg(pl.col("v").median().alias("m")),
      { on: ["g", "t"], how: "left" },
    )
    : groupMeans(df, rows, flags).withColumns(pl.col("v").alias("m"));
  const sorted = means
    .withColumns(
      pl.col("t").dt.hour().cast(pl.Int32).alias("hour"),
      // Polars numbers weekdays 1 (Monday) to 7; the datasets use 0 (Monday) to 6.
      pl.col("t").dt.weekday().cast(pl.Int32).sub(1).alias("dow"),
      pl.col("t").dt.month().cast(pl.Int32).alias("month"),
    )
    .sort(["g", "t"]);
  const gt = partsOf(df).length === 1 ? sorted.collectSync(engineFor(df)) : sorted.collectSync();
  const g = strings(gt, "g");
  const v = numbers(gt, "v");
  const wk = gt.getColumn("wk").toArray() as boolean[];
  const eoq = gt.getColumn("eoq").toArray() as boolean[];
  const hol = gt.getColumn("hol").toArray() as boolean[];
  const hour = numbers(gt, "hour"), dow = numbers(gt, "dow"), month = numbers(gt, "month");
  const groups = [...new Set(g)];
  const out: SeasonalitySummary = {
    metric: spec.metric,
    unit: unitOf(profile, spec.metric),
    hour: [],
    dow: [],
    month: [],
    acf: [],
    lagUnit: hourly ? "hour" : "day",
    periods: hourly
      ? [{ lag: 24, label: "24 h" }, { lag: 168, label: "7 d" }]
      : [{ lag: 7, label: "7 d" }, { lag: 91, label: "quarter" }],
    effects: [],
  };
  const maxLag = hourly ? 24 * 15 : 130;
  for (const name of groups) {
    const idx: number[] = [];
    for (let i = 0; i < g.length; i++) if (g[i] === name) idx.push(i);
    const plain = idx.filter((i) => !wk[i] && !eoq[i] && !hol[i]);
    const base = mean(plain.map((i) => v[i]));
    if (!Number.isFinite(base) || base === 0) continue;
    const profileBy = (rows: number[], key: number[], into: ProfilePoint[]) => {
      const sums = new Map<number, [number, number]>();
      for (const i of rows) {
        const s = sums.get(key[i]) ?? [0, 0];
        s[0] += v[i];
        s[1] += 1;
        sums.set(key[i], s);
      }
      for (const k of [...sums.keys()].sort((a, b) => a - b)) {
        const [sum, n] = sums.get(k)!;
        into.push({ group: name, key: k, value: sum / n / base });
      }
    };
    if (hourly) profileBy(plain, hour, out.hour);
    profileBy(idx.filter((i) => !eoq[i] && !hol[i]), dow, out.dow);
    profileBy(idx, month, out.month);

    const expected = spec.expected(config, name);
    const effect = (key: keyof typeof expected, rows: number[], measured = mean(rows.map((i) => v[i])) / base) => {
      if (rows.length === 0 || !Number.isFinite(measured)) return;
      const e = expected[key];
      out.effects.push(
        {
          group: name,
          effect: key,
          measured,
          expected: e?.expected ?? null,
          band: e?.band ?? null,
          passed: e === undefined ? null : measured >= e.band[0] && measured <= e.band[1],
          n: rows.length,
          nUnit: "timestamps",
          source: "report",
        } satisfies SeasonalEffect,
      );
    };
    effect("weekend", idx.filter((i) => wk[i] && !eoq[i] && !hol[i]));
    effect("eoq", idx.filter((i) => eoq[i] && !wk[i] && !hol[i]));
    effect("holiday", idx.filter((i) => hol[i] && !wk[i] && !eoq[i]));
    if (hourly) {
      const start = configNumber(config, "business_hours.start_hour") ?? 8;
      const end = configNumber(config, "business_hours.end_hour") ?? 18;
      const byHour = out.hour.filter((p) => p.group === name);
      const inside = byHour.filter((p) => p.key >= start && p.key < end).map((p) => p.value);
      const outside = mean(byHour.filter((p) => p.key < start || p.key >= end).map((p) => p.value));
      const peak = expected.business_hours?.expected ?? 1;
      // The extreme business hour, in the direction the config says (a peak above 1, a trough below).
      const extreme = peak >= 1 ? Math.max(...inside) : Math.min(...inside);
      effect("business_hours", plain, extreme / outside);
    }
  }
  // The validator's estimator (lib/stats): the curve crosses 24 h and 7 d where the seasonality checks measured.
  const stepMs = hourly ? 3_600_000 : 86_400_000;
  // Every lag up to two days (two weeks for daily data), then every quarter day (week): the periods stay sharp and
  // each lag is one join.
  const dense = hourly ? 48 : 14, stride = hourly ? 6 : 7;
  const steps = Array.from({ length: maxLag }, (_, k) => k + 1).filter((k) =>
    k <= dense || k % stride === 0 || k === 91
  );
  const lags = steps.map((k) => k * stepMs);
  const acfFrame = gt.select(
    pl.col("g"),
    pl.col("t").cast(pl.Datetime("ms")).dt.timestamp().alias("t"),
    pl.col("m").alias("x"),
  ).filter(pl.col("x").isNotNull());
  for (const r of lagCorrelation(acfFrame, lags)) {
    if (r.r !== null) out.acf.push({ group: r.g, lag: r.lag / stepMs, r: r.r } satisfies AcfPoint);
  }
  out.acf.sort((a, b) => a.group.localeCompare(b.group) || a.lag - b.lag);
  return out;
}
