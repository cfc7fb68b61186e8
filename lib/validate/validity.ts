import pl from "nodejs-polars";
import { aggregateParts, collectParts, partsOf, type TableFrame } from "@lib/lake/mod.ts";
import { CONCURRENT_FILES } from "./completeness.ts";
import { failingRows } from "./_rows.ts";
import { check, notMeasured } from "./result.ts";
import type { Bound, ColumnRule } from "./rules.ts";
import { subject, usableRules } from "./schema.ts";
import { epochMs } from "./time.ts";
import type { CheckResult } from "./types.ts";

/** Options of {@linkcode checkValidity}. */
export interface CheckValidityOptions {
  /**
   * Expected values of derived columns as expressions over the others (e.g. `year` from `timestamp`); every row
   * must agree. @default {}
   */
  derived?: Record<string, pl.Expr>;
  /** Helper columns (aliased expressions) the `derived` expressions refer to, computed once. @default [] */
  prepare?: pl.Expr[];
  /**
   * Name-based rules for numeric columns no record schema bounds: names like `*_pct` within 0-100, counters
   * (`*_count`, `*_bytes`, `*_total`, ...) non-negative. Reported as warnings. @default true
   */
  heuristics?: boolean;
  /** The table name, for subjects. @default none */
  table?: string;
  /** The table's key columns, which key the failing rows a failed check records. @default none */
  key?: readonly string[];
  /**
   * The values of {@linkcode validityCountExprs} when a read shared with other checks already took them (a table
   * scanned file by file). @default counted here
   */
  counts?: Record<string, unknown>;
}

const PERCENT_NAME = /(^|_)(pct|percent|percentage)($|_)/i;
const COUNTER_NAME = /(^|_)(count|counts|total|bytes|requests|errors|packets|hits|rows|tickets)($|_)|^n_/i;
const NUMERIC = /^(Float|Int|UInt)/;

function boundText(min?: Bound, max?: Bound): string {
  const lo = min ? `${min.inclusive ? "[" : "("}${fmtBound(min.value)}` : "(-inf";
  const hi = max ? `${fmtBound(max.value)}${max.inclusive ? "]" : ")"}` : "inf)";
  return `in ${lo}, ${hi}`;
}

function fmtBound(v: number): string {
  return Math.abs(v) > 1e11 ? new Date(v).toISOString() : String(v);
}

/** Rust's regex syntax for a JavaScript pattern (flags `i`, `m`, `s` become inline flags). */
function rustPattern(re: RegExp): string {
  const flags = [...re.flags].filter((f) => "ims".includes(f)).join("");
  return flags ? `(?${flags})${re.source}` : re.source;
}

const BATCH = 4;

function outside(v: number, min?: Bound, max?: Bound): boolean {
  return (min !== undefined && (min.inclusive ? v < min.value : v <= min.value)) ||
    (max !== undefined && (max.inclusive ? v > max.value : v >= max.value));
}

function outsideExpr(value: pl.Expr, min?: Bound, max?: Bound): pl.Expr {
  let bad: pl.Expr = pl.lit(false);
  if (min) bad = bad.or(min.inclusive ? value.lt(min.value) : value.ltEq(min.value));
  if (max) bad = bad.or(max.inclusive ? value.gt(max.value) : value.gtEq(max.value));
  return bad;
}

/** A counting rule: its count, its result from the count, and the failing-row predicate and value columns. */
interface Counter {
  id: string;
  expr: pl.Expr;
  make: (n: number) => CheckResult;
  rows?: [pl.Expr, string[]];
  /** A range rule: its index among the ranged columns (in one pass, counted whatever its extremes). */
  range?: number;
}

/** The expressions of the counting rules, aliased `validity:<index>`: Int64 counts that add up across files. */
function countExprs(counters: readonly Counter[]): pl.Expr[] {
  return counters.map((k, i) => k.expr.cast(pl.Int64).alias(`validity:${i}`));
}

