import pl from "nodejs-polars";
import { stackParts, type TableFrame } from "@lib/lake/mod.ts";
import type { FailingRows } from "./types.ts";

/** Failing rows a check records at most (issue 18's row contract). */
export const MAX_FAILING_ROWS = 200;

/**
 * The failing rows of a row-level check, per the row contract: the first {@linkcode MAX_FAILING_ROWS} rows (in
 * table order) where `predicate` holds, as the key columns then the offending value columns. A filter and a head
 * over the table's parts (a scanned table is read lazily, never materialised whole).
 * @param df the table
 * @param predicate true on a failing row
 * @param options key columns, value columns and the total count of failing rows
 * @returns the rows, or undefined when there are none
 */
export function failingRows(
  df: TableFrame,
  predicate: pl.Expr,
  options: { key: readonly string[]; columns: readonly string[]; total: number; prepare?: pl.Expr[] },
): FailingRows | undefined {
  const { total, prepare = [] } = options;
  if (total <= 0) return undefined;
  const present = new Set(df.columns);
  const key = options.key.filter((c) => present.has(c));
  const columns = [...key, ...options.columns.filter((c) => present.has(c) && !key.includes(c))];
  if (columns.length === 0) return undefined;
  const head = stackParts(
    df,
    (part) =>
      (prepare.length > 0 ? part.withColumns(...prepare) : part).filter(predicate).select(
        ...columns.map((c) => pl.col(c)),
      ).limit(MAX_FAILING_ROWS),
  )
    .limit(MAX_FAILING_ROWS).collectSync();
  return rowsOf(head, { key, columns, total });
}

/**
 * Failing rows from a frame already cut to them (the first rows of a join or an index), per the row contract.
 * @param head the rows (at most {@linkcode MAX_FAILING_ROWS} are kept)
 * @param options key columns, all columns in order (key first) and the total count of failing rows
 * @returns the rows, JSON-safe
 */
export function rowsOf(
  head: pl.DataFrame,
  options: { key: readonly string[]; columns: readonly string[]; total: number },
): FailingRows {
  const { key, columns, total } = options;
  const cut = head.height > MAX_FAILING_ROWS ? head.head(MAX_FAILING_ROWS) : head;
  const cols = columns.map((c) => cut.getColumn(c).toArray() as unknown[]);
  const rows = Array.from({ length: cut.height }, (_, i) => cols.map((col) => plain(col[i])));
  return { key: [...key], columns: [...columns], rows, total };
}

/** A JSON-safe cell: dates as ISO text, bigints as numbers, NaN and infinities as text. */
function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  return v ?? null;
}

/**
 * The first failing rows of a check as indented text lines, for the CLI table: a header of the columns, up to
 * `limit` rows, and how many more there are.
 * @param rows the failing rows
 * @param limit rows shown @default 5
 * @returns the lines
 */
export function failingRowsLines(rows: FailingRows, limit = 5): string[] {
  const shown = rows.rows.slice(0, limit).map((r) => r.map((v) => typeof v === "string" ? v : JSON.stringify(v)));
  const widths = rows.columns.map((c, i) => Math.max(c.length, ...shown.map((r) => r[i].length)));
  const line = (cells: string[]) => `         ${cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()}`;
  const out = [line(rows.columns), ...shown.map(line)];
  const more = rows.total - shown.length;
  if (more > 0) out.push(`         … ${more.toLocaleString("en-US")} more failing rows`);
  return out;
}
