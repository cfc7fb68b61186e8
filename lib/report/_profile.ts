import pl from "nodejs-polars";
import { aggregateParts, collectParts, type TableFrame } from "@lib/lake/mod.ts";
import { dtypeFamily } from "./_frame.ts";
import type { ColumnProfile, ColumnSummary, TableSummary } from "./types.ts";

/** Options of {@linkcode profileTables}. */
export interface ProfileOptions {
  /** Histogram bins. @default 24 */
  bins?: number;
  /** Top values listed per text column. @default 5 */
  top?: number;
  /** Tables profiled (the primary first). @default 10 */
  maxTables?: number;
  /** Columns profiled per table. @default 40 */
  maxColumns?: number;
  /** Text columns with more distinct values get no top-value list (their counts would be as big as the table). @default 20000 */
  maxDistinct?: number;
  /**
   * Rows a histogram or top-value list is counted on, at most: larger tables are sampled every k-th row (zeros,
   * bounds and skewness are always over every row). @default 100000
   */
  sampleRows?: number;
}

const ZERO_SHARE = 0.1;
const BOUND_SHARE = 0.05;
const SKEW = 2;
const CARDINALITY = 0.5;

/**
 * The alerts of a column, as a profiler shows them: constant, many zeros, values piled at a bound, high
 * cardinality, skew, and nulls the schema does not allow (nulls it allows are no alert).
 */
function alertsOf(c: ColumnSummary, p: Omit<ColumnProfile, "alerts">, rows: number): string[] {
  const out: string[] = [];
  const valid = p.counted ?? rows - c.nulls;
  if (valid > 1 && (c.distinct === 1 || (typeof c.min === "number" && c.min === c.max))) out.push("constant");
  if (p.zeros !== null && valid > 0 && p.zeros / valid >= ZERO_SHARE && c.min !== c.max) {
    out.push(`${Math.round((100 * p.zeros) / valid)} % zeros`);
  }
  // Piled at a bound: at least 5 % of the values, and three times as many as a value has on average.
  const piled = (k: number | null) =>
    k !== null && valid > 0 && k / valid >= BOUND_SHARE && c.min !== c.max &&
    k >= (3 * valid) / Math.max(1, p.distinct ?? valid);
  if (piled(p.atMax)) {
    out.push(`${((100 * (p.atMax ?? 0)) / valid).toFixed(1)} % at max`);
  }
  if (piled(p.atMin) && c.min !== 0) {
    out.push(`${((100 * (p.atMin ?? 0)) / valid).toFixed(1)} % at min`);
  }
  if (c.distinct !== null && valid >= 50 && c.distinct / valid >= CARDINALITY && c.distinct > 50) {
    out.push("high cardinality");
  }
  if (p.skew !== null && Math.abs(p.skew) >= SKEW) out.push(`skewed (${p.skew.toFixed(1)})`);
  if (c.nulls > 0 && c.nullsAllowed !== true) out.push(c.nullsAllowed === false ? "unexpected nulls" : "nulls");
  return [...new Set(out)];
}

/**
 * Per column of each table: a histogram (numbers and times) or the most frequent values (text, booleans), the
 * shares of zeros and of values at the minimum and maximum, the skewness, and the alerts a profiler would raise.
 * Everything is Polars aggregations over the table's files (sums combined across files), so memory follows one
 * file and the output is a few numbers per column.
 * @param tables the tables by name
 * @param summaries their column summaries (min, max, mean, distinct, nulls)
 * @param options bins, top values, caps
 * @returns the profiles, keyed `table.column`
 */
