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
    // once), then the value counts on that small frame, one group-by per column collected together. Numbers and
    // times keep Float64 keys (they come back as one typed array), text keeps strings.
    const counts = new Map<string, Map<string | number, number>>();
    if (sources.length > 0) {
      const sample = collectParts(
        df,
        (part, index) =>
          part.select(...sources.map((src, i) => src.expr(every(pl.col(src.key), index)).alias(`c${i}`))),
      );
      for (const text of [false, true]) {
        const picked = sources.map((src, i) => ({ ...src, i })).filter((src) => src.text === text);
        if (picked.length === 0) continue;
        const qs = picked.map((src) => {
          const k = pl.col("k");
          const valid = text ? k.isNotNull() : k.isNotNull().and(k.isNotNan());
          return sample.lazy().select(pl.col(`c${src.i}`).alias("k")).filter(valid).groupBy("k").agg(
            pl.len().cast(pl.Float64).alias("n"),
          )
            .select(pl.lit(src.i).cast(pl.Int32).alias("c"), "k", "n");
        });
        const all = (qs.length === 1 ? qs[0] : pl.concat(qs, { how: "vertical" })).collectSync();
        const c = all.getColumn("c").toArray() as number[];
        const k = all.getColumn("k").toArray() as (string | number)[];
        const n = all.getColumn("n").toArray() as number[];
        for (let i = 0; i < c.length; i++) {
          const key = sources[Number(c[i])].key;
          const m = counts.get(key) ?? new Map<string | number, number>();
          m.set(k[i], (m.get(k[i]) ?? 0) + Number(n[i]));
          counts.set(key, m);
        }
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
      const m = counts.get(c.name);
      if (m !== undefined && (numeric.includes(c) || times.includes(c))) {
        // Values in order, so every sum below runs in one order whatever the files.
        const values = [...m].map(([k, n]) => [Number(k), n] as const).filter(([v]) => Number.isFinite(v))
          .sort((x, y) => x[0] - y[0]);
        const lo = values.length > 0 ? values[0][0] : 0, hi = values.length > 0 ? values[values.length - 1][0] : 0;
        const span = hi - lo;
        const hist = new Array<number>(span > 0 ? bins : 1).fill(0);
        let n = 0, s1 = 0;
        for (const [v, k] of values) {
          hist[span > 0 ? Math.min(bins - 1, Math.floor(((v - lo) / span) * bins)) : 0] += k;
          n += k;
          s1 += v * k;
        }
        base.histogram = { lo, hi, counts: hist, time: times.includes(c) };
        base.counted = n;
        if (numeric.includes(c) && n > 0) {
          const mean = s1 / n;
          let m2 = 0, m3 = 0;
          for (const [v, k] of values) {
            m2 += k * (v - mean) ** 2;
            m3 += k * (v - mean) ** 3;
          }
          m2 /= n;
          m3 /= n;
          base.distinct = values.length;
          base.zeros = values.find(([v]) => v === 0)?.[1] ?? 0;
          base.atMin = values[0][1];
          base.atMax = values[values.length - 1][1];
          base.skew = n > 2 && m2 > 1e-12 * Math.max(1, mean * mean) ? m3 / m2 ** 1.5 : null;
        }
      }
      if (m !== undefined && texts.includes(c)) {
        base.top = [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top).map(([value, count]) => ({
          value: String(value),
          count,
        }));
      }
      out[`${t.name}.${c.name}`] = { ...base, alerts: alertsOf(c, base, t.rows) };
    }
  }
  return out;
}