/** The counting rules of a table: ranges, enums, derived columns and the name heuristics, in reporting order. */
function counting(df: TableFrame, usable: readonly ColumnRule[], options: CheckValidityOptions): {
  counters: Counter[];
  ranged: { rule: ColumnRule; value: pl.Expr }[];
  strings: pl.Expr[];
  withHelpers?: (lf: pl.LazyDataFrame) => pl.LazyDataFrame;
} {
  const { derived = {}, prepare = [], heuristics = true, table } = options;
  const schema = df.schema as Record<string, pl.DataType>;
  const counters: Counter[] = [];
  const n = df.height.toLocaleString("en-US");
  const ranged = usable.filter((r) => r.min || r.max).map((rule) => {
    const value = /^Datetime|^Date/.test(rule.dtype) ? epochMs(rule.name, schema[rule.name]) : pl.col(rule.name);
    return { rule, value };
  }).filter((x): x is { rule: ColumnRule; value: pl.Expr } => x.value !== undefined);
  ranged.forEach(({ rule, value }, i) => {
    const sub = subject(rule.name, table);
    const bounds = boundText(rule.min, rule.max);
    const make = (bad: number) =>
      check({
        id: `validity.range:${sub}`,
        severity: "error",
        passed: bad === 0,
        measured: bad,
        threshold: bounds,
        message: bad === 0
          ? `All values of "${rule.name}" ${bounds}`
          : `${bad.toLocaleString("en-US")} of ${n} values of "${rule.name}" out of range ${bounds}`,
      });
    const valid = /^Float/.test(rule.dtype) ? pl.col(rule.name).isNotNan() : pl.lit(true);
    const bad = outsideExpr(value, rule.min, rule.max).and(valid);
    counters.push({ id: `validity.range:${sub}`, expr: bad.sum(), make, rows: [bad, [rule.name]], range: i });
  });
  for (const rule of usable) {
    const sub = subject(rule.name, table);
    if (rule.values && rule.dtype === "String") {
      const values = rule.values.map(String);
      const bad = pl.col(rule.name).isNotNull().and(pl.col(rule.name).cast(pl.String).isIn(values).not());
      counters.push({
        id: `validity.enum:${sub}`,
        expr: bad.sum(),
        rows: [bad, [rule.name]],
        make: (bad) =>
          check({
            id: `validity.enum:${sub}`,
            severity: "error",
            passed: bad === 0,
            measured: bad,
            threshold: `one of ${values.length} values`,
            message: bad === 0
              ? `All values of "${rule.name}" are one of ${values.join(", ")}`
              : `${bad.toLocaleString("en-US")} values of "${rule.name}" are not one of ${values.join(", ")}`,
          }),
      });
    }
  }
  const derivedCols = Object.entries(derived).filter(([c]) => schema[c] !== undefined);
  for (const [c, expr] of derivedCols) {
    const sub = subject(c, table);
    const bad = pl.col(c).neq(expr).fillNull(true).and(pl.col(c).isNotNull());
    counters.push({
      id: `validity.derived:${sub}`,
      expr: bad.sum(),
      rows: [bad, [c]],
      make: (bad) =>
        check({
          id: `validity.derived:${sub}`,
          severity: "error",
          passed: bad === 0,
          measured: bad,
          threshold: "= 0 disagreeing",
          message: bad === 0
            ? `"${c}" agrees with its recomputation in every row`
            : `${bad.toLocaleString("en-US")} of ${n} rows of "${c}" disagree with its recomputation`,
        }),
    });
  }
  if (heuristics) {
    const bounded = new Set(usable.filter((r) => r.min || r.max || r.values).map((r) => r.name));
    for (const c of df.columns) {
      const dt = String(schema[c]).replace(/^DataType\((.*)\)$/, "$1");
      if (bounded.has(c) || !NUMERIC.test(dt)) continue;
      const sub = subject(c, table);
      if (PERCENT_NAME.test(c)) {
        counters.push({
          id: `validity.percent:${sub}`,
          expr: pl.col(c).lt(0).or(pl.col(c).gt(100)).sum(),
          rows: [pl.col(c).lt(0).or(pl.col(c).gt(100)), [c]],
          make: (bad) =>
            check({
              id: `validity.percent:${sub}`,
              severity: "warning",
              passed: bad === 0,
              measured: bad,
              threshold: "in [0, 100]",
              message: bad === 0
                ? `"${c}" is a percentage within 0-100`
                : `${bad.toLocaleString("en-US")} values of the percentage "${c}" lie outside 0-100`,
            }),
        });
      } else if (COUNTER_NAME.test(c)) {
        counters.push({
          id: `validity.non_negative:${sub}`,
          expr: pl.col(c).lt(0).sum(),
          rows: [pl.col(c).lt(0), [c]],
          make: (bad) =>
            check({
              id: `validity.non_negative:${sub}`,
              severity: "warning",
              passed: bad === 0,
              measured: bad,
              threshold: ">= 0",
              message: bad === 0
                ? `The counter "${c}" is never negative`
                : `${bad.toLocaleString("en-US")} negative values of the counter "${c}"`,
            }),
        });
      }
    }
  }
  const withHelpers = prepare.length > 0 && derivedCols.length > 0
    ? (lf: pl.LazyDataFrame) => lf.withColumns(...prepare)
    : undefined;
  return { counters, ranged, strings: stringCountExprs(usable), ...(withHelpers ? { withHelpers } : {}) };
}

