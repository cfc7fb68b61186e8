import pl from "nodejs-polars";
import { aggregateParts, type TableFrame } from "@lib/lake/mod.ts";
import { failingRows } from "./_rows.ts";
import { check, notMeasured } from "./result.ts";
import type { ColumnRule } from "./rules.ts";
import { subject } from "./schema.ts";
import {
  countGaps,
  formatDuration,
  irregularSteps,
  perEntity,
  type TimeIndex,
  timeIndex,
  type TimeSpec,
} from "./time.ts";
import type { CheckResult } from "./types.ts";

/**
 * Files of a scanned table counted at once: counts combine exactly in any batches, and four files read together
 * took a third of the time of one at a time (null counts of 100 M rows in 104 files, 2 cores), for about 150 MB.
 */
export const CONCURRENT_FILES = 4;

/** Options of {@linkcode checkCompleteness}. */
export interface CheckCompletenessOptions {
  /** The row count the manifest records; checked when given. @default none */
  expectedRows?: number;
  /** Largest null share of a nullable column. @default 1 (any) */
  maxNullRate?: number;
  /** Largest null share per column, overriding `maxNullRate` and the rules. @default {} */
  nullRates?: Record<string, number>;
  /** The time axis, for gaps in expected timestamps per entity. @default none */
  time?: TimeSpec;
  /** A prebuilt {@linkcode timeIndex} for `time`. @default built here */
  index?: TimeIndex;
  /** Largest share of expected timestamps that may be missing. @default 0 */
  maxGapShare?: number;
  /** Severity of gaps. @default "error" */
  gapSeverity?: "error" | "warning";
  /** The table name, for subjects. @default none */
  table?: string;
  /** The table's key columns, which key the failing rows a failed null check records. @default none */
  key?: readonly string[];
  /**
   * The values of {@linkcode nullCountExprs} when a read shared with other checks already took them (a scanned
   * table's files are then read once for both). @default counted here
   */
  counts?: Record<string, unknown>;
}

function isFloatColumn(schema: Record<string, pl.DataType>, c: string): boolean {
  return /^Float/.test(String(schema[c]).replace(/^DataType\((.*)\)$/, "$1"));
}

/**
 * The null counts of every column and the NaN counts of float columns, as aliased Int64 aggregates (`n:<column>`,
 * `nan:<column>`) that add up across files: what {@linkcode checkCompleteness} measures null rates on.
 * @param df the table
 * @returns the expressions
 */
export function nullCountExprs(df: TableFrame): pl.Expr[] {
  const schema = df.schema as Record<string, pl.DataType>;
  const columns = df.columns;
  return [
    ...columns.map((c) => pl.col(c).nullCount().cast(pl.Int64).alias(`n:${c}`)),
    ...columns.filter((c) => isFloatColumn(schema, c)).map((c) =>
      pl.col(c).isNan().sum().cast(pl.Int64).alias(`nan:${c}`)
    ),
  ];
}

/**
 * Completeness checks: the row count against the manifest, the share of missing values (null, and NaN in float
 * columns) per column against its threshold (0 for required columns), and timestamps missing inside each
 * entity's span at the expected cadence.
 *
 * @param df the table
 * @param rules the column rules; columns without a rule are measured against `maxNullRate`
 * @param options thresholds, the time axis and the expected row count
 * @returns `completeness.rows`, `completeness.null_rate:<column>` per column, `completeness.gaps`
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { checkCompleteness } from "@lib/validate/mod.ts";
 * const df = pl.DataFrame({ x: [1, null, 3] });
 * const [r] = checkCompleteness(df, [{ name: "x", dtype: "Float64", required: true, nullable: false, freeText: false }]);
 * r.measured; // 0.3333333333333333
 * ```
 */
