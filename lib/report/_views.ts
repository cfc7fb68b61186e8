import pl from "nodejs-polars";
import { collectParts, type TableFrame } from "@lib/lake/mod.ts";
import {
  columnType,
  columnTypes,
  dtypeFamily,
  epochMs,
  hasColumns,
  msOf,
  numbers,
  strings,
  timeColumn,
} from "./_frame.ts";
import type { KindProfile, ViewChartSpec, WindowSpec } from "./kinds.ts";
import type { FollowPanel, ViewChart, ViewData } from "./types.ts";

const MINUTE = 60_000, HOUR = 3_600_000, DAY = 86_400_000;
const STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, DAY, 7 * DAY, 30 * DAY];

/** A bucket width giving at most about `max` buckets over the span. */
export function bucketFor(spanMs: number, max = 150): number {
  return STEPS.find((s) => spanMs / s <= max) ?? 30 * DAY;
}

function has(df: TableFrame | undefined, ...cols: string[]): df is TableFrame {
  return df !== undefined && hasColumns(df, ...cols);
}

function isTime(df: TableFrame, c: string): boolean {
  return dtypeFamily(columnType(df, c) ?? "") === "time";
}

/**
 * Runs a grouped query file by file and adds up the partial sums of each group: of `value`, or with `null` the
 * rows (counted by the group-by itself, with no column of ones made first).
 */
