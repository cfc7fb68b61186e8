import pl from "nodejs-polars";
import { z } from "zod";

/** Polars dtype names a schema field may ask for with `.meta({ dtype })`. */
export type DtypeName =
  | "Float64"
  | "Float32"
  | "Int64"
  | "Int32"
  | "Int16"
  | "Int8"
  | "UInt32"
  | "Bool"
  | "String"
  | "Datetime";

const BY_NAME: Record<DtypeName, () => pl.DataType> = {
  Float64: () => pl.Float64,
  Float32: () => pl.Float32,
  Int64: () => pl.Int64,
  Int32: () => pl.Int32,
  Int16: () => pl.Int16,
  Int8: () => pl.Int8,
  UInt32: () => pl.UInt32,
  Bool: () => pl.Bool,
  String: () => pl.String,
  Datetime: () => pl.Datetime("ms", "UTC"),
};

function unwrap(field: z.ZodType): z.ZodType {
  let cur = field;
  while (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) {
    cur = cur.unwrap() as z.ZodType;
  }
  return cur;
}

/**
 * The Polars dtype name of one record field: `.meta({ dtype })` when given, else by zod type (number: Float64,
 * int: Int64, boolean: Bool, string and enum: String, date: Datetime in ms, UTC).
 * @param field a zod field schema
 * @returns the dtype name
 */
export function dtypeNameOf(field: z.ZodType): DtypeName {
  const meta = field.meta?.() as { dtype?: DtypeName } | undefined;
  if (meta?.dtype) return meta.dtype;
  const inner = unwrap(field);
  const innerMeta = inner.meta?.() as { dtype?: DtypeName } | undefined;
  if (innerMeta?.dtype) return innerMeta.dtype;
  if (inner instanceof z.ZodBoolean) return "Bool";
  if (inner instanceof z.ZodDate) return "Datetime";
  if (inner instanceof z.ZodString || inner instanceof z.ZodEnum || inner instanceof z.ZodLiteral) return "String";
  if (inner instanceof z.ZodNumber) return inner.format?.includes("int") ? "Int64" : "Float64";
  throw new TypeError(`Cannot map zod type "${inner.constructor.name}" to a Polars dtype`);
}

/**
 * Polars dtypes of every field of a record schema, in declaration order: one column declared once.
 * @param record a zod object schema for one row
 * @returns column name to Polars dtype
 * @example
 * ```ts
 * import { z } from "zod";
 * import { polarsSchema } from "@lib/schema/mod.ts";
 * polarsSchema(z.object({ cpu: z.number(), at: z.date() })); // { cpu: Float64, at: Datetime(ms, UTC) }
 * ```
 */
export function polarsSchema(record: z.ZodObject): Record<string, pl.DataType> {
  return Object.fromEntries(
    Object.entries(record.shape).map(([name, field]) => [name, BY_NAME[dtypeNameOf(field as z.ZodType)]()]),
  );
}

/**
 * Selects and casts a frame's columns to a record schema's dtypes, in the schema's order.
 * @param df the frame (must hold every column)
 * @param record the row schema
 * @returns the conformed frame
 */
export function conform(df: pl.DataFrame, record: z.ZodObject): pl.DataFrame {
  return df.select(...Object.entries(polarsSchema(record)).map(([name, dtype]) => pl.col(name).cast(dtype)));
}

/**
 * A `List(String)` Series from JS arrays. nodejs-polars cannot build an empty Series with a list dtype
 * (`not a valid conversion to 'DataType'`), so zero rows are built as String and cast.
 * @param name the column name
 * @param values one string array per row
 * @returns the Series, of dtype `List(String)` even when `values` is empty
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { stringLists } from "@lib/schema/dtypes.ts";
 * assert.equal(stringLists("tags", []).dtype.toString(), "DataType(List(DataType(String)))");
 * assert.deepEqual(stringLists("tags", [["a", "b"]]).toArray(), [["a", "b"]]);
 * ```
 */
export function stringLists(name: string, values: readonly string[][]): pl.Series {
  if (values.length === 0) return pl.Series(name, [], pl.String).cast(pl.List(pl.String));
  return pl.Series(name, values as string[][], pl.List(pl.String));
}
