import type pl from "nodejs-polars";
import type { TableFrame } from "@lib/lake/mod.ts";
import { dtypeName } from "@lib/lake/mod.ts";
import { check } from "./result.ts";
import type { ColumnRule } from "./rules.ts";
import type { CheckResult } from "./types.ts";

/** Options of {@linkcode checkSchema}. */
export interface CheckSchemaOptions {
  /** The table name, prefixed to subjects when given (`schema.dtype:events.start`). @default none */
  table?: string;
  /** Severity of columns the schema does not declare. @default "warning" */
  unexpectedSeverity?: "error" | "warning" | "info";
}

/** Dtypes that hold strings in another encoding: a column declared String may be stored as one of these. */
const STRING_ENCODINGS = new Set(["String", "Categorical", "Enum"]);

/**
 * Whether a dtype found satisfies the dtype declared: equal names, or a string column stored categorically.
 * @param actual the dtype name found
 * @param expected the dtype name declared
 * @returns true when it does
 */
export function dtypeMatches(actual: string, expected: string): boolean {
  return actual === expected || (expected === "String" && STRING_ENCODINGS.has(actual.replace(/\(.*$/, "")));
}

/** A column subject, prefixed with its table when there is one. */
export function subject(column: string, table?: string): string {
  return table ? `${table}.${column}` : column;
}

/**
 * Schema checks: required columns present (error), each present column of the declared dtype (error), and no
 * columns the schema does not declare (warning).
 *
 * @param df the table
 * @param rules the column rules (from {@linkcode columnRules} or {@linkcode rulesFromDtypes})
 * @param options table name and severity of extra columns
 * @returns `schema.columns`, `schema.dtype:<column>` per declared column present, `schema.unexpected`
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { z } from "zod";
 * import { checkSchema, columnRules } from "@lib/validate/mod.ts";
 * const df = pl.DataFrame({ cpu: [1.5, 2] });
 * checkSchema(df, columnRules(z.object({ cpu: z.number(), mem: z.number() })))[0].passed; // false: mem missing
 * ```
 */
export function checkSchema(
  df: TableFrame,
  rules: readonly ColumnRule[],
  options: CheckSchemaOptions = {},
): CheckResult[] {
  const { table, unexpectedSeverity = "warning" } = options;
  const schema = df.schema as Record<string, pl.DataType>;
  const present = new Set(df.columns);
  const at = table ? ` in table "${table}"` : "";
  const missing = rules.filter((r) => r.required && !present.has(r.name)).map((r) => r.name);
  const out: CheckResult[] = [check({
    id: `schema.columns${table ? `:${table}` : ""}`,
    severity: "error",
    passed: missing.length === 0,
    measured: missing.length,
    threshold: "= 0 missing",
    message: missing.length === 0
      ? `All ${rules.filter((r) => r.required).length} required columns are present${at}`
      : `Missing required column${missing.length > 1 ? "s" : ""}${at}: ${missing.join(", ")}`,
  })];
  for (const rule of rules) {
    if (!present.has(rule.name)) continue;
    const actual = dtypeName(schema[rule.name]);
    const ok = dtypeMatches(actual, rule.dtype);
    out.push(check({
      id: `schema.dtype:${subject(rule.name, table)}`,
      severity: "error",
      passed: ok,
      measured: actual,
      threshold: rule.dtype,
      message: ok ? `Column "${rule.name}" is ${actual}` : `Column "${rule.name}" must be ${rule.dtype}, got ${actual}`,
    }));
  }
  const declared = new Set(rules.map((r) => r.name));
  const extra = df.columns.filter((c) => !declared.has(c));
  out.push(check({
    id: `schema.unexpected${table ? `:${table}` : ""}`,
    severity: unexpectedSeverity,
    passed: extra.length === 0,
    measured: extra.length,
    threshold: "= 0",
    message: extra.length === 0
      ? `No undeclared columns${at}`
      : `Undeclared column${extra.length > 1 ? "s" : ""}${at}: ${extra.slice(0, 10).join(", ")}${
        extra.length > 10 ? ", …" : ""
      }`,
  }));
  return out;
}

/**
 * The rules whose column is present with the declared dtype: the columns value checks can run on.
 * @param df the table
 * @param rules the rules
 * @returns the usable rules
 */
export function usableRules(df: TableFrame, rules: readonly ColumnRule[]): ColumnRule[] {
  const schema = df.schema as Record<string, pl.DataType>;
  return rules.filter((r) => schema[r.name] !== undefined && dtypeMatches(dtypeName(schema[r.name]), r.dtype));
}
