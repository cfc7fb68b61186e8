import pl from "nodejs-polars";
import { aggregateParts, collectParts, type Combine, engineFor, partsOf, type TableFrame } from "@lib/lake/mod.ts";
import { columnTypes, dtypeFamily, msOf } from "./_frame.ts";
import { type KindProfile, unitOf } from "./kinds.ts";
import type { ColumnSummary, TableSummary } from "./types.ts";

function toValue(v: unknown, time: boolean): number | string | null {
  if (v === null || v === undefined) return null;
  if (time) {
    const ms = v instanceof Date ? v.getTime() : Number(v);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
  }
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * The same figures as one query over the table, from a scanned table's files: counts, sums and extremes per file
 * (combined), means as sums over counts, distinct values from per-file value counts. Memory follows one file
 * and the distinct values, not the rows.
 */
function partRow(df: TableFrame, cols: [string, string][]): Record<string, unknown> {
  const exprs: pl.Expr[] = [];
  const rules: Record<string, Combine> = {};
  const add = (e: pl.Expr, name: string, rule: Combine) => {
    exprs.push(e.alias(name));
    rules[name] = rule;
  };
  const distinct: [number, string][] = [];
  cols.forEach(([c, t], i) => {
    const col = pl.col(c);
    add(col.nullCount().cast(pl.Float64), `${i}_nulls`, "sum");
    const family = dtypeFamily(t);
    if (family === "number" || family === "bool") {
      add(col.cast(pl.Float64).sum(), `${i}_sum`, "sum");
      add(col.cast(pl.Float64).count().cast(pl.Float64), `${i}_n`, "sum");
    }
    if (family === "number") {
      add(col.cast(pl.Float64).min(), `${i}_min`, "min");
      add(col.cast(pl.Float64).max(), `${i}_max`, "max");
    } else if (family === "time") {
      add(msOf(col.min()), `${i}_min`, "min");
      add(msOf(col.max()), `${i}_max`, "max");
    } else if (family === "text") {
      const len = col.unique().cast(pl.String).str.lengths().cast(pl.Float64);
      add(len.min(), `${i}_min`, "min");
      add(len.max(), `${i}_max`, "max");
    }
    if (family === "bool" || family === "text") distinct.push([i, c]);
  });
  const row = aggregateParts(df, exprs, { combine: (name) => rules[name] }).toRecords()[0];
  cols.forEach((_, i) => {
    if (row[`${i}_n`] !== undefined) {
      row[`${i}_mean`] = Number(row[`${i}_n`]) > 0 ? Number(row[`${i}_sum`]) / Number(row[`${i}_n`]) : null;
    }
  });
  for (const [i, c] of distinct) {
    // Distinct values, null counting as one (as nUnique counts them).
    const values = collectParts(df, (part) => part.groupBy(c).agg(pl.len().alias("__n"))).getColumn(c);
    row[`${i}_distinct`] = values.unique().len();
  }
  return row;
}

/**
 * Null counts and value ranges of every column of a table, in one Polars pass: min, max and mean of numbers;
 * earliest and latest time; distinct values and shortest and longest text; share true of booleans.
 * @param name the table name
 * @param df the table
 * @param profile the kind profile (for units)
 * @returns the summary
 */
export function summarizeTable(name: string, input: { df: TableFrame; profile: KindProfile }): TableSummary {
  const { df, profile } = input;
  const cols = columnTypes(df);
  const exprs: pl.Expr[] = [];
  cols.forEach(([c, t], i) => {
    const col = pl.col(c);
    exprs.push(col.nullCount().cast(pl.Float64).alias(`${i}_nulls`));
    switch (dtypeFamily(t)) {
      case "number":
        exprs.push(
          col.cast(pl.Float64).min().alias(`${i}_min`),
          col.cast(pl.Float64).max().alias(`${i}_max`),
          col.cast(pl.Float64).mean().alias(`${i}_mean`),
        );
        break;
      case "time":
        exprs.push(
          msOf(col.min()).alias(`${i}_min`),
          msOf(col.max()).alias(`${i}_max`),
        );
        break;
      case "bool":
        exprs.push(
          col.cast(pl.Float64).mean().alias(`${i}_mean`),
          col.nUnique().cast(pl.Float64).alias(`${i}_distinct`),
        );
        break;
      case "text": {
        // Lengths over the distinct values, not every row: the same range, for a fraction of the work.
        const len = col.unique().cast(pl.String).str.lengths().cast(pl.Float64);
        exprs.push(
          len.min().alias(`${i}_min`),
          len.max().alias(`${i}_max`),
          col.nUnique().cast(pl.Float64).alias(`${i}_distinct`),
        );
        break;
      }
    }
  });
  const row = cols.length === 0
    ? {}
    : partsOf(df).length > 1
    ? partRow(df, cols)
    : df.lazy().select(...exprs).collectSync(engineFor(df)).toRecords()[0];
  const rows = df.height;
  const columns: ColumnSummary[] = cols.map(([c, t], i) => {
    const family = dtypeFamily(t);
    const nulls = Number(row[`${i}_nulls`] ?? 0);
    const num = (k: string) => {
      const v = row[`${i}_${k}`];
      return v === undefined || v === null || !Number.isFinite(Number(v)) ? null : Number(v);
    };
    return {
      table: name,
      name: c,
      dtype: t,
      nulls,
      nullRate: rows > 0 ? nulls / rows : 0,
      min: toValue(row[`${i}_min`], family === "time"),
      max: toValue(row[`${i}_max`], family === "time"),
      mean: num("mean"),
      distinct: num("distinct"),
      unit: family === "number" ? unitOf(profile, c) : family === "text" ? "chars" : "",
    };
  });
  return { name, rows, columns };
}
