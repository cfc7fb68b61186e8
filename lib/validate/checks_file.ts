/**
 * Checks files: a gate for any Parquet or CSV file (or dataset) written as data, not code. A checks file lists
 * per column its type, range, allowed values and null-rate levels (`warn` above one, `error` above another), the
 * key columns, the time column with its entity and cadence, and warn/error levels for any check by id. It compiles
 * into the engine's own rules ({@linkcode checksKind}: column rules, key, time axis), and its levels are applied to
 * the measured values afterwards ({@linkcode applyLevels}), so there is one engine, not two. `deno task validate
 * --suggest` writes one from what a file shows ({@linkcode suggestChecks}).
 * @module
 */
import pl from "nodejs-polars";
import { z } from "zod";
import type { TableFrame } from "@lib/lake/mod.ts";
import type { KindSpec, TableSpec } from "./registry.ts";
import type { ColumnRule } from "./rules.ts";
import { dtypeName } from "@lib/lake/mod.ts";
import { check } from "./result.ts";
import { epochMs } from "./time.ts";
import type { CheckResult } from "./types.ts";

/** Warn above one level, fail above another. */
const Levels = z.strictObject({
  warn: z.number().min(0).optional().describe("A warning when the measured value is above this"),
  error: z.number().min(0).optional().describe("An error when the measured value is above this"),
}).refine((l) => l.warn === undefined || l.error === undefined || l.warn <= l.error, {
  message: "warn must not be above error",
  path: ["warn"],
}).describe("Severity levels on a check's measured value: warn above one, error above another");

/** One column's rules. */
const ColumnChecks = z.strictObject({
  type: z.enum([
    "Float64",
    "Float32",
    "Int64",
    "Int32",
    "Int16",
    "Int8",
    "UInt32",
    "UInt64",
    "Bool",
    "String",
    "Datetime",
    "Date",
  ]).optional().describe(
    "The column's type (its family: any integer width, any float width, any Datetime unit matches)",
  ),
  required: z.boolean().default(true).describe("The column must be present"),
  min: z.union([z.number(), z.string()]).optional().describe(
    "Smallest value allowed (numbers; dates and times as ISO 8601)",
  ),
  max: z.union([z.number(), z.string()]).optional().describe(
    "Largest value allowed (numbers; dates and times as ISO 8601)",
  ),
  values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1).optional().describe(
    "The values allowed (an enum); nulls are judged by `nulls`",
  ),
  nulls: Levels.optional().describe("Share of null (or NaN) values: warn above one level, error above another"),
}).describe("Rules of one column");

/** The checks file. */
export const ChecksFile = z.strictObject({
  $schema: z.string().optional().describe("JSON Schema of this file, for editors"),
  version: z.literal(1).default(1).describe("Format version of the checks file"),
  columns: z.record(z.string(), ColumnChecks).default({}).describe("Rules per column, by column name"),
  key: z.array(z.string()).min(1).optional().describe("Columns unique together (the table's key), never null"),
  time: z.strictObject({
    column: z.string().describe("The timestamp column"),
    entity: z.string().optional().describe("The entity column: order and cadence are per entity"),
    cadence: z.string().regex(/^\d+(ms|s|m|h|d)$/, "must be a duration like 5m, 1h or 1d").optional().describe(
      "The expected step between an entity's timestamps, e.g. 5m, 1h, 1d (default the most common step)",
    ),
  }).optional().describe("The time axis"),
  checks: z.record(z.string(), Levels).default({}).describe(
    "Levels for checks by id (e.g. completeness.null_rate:cpu), applied to their measured value",
  ),
}).describe("Checks of a Parquet or CSV file or a dataset, for `deno task validate --checks`");

/** A parsed checks file. */
export type ChecksFile = z.output<typeof ChecksFile>;

const DURATION: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function durationMs(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text)!;
  return Number(m[1]) * DURATION[m[2]];
}

