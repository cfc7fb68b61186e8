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
  distinct?: number;
  zeros?: number;
  atMin?: number;
  atMax?: number;
  mean?: number;
  /** Central moments over n. */
  m2?: number;
  m3?: number;
  top?: { value: string; count: number }[];
}

/** The value when finite, else null: NaN and infinities are not counted. */
function finite(e: pl.Expr): pl.Expr {
  return pl.when(e.isFinite()).then(e).otherwise(pl.lit(null));
}

/** Count, distinct values, bounds, zeros, values at each bound and the central moments of sample column `c<i>`. */
function momentsOf(i: number): pl.Expr[] {
  const v = finite(pl.col(`c${i}`));
  const mean = v.mean();
  const sum = (e: pl.Expr) => e.cast(pl.Float64).sum();
  return [
    v.count().cast(pl.Float64).alias(`n${i}`),
    v.dropNulls().nUnique().cast(pl.Float64).alias(`d${i}`),
    v.min().alias(`lo${i}`),
    v.max().alias(`hi${i}`),
    sum(v.eq(0)).alias(`z${i}`),
    sum(v.eq(v.min())).alias(`a${i}`),
    sum(v.eq(v.max())).alias(`b${i}`),
    mean.alias(`m${i}`),
    v.minus(mean).pow(2).mean().alias(`s${i}`),
    v.minus(mean).pow(3).mean().alias(`t${i}`),
  ];
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
  for (const t of summaries.slice(0, maxTables)) {
    const df = tables[t.name];
    if (df === undefined || t.rows === 0) continue;
    const cols = t.columns.slice(0, maxColumns);
    const numeric = cols.filter((c) => dtypeFamily(c.dtype) === "number" && typeof c.min === "number");
    const times = cols.filter((c) => dtypeFamily(c.dtype) === "time" && typeof c.min === "string");
    const texts = cols.filter((c) =>
      (dtypeFamily(c.dtype) === "text" || dtypeFamily(c.dtype) === "bool") && (c.distinct ?? Infinity) <= maxDistinct
    );
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
    // Value counts of the sample, per column: histograms, zeros, bounds, distinct values and moments all follow.
    // Each column is sampled first and cast after, so casts touch 20,000 values, not the whole table.
    const sources: { key: string; expr: (e: pl.Expr) => pl.Expr; text: boolean }[] = [
      ...numeric.map((c) => ({ key: c.name, expr: (e: pl.Expr) => e.cast(pl.Float64), text: false })),
      ...times.map((c) => ({
        key: c.name,
        expr: (e: pl.Expr) => e.cast(pl.Datetime("ms")).dt.timestamp().cast(pl.Float64),
        text: false,
      })),
      ...texts.map((c) => ({ key: c.name, expr: (e: pl.Expr) => e.cast(pl.String), text: true })),
    ];
    // One pass over the table: the sample of every profiled column at once (one query per file, reading each file
    // once), rechunked so the figures below run over one layout whatever the files. Then three small queries on
    // that sample: the moments and counts of every column in one select, the histogram bins of the numbers and
    // times, and the top values of the text; only the results (a few numbers per column) come back to JavaScript.
    const figures = new Map<string, Figures>();
    if (sources.length > 0) {
      const sample = collectParts(
        df,
        (part, index) =>
          part.select(...sources.map((src, i) => src.expr(every(pl.col(src.key), index)).alias(`c${i}`))),
      ).rechunk();
      const numbers = sources.map((src, i) => ({ ...src, i })).filter((src) => !src.text);
      const stats = numbers.length === 0 ? null : sample.select(...numbers.flatMap(({ i }) => momentsOf(i)));
      const stat = (name: string) => stats === null ? null : (stats.getColumn(name).get(0) as number | null);
      const hist = new Map<number, { lo: number; span: number }>();
      for (const { key, i } of numbers) {
        const n = Number(stat(`n${i}`) ?? 0);
        const lo = n > 0 ? Number(stat(`lo${i}`)) : 0, hi = n > 0 ? Number(stat(`hi${i}`)) : 0;
        const f: Figures = { n, lo, hi, counts: new Array<number>(hi - lo > 0 ? bins : 1).fill(0) };
        if (numeric.some((c) => c.name === key) && n > 0) {
          f.distinct = Number(stat(`d${i}`));
          f.zeros = Number(stat(`z${i}`));
          f.atMin = Number(stat(`a${i}`));
          f.atMax = Number(stat(`b${i}`));
          f.mean = Number(stat(`m${i}`));
          f.m2 = Number(stat(`s${i}`));
          f.m3 = Number(stat(`t${i}`));
        }
        if (hi - lo > 0) hist.set(i, { lo, span: hi - lo });
        else f.counts[0] = n;
        figures.set(key, f);
      }
      if (hist.size > 0) {
        // The bin of each value: floor((v - lo) * bins / span), the maximum in the last bin. Multiplying first keeps
        // values on a bin edge (whole numbers, round times) in the bin they start, with no rounding across it.
        const qs = [...hist].map(([i, { lo, span }]) =>
          sample.lazy().select(
            finite(pl.col(`c${i}`)).minus(lo).mul(bins).div(span).floor().clip(0, bins - 1).cast(pl.Int32).alias(
              "bin",
            ),
          ).dropNulls().groupBy("bin").agg(pl.len().cast(pl.Float64).alias("n"))
            .select(pl.lit(i).cast(pl.Int32).alias("c"), "bin", "n")
        );
        const all = (qs.length === 1 ? qs[0] : pl.concat(qs, { how: "vertical" })).collectSync();
        const c = all.getColumn("c").toArray() as number[];
        const bin = all.getColumn("bin").toArray() as number[];
        const n = all.getColumn("n").toArray() as number[];
        for (let r = 0; r < c.length; r++) figures.get(sources[c[r]].key)!.counts[bin[r]] += n[r];
      }
      const words = sources.map((src, i) => ({ ...src, i })).filter((src) => src.text);
      if (words.length > 0) {
        // Most frequent first, ties by value, so the list is one whatever the row order.
        const qs = words.map(({ i }) =>
          sample.lazy().select(pl.col(`c${i}`).alias("k")).dropNulls().groupBy("k").agg(
            pl.len().cast(pl.Float64).alias("n"),
          ).sort(["n", "k"], [true, false]).head(top).select(pl.lit(i).cast(pl.Int32).alias("c"), "k", "n")
        );
        const all = (qs.length === 1 ? qs[0] : pl.concat(qs, { how: "vertical" })).collectSync();
        const c = all.getColumn("c").toArray() as number[];
        const k = all.getColumn("k").toArray() as string[];
        const n = all.getColumn("n").toArray() as number[];
        for (const { key } of words) figures.set(key, { n: 0, lo: 0, hi: 0, counts: [], top: [] });
        for (let r = 0; r < c.length; r++) figures.get(sources[c[r]].key)!.top!.push({ value: k[r], count: n[r] });
      }
    }
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
      const f = figures.get(c.name);
      if (f !== undefined && (numeric.includes(c) || times.includes(c))) {
        base.histogram = { lo: f.lo, hi: f.hi, counts: f.counts, time: times.includes(c) };
        base.counted = f.n;
        if (numeric.includes(c) && f.n > 0) {
          const { mean = 0, m2 = 0, m3 = 0 } = f;
          base.distinct = f.distinct ?? null;
          base.zeros = f.zeros ?? null;
          base.atMin = f.atMin ?? null;
          base.atMax = f.atMax ?? null;
          base.skew = f.n > 2 && m2 > 1e-12 * Math.max(1, mean * mean) ? m3 / m2 ** 1.5 : null;
        }
      }
      if (f !== undefined && texts.includes(c)) base.top = f.top ?? [];
      out[`${t.name}.${c.name}`] = { ...base, alerts: alertsOf(c, base, t.rows) };
    }
  }
  return out;
}