function grouped(df: TableFrame, keys: pl.Expr[], value: pl.Expr | null, how: "sum" | "mean" = "sum"): pl.DataFrame {
  const names = keys.map((_, i) => `k${i}`);
  const rows = pl.len().cast(pl.Float64);
  const parts = collectParts(
    df,
    (part) =>
      value === null
        ? part.select(...keys.map((k, i) => k.alias(`k${i}`))).groupBy(names).agg(rows.alias("s"), rows.alias("n"))
        : part.select(...keys.map((k, i) => k.alias(`k${i}`)), value.cast(pl.Float64).alias("v"))
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
  const f = collectParts(
    df,
    (p) => p.select(msOf(pl.col(time).min()).alias("lo"), msOf(pl.col(time).max()).alias("hi")),
  );
  const lo = Math.min(...numbers(f, "lo").filter(Number.isFinite)),
    hi = Math.max(...numbers(f, "hi").filter(Number.isFinite));
  return Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : null;
}

/** What picks incidents: the follow chart's fields (the around chart has the same ones but label and marks). */
type Ranked = Omit<Extract<ViewChartSpec, { type: "follow" }>, "type" | "title" | "caption">;

/** The first `top` rows of a table of incidents by rank, then start, each with the range shown around it. */
function rankedIncidents(tables: Record<string, TableFrame>, spec: Ranked, top: number) {
  const df = tables[spec.table];
  if (!has(df, spec.id, spec.start, spec.end)) return [];
  const marks = (spec.marks ?? []).filter((m) => has(df, m));
  const label = spec.label !== undefined && has(df, spec.label) ? spec.label : spec.id;
  const f = collectParts(df, (p) =>
    p.select(
      pl.col(spec.id).cast(pl.String).alias("id"),
      pl.col(label).cast(pl.String).alias("label"),
      epochMs(spec.start).alias("a"),
      epochMs(spec.end).alias("b"),
      (spec.rank !== undefined && has(df, spec.rank) ? pl.col(spec.rank).cast(pl.Float64) : pl.lit(0)).alias("r"),
      ...marks.map((m, i) => epochMs(m).alias(`m${i}`)),
    )).filter(pl.col("a").isNotNull().and(pl.col("id").isNotNull())).sort(["r", "a", "id"]).head(top);
  const a = numbers(f, "a"), b = numbers(f, "b");
  return strings(f, "id").map((id, i) => {
    const end = Number.isFinite(b[i]) ? Math.max(a[i], b[i]) : a[i];
    const pad = Math.max(HOUR, 0.5 * (end - a[i]));
    return {
      id,
      label: strings(f, "label")[i],
      start: a[i],
      end,
      lo: a[i] - pad,
      hi: end + pad,
      marks: marks.map((m, j) => ({ t: numbers(f, `m${j}`)[i], what: m })).filter((m) => Number.isFinite(m.t)),
    };
  });
}

/** The tables other than `skip` with a time column, in name order. */
function timedTables(tables: Record<string, TableFrame>, skip: string) {
  return Object.entries(tables).map(([name, df]) => [name, df, timeColumn(df)] as const)
    .filter(([name, df, c]) => name !== skip && c !== null && df.height > 0 && isTime(df, c))
    .sort(([a], [b]) => a.localeCompare(b)) as [string, TableFrame, string][];
}

/** Rows of a table per bucket within [lo, hi], split by `key`, counted file by file. */
function countsIn(df: TableFrame, input: { time: string; lo: number; hi: number; bucket: number; key?: pl.Expr }) {
  const { time, lo, hi, bucket, key = pl.lit("all") } = input;
  const t = epochMs(time);
  return collectParts(df, (p) =>
    p.filter(t.gtEq(lo).and(t.ltEq(hi)))
      .select(t.div(bucket).floor().mul(bucket).alias("t"), key.cast(pl.String).alias("k"))
      .groupBy(["t", "k"]).agg(pl.len().cast(pl.Float64).alias("n")))
    .groupBy(["t", "k"]).agg(pl.col("n").sum().alias("n")).sort(["t", "k"]);
}

function aroundChart(
  spec: Extract<ViewChartSpec, { type: "around" }>,
  tables: Record<string, TableFrame>,
): ViewChart | null {
  const incidents = rankedIncidents(tables, spec, spec.top ?? 6);
  const timed = timedTables(tables, spec.table);
  if (incidents.length === 0 || timed.length === 0) return null;
  const shown = incidents.map(({ id, start, end, lo, hi }) => ({
    id,
    start,
    end,
    lo,
    hi,
    bucket: bucketFor(hi - lo, 40),
  }));
  // Each table's times converted once, then every incident's buckets counted on them in one query: one pass per
  // table, not one per table and incident.
  const counts = timed.map(([, df, time]) => {
    const ms = collectParts(df, (p) => p.select(epochMs(time).alias("t")).filter(pl.col("t").isNotNull()));
    const t = pl.col("t");
    const each = shown.map(({ lo, hi, bucket }, i) =>
      ms.lazy().filter(t.gtEq(lo).and(t.ltEq(hi))).select(t.div(bucket).floor().mul(bucket).alias("t"))
        .groupBy("t").agg(pl.len().cast(pl.Float64).alias("n")).select(pl.lit(i).cast(pl.Int32).alias("i"), "t", "n")
    );
    return pl.concat(each, { how: "vertical" }).sort(["i", "t"]).collectSync();
  });
  const rows = { incident: [] as number[], table: [] as string[], t: [] as number[], n: [] as number[] };
  shown.forEach((_, i) => {
    timed.forEach(([name], k) => {
      const f = counts[k];
      const at = numbers(f, "i"), t = numbers(f, "t"), n = numbers(f, "n");
      for (let j = 0; j < at.length; j++) {
        if (at[j] !== i) continue;
        rows.incident.push(i);
        rows.table.push(name);
        rows.t.push(t[j]);
        rows.n.push(n[j]);
      }
    });
  });
  return { title: spec.title, caption: spec.caption ?? "", type: "around", incidents: shown, rows };
}

const ENTITIES = ["server_id", "service", "series_id", "entity_id", "host"];
const EVENT_LABELS = ["subject", "title", "anomaly", "kind", "level", "state"];

function followChart(
  spec: Extract<ViewChartSpec, { type: "follow" }>,
  tables: Record<string, TableFrame>,
): ViewChart | null {
  const [incident] = rankedIncidents(tables, spec, 1);
  if (incident === undefined) return null;
  const { id, lo, hi } = incident;
  const panels: FollowPanel[] = [];
  for (const [name, df, time] of timedTables(tables, spec.table)) {
    if (!has(df, spec.id)) continue;
    const mine = pl.col(spec.id).cast(pl.String).eq(pl.lit(id)).fillNull(false);
    const t = epochMs(time);
    const within = t.gtEq(lo).and(t.ltEq(hi));
    const floats = columnTypes(df).filter(([, ty]) => /^Float/.test(ty)).map(([c]) => c);
    const entity = ENTITIES.find((c) => has(df, c));
    if (floats.length > 0 && entity !== undefined) {
      // The entity with the most rows of the incident, and its metric whose incident rows move furthest from its
      // other rows in the window (in standard deviations of those).
      const hits = collectParts(df, (p) => p.filter(mine).groupBy(entity).agg(pl.len().alias("n")))
        .groupBy(entity).agg(pl.col("n").sum().alias("n")).sort(["n", entity], [true, false]);
      if (hits.height === 0) continue;
      const target = strings(hits, entity)[0];
      const f = collectParts(df, (p) =>
        p.filter(within.and(pl.col(entity).cast(pl.String).eq(pl.lit(target))))
          .select(t.alias("t"), mine.alias("mine"), ...floats.map((c) => pl.col(c).cast(pl.Float64)))).sort("t");
      const flags = (f.getColumn("mine").toArray() as boolean[]).map(Boolean);
      let best = floats[0], shift = -1;
      for (const c of floats) {
        const v = numbers(f, c);
        const own = v.filter((x, i) => flags[i] && Number.isFinite(x));
        const rest = v.filter((x, i) => !flags[i] && Number.isFinite(x));
        if (own.length === 0 || rest.length < 2) continue;
        const m = rest.reduce((x, y) => x + y, 0) / rest.length;
        const sd = Math.sqrt(rest.reduce((x, y) => x + (y - m) ** 2, 0) / (rest.length - 1)) || 1;
        const z = Math.abs(own.reduce((x, y) => x + y, 0) / own.length - m) / sd;
        if (z > shift) [best, shift] = [c, z];
      }
      panels.push({
        kind: "series",
        table: name,
        title: `${name}: ${best} of ${target}`,
        unit: "",
        t: numbers(f, "t"),
        v: numbers(f, best),
        mine: flags,
      });
      continue;
    }
    const n = numbers(collectParts(df, (p) => p.filter(within).select(pl.len().cast(pl.Float64).alias("n"))), "n")
      .reduce((x, y) => x + y, 0);
    if (n === 0) continue;
    if (n <= 80) {
      const label = EVENT_LABELS.find((c) => has(df, c));
      const f = collectParts(df, (p) =>
        p.filter(within).select(
          t.alias("t"),
          (label === undefined ? pl.lit(name) : pl.col(label).cast(pl.String)).fillNull("").alias("label"),
          mine.alias("mine"),
        )).sort(["t", "label"]);
      panels.push({
        kind: "events",
        table: name,
        title: `${name}: ${n} row${n === 1 ? "" : "s"}`,
        t: numbers(f, "t"),
        label: strings(f, "label"),
        mine: (f.getColumn("mine").toArray() as boolean[]).map(Boolean),
      });
      continue;
    }
    const bucket = bucketFor(hi - lo, 60);
    const f = countsIn(df, {
      time,
      lo,
      hi,
      bucket,
      key: pl.when(mine).then(pl.lit("this incident")).otherwise(pl.lit("other")),
    });
    panels.push({
      kind: "counts",
      table: name,
      title: `${name}: rows per ${bucket / 60_000} min`,
      bucket,
      t: numbers(f, "t"),
      key: strings(f, "k"),
      v: numbers(f, "n"),
    });
  }
  if (panels.length === 0) return null;
  const order = { series: 0, counts: 1, events: 2 };
  panels.sort((a, b) => order[a.kind] - order[b.kind] || a.table.localeCompare(b.table));
  return { title: spec.title, caption: spec.caption ?? "", type: "follow", incident, panels };
}

function multiplesChart(
  spec: Extract<ViewChartSpec, { type: "multiples" }>,
  tables: Record<string, TableFrame>,
): ViewChart | null {
  const df = tables[spec.table];
  if (!has(df, spec.entity, spec.time, spec.value)) return null;
  const B = 60;
  const entity = pl.col(spec.entity).cast(pl.String).alias("__e");
  const ranges = collectParts(df, (p) =>
    p.select(entity, epochMs(spec.time).alias("t")).groupBy("__e").agg(
      pl.col("t").min().alias("lo"),
      pl.col("t").max().alias("hi"),
    )).groupBy("__e").agg(pl.col("lo").min().alias("lo"), pl.col("hi").max().alias("hi"))
    .filter(pl.col("__e").isNotNull().and(pl.col("lo").isNotNull())).sort("__e");
  if (ranges.height === 0) return null;
  const shown = ranges.head(spec.top ?? 60);
  const idx = pl.col("t").sub(pl.col("lo")).div(pl.maxHorizontal([pl.col("hi").sub(pl.col("lo")), pl.lit(1)]))
    .mul(B).floor();
  const buckets = collectParts(
    df,
    (p) =>
      p.select(entity, epochMs(spec.time).alias("t"), pl.col(spec.value).cast(pl.Float64).alias("v"))
        .filter(pl.col("v").isNotNull().and(pl.col("v").isFinite()))
        .join(shown.lazy(), { on: "__e", how: "inner" })
        .select(pl.col("__e"), pl.when(idx.gtEq(B)).then(pl.lit(B - 1)).otherwise(idx).alias("i"), pl.col("v"))
        .groupBy(["__e", "i"]).agg(
          pl.col("v").min().alias("mn"),
          pl.col("v").max().alias("mx"),
          pl.col("v").sum().alias("s"),
          pl.len().cast(pl.Float64).alias("n"),
        ),
  )
    .groupBy(["__e", "i"]).agg(
      pl.col("mn").min().alias("mn"),
      pl.col("mx").max().alias("mx"),
      pl.col("s").sum().div(pl.col("n").sum()).alias("mean"),
    ).sort(["__e", "i"]);
  const w = spec.windows;
  const wdf = w && tables[w.table];
  const windows = w !== undefined && has(wdf, w.by, w.start, w.end)
    ? collectParts(
      wdf,
      (p) =>
        p.select(pl.col(w.by).cast(pl.String).alias("__e"), epochMs(w.start).alias("a"), epochMs(w.end).alias("b")),
    )
      .filter(pl.col("a").isNotNull().and(pl.col("b").isNotNull())).sort(["__e", "a"])
    : null;
  const ids = strings(shown, "__e"), lo = numbers(shown, "lo"), hi = numbers(shown, "hi");
  const be = strings(buckets, "__e"), bi = numbers(buckets, "i");
  const mn = numbers(buckets, "mn"), mx = numbers(buckets, "mx"), mean = numbers(buckets, "mean");
  const we = windows === null ? [] : strings(windows, "__e");
  const wa = windows === null ? [] : numbers(windows, "a"), wb = windows === null ? [] : numbers(windows, "b");
  return {
    title: spec.title,
    caption: spec.caption ?? "",
    type: "multiples",
    value: spec.value,
    total: ranges.height,
    series: ids.map((id, k) => {
      const at = be.map((e, i) => e === id ? i : -1).filter((i) => i >= 0);
      const width = Math.max(hi[k] - lo[k], 1) / B;
      return {
        id,
        t: at.map((i) => lo[k] + bi[i] * width),
        min: at.map((i) => mn[i]),
        max: at.map((i) => mx[i]),
        mean: at.map((i) => mean[i]),
        windows: we.map((e, i) => e === id ? { start: wa[i], end: wb[i] } : null)
          .filter((x): x is { start: number; end: number } => x !== null),
      };
    }),
  };
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
        spec.value ? pl.col(spec.value) : null,
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
      const f = grouped(df, [pl.col(spec.time).cast(pl.Datetime("ms")).dt.hour().cast(pl.Int32)], null)
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
      const f = grouped(df, [pl.col(spec.column).cast(pl.String).fillNull("(null)")], null)
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
    case "around":
      return aroundChart(spec, tables);
    case "follow":
      return followChart(spec, tables);
    case "multiples":
      return multiplesChart(spec, tables);
    case "volume": {
      const timed = Object.entries(tables).map(([name, df]) => [name, df, timeColumn(df)] as const)
        .filter(([, df, c]) => c !== null && df.height > 0 && isTime(df, c!));
      if (timed.length === 0) return null;
      const spans = timed.map(([, df, c]) => span(df, c!)).filter((x) => x !== null) as [number, number][];
      const lo = Math.min(...spans.map((x) => x[0])), hi = Math.max(...spans.map((x) => x[1]));
      const bucket = bucketFor(hi - lo);
      const t: number[] = [], key: string[] = [], v: number[] = [];
      for (const [name, df, c] of timed) {
        const f = grouped(df, [epochMs(c!).div(bucket).floor().mul(bucket)], null).filter(
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
