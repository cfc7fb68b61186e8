/**
 * A batch of log text for one file and the labels of the records in it: what the pure log generators yield and
 * the writer appends (text to the file, labels to the sidecar table).
 * @module
 */
import type { LabeledLines } from "@lib/lake/logs.ts";

/** Record severities of the database logs, by code. */
export const LEVELS = [
  "-",
  "LOG",
  "WARNING",
  "ERROR",
  "FATAL",
  "PANIC",
  "Note",
  "Warning",
  "Error",
  "System",
  "Slow",
  "I",
  "W",
  "E",
  "F",
] as const;

/** Level name to code. */
export const LEVEL_CODE: ReadonlyMap<string, number> = new Map(LEVELS.map((l, i) => [l, i]));

/**
 * Log text for one file plus one label row per record in it: the lake's labelled lines, whose label index is the
 * incident (-1 for background) and whose level is a {@linkcode LEVELS} code (0 where the format has none).
 */
export type LogBatch = LabeledLines;

/** Builds batches for one file: lines and record labels, flushed every `chunkLines` lines. */
export class BatchBuilder {
  #parts: string[] = [];
  #lines = 0;
  #t: number[] = [];
  #line: number[] = [];
  #n: number[] = [];
  #inc: number[] = [];
  #lvl: number[] = [];
  /** Physical lines written to the file so far (before this batch). */
  lineNo = 0;

  /**
   * @param file the file path
   * @param meta columns constant over the file
   * @param chunkLines lines per batch
   */
  constructor(readonly file: string, readonly meta: Readonly<Record<string, string>>, readonly chunkLines: number) {}

  /** Adds lines that belong to no record (a file header). */
  header(lines: readonly string[]): void {
    for (const l of lines) this.#parts.push(l, "\n");
    this.#lines += lines.length;
  }

  /**
   * Adds one record.
   * @param t its timestamp
   * @param lines its physical lines
   * @param incident incident index or -1
   * @param level level code
   * @returns a batch when `chunkLines` is reached, else undefined
   */
  add(t: number, lines: readonly string[], incident: number, level: number): LogBatch | undefined {
    this.#t.push(t);
    this.#line.push(this.lineNo + this.#lines + 1);
    this.#n.push(lines.length);
    this.#inc.push(incident);
    this.#lvl.push(level);
    for (const l of lines) this.#parts.push(l, "\n");
    this.#lines += lines.length;
    return this.#lines >= this.chunkLines ? this.flush(false) : undefined;
  }

  /**
   * Takes what is buffered as a batch.
   * @param last whether the file ends here
   * @returns the batch
   */
  flush(last: boolean): LogBatch {
    const batch: LogBatch = {
      file: this.file,
      text: this.#parts.join(""),
      records: this.#t.length,
      t: Float64Array.from(this.#t),
      line: Int32Array.from(this.#line),
      lines: Uint16Array.from(this.#n),
      incident: Int32Array.from(this.#inc),
      level: Uint8Array.from(this.#lvl),
      meta: this.meta,
      last,
    };
    this.lineNo += this.#lines;
    this.#parts = [];
    this.#lines = 0;
    this.#t = [];
    this.#line = [];
    this.#n = [];
    this.#inc = [];
    this.#lvl = [];
    return batch;
  }
}