export function profileTables(
  tables: Record<string, TableFrame>,
  summaries: TableSummary[],
  options: ProfileOptions = {},
): Record<string, ColumnProfile> {
  const { bins = 24, top = 5, maxTables = 10, maxColumns = 40, maxDistinct = 20_000, sampleRows = 100_000 } = options;
  const out: Record<string, ColumnProfile> = {};
  for (const t of summaries.slice(0, maxTables)) {
    const df = tables[t.name];
    if (df === undefined || t.rows === 0) continue;
    const cols = t.columns.slice(0, maxColumns);
    const numeric = cols.filter((c) => dtypeFamily(c.dtype) === "number" && typeof c.min === "number");
    const times = cols.filter((c) => dtypeFamily(c.dtype) === "time" && typeof c.min === "string");
    const texts = cols.filter((c) =>
      (dtypeFamily(c.dtype) === "text" || dtypeFamily(c.dtype) === "bool") && (c.distinct ?? Infinity) <= maxDistinct
    );
    // Every k-th row of each file: shares and shapes, not exact counts, are what a profile shows, and the cost
    // stays that of 100,000 rows whatever the table's size.
    const step = Math.max(1, Math.ceil(t.rows / sampleRows));
    const every = (e: pl.Expr) => (step > 1 ? e.gatherEvery(step) : e);
    // Scalars: zeros, values at the bounds, and centred power sums for the skewness, one pass.
    const exprs: pl.Expr[] = [];
    numeric.forEach((c, i) => {
      const x = every(pl.col(c.name).cast(pl.Float64));
      const y = x.sub(pl.lit(c.mean ?? 0));
      exprs.push(
        x.eq(0).cast(pl.Float64).sum().alias(`z${i}`),
        x.eq(pl.lit(c.min as number)).cast(pl.Float64).sum().alias(`lo${i}`),
        x.eq(pl.lit(c.max as number)).cast(pl.Float64).sum().alias(`hi${i}`),
        x.isNotNull().and(x.isNotNan()).cast(pl.Float64).sum().alias(`n${i}`),
        x.nUnique().cast(pl.Float64).alias(`u${i}`),
        y.sum().alias(`s1_${i}`),
        y.pow(2).sum().alias(`s2_${i}`),
        y.pow(3).sum().alias(`s3_${i}`),
      );
    });
    const row = exprs.length === 0 ? {} : aggregateParts(df, exprs, {
      // Distinct values of a file: the largest is a lower bound of the table's, enough to tell a pile.
      combine: (name) => (name.startsWith("u") ? "max" : "sum"),
    }).toRecords()[0];
    // Histograms of numbers and times, and value counts of text, in one plan per file.
    const binned: { key: string; expr: pl.Expr; lo: number; hi: number }[] = [];
    for (const c of numeric) {
      binned.push({ key: c.name, expr: pl.col(c.name).cast(pl.Float64), lo: c.min as number, hi: c.max as number });
    }
    for (const c of times) {
      binned.push({
        key: c.name,
        expr: pl.col(c.name).cast(pl.Datetime("ms")).dt.timestamp().cast(pl.Float64),
        lo: Date.parse(c.min as string),
        hi: Date.parse(c.max as string),
      });
    }
    const counts = new Map<string, Map<string, number>>();
    const add = (col: string, k: string, n: number) => {
      const m = counts.get(col) ?? new Map<string, number>();
      m.set(k, (m.get(k) ?? 0) + n);
      counts.set(col, m);
    };
    const queries = (part: pl.LazyDataFrame) => [
      ...binned.map((b, i) => {
        const span = b.hi - b.lo;
        const bin = span > 0
          ? pl.col("v").sub(pl.lit(b.lo)).div(pl.lit(span / bins)).floor().clip(0, bins - 1)
          : pl.lit(0);
        return part.select(every(b.expr).alias("v")).filter(pl.col("v").isNotNull().and(pl.col("v").isNotNan()))
          .select(pl.lit(`b${i}`).alias("c"), bin.cast(pl.Int64).cast(pl.String).alias("k"))
          .groupBy(["c", "k"]).agg(pl.len().cast(pl.Float64).alias("n"));
      }),
      ...texts.map((c, i) =>
        part.select(every(pl.col(c.name).cast(pl.String)).alias("k")).filter(pl.col("k").isNotNull())
          .select(pl.lit(`t${i}`).alias("c"), pl.col("k")).groupBy(["c", "k"]).agg(pl.len().cast(pl.Float64).alias("n"))
      ),
    ];
    if (binned.length + texts.length > 0) {
      const all = collectParts(df, (part) => {
        const qs = queries(part);
        return qs.length === 1 ? qs[0] : pl.concat(qs, { how: "vertical" });
      });
      const c = all.getColumn("c").toArray() as string[];
      const k = all.getColumn("k").toArray() as string[];
      const n = all.getColumn("n").toArray() as number[];
      for (let i = 0; i < c.length; i++) add(c[i], k[i], Number(n[i]));
    }
    const num = (v: unknown) => (v === null || v === undefined || !Number.isFinite(Number(v)) ? null : Number(v));
    for (const c of cols) {
      const base: Omit<ColumnProfile, "alerts"> = {
        table: t.name,
        column: c.name,
        histogram: null,
        top: null,
        counted: null,
        distinct: null,
        zeros: null,
        atMin: null,
        atMax: null,
        skew: null,
      };
      const ni = numeric.indexOf(c);
      const bi = binned.findIndex((b) => b.key === c.name);
      const ti = texts.indexOf(c);
      if (bi >= 0) {
        const b = binned[bi];
        const m = counts.get(`b${bi}`) ?? new Map();
        const span = b.hi - b.lo;
        base.histogram = {
          lo: b.lo,
          hi: b.hi,
          counts: Array.from({ length: span > 0 ? bins : 1 }, (_, j) => m.get(String(j)) ?? 0),
          time: dtypeFamily(c.dtype) === "time",
        };
      }
      if (ni >= 0) {
        const n = num(row[`n${ni}`]) ?? 0;
        base.counted = n;
        base.distinct = num(row[`u${ni}`]);
        base.zeros = num(row[`z${ni}`]);
        base.atMin = num(row[`lo${ni}`]);
        base.atMax = num(row[`hi${ni}`]);
        if (n > 2) {
          const m1 = (num(row[`s1_${ni}`]) ?? 0) / n, m2r = (num(row[`s2_${ni}`]) ?? 0) / n;
          const m3r = (num(row[`s3_${ni}`]) ?? 0) / n;
          const m2 = m2r - m1 * m1, m3 = m3r - 3 * m1 * m2r + 2 * m1 ** 3;
          base.skew = m2 > 1e-12 * Math.max(1, (c.mean ?? 0) ** 2) ? m3 / m2 ** 1.5 : null;
        }
      }
      if (ti >= 0) {
        const m = counts.get(`t${ti}`) ?? new Map<string, number>();
        base.top = [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top).map(([value, count]) => ({
          value,
          count,
        }));
      }
      out[`${t.name}.${c.name}`] = { ...base, alerts: alertsOf(c, base, t.rows) };
    }
  }
  return out;
}
