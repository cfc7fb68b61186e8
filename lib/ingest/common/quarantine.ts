import pl from "nodejs-polars";

/** Longest raw text kept for one quarantined row; longer rows are cut and marked with "…". */
export const MAX_RAW_CHARS = 2000;

/** Column names and dtypes of every quarantine table. */
export const QUARANTINE_COLUMNS = ["source", "line", "reason", "raw"] as const;

/**
 * An empty quarantine table with the right dtypes.
 * @param spans add `end_line` (Int64) after `line`, for sources where one record may span several lines
 * @returns a frame with columns source (Utf8), line (Int64), [end_line (Int64),] reason (Utf8), raw (Utf8)
 */
export function emptyQuarantine(spans = false): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("source", [], pl.Utf8),
    pl.Series("line", [], pl.Int64),
    ...(spans ? [pl.Series("end_line", [], pl.Int64)] : []),
    pl.Series("reason", [], pl.Utf8),
    pl.Series("raw", [], pl.Utf8),
  ]);
}

/** Options of {@linkcode QuarantineLog}. */
export interface QuarantineLogOptions {
  /**
   * Record each row's last physical line too (`end_line`), for sources where a record may span lines (CSV with
   * quoted line breaks), so lines in = lines out + lines quarantined can be checked. @default false
   */
  spans?: boolean;
}

function clip(raw: string): string {
  return raw.length > MAX_RAW_CHARS ? `${raw.slice(0, MAX_RAW_CHARS - 1)}…` : raw;
}

/**
 * Collects the rows an ingester could not use, each with the file, the line number and the reason, and turns
 * them into one quarantine table. Rows arrive either one by one (structural faults found while splitting text)
 * or as frames (value faults found by Polars expressions).
 *
 * @example
 * ```ts
 * import { QuarantineLog } from "@lib/ingest/common/mod.ts";
 * const q = new QuarantineLog();
 * q.add("a.csv", 7, "bad_value", "2014-01-01 00:00:00,abc");
 * q.toFrame().height; // 1
 * ```
 */
export class QuarantineLog {
  readonly #spans: boolean;
  #source: string[] = [];
  #line: number[] = [];
  #endLine: number[] = [];
  #reason: string[] = [];
  #raw: string[] = [];
  #frames: pl.DataFrame[] = [];

  /**
   * @param options whether rows carry a line span
   */
  constructor(options: QuarantineLogOptions = {}) {
    this.#spans = options.spans ?? false;
  }

  /**
   * Records one row.
   * @param source the file, relative to the input root
   * @param line the 1-based line (or record) number in that file; 0 for a whole-file fault
   * @param reason a short snake_case reason, e.g. `bad_timestamp`
   * @param raw the row text as read (redacted where the source holds personal data)
   * @param endLine the row's last physical line (kept only with `spans`) @default line
   */
  add(source: string, line: number, reason: string, raw: string, endLine: number = line): void {
    this.#source.push(source);
    this.#line.push(line);
    this.#endLine.push(endLine);
    this.#reason.push(reason);
    this.#raw.push(clip(raw));
  }

  /**
   * Records rows found by a Polars filter.
   * @param df a frame with columns source, line, reason, raw, and end_line with `spans` (other columns are ignored)
   */
  addFrame(df: pl.DataFrame): void {
    if (df.height === 0) return;
    this.#frames.push(
      df.select(
        pl.col("source").cast(pl.Utf8),
        pl.col("line").cast(pl.Int64),
        ...(this.#spans ? [pl.col("end_line").cast(pl.Int64)] : []),
        pl.col("reason").cast(pl.Utf8),
        pl.col("raw").cast(pl.Utf8).str.slice(0, MAX_RAW_CHARS),
      ),
    );
  }

  /** The number of rows recorded so far. */
  get size(): number {
    return this.#source.length + this.#frames.reduce((n, f) => n + f.height, 0);
  }

  /**
   * The quarantine table, sorted by source, line and reason so equal input gives an equal table.
   * @returns the frame (columns source, line, [end_line,] reason, raw)
   */
  toFrame(): pl.DataFrame {
    const parts = [...this.#frames];
    if (this.#source.length > 0) {
      parts.push(pl.DataFrame([
        pl.Series("source", this.#source, pl.Utf8),
        pl.Series("line", this.#line, pl.Int64),
        ...(this.#spans ? [pl.Series("end_line", this.#endLine, pl.Int64)] : []),
        pl.Series("reason", this.#reason, pl.Utf8),
        pl.Series("raw", this.#raw, pl.Utf8),
      ]));
    }
    if (parts.length === 0) return emptyQuarantine(this.#spans);
    return pl.concat(parts, { how: "vertical" }).sort(["source", "line", "reason"]);
  }
}

/**
 * Counts quarantined rows by reason.
 * @param quarantine a quarantine table
 * @returns reason to count, reasons in alphabetical order
 */
export function countByReason(quarantine: pl.DataFrame): Record<string, number> {
  if (quarantine.height === 0) return {};
  const counts = quarantine.groupBy("reason").agg(pl.len().alias("n")).sort("reason");
  const reasons = counts.getColumn("reason").toArray() as string[];
  const ns = counts.getColumn("n").toArray() as number[];
  return Object.fromEntries(reasons.map((r, i) => [r, Number(ns[i])]));
}
