import pl from "nodejs-polars";
import { collectParts, type TableFrame } from "@lib/lake/mod.ts";
import { dtypeFamily, epochMs, numbers, strings, timeColumn } from "./_frame.ts";
import type { KindProfile, ViewChartSpec, WindowSpec } from "./kinds.ts";
import type { ViewChart, ViewData } from "./types.ts";

const MINUTE = 60_000, HOUR = 3_600_000, DAY = 86_400_000;
const STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, DAY, 7 * DAY, 30 * DAY];

/** A bucket width giving at most about 150 buckets over the span. */
export function bucketFor(spanMs: number): number {
  return STEPS.find((s) => spanMs / s <= 150) ?? 30 * DAY;
}

function has(df: TableFrame | undefined, ...cols: string[]): df is TableFrame {
  return df !== undefined && cols.every((c) => df.columns.includes(c));
}

function isTime(df: TableFrame, c: string): boolean {
  return dtypeFamily(String((df.schema as Record<string, pl.DataType>)[c]).replace(/^DataType\((.*)\)$/, "$1")) ===
    "time";
}

/** Runs a grouped query file by file and adds up the partial counts of each group. */
function grouped(df: TableFrame, keys: pl.Expr[], value: pl.Expr, how: "sum" | "mean" = "sum"): pl.DataFrame {
  const names = keys.map((_, i) => `k${i}`);
  const parts = collectParts(
    df,
    (part) =>
      part.select(...keys.map((k, i) => k.alias(`k${i}`)), value.cast(pl.Float64).alias("v"))
        .groupBy(names).agg(pl.col("v").sum().alias("s"), pl.col("v").count().cast(pl.Float64).alias("n")),
  );
  return parts.groupBy(names).agg(pl.col("s").sum().alias("s"), pl.col("n").sum().alias("n"))
    .select(...names.map((n) => pl.col(n)), (how === "sum" ? pl.col("s") : pl.col("s").div(pl.col("n"))).alias("v"))
    .sort(names);
}

function windowsOf(tables: Record<string, TableFrame>, w: WindowSpec | undefined) {
  const df = w && tables[w.table];
  if (!w || !has(df, w.start, w.end)) return [];
  const f = collectParts(df, (p) => p.select(epochMs(w.start).alias("a"), epochMs(w.end).alias("b"))).filter(
    pl.col("a").isNotNull().and(pl.col("b").isNotNull()),
  );
  const a = numbers(f, "a"), b = numbers(f, "b");
  return a.map((s, i) => ({ start: s, end: b[i] }));
}

function span(df: TableFrame, time: string): [number, number] | null {
  const f = collectParts(df, (p) => p.select(epochMs(time).min().alias("lo"), epochMs(time).max().alias("hi")));
  const lo = Math.min(...numbers(f, "lo").filter(Number.isFinite)),
    hi = Math.max(...numbers(f, "hi").filter(Number.isFinite));
  return Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : null;
}