/** The string rules of a table: patterns and lengths of its String columns. */
function stringRuled(usable: readonly ColumnRule[]): ColumnRule[] {
  return usable.filter((rule) =>
    rule.dtype === "String" &&
    (rule.patterns?.length || rule.minLength !== undefined || rule.maxLength !== undefined)
  );
}

/** A string column's length off its rule's bounds. */
function badLength(rule: ColumnRule, value: pl.Expr = pl.col(rule.name)): pl.Expr {
  const len = value.str.lengths();
  let bad: pl.Expr = pl.lit(false);
  if (rule.minLength !== undefined) bad = bad.or(len.lt(rule.minLength));
  if (rule.maxLength !== undefined) bad = bad.or(len.gt(rule.maxLength));
  return bad;
}

/**
 * The values breaking each string rule, counted row by row (`validity:pattern:<column>:<index>`,
 * `validity:length:<column>`), for a scanned table's one read: a rule no value breaks is then reported without
 * reading its column again; one that some value breaks reads its distinct values for an example, as before.
 */
function stringCountExprs(usable: readonly ColumnRule[]): pl.Expr[] {
  return stringRuled(usable).flatMap((rule) => {
    const value = pl.col(rule.name).cast(pl.String);
    return [
      ...(rule.patterns ?? []).map((re, j) =>
        value.str.contains(rustPattern(re)).not().sum().cast(pl.Int64).alias(`validity:pattern:${rule.name}:${j}`)
      ),
      ...(rule.minLength !== undefined || rule.maxLength !== undefined
        ? [badLength(rule, value).and(value.isNotNull()).sum().cast(pl.Int64).alias(`validity:length:${rule.name}`)]
        : []),
    ];
  });
}

/**
 * The counts {@linkcode checkValidity} takes of a table scanned file by file, for a read of each file shared with
 * other checks: aggregate expressions to add up across files, and the helper columns to add to each file first.
 * Their values, given back as `counts`, stand for the read `checkValidity` would make.
 * @param df the table (scanned, of several files)
 * @param rules the column rules
 * @param options derived columns, heuristics, as for `checkValidity`
 * @returns the expressions and the per-file preparation
 */
export function validityCountExprs(
  df: TableFrame,
  rules: readonly ColumnRule[],
  options: CheckValidityOptions = {},
): { exprs: pl.Expr[]; prepare?: (lf: pl.LazyDataFrame) => pl.LazyDataFrame } {
  const { counters, strings, withHelpers } = counting(df, usableRules(df, rules), options);
  return { exprs: [...countExprs(counters), ...strings], ...(withHelpers ? { prepare: withHelpers } : {}) };
}

