import pl from "nodejs-polars";
import { collectParts, partsOf, type TableFrame } from "@lib/lake/mod.ts";
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
   * Rows a column's figures (histogram, top values, zeros, bounds, skewness) are counted on, at most: larger tables
   * are sampled every k-th row of each file, so the alerts are shares of the sample. @default 20000
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

/** What the profile counts of one column of the sample. */
interface Figures {
  /** Finite values counted. */
  n: number;
  lo: number;
  hi: number;
  counts: number[];
  distinct: number;
  zeros: number;
  atMin: number;
  atMax: number;
  mean: number;
  /** Central moments over n. */
  m2: number;
  m3: number;
}

/** A profiled column of the sample: its table, name, and whether it is counted as text. */
interface Source {
  table: string;
  key: string;
  text: boolean;
}

/** Rows of a long frame `{ variable, ... }` as records keyed by the source index in `variable` (`g<i>` or `i`). */
function rowsOf(df: pl.DataFrame): { g: number; row: Record<string, unknown> }[] {
  return df.toRecords().map((row) => ({
    g: typeof row.variable === "number" ? row.variable : Number(String(row.variable).slice(1)),
    row,
  }));
}

/**
 * Per column of each table: a histogram (numbers and times) or the most frequent values (text, booleans), the
 * shares of zeros and of values at the minimum and maximum, the skewness, and the alerts a profiler would raise.
 * Everything follows from value counts (Polars group-bys over every k-th row, file by file), so memory follows one
 * file and the sample, and a table read file by file gives the page a table in memory gives.
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
  const { bins = 24, top = 5, maxTables = 10, maxColumns = 40, maxDistinct = 20_000, sampleRows = 20_000 } = options;
  const out: Record<string, ColumnProfile> = {};
  // Every profiled number and time column of every table goes into one long frame (`variable` = its source
  // index, `value` as Float64): two queries then count all of them at once (moments, histogram bins), whatever
  // the number of tables and columns; a select of ten expressions per column cost more than the counting itself
  // on small tables. Text and booleans get one group-by per column, all collected together.
  const sources: Source[] = [];
  const numberParts: pl.LazyDataFrame[] = [];
  const textParts: pl.LazyDataFrame[] = [];
  const profiled: { t: TableSummary; cols: ColumnSummary[]; numeric: Set<string>; times: Set<string> }[] = [];
  for (const t of summaries.slice(0, maxTables)) {
    const df = tables[t.name];
    if (df === undefined || t.rows === 0) continue;
    const cols = t.columns.slice(0, maxColumns);
    const numeric = cols.filter((c) => dtypeFamily(c.dtype) === "number" && typeof c.min === "number");
    const times = cols.filter((c) => dtypeFamily(c.dtype) === "time" && typeof c.min === "string");
    const texts = cols.filter((c) =>
      (dtypeFamily(c.dtype) === "text" || dtypeFamily(c.dtype) === "bool") && (c.distinct ?? Infinity) <= maxDistinct
    );
    profiled.push({ t, cols, numeric: new Set(numeric.map((c) => c.name)), times: new Set(times.map((c) => c.name)) });
    // Every k-th row of the table: shares and shapes, not exact counts, are what a profile shows, and the cost
    // stays that of 20,000 rows whatever the table's size. The stride runs across files (each file starts at the
    // offset the rows before it leave), so a table read file by file gives the same sample as one in memory.
    const step = Math.max(1, Math.ceil(t.rows / sampleRows));
    const starts: number[] = [];
    let rowsBefore = 0;
    for (const part of partsOf(df)) {
      starts.push((step - (rowsBefore % step)) % step);
      rowsBefore += part.height;
    }
    const every = (e: pl.Expr, i: number) => (step > 1 ? e.gatherEvery(step, starts[i] ?? 0) : e);
    // Each column is sampled first and cast after, so casts touch 20,000 values, not the whole table.
    const picked: { g: number; expr: (e: pl.Expr) => pl.Expr; key: string; text: boolean }[] = [
      ...numeric.map((c) => ({ key: c.name, expr: (e: pl.Expr) => e.cast(pl.Float64), text: false })),
      ...times.map((c) => ({
        key: c.name,
        expr: (e: pl.Expr) => e.cast(pl.Datetime("ms")).dt.timestamp().cast(pl.Float64),
        text: false,
      })),
      ...texts.map((c) => ({ key: c.name, expr: (e: pl.Expr) => e.cast(pl.String), text: true })),
    ].map((src) => ({ ...src, g: sources.push({ table: t.name, key: src.key, text: src.text }) - 1 }));
    if (picked.length === 0) continue;
    // One pass over the table: the sample of every profiled column at once (one query per file, reading each
    // file once), rechunked so what follows runs over one layout whatever the files.
    const sample = collectParts(
      df,
      (part, index) => part.select(...picked.map((src) => src.expr(every(pl.col(src.key), index)).alias(`g${src.g}`))),
    ).rechunk();
    const words = picked.filter((src) => src.text).map((src) => `g${src.g}`);
    // Keyed by the source index as an integer: grouping and windows on it cost half of what a name column did.
    for (const src of picked.filter((p) => !p.text)) {
      numberParts.push(
        sample.lazy().select(pl.lit(src.g).cast(pl.UInt32).alias("variable"), pl.col(`g${src.g}`).alias("value")),
      );
    }
    // Text: one group-by per column (they run in parallel), most frequent first, ties by value.
    for (const w of words) {
      textParts.push(
        sample.lazy().select(pl.col(w).alias("value")).dropNulls().groupBy("value").agg(
          pl.len().cast(pl.Float64).alias("n"),
        ).sort(["n", "value"], [true, false]).head(top).select(pl.lit(w).alias("variable"), "value", "n"),
      );
    }
  }
  const figures = new Map<number, Figures>();
  if (numberParts.length > 0) {
    const v = pl.col("value");
    // One query for every column of every table: each column's bounds and mean as windows over its values, each
    // value's bin and deviations from them, then one group-by per column and bin (a bin holds a range of values,
    // so the column's count, distinct values and bounds are sums, minimum and maximum over its bins, added in bin
    // order). Finite values only: NaN and infinities are not counted. Before, the bounds were a group-by of their
    // own joined back, on a name column: twice the time.
    const by = "variable";
    const lo = v.min().over(by), hi = v.max().over(by), mean = v.mean().over(by);
    const span = hi.minus(lo), d = v.minus(mean);
    const count = (e: pl.Expr) => e.cast(pl.Float64).sum();
    // The bin of each value: floor((v - lo) * bins / span), the maximum in the last bin. Multiplying first keeps
    // values on a bin edge (whole numbers, round times) in the bin they start, with no rounding across it.
    const binned = (numberParts.length === 1 ? numberParts[0] : pl.concat(numberParts, { how: "vertical" }))
      .filter(v.isFinite())
      .select(
        by,
        "value",
        pl.when(span.gt(0)).then(v.minus(lo).mul(bins).div(span).floor().clip(0, bins - 1)).otherwise(pl.lit(0))
          .cast(pl.Int32).alias("bin"),
        mean.alias("mean"),
        v.eq(0).alias("zero"),
        v.eq(lo).alias("atMin"),
        v.eq(hi).alias("atMax"),
        d.pow(2).alias("d2"),
        d.pow(3).alias("d3"),
      )
      .groupBy([by, "bin"]).agg(
        pl.len().cast(pl.Float64).alias("n"),
        v.nUnique().cast(pl.Float64).alias("distinct"),
        v.min().alias("lo"),
        v.max().alias("hi"),
        pl.col("mean").first().alias("mean"),
        count(pl.col("zero")).alias("zeros"),
        count(pl.col("atMin")).alias("atMin"),
        count(pl.col("atMax")).alias("atMax"),
        pl.col("d2").sum().alias("d2"),
        pl.col("d3").sum().alias("d3"),
      ).sort([by, "bin"]).collectSync();
    const rows = rowsOf(binned);
    for (const { g, row } of rows) {
      const f = figures.get(g);
      const lo = Number(row.lo), hi = Number(row.hi);
      if (f === undefined) {
        figures.set(g, {
          n: Number(row.n),
          lo,
          hi,
          counts: [],
          distinct: Number(row.distinct),
          zeros: 0,
          atMin: 0,
          atMax: 0,
          mean: Number(row.mean),
          m2: 0,
          m3: 0,
        });
      } else {
        f.n += Number(row.n);
        f.distinct += Number(row.distinct);
        f.lo = Math.min(f.lo, lo);
        f.hi = Math.max(f.hi, hi);
      }
    }
    for (const f of figures.values()) f.counts = new Array<number>(f.hi - f.lo > 0 ? bins : 1).fill(0);
    for (const { g, row } of rows) {
      const f = figures.get(g)!;
      f.counts[Number(row.bin)] += Number(row.n);
      f.zeros += Number(row.zeros);
      f.atMin += Number(row.atMin);
      f.atMax += Number(row.atMax);
      f.m2 += Number(row.d2) / f.n;
      f.m3 += Number(row.d3) / f.n;
    }
  }
  const tops = new Map<number, { value: string; count: number }[]>();
  if (textParts.length > 0) {
    const counted = (textParts.length === 1 ? textParts[0] : pl.concat(textParts, { how: "vertical" })).collectSync();
    for (const { g, row } of rowsOf(counted)) {
      const list = tops.get(g) ?? [];
      list.push({ value: String(row.value), count: Number(row.n) });
      tops.set(g, list);
    }
  }
  const index = new Map(sources.map((s, g) => [`${s.table}.${s.key}`, g]));
  for (const { t, cols, numeric, times } of profiled) {
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
      const g = index.get(`${t.name}.${c.name}`);
      const text = g !== undefined && sources[g].text;
      if (g !== undefined && !text) {
        const f = figures.get(g) ?? { n: 0, lo: 0, hi: 0, counts: [0] } as Figures;
        base.histogram = { lo: f.lo, hi: f.hi, counts: f.counts, time: times.has(c.name) };
        base.counted = f.n;
        if (numeric.has(c.name) && f.n > 0) {
          const { mean, m2, m3 } = f;
          base.distinct = f.distinct;
          base.zeros = f.zeros;
          base.atMin = f.atMin;
          base.atMax = f.atMax;
          // Rounded to 9 significant digits: the parallel sums behind the moments may differ in the last bit.
          base.skew = f.n > 2 && m2 > 1e-12 * Math.max(1, mean * mean) ? Number((m3 / m2 ** 1.5).toPrecision(9)) : null;
        }
      }
      const top = text ? tops.get(g!) : undefined;
      // Most frequent first, ties by value, so the list is one whatever the row order; none for a column of nulls.
      if (top !== undefined) base.top = top.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      out[`${t.name}.${c.name}`] = { ...base, alerts: alertsOf(c, base, t.rows) };
    }
  }
  return out;
}