function dtypeOf(type: string | undefined, actual: string | undefined): string {
  if (type === undefined) return actual ?? "String";
  if (type === "Datetime") return actual?.startsWith("Datetime") ? actual : "Datetime(ms,UTC)";
  // The family: a CSV read back may widen integers; the checks file names the family.
  if (actual !== undefined && family(actual) === family(type)) return actual;
  return type;
}

function family(dtype: string): string {
  if (dtype.startsWith("Datetime")) return "Datetime";
  if (/^U?Int\d+$/.test(dtype)) return "Int";
  if (/^Float\d+$/.test(dtype)) return "Float";
  return dtype;
}

function bound(v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  return typeof v === "number" ? v : Date.parse(v);
}

/**
 * The table spec a checks file compiles to: column rules (type, presence, range, values; nullable unless its
 * `nulls.error` is 0), the key, and the time axis with its cadence.
 * @param file the checks file
 * @param df the table (for the dtypes a type family resolves to)
 * @returns the spec
 */
export function checksTableSpec(file: ChecksFile, df: TableFrame): TableSpec {
  const schema = Object.fromEntries(Object.entries(df.schema).map(([c, t]) => [c, dtypeName(t as pl.DataType)]));
  const rules: ColumnRule[] = Object.entries(file.columns).map(([name, c]) => {
    const min = bound(c.min), max = bound(c.max);
    const dtype = dtypeOf(c.type, schema[name]);
    return {
      name,
      dtype,
      required: c.required,
      nullable: c.nulls?.error !== 0,
      ...(min !== undefined ? { min: { value: min, inclusive: true } } : {}),
      ...(max !== undefined ? { max: { value: max, inclusive: true } } : {}),
      ...(c.values ? { values: c.values } : {}),
      freeText: dtype === "String" && c.values === undefined,
    };
  });
  const time = file.time
    ? {
      column: file.time.column,
      ...(file.time.entity !== undefined ? { entity: file.time.entity } : {}),
      ...(file.time.cadence !== undefined ? { cadenceMs: durationMs(file.time.cadence) } : {}),
    }
    : undefined;
  return {
    rules,
    // The lower level makes the engine fail the null check (and record the rows); the levels then set its severity.
    nullRates: Object.fromEntries(
      Object.entries(file.columns).map(([c, r]) => [c, r.nulls?.warn ?? r.nulls?.error ?? 1]),
    ),
    ...(file.key ? { key: file.key } : {}),
    ...(time ? { time } : {}),
  };
}

/**
 * A kind whose every table is checked by the checks file: what `validate --checks` runs on a file opslab never
 * made (a dataset of a registered kind keeps its own checks and takes the file's levels only).
 * @param file the checks file
 * @param options the kind's name
 * @returns the kind spec
 */
export function checksKind(file: ChecksFile, options: { kind?: string } = {}): KindSpec {
  return {
    kind: options.kind ?? "checks",
    description: "a file checked by a checks file",
    primary: "data",
    tables: (ctx) => Object.fromEntries(Object.entries(ctx.tables).map(([n, t]) => [n, checksTableSpec(file, t)])),
  };
}

/** The levels a file sets, by check id: its `checks`, and each column's `nulls` on its null-rate check. */
function levelsById(file: ChecksFile, tables: readonly string[]): Map<string, { warn?: number; error?: number }> {
  const out = new Map<string, { warn?: number; error?: number }>(Object.entries(file.checks));
  for (const [c, rules] of Object.entries(file.columns)) {
    if (rules.nulls === undefined) continue;
    out.set(`completeness.null_rate:${c}`, rules.nulls);
    for (const t of tables) out.set(`completeness.null_rate:${t}.${c}`, rules.nulls);
  }
  return out;
}

/**
 * Applies a checks file's levels to results: a check with levels passes at or below `warn`, is a failed warning
 * above it and a failed error above `error` (only one level given: that one decides, at its severity). Checks
 * without levels are left as they are.
 * @param results the results
 * @param options the checks file and the dataset's table names (for prefixed ids)
 * @returns the results with levels applied
 */