/**
 * Validity checks, all as Polars expressions: values within the schema's bounds, enum membership, string patterns
 * and lengths, derived columns equal to their recomputation, and (by name) percentages within 0-100 and
 * non-negative counters.
 *
 * @param df the table
 * @param rules the column rules (only columns present with the declared dtype are checked)
 * @param options derived columns, heuristics, table name
 * @returns `validity.range:`, `validity.enum:`, `validity.pattern:`, `validity.length:`, `validity.derived:`,
 *   `validity.percent:`, `validity.non_negative:` results, per column
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { z } from "zod";
 * import { checkValidity, columnRules } from "@lib/validate/mod.ts";
 * const df = pl.DataFrame({ cpu: [50, 120] });
 * checkValidity(df, columnRules(z.object({ cpu: z.number().min(0).max(100) })))[0].measured; // 1
 * ```
 */
export function checkValidity(
  df: TableFrame,
  rules: readonly ColumnRule[],
  options: CheckValidityOptions = {},
): CheckResult[] {
  const { prepare = [], table, key = [] } = options;
  const usable = usableRules(df, rules);
  const { counters: all, ranged, strings, withHelpers } = counting(df, usable, options);
  const immediate: CheckResult[] = [];
  // A table scanned file by file holds one file's temporaries at a time: every count is then taken in one pass over
  // its files (ranges counted outright, not after their extremes), where one pass per few rules re-read every file
  // (on 100 M hourly capacity rows, four passes).
  const onePass = partsOf(df).length > 1;
  let counters = all;
  if (!onePass) {
    // Ranges: the smallest and largest value first (one cheap pass); rows are counted only for a column whose
    // extremes break a bound. NaN and nulls are left to the completeness checks (min and max skip them too).
    const extremes = ranged.length > 0 && df.height > 0
      ? aggregateParts(
        df,
        ranged.flatMap(({ value }, i) => [
          value.min().cast(pl.Float64).alias(`lo${i}`),
          value.max().cast(pl.Float64).alias(`hi${i}`),
        ]),
        { combine: (c) => c.startsWith("lo") ? "min" : "max", concurrent: CONCURRENT_FILES },
      ).toRecords()[0]
      : {};
    counters = all.filter((k) => {
      if (k.range === undefined) return true;
      const { rule } = ranged[k.range];
      const lo = extremes[`lo${k.range}`], hi = extremes[`hi${k.range}`];
      const inside = (x: unknown) => x === null || x === undefined || !outside(Number(x), rule.min, rule.max);
      if (!(inside(lo) && inside(hi))) return true;
      immediate.push(k.make(0));
      return false;
    });
  }
  const out: CheckResult[] = [];
  /** The counts of `counters`, when taken in one pass. */
  const counted: number[] = [];
  /** The string rules' counts, when taken in that pass. */
  let stringCounts: Record<string, unknown> | undefined = options.counts;
  if (onePass && counters.length > 0) {
    const take = (exprs: pl.Expr[]) =>
      aggregateParts(df, exprs, { prepare: withHelpers, concurrent: CONCURRENT_FILES }).toRecords()[0];
    let row = options.counts;
    if (row === undefined && strings.length > 0) {
      // A pattern Polars cannot compile fails the pass: then counted without the strings, which say so below.
      try {
        row = stringCounts = take([...countExprs(counters), ...strings]);
      } catch {
        row = undefined;
      }
    }
    row ??= take(countExprs(counters));
    const totals = counters.map((_, i) => Number(row[`validity:${i}`] ?? 0));
    // As with extremes first: a range no value breaks is reported before the counted rules.
    const kept = counters.map((k, i) => ({ k, total: totals[i] })).filter(({ k, total }) => {
      if (k.range !== undefined && total === 0) immediate.push(k.make(0));
      return !(k.range !== undefined && total === 0);
    });
    counters = kept.map(({ k }) => k);
    counted.push(...kept.map(({ total }) => total));
  }
  out.push(...immediate);
  if (counters.length > 0) {
    // In memory, a few counting rules per pass: each holds full-length temporaries while it runs, so all at once
    // would multiply the memory a large table needs.
    for (let start = 0; start < counters.length; start += BATCH) {
      const batch = counters.slice(start, start + BATCH);
      const row = counted.length > 0 ? {} : aggregateParts(
        df,
        batch.map((k, i) => k.expr.cast(pl.Int64).alias(`k${i}`)),
        { prepare: withHelpers },
      ).toRecords()[0];
      batch.forEach((k, i) => {
        const total = counted.length > 0 ? counted[start + i] : Number(row[`k${i}`] ?? 0);
        const result = k.make(total);
        // Up to 200 failing rows, keyed, with the offending values (a filter and a head, never every row).
        const rows = k.rows && total > 0
          ? failingRows(df, k.rows[0], { key, columns: k.rows[1], total, prepare })
          : undefined;
        out.push(rows ? { ...result, failing_rows: rows } : result);
      });
    }
  }
  for (const rule of stringRuled(usable)) out.push(...stringRules(df, rule, { table, counts: stringCounts }));
  return out;
}

