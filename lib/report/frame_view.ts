import pl from "nodejs-polars";
import { html } from "./html.ts";

/** Options of {@linkcode frameView}. */
export interface FrameViewOptions {
  /** Rows shown: the first half and the last half, `…` between. @default 10 */
  maxRows?: number;
  /** Columns shown: the first ones and the last, `…` between. @default 12 */
  maxColumns?: number;
  /** Decimals floats are rounded to. @default 3 */
  digits?: number;
  /** Characters of a text cell before it is cut with `…`. @default 48 */
  maxChars?: number;
}

/** A DataFrame as a notebook shows it: a shape line, a header with dtypes, formatted and truncated cells. */
export interface FrameView {
  /** The shape line, e.g. `175,320 rows × 32 columns`. */
  shape: string;
  /** Column names shown (`…` where columns are left out). */
  columns: string[];
  /** The dtype of each column shown. */
  dtypes: string[];
  /** The cells shown, formatted (`…` rows and columns where left out). */
  rows: string[][];
  /** Plain text: the shape line, a header, a dtype line and the rows, aligned. */
  text: string;
  /** An HTML table with the same content. */
  html: string;
}

const ELLIPSIS = "…";

/** A dtype as a short name: `Datetime(ms, UTC)`, `List(Float64)`, not `DataType(List(DataType(Float64)))`. */
function dtypeName(dtype: unknown): string {
  const text = String(dtype);
  const wrappers = text.split("DataType(").length - 1;
  return text.replaceAll("DataType(", "").slice(0, text.length - 9 * wrappers - wrappers)
    .replace(/,\)/g, ")").replace(/,(?=\S)/g, ", ");
}

/** One cell as text: ISO times, rounded floats, JSON for lists and structs, long text cut. */
function formatCell(value: unknown, dtype: string, digits: number, maxChars: number): string {
  if (value === null || value === undefined) return "null";
  let text: string;
  if (value instanceof Date) {
    text = dtype.startsWith("Date") && !dtype.startsWith("Datetime")
      ? value.toISOString().slice(0, 10)
      : value.toISOString().replace(".000Z", "Z");
  } else if (typeof value === "number") {
    text = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(digits)));
  } else if (typeof value === "bigint" || typeof value === "boolean") text = String(value);
  else if (typeof value === "string") text = value;
  else {
    text = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v));
  }
  text = text.replaceAll("\n", "\\n");
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}${ELLIPSIS}` : text;
}

/**
 * A DataFrame's display for notebooks: a shape line, a dtype for every column, timestamps in ISO 8601, floats
 * rounded, long text cut, and at most `maxRows` rows and `maxColumns` columns (head and tail, `…` between).
 * Implements `Symbol.for("Jupyter.display")` (HTML and plain text).
 * @param df the frame
 * @param options rows, columns, decimals, text length
 * @returns the view
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { frameView } from "@lib/report/frame_view.ts";
 * const df = pl.DataFrame({ t: [new Date("2022-01-01T00:00:00Z")], x: [1 / 14] });
 * const view = frameView(df);
 * assert.equal(view.shape, "1 row × 2 columns");
 * assert.deepEqual(view.rows, [["2022-01-01T00:00:00Z", "0.071"]]);
 * ```
 */
export function frameView(df: pl.DataFrame, options: FrameViewOptions = {}): FrameView & Record<symbol, unknown> {
  const { maxRows = 10, maxColumns = 12, digits = 3, maxChars = 48 } = options;
  const names = df.columns;
  const dtypes = df.dtypes.map(dtypeName);
  // Columns renamed c0, c1, …: a column's name shadows a method of that name on a nodejs-polars frame (a column
  // "rows" makes `df.rows` a Series).
  df = df.select(...names.map((n, i) => pl.col(n).alias(`c${i}`)));
  const keepCols = names.length <= maxColumns
    ? names.map((_, i) => i)
    : [...Array.from({ length: maxColumns - 1 }, (_, i) => i), names.length - 1];
  const colsCut = keepCols.length < names.length;
  const head = df.height <= maxRows ? df : df.head(Math.ceil(maxRows / 2));
  const tail = df.height <= maxRows ? undefined : df.tail(Math.floor(maxRows / 2));
  const render = (part: pl.DataFrame) =>
    (part.rows() as unknown[][]).map((row) => {
      const cells = keepCols.map((c) => formatCell(row[c], dtypes[c], digits, maxChars));
      if (colsCut) cells.splice(keepCols.length - 1, 0, ELLIPSIS);
      return cells;
    });
  const columns = keepCols.map((c) => names[c]);
  const types = keepCols.map((c) => dtypes[c]);
  if (colsCut) {
    columns.splice(keepCols.length - 1, 0, ELLIPSIS);
    types.splice(keepCols.length - 1, 0, "");
  }
  const rows = [...render(head)];
  if (tail !== undefined) rows.push(columns.map(() => ELLIPSIS), ...render(tail));
  const count = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
  const shape = `${count(df.height, "row", "rows")} × ${count(names.length, "column", "columns")}`;
  const widths = columns.map((c, i) => Math.max(c.length, types[i].length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const text = [shape, line(columns), line(types), ...rows.map(line)].join("\n");
  const th = columns.map((c, i) =>
    html`<th>${c}${types[i] ? html`<br><small style="font-weight:normal">${types[i]}</small>` : ""}</th>`
  );
  const body = rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`);
  const markup =
    html`<div><small>${shape}</small><table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`.value;
  return {
    shape,
    columns,
    dtypes: types,
    rows,
    text,
    html: markup,
    [Symbol.for("Jupyter.display")]: () => ({ "text/plain": text, "text/html": markup }),
  };
}
