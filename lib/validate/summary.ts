import pl from "nodejs-polars";
import { engineFor, type TableFrame } from "@lib/lake/mod.ts";
import { dtypeName } from "@lib/lake/mod.ts";
import type { Manifest } from "@lib/lake/mod.ts";
import { kindSpec, type TableSpec } from "./registry.ts";
import { type ColumnRule, columnRules, rulesFromDtypes } from "./rules.ts";
import { epochMs } from "./time.ts";

/** One column of a table, as `schema.json` describes it. */
export interface ColumnSummary {
  /** The column. */
  name: string;
  /** The dtype found. */
  dtype: string;
  /** The dtype the kind declares, when it declares the column. */
  expected?: string;
  /** Whether the kind allows nulls, when it declares the column. */
  nullable?: boolean;
  /** Null values. */
  nulls: number;
  /** Smallest value (numbers; timestamps as ISO 8601). */
  min?: number | string | null;
  /** Largest value. */
  max?: number | string | null;
  /** Allowed values, when the kind declares an enum. */
  values?: readonly (string | number | boolean)[];
  /** Estimated bytes in memory (fixed width; strings: 16-byte views plus the bytes of those over 12 bytes). */
  bytes: number;
}

/** One table of `schema.json`. */
export interface TableSummary {
  /** The table. */
  table: string;
  /** Its rows. */
  rows: number;
  /** Estimated bytes in memory, all columns. */
  bytes: number;
  /** Its columns, in order. */
  columns: ColumnSummary[];
}

const WIDTH: Record<string, number> = {
  Float64: 8,
  Int64: 8,
  UInt64: 8,
  Float32: 4,
  Int32: 4,
  UInt32: 4,
  Date: 4,
  Int16: 2,
  UInt16: 2,
  Int8: 1,
  UInt8: 1,
  Bool: 0.125,
};

/**
 * Describes a table's columns in one pass over it: dtype found and declared, nulls, range, estimated size.
 * @param df the table
 * @param options the table name and the kind's column rules
 * @returns the summary
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { summarizeTable } from "@lib/validate/mod.ts";
 * summarizeTable(pl.DataFrame({ x: [1, 2, null] })).columns[0].nulls; // 1
 * ```
 */
export function summarizeTable(
  df: TableFrame,
  options: { table?: string; rules?: readonly ColumnRule[] } = {},
): TableSummary {
  const { table = "data", rules = [] } = options;
  const schema = df.schema as Record<string, pl.DataType>;
  const byName = new Map(rules.map((r) => [r.name, r]));
  const exprs: pl.Expr[] = [];
  const kinds: Record<string, "num" | "time" | "str" | "other"> = {};
  for (const c of df.columns) {
    const name = dtypeName(schema[c]);
    exprs.push(pl.col(c).nullCount().cast(pl.Int64).alias(`${c}\u0000nulls`));
    const t = epochMs(c, schema[c]);
    if (WIDTH[name] !== undefined && name !== "Bool") {
      kinds[c] = "num";
      exprs.push(
        pl.col(c).min().cast(pl.Float64).alias(`${c}\u0000min`),
        pl.col(c).max().cast(pl.Float64).alias(`${c}\u0000max`),
      );
    } else if (t) {
      kinds[c] = "time";
      exprs.push(t.min().alias(`${c}\u0000min`), t.max().alias(`${c}\u0000max`));
    } else if (name === "String") {
      kinds[c] = "str";
    } else kinds[c] = "other";
  }
  const row: Record<string, unknown> = df.columns.length > 0
    ? df.lazy().select(...exprs).collectSync(engineFor(df)).toRecords()[0]
    : {};
  // Polars keeps strings of up to 12 bytes inside their 16-byte view, longer ones also in a data buffer. One
  // column at a time: the lengths of every string column at once would be a sizeable temporary on a large table.
  for (const c of df.columns.filter((x) => kinds[x] === "str")) {
    const len = pl.col(c).str.lengths();
    row[`${c}\u0000bytes`] = df.lazy().select(len.filter(len.gt(12)).cast(pl.Int64).sum().alias("b")).collectSync(
      engineFor(df),
    )
      .getColumn("b").get(0);
  }
  const columns: ColumnSummary[] = df.columns.map((c) => {
    const dtype = dtypeName(schema[c]);
    const rule = byName.get(c);
    const get = (k: string) => row[`${c}\u0000${k}`];
    const out: ColumnSummary = { name: c, dtype, nulls: Number(get("nulls") ?? 0), bytes: 0 };
    if (rule) {
      out.expected = rule.dtype;
      out.nullable = rule.nullable;
      if (rule.values) out.values = rule.values;
    }
    if (kinds[c] === "num") {
      out.min = get("min") === null ? null : Number(get("min"));
      out.max = get("max") === null ? null : Number(get("max"));
      out.bytes = Math.ceil(WIDTH[dtype] * df.height);
    } else if (kinds[c] === "time") {
      const iso = (v: unknown) => v === null || v === undefined ? null : new Date(Number(v)).toISOString();
      out.min = iso(get("min"));
      out.max = iso(get("max"));
      out.bytes = 8 * df.height;
    } else if (kinds[c] === "str") {
      out.bytes = 16 * df.height + Number(get("bytes") ?? 0);
    } else if (dtype === "Bool") {
      out.bytes = Math.ceil(df.height / 8);
    }
    return out;
  });
  return { table, rows: df.height, bytes: columns.reduce((s, c) => s + c.bytes, 0), columns };
}

/** `schema.json`: the tables of a dataset, their columns, dtypes found and declared, nulls, ranges and sizes. */
export interface DatasetSchemaSummary {
  /** The dataset name. */
  dataset: string;
  /** Its kind. */
  kind: string;
  /** When it was written, ISO 8601 (the validation's time). */
  generated: string;
  /** Estimated bytes in memory of all tables. */
  bytes: number;
  /** Every table. */
  tables: TableSummary[];
}

/**
 * Summarizes every table of a dataset with the column rules its kind declares (record schema), else the dtypes
 * its manifest records.
 * @param tables the tables by name
 * @param options dataset name, kind, manifest and time
 * @returns the summary written to `schema.json`
 */
export function summarizeDataset(
  tables: Record<string, TableFrame>,
  options: { dataset: string; kind: string; manifest?: Manifest; generated?: string },
): DatasetSchemaSummary {
  const { dataset, kind, manifest, generated = new Date().toISOString() } = options;
  const spec = kindSpec(kind);
  let specs: Record<string, TableSpec> = {};
  if (spec) {
    const primary = manifest?.primary_table ?? spec.primary;
    try {
      specs = spec.tables({ tables: { [primary]: pl.DataFrame({}), ...tables }, primary });
    } catch {
      specs = {};
    }
  }
  const out = Object.entries(tables).map(([table, df]) => {
    const s = specs[table];
    const recorded = manifest?.tables[table]?.schema;
    const rules = s?.record ? columnRules(s.record) : s?.rules ?? (recorded ? rulesFromDtypes(recorded) : []);
    return summarizeTable(df, { table, rules });
  });
  return { dataset, kind, generated, bytes: out.reduce((a, t) => a + t.bytes, 0), tables: out };
}
