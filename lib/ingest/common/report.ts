import pl from "nodejs-polars";
import { html } from "@lib/report/html.ts";

/**
 * Where every physical line of the source went, for sources where one record may span several lines (CSV with
 * quoted line breaks): `read = header + blank + written + quarantined`.
 */
export interface LineBalance {
  /** Physical lines in the source files. */
  read: number;
  /** Lines of header records. */
  header: number;
  /** Blank lines skipped. */
  blank: number;
  /** Lines of the records written. */
  written: number;
  /** Lines of the records quarantined (each quarantined row's line span). */
  quarantined: number;
}

/**
 * What one ingest run did, written as `report.json` beside the tables and into the manifest's `stats`.
 * Counts only, no timings, so equal input gives an equal report.
 */
export interface IngestReport {
  /** The source, e.g. `"nab"`. */
  source: string;
  /** The table whose rows `rows_written` counts (derived tables are counted under `preprocessing`). */
  table: string;
  /** Input files read. */
  files_read: number;
  /** Data rows read from the files (headers, comments and blank lines are not rows). */
  rows_read: number;
  /** Rows kept in the clean table. */
  rows_written: number;
  /** Rows sent to the quarantine table. */
  rows_quarantined: number;
  /** Quarantined rows by reason. */
  quarantined: Record<string, number>;
  /** The balance in physical lines, where records and lines differ (checked like the rows). @default absent */
  lines?: LineBalance;
  /** Quirks fixed in place, by kind (rows or files affected; the key says which). */
  repaired: Record<string, number>;
  /** Facts about the derived tables (rows per table, labelled rows, split sizes, incidents, ...). */
  preprocessing: Record<string, number | string | boolean>;
  /** Files seen but not read as data, with the reason (licence files, notes, unreadable files). */
  files_skipped: { path: string; reason: string }[];
}

/** Rows read differ from rows written plus rows quarantined: an ingester lost or invented rows. */
export class IngestBalanceError extends Error {
  /**
   * @param report the unbalanced report
   */
  constructor(report: IngestReport) {
    const l = report.lines;
    super(
      l !== undefined && report.rows_read === report.rows_written + report.rows_quarantined
        ? `Cannot ingest "${report.source}": lines read must equal header + blank + written + quarantined lines, got ${l.read} != ${l.header} + ${l.blank} + ${l.written} + ${l.quarantined}`
        : `Cannot ingest "${report.source}": rows read must equal rows written + rows quarantined, got ${report.rows_read} != ${report.rows_written} + ${report.rows_quarantined}`,
    );
    this.name = "IngestBalanceError";
  }
}

/**
 * Checks rows in = rows out + rows quarantined, that the per-reason counts add up, and, where the report has a
 * line balance, lines in = header + blank + lines out + lines quarantined.
 * @param report the report
 * @returns the same report
 * @throws {IngestBalanceError} when the counts do not add up
 * @example
 * ```ts
 * import { assertBalanced } from "@lib/ingest/common/mod.ts";
 * assertBalanced({ source: "x", table: "rows", files_read: 1, rows_read: 3, rows_written: 2, rows_quarantined: 1,
 *   quarantined: { bad_value: 1 }, repaired: {}, preprocessing: {}, files_skipped: [] });
 * ```
 */
export function assertBalanced(report: IngestReport): IngestReport {
  const byReason = Object.values(report.quarantined).reduce((a, b) => a + b, 0);
  const l = report.lines;
  if (
    report.rows_read !== report.rows_written + report.rows_quarantined || byReason !== report.rows_quarantined ||
    (l !== undefined && l.read !== l.header + l.blank + l.written + l.quarantined)
  ) {
    throw new IngestBalanceError(report);
  }
  return report;
}

/**
 * The report as a two-column frame (`item`, `value`), one row per count, for notebooks and HTML.
 * @param report the report
 * @returns the frame, in report order
 */
export function reportFrame(report: IngestReport): pl.DataFrame {
  const items: string[] = [];
  const values: string[] = [];
  const put = (k: string, v: unknown) => {
    items.push(k);
    values.push(String(v));
  };
  put("source", report.source);
  put("table", report.table);
  put("files_read", report.files_read);
  put("rows_read", report.rows_read);
  put("rows_written", report.rows_written);
  put("rows_quarantined", report.rows_quarantined);
  for (const [k, v] of Object.entries(report.quarantined)) put(`quarantined.${k}`, v);
  if (report.lines !== undefined) { for (const [k, v] of Object.entries(report.lines)) put(`lines.${k}`, v); }
  for (const [k, v] of Object.entries(report.repaired)) put(`repaired.${k}`, v);
  for (const [k, v] of Object.entries(report.preprocessing)) put(`preprocessing.${k}`, v);
  for (const f of report.files_skipped) put(`skipped.${f.path}`, f.reason);
  return pl.DataFrame({ item: items, value: values });
}

/**
 * Wraps a report so a notebook shows it as a table (Jupyter's `Symbol.for("Jupyter.display")` protocol).
 * @param report the report
 * @returns an object that renders as HTML in a notebook and as text elsewhere
 */
export function displayReport(
  report: IngestReport,
): { report: IngestReport; [key: symbol]: () => Record<string, string> } {
  const frame = reportFrame(report);
  const items = frame.getColumn("item").toArray() as string[];
  const values = frame.getColumn("value").toArray() as string[];
  // deno-fmt-ignore: one row per line, as notebooks and tests read it (fmt would spread the tags over lines)
  const rows = items.map((k, i) => html`<tr><td>${k}</td><td>${values[i]}</td></tr>`);
  // deno-fmt-ignore
  const table = html`<table><thead><tr><th>item</th><th>value</th></tr></thead><tbody>${rows}</tbody></table>`;
  return {
    report,
    [Symbol.for("Jupyter.display")]: () => ({
      "text/html": table.value,
      "text/plain": items.map((k, i) => `${k}: ${values[i]}`).join("\n"),
    }),
  };
}