export function checkCompleteness(
  df: TableFrame,
  rules: readonly ColumnRule[],
  options: CheckCompletenessOptions = {},
): CheckResult[] {
  const { expectedRows, maxNullRate = 1, nullRates = {}, table, maxGapShare = 0, gapSeverity = "error" } = options;
  const out: CheckResult[] = [];
  if (expectedRows !== undefined) {
    out.push(check({
      id: `completeness.rows${table ? `:${table}` : ""}`,
      severity: "error",
      passed: df.height === expectedRows,
      measured: df.height,
      threshold: `= ${expectedRows.toLocaleString("en-US")} (manifest)`,
      message: df.height === expectedRows
        ? `${df.height.toLocaleString("en-US")} rows, as the manifest records`
        : `${df.height.toLocaleString("en-US")} rows, the manifest records ${expectedRows.toLocaleString("en-US")}`,
    }));
  }
  const schema = df.schema as Record<string, pl.DataType>;
  const byName = new Map(rules.map((r) => [r.name, r]));
  const columns = df.columns;
  if (columns.length > 0) {
    const isFloat = (c: string) => isFloatColumn(schema, c);
    const counts = options.counts ??
      aggregateParts(df, nullCountExprs(df), { concurrent: CONCURRENT_FILES }).toRecords()[0] ?? {};
    for (const c of columns) {
      const nulls = Number(counts[`n:${c}`] ?? 0), nans = Number(counts[`nan:${c}`] ?? 0);
      const rate = df.height > 0 ? (nulls + nans) / df.height : 0;
      const rule = byName.get(c);
      const limit = nullRates[c] ?? (rule && !rule.nullable ? 0 : maxNullRate);
      const what = nans > 0
        ? `${nulls.toLocaleString("en-US")} nulls and ${nans.toLocaleString("en-US")} NaN`
        : `${nulls.toLocaleString("en-US")} nulls`;
      const passed = rate <= limit;
      // Up to 200 rows missing the value, keyed (a filter and a head over the parts).
      const missing = isFloat(c) ? pl.col(c).isNull().or(pl.col(c).isNan()) : pl.col(c).isNull();
      const rows = passed
        ? undefined
        : failingRows(df, missing, { key: options.key ?? [], columns: [c], total: nulls + nans });
      out.push(check({
        id: `completeness.null_rate:${subject(c, table)}`,
        severity: rule && !rule.nullable ? "error" : "warning",
        passed,
        measured: rate,
        threshold: `<= ${limit}`,
        message: `${what} in ${df.height.toLocaleString("en-US")} rows of "${c}"${
          rate > limit ? (limit === 0 ? ", a required column" : `, above ${limit}`) : ""
        }`,
        ...(rows ? { failing_rows: rows } : {}),
      }));
    }
  }
  if (options.time) out.push(...gaps(df, options.time, { ...options, maxGapShare, gapSeverity }));
  return out;
}

function gaps(
  df: TableFrame,
  time: TimeSpec,
  o: CheckCompletenessOptions & { maxGapShare: number; gapSeverity: "error" | "warning" },
): CheckResult[] {
  const id = `completeness.gaps${o.table ? `:${o.table}` : ""}`;
  const index = o.index ?? timeIndex(df, time);
  if (index === undefined) return [notMeasured(id, `no usable timestamp column "${time.column}"`)];
  const cadence = time.cadenceMs ?? index.modalStepMs;
  if (cadence === null || cadence === undefined || cadence <= 0) {
    return [notMeasured(id, "fewer than two timestamps per entity")];
  }
  const { missing, expected, ragged } = countGaps(index, cadence);
  const share = expected > 0 ? missing / expected : 0;
  let worst = "";
  if (missing > 0 && time.entity) {
    const top = perEntity(index, (part) =>
      part.filter(pl.col("step").gt(cadence)).groupBy("e").agg(pl.col("step").div(cadence).sub(1).sum().alias("m")))
      .sort(["m", "e"], [true, false]).head(1).toRecords()[0];
    if (top) {
      worst = `; most in ${time.entity} ${top.e} (${Math.round(Number(top.m))})`;
    }
  }
  const passed = share <= o.maxGapShare;
  // Up to 200 gaps: the timestamp after each, its entity, the one before and the step.
  const rows = passed ? undefined : irregularSteps(index, {
    cadence,
    total: Number(
      perEntity(index, (part) => part.filter(pl.col("step").gt(cadence)).select(pl.len().alias("n"))).getColumn("n")
        .sum(),
    ),
    column: time.column,
    ...(time.entity !== undefined ? { entity: time.entity } : {}),
    gapsOnly: true,
  });
  return [check({
    id,
    severity: o.gapSeverity,
    passed,
    measured: missing,
    threshold: o.maxGapShare === 0 ? "= 0 missing" : `<= ${o.maxGapShare} of expected`,
    message: missing === 0
      ? `No missing timestamps at the ${formatDuration(cadence)} cadence within any ${time.entity ?? "series"}`
      : `${missing.toLocaleString("en-US")} of ${expected.toLocaleString("en-US")} expected timestamps missing at ${
        formatDuration(cadence)
      } (${(100 * share).toFixed(3)}%)${ragged > 0 ? `, ${ragged} steps off the cadence grid` : ""}${worst}`,
    ...(rows ? { failing_rows: rows } : {}),
  })];
}