export function applyLevels(
  results: readonly CheckResult[],
  options: { file: ChecksFile; tables?: readonly string[] },
): CheckResult[] {
  const levels = levelsById(options.file, options.tables ?? []);
  return results.map((r) => {
    const l = levels.get(r.id);
    if (l === undefined || typeof r.measured !== "number") return r;
    const m = r.measured;
    const overError = l.error !== undefined && m > l.error;
    const overWarn = l.warn !== undefined && m > l.warn;
    const threshold = [
      l.warn !== undefined ? `warn > ${l.warn}` : "",
      l.error !== undefined ? `error > ${l.error}` : "",
    ]
      .filter(Boolean).join(", ");
    return check({
      ...r,
      severity: overError ? "error" : overWarn ? "warning" : l.error !== undefined ? "error" : "warning",
      passed: !overError && !overWarn,
      threshold: `${threshold} (checks file)`,
    });
  });
}

/** Options of {@linkcode suggestChecks}. */
export interface SuggestChecksOptions {
  /** Share of a numeric column's range added below and above. @default 0.1 */
  margin?: number;
  /** A string column with at most this many distinct values becomes an enum. @default 20 */
  maxEnum?: number;
}

/**
 * A checks file from what a table shows: each column's type, a range with a margin, its null share (warn just
 * above what is seen, error well above), enums for strings with few values, the first unique column or pair as the
 * key, and the time axis (the first date/time column, an entity column that makes (entity, time) unique, and its
 * most common step).
 * @param df the table
 * @param options margin and enum size
 * @returns the checks file
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { suggestChecks } from "@lib/validate/checks_file.ts";
 * const df = pl.DataFrame({
 *   id: [1, 2, 3, 4, 5, 6],
 *   level: ["low", "high", "low", "low", "high", "low"],
 *   x: [0.5, null, 1.5, 1, 1, 1],
 * });
 * const file = suggestChecks(df);
 * assert.deepEqual(file.key, ["id"]);
 * assert.deepEqual(file.columns.level.values, ["high", "low"]);
 * assert.equal(file.columns.x.min, 0.4); // 0.5 less 10 % of the range
 * assert.deepEqual(file.columns.x.nulls, { warn: 0.25, error: 0.51 }); // 1 of 6 seen
 * ```
 */
