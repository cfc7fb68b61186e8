import { z } from "zod";
import type pl from "nodejs-polars";
import { dtypeNameOf } from "@lib/schema/mod.ts";
import { polarsSchema } from "@lib/schema/mod.ts";
import { dtypeName } from "@lib/lake/mod.ts";

/** A bound of a numeric or date column. */
export interface Bound {
  /** The bound. */
  value: number;
  /** Whether the bound itself is allowed. */
  inclusive: boolean;
}

/** What a record schema says of one column, read by introspection; every columnar check derives from this. */
export interface ColumnRule {
  /** The column. */
  name: string;
  /** The expected Polars dtype, as the lake writes it, e.g. `Float64` or `Datetime(ms,UTC)`. */
  dtype: string;
  /** The column must be present (the field is not optional). */
  required: boolean;
  /** Nulls are allowed (the field is optional or nullable). */
  nullable: boolean;
  /** Lower bound (numbers; dates in epoch ms). */
  min?: Bound;
  /** Upper bound (numbers; dates in epoch ms). */
  max?: Bound;
  /** Whole numbers only. */
  integer?: boolean;
  /** Allowed values of an enum or literal. */
  values?: readonly (string | number | boolean)[];
  /** Regular expressions every string must match. */
  patterns?: RegExp[];
  /** Shortest string allowed. */
  minLength?: number;
  /** Longest string allowed. */
  maxLength?: number;
  /** A string column without enum or pattern: free text, scanned for personal data. */
  freeText: boolean;
}

interface CheckDef {
  check: string;
  value?: unknown;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: RegExp;
}

function unwrap(field: z.ZodType): { inner: z.ZodType; optional: boolean; nullable: boolean } {
  let cur = field;
  let optional = false, nullable = false;
  while (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) {
    if (cur instanceof z.ZodOptional) optional = true;
    if (cur instanceof z.ZodNullable) nullable = true;
    cur = cur.unwrap() as z.ZodType;
  }
  return { inner: cur, optional, nullable };
}

function toNumber(v: unknown): number {
  return v instanceof Date ? v.getTime() : Number(v);
}

/**
 * The column rules of a zod record schema: dtype, presence, nullability, bounds (`.min`, `.max`, `.gt`, ...),
 * integer formats, enum and literal values, regex patterns and string lengths.
 *
 * @param record a zod object schema for one row
 * @returns one rule per field, in declaration order
 * @example
 * ```ts
 * import { z } from "zod";
 * import { columnRules } from "@lib/validate/mod.ts";
 * columnRules(z.object({ cpu: z.number().min(0).max(100) }))[0].max; // { value: 100, inclusive: true }
 * ```
 */
export function columnRules(record: z.ZodObject): ColumnRule[] {
  const dtypes = polarsSchema(record) as Record<string, pl.DataType>;
  return Object.entries(record.shape).map(([name, field]) => {
    const { inner, optional, nullable } = unwrap(field as z.ZodType);
    const rule: ColumnRule = {
      name,
      dtype: dtypeName(dtypes[name]),
      required: !optional,
      nullable: optional || nullable,
      freeText: false,
    };
    dtypeNameOf(field as z.ZodType); // throws early on a field type with no Polars dtype
    const def = (inner as unknown as { def: { checks?: { _zod: { def: CheckDef } }[]; format?: string } }).def;
    for (const c of def.checks ?? []) {
      const d = c._zod.def;
      if (d.check === "greater_than") rule.min = { value: toNumber(d.value), inclusive: d.inclusive ?? true };
      else if (d.check === "less_than") rule.max = { value: toNumber(d.value), inclusive: d.inclusive ?? true };
      else if (d.check === "min_length" && d.minimum !== undefined) rule.minLength = d.minimum;
      else if (d.check === "max_length" && d.maximum !== undefined) rule.maxLength = d.maximum;
      else if (d.check === "string_format" && d.pattern) (rule.patterns ??= []).push(d.pattern);
    }
    if (inner instanceof z.ZodNumber && (def.format ?? "").includes("int")) {
      rule.integer = true;
      // zod's safeint bounds say nothing about the data; keep only bounds the schema set
      if (rule.min && rule.min.value <= Number.MIN_SAFE_INTEGER) delete rule.min;
      if (rule.max && rule.max.value >= Number.MAX_SAFE_INTEGER) delete rule.max;
    }
    if (inner instanceof z.ZodString) {
      const pattern = (inner as unknown as { def: { pattern?: RegExp } }).def.pattern;
      if (def.format && pattern && !(rule.patterns ?? []).includes(pattern)) (rule.patterns ??= []).push(pattern);
    }
    if (inner instanceof z.ZodEnum) rule.values = (inner as z.ZodEnum).options as (string | number)[];
    if (inner instanceof z.ZodLiteral) rule.values = [...(inner as z.ZodLiteral).values] as (string | number)[];
    rule.freeText = inner instanceof z.ZodString && !rule.patterns?.length;
    return rule;
  });
}

/**
 * Column rules from a dtype map alone (a manifest's recorded schema, for kinds without a record schema): every
 * column required, nullable, no bounds; strings are free text.
 * @param schema column name to dtype name
 * @returns the rules
 */
export function rulesFromDtypes(schema: Record<string, string>): ColumnRule[] {
  return Object.entries(schema).map(([name, dtype]) => ({
    name,
    dtype,
    required: true,
    nullable: true,
    freeText: dtype === "String" || dtype === "Utf8",
  }));
}