/**
 * Patterns and lengths, tested on the distinct values with their counts (few for ids and names); a rule the counts
 * of {@linkcode stringCountExprs} show no value breaks is reported from them.
 */
function stringRules(
  df: TableFrame,
  rule: ColumnRule,
  o: { table?: string; counts?: Record<string, unknown> },
): CheckResult[] {
  const sub = subject(rule.name, o.table);
  const counted = (key: string): number | undefined => {
    const v = o.counts?.[key];
    return v === undefined || v === null ? undefined : Number(v);
  };
  // Distinct values and their counts, file by file, then summed; read only when needed.
  let memo: pl.LazyDataFrame | undefined;
  const distinct = () =>
    memo ??= collectParts(
      df,
      (part) =>
        part.select(pl.col(rule.name).cast(pl.String)).filter(pl.col(rule.name).isNotNull())
          .groupBy(rule.name).agg(pl.len().cast(pl.Int64).alias("__n")),
    ).lazy()
      .groupBy(rule.name).agg(pl.col("__n").sum().alias("__n"));
  const out: CheckResult[] = [];
  (rule.patterns ?? []).forEach((re, j) => {
    const id = `validity.pattern:${sub}`;
    let count = 0, example = "";
    if (counted(`validity:pattern:${rule.name}:${j}`) !== 0) {
      let bad: pl.DataFrame;
      try {
        bad = distinct().filter(pl.col(rule.name).str.contains(rustPattern(re)).not()).collectSync();
      } catch {
        out.push(notMeasured(id, `pattern ${re} is not valid Rust regex syntax`));
        return;
      }
      count = Number(bad.getColumn("__n").sum() ?? 0);
      example = bad.height > 0 ? String(bad.getColumn(rule.name).get(0)) : "";
    }
    out.push(check({
      id,
      severity: "error",
      passed: count === 0,
      measured: count,
      threshold: `matches ${re.source}`,
      message: count === 0
        ? `All values of "${rule.name}" match ${re.source}`
        : `${count.toLocaleString("en-US")} values of "${rule.name}" do not match ${re.source}, e.g. ${
          JSON.stringify(example.slice(0, 40))
        }`,
    }));
  });
  if (rule.minLength !== undefined || rule.maxLength !== undefined) {
    const count = counted(`validity:length:${rule.name}`) === 0 ? 0 : Number(
      distinct().filter(badLength(rule)).select(pl.col("__n").sum()).collectSync().getColumn("__n").get(0) ?? 0,
    );
    const range = `${rule.minLength ?? 0}..${rule.maxLength ?? "∞"} characters`;
    out.push(check({
      id: `validity.length:${sub}`,
      severity: "error",
      passed: count === 0,
      measured: count,
      threshold: range,
      message: count === 0
        ? `Every value of "${rule.name}" has ${range}`
        : `${count.toLocaleString("en-US")} values of "${rule.name}" are not ${range} long`,
    }));
  }
  return out;
}