export function suggestChecks(df: TableFrame, options: SuggestChecksOptions = {}): ChecksFile {
  const { margin = 0.1, maxEnum = 20 } = options;
  const schema = df.schema as Record<string, pl.DataType>;
  const names = df.columns;
  const kinds = Object.fromEntries(names.map((c) => [c, family(dtypeName(schema[c]))]));
  const numeric = names.filter((c) => kinds[c] === "Int" || kinds[c] === "Float");
  const times = names.filter((c) => epochMs(c, schema[c]) !== undefined);
  const strings = names.filter((c) => kinds[c] === "String");
  const lf = df.lazy();
  const stats = lf.select(
    pl.len().alias("__rows"),
    ...names.map((c) => pl.col(c).nullCount().alias(`n:${c}`)),
    ...names.map((c) => pl.col(c).nUnique().alias(`u:${c}`)),
    ...numeric.map((c) => pl.col(c).min().cast(pl.Float64).alias(`min:${c}`)),
    ...numeric.map((c) => pl.col(c).max().cast(pl.Float64).alias(`max:${c}`)),
    ...times.map((c) => epochMs(c, schema[c])!.min().alias(`min:${c}`)),
    ...times.map((c) => epochMs(c, schema[c])!.max().alias(`max:${c}`)),
  ).collectSync().toRecords()[0] as Record<string, number | bigint | null>;
  const rows = Number(stats.__rows);
  const num = (k: string) => stats[k] === null || stats[k] === undefined ? undefined : Number(stats[k]);
  const round = (x: number) => Number(x.toPrecision(6));
  const columns: ChecksFile["columns"] = {};
  for (const c of names) {
    const nullShare = rows > 0 ? Number(stats[`n:${c}`]) / rows : 0;
    const dtype = dtypeName(schema[c]);
    const rule: ChecksFile["columns"][string] = {
      type: (dtype.startsWith("Datetime") ? "Datetime" : dtype) as NonNullable<ChecksFile["columns"][string]["type"]>,
      required: true,
      nulls: nullShare === 0
        ? { error: 0 }
        : { warn: round(Math.min(1, nullShare * 1.5)), error: round(Math.min(1, nullShare * 3 + 0.01)) },
    };
    if (numeric.includes(c)) {
      const lo = num(`min:${c}`), hi = num(`max:${c}`);
      if (lo !== undefined && hi !== undefined) {
        const pad = (hi - lo) * margin;
        rule.min = round(lo >= 0 && lo - pad < 0 ? 0 : lo - pad);
        rule.max = round(hi + pad);
      }
    } else if (times.includes(c)) {
      const lo = num(`min:${c}`), hi = num(`max:${c}`);
      if (lo !== undefined && hi !== undefined) {
        rule.min = new Date(lo).toISOString();
        rule.max = new Date(hi).toISOString();
      }
    } else if (strings.includes(c)) {
      const distinct = Number(stats[`u:${c}`]);
      if (distinct <= maxEnum && distinct < Math.max(2, rows / 2)) {
        const values = lf.select(pl.col(c)).unique().dropNulls().sort(c).collectSync().getColumn(c)
          .toArray() as string[];
        rule.values = values;
      }
    }
    if (!["Int", "Float", "Datetime", "Date", "String", "Bool"].includes(kinds[c]) && !dtype.startsWith("Datetime")) {
      delete rule.type;
    }
    columns[c] = rule;
  }
  // Key: the first column, then the first pair, unique and never null.
  const unique = (cols: string[]) =>
    cols.every((c) => Number(stats[`n:${c}`]) === 0) &&
    Number(
        lf.select(cols.map((c) => pl.col(c))).unique().select(pl.len().alias("n")).collectSync().getColumn("n")
          .get(0),
      ) === rows;
  let key: string[] | undefined;
  const candidates = names.filter((c) => Number(stats[`u:${c}`]) === rows && Number(stats[`n:${c}`]) === 0);
  if (candidates.length > 0) key = [candidates[0]];
  const time = times[0];
  let entity: string | undefined;
  if (time !== undefined) {
    entity = strings.find((e) => Number(stats[`u:${e}`]) > 1 && unique([e, time]));
    if (key === undefined && (entity !== undefined ? true : unique([time]))) key = entity ? [entity, time] : [time];
  }
  if (key === undefined) {
    for (let i = 0; i < Math.min(names.length, 8) && key === undefined; i++) {
      for (let j = i + 1; j < Math.min(names.length, 8) && key === undefined; j++) {
        if (unique([names[i], names[j]])) key = [names[i], names[j]];
      }
    }
  }
  let cadence: string | undefined;
  if (time !== undefined) {
    const t = epochMs(time, schema[time])!;
    const steps = lf.select(
      ...(entity ? [pl.col(entity).alias("e")] : [pl.lit(0).alias("e")]),
      t.alias("t"),
    ).sort(["e", "t"]).select(pl.col("t").diff(1, "ignore").over("e").alias("step")).filter(pl.col("step").gt(0))
      .groupBy("step").agg(pl.len().alias("n")).sort(["n", "step"], [true, false]).limit(1).collectSync();
    const step = steps.height > 0 ? Number(steps.getColumn("step").get(0)) : undefined;
    if (step !== undefined) {
      const unit = [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000]].find(([, ms]) =>
        step % (ms as number) === 0
      );
      cadence = unit ? `${step / (unit[1] as number)}${unit[0]}` : `${step}ms`;
    }
  }
  return {
    version: 1,
    columns,
    ...(key ? { key } : {}),
    ...(time !== undefined
      ? { time: { column: time, ...(entity ? { entity } : {}), ...(cadence ? { cadence } : {}) } }
      : {}),
    checks: {},
  };
}