function chartOf(spec: ViewChartSpec, tables: Record<string, TableFrame>): ViewChart | null {
  const base = { title: spec.title, caption: spec.caption ?? "" };
  switch (spec.type) {
    case "time": {
      const df = tables[spec.table];
      if (!has(df, spec.time, ...(spec.by ? [spec.by] : []), ...(spec.value ? [spec.value] : []))) return null;
      const s = span(df, spec.time);
      if (s === null) return null;
      const bucket = spec.value ? Math.max(DAY, bucketFor(s[1] - s[0])) : bucketFor(s[1] - s[0]);
      const t = epochMs(spec.time).div(bucket).floor().mul(bucket);
      const f = grouped(
        df,
        [t, spec.by ? pl.col(spec.by).cast(pl.String).fillNull("(none)") : pl.lit("all")],
        spec.value ? pl.col(spec.value) : pl.lit(1),
        spec.value ? "mean" : "sum",
      ).filter(pl.col("k0").isNotNull());
      return {
        ...base,
        type: "time",
        bucket,
        value: spec.value ?? null,
        t: numbers(f, "k0"),
        key: strings(f, "k1"),
        v: numbers(f, "v"),
        windows: windowsOf(tables, spec.windows),
      };
    }
    case "hour": {
      const df = tables[spec.table];
      if (!has(df, spec.time)) return null;
      const f = grouped(df, [pl.col(spec.time).cast(pl.Datetime("ms")).dt.hour().cast(pl.Int32)], pl.lit(1))
        .filter(pl.col("k0").isNotNull());
      return {
        ...base,
        type: "bars",
        label: "hour of day (UTC)",
        keys: numbers(f, "k0").map((h) => `${String(h).padStart(2, "0")}:00`),
        v: numbers(f, "v"),
        ordered: true,
      };
    }
    case "bars": {
      const df = tables[spec.table];
      if (!has(df, spec.column)) return null;
      const f = grouped(df, [pl.col(spec.column).cast(pl.String).fillNull("(null)")], pl.lit(1))
        .sort("v", true).head(spec.top ?? 15);
      return { ...base, type: "bars", label: spec.column, keys: strings(f, "k0"), v: numbers(f, "v"), ordered: false };
    }
    case "rate": {
      const df = tables[spec.table];
      if (!has(df, spec.by, spec.column)) return null;
      const f = grouped(
        df,
        [pl.col(spec.by).cast(pl.String).fillNull("(null)")],
        pl.col(spec.column).eq(pl.lit(spec.equals)).cast(pl.Float64),
        "mean",
      ).sort("k0").head(40);
      return {
        ...base,
        type: "rate",
        label: `${spec.column} = ${String(spec.equals)}`,
        keys: strings(f, "k0"),
        v: numbers(f, "v"),
      };
    }
    case "intervals": {
      const df = tables[spec.table];
      const marks = (spec.marks ?? []).filter((m) => has(df, m));
      if (!has(df, spec.start, spec.end, spec.label)) return null;
      const f = collectParts(df, (p) =>
        p.select(
          pl.col(spec.label).cast(pl.String).alias("label"),
          (spec.by ? pl.col(spec.by).cast(pl.String) : pl.lit("all")).alias("by"),
          epochMs(spec.start).alias("a"),
          epochMs(spec.end).alias("b"),
          ...marks.map((m, i) => epochMs(m).alias(`m${i}`)),
        )).filter(pl.col("a").isNotNull()).sort("a").head(spec.top ?? 200);
      const a = numbers(f, "a"), b = numbers(f, "b");
      return {
        ...base,
        type: "intervals",
        label: strings(f, "label"),
        by: strings(f, "by"),
        start: a,
        end: b.map((x, i) => Number.isFinite(x) ? x : a[i]),
        marks: marks.flatMap((m, i) => numbers(f, `m${i}`).map((t, j) => ({ row: j, t, what: m }))).filter((m) =>
          Number.isFinite(m.t)
        ),
      };
    }
    case "coverage": {
      const keys: string[] = [], v: number[] = [];
      for (const [name, df] of Object.entries(tables)) {
        if (!has(df, spec.column) || df.height === 0) continue;
        const f = collectParts(
          df,
          (p) =>
            p.select(
              pl.col(spec.column).isNotNull().cast(pl.Float64).sum().alias("s"),
              pl.len().cast(pl.Float64).alias("n"),
            ),
        );
        const s = numbers(f, "s").reduce((x, y) => x + y, 0), n = numbers(f, "n").reduce((x, y) => x + y, 0);
        keys.push(name);
        v.push(n > 0 ? s / n : 0);
      }
      return keys.length === 0 ? null : { ...base, type: "rate", label: `${spec.column} set`, keys, v };
    }
    case "volume": {
      const timed = Object.entries(tables).map(([name, df]) => [name, df, timeColumn(df)] as const)
        .filter(([, df, c]) => c !== null && df.height > 0 && isTime(df, c!));
      if (timed.length === 0) return null;
      const spans = timed.map(([, df, c]) => span(df, c!)).filter((x) => x !== null) as [number, number][];
      const lo = Math.min(...spans.map((x) => x[0])), hi = Math.max(...spans.map((x) => x[1]));
      const bucket = bucketFor(hi - lo);
      const t: number[] = [], key: string[] = [], v: number[] = [];
      for (const [name, df, c] of timed) {
        const f = grouped(df, [epochMs(c!).div(bucket).floor().mul(bucket)], pl.lit(1)).filter(
          pl.col("k0").isNotNull(),
        );
        const tt = numbers(f, "k0"), vv = numbers(f, "v");
        for (let i = 0; i < tt.length; i++) {
          t.push(tt[i]);
          key.push(name);
          v.push(vv[i]);
        }
      }
      return {
        ...base,
        type: "time",
        bucket,
        value: null,
        t,
        key,
        v,
        windows: windowsOf(tables, spec.windows),
        log: true,
      };
    }
  }
}

/**
 * The kind's domain views, computed from its tables: counts over time, by hour, by value, rates by group,
 * intervals and label coverage, each a small aggregate. Charts whose tables or columns are missing are left out.
 * @param tables the dataset's tables
 * @param profile the kind profile
 * @returns the views that have at least one chart
 */
export function summarizeViews(tables: Record<string, TableFrame>, profile: KindProfile): ViewData[] {
  return (profile.views ?? []).map((view) => ({
    id: view.id,
    title: view.title,
    intro: view.intro ?? "",
    charts: view.charts.map((c) => chartOf(c, tables)).filter((c): c is ViewChart => c !== null),
  })).filter((v) => v.charts.length > 0);
}
