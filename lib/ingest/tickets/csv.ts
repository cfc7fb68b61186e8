/** A CSV record that could not be used, with the physical lines it covers and why. */
export interface CsvFault {
  /** 1-based physical line where the record starts. */
  line: number;
  /** 1-based physical line where the quarantined part ends (equal to `line` for a one-line record). */
  endLine: number;
  /**
   * `field_count` (another number of fields than the header), `unterminated_quote` (a quoted field still open at
   * the end of the text), `quote_over_limit` (a quoted field running past `maxFieldLines` or `maxFieldBytes`),
   * `text_after_quote` (a closing quote followed by something other than a separator or a line end).
   */
  reason: string;
  /** The text of the quarantined lines. */
  raw: string;
}

/** CSV text split into columns, with every physical line accounted for. */
export interface CsvColumns {
  /** The header fields. */
  header: string[];
  /** One array per header field, one entry per good record. */
  columns: string[][];
  /** The 1-based physical line where each good record starts. */
  lines: number[];
  /** The 1-based physical line where each good record ends (a quoted line break makes it later than the start). */
  endLines: number[];
  /** The 1-based position of each good record among all data records (good and faulty). */
  index: number[];
  /** Records set aside, each with its line span. */
  faults: CsvFault[];
  /** Data records read (good and faulty; blank lines are not records). */
  records: number;
  /** Blank lines skipped (before or after the header). */
  blank: number;
  /** Physical lines of the text (`\r\n`, `\n` and a lone `\r` each end one; a last line without an ending counts). */
  physicalLines: number;
  /** Physical lines of the header record. */
  headerLines: number;
}

/** Options of {@linkcode splitCsv}. */
export interface SplitCsvOptions {
  /** The field separator (one character). @default "," */
  separator?: string;
  /**
   * The most physical lines one quoted field may span; a longer one is quarantined (`quote_over_limit`) and
   * reading resumes on the line after the one where its quote opened. @default 200
   */
  maxFieldLines?: number;
  /** The most bytes (UTF-8) one quoted field may hold; a longer one is treated as `maxFieldLines`. @default 1048576 */
  maxFieldBytes?: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/**
 * Splits RFC 4180 CSV text into columns while counting physical lines: fields separated by `separator`,
 * optionally in double quotes (a quote inside written twice); quoted fields may hold separators and line breaks;
 * `\r\n`, `\n` and a lone `\r` end a record. A quote inside an unquoted field is kept as a literal character, as
 * Python's `csv` does. Set aside, each with the span of physical lines it covers:
 * - a record whose field count differs from the header's (`field_count`): nothing is shifted silently;
 * - a quoted field that is still open at the end (`unterminated_quote`), that runs past `maxFieldLines` lines or
 *   `maxFieldBytes` bytes (`quote_over_limit`), or whose closing quote is followed by other text
 *   (`text_after_quote`): the lines from the record's start to the line where that quote opened are set aside,
 *   and reading resumes on the next line, so one stray quote costs one record, not the rest of the file.
 *
 * Every physical line is a header line, a blank line, a line of a good record or a line of a fault:
 * `physicalLines = headerLines + blank + Σ(endLines - lines + 1) + Σ(fault.endLine - fault.line + 1)`.
 *
 * @param text the CSV text (a leading byte-order mark is ignored)
 * @param options separator and the limits of a quoted field
 * @returns header, columns, record line spans, faults and line counts
 * @throws {RangeError} when the text has no header, or the header itself cannot be read
 * @example
 * ```ts
 * import { splitCsv } from "@lib/ingest/tickets/mod.ts";
 * const { columns, faults } = splitCsv('a,b\n1,"x, ""y""\nz"\n"2,stray\n3,w\n');
 * columns[1]; // ['x, "y"\nz', "w"]
 * faults[0].line; // 4 (the stray quote; line 5 is read as the next record)
 * ```
 */
export function splitCsv(text: string, options: SplitCsvOptions = {}): CsvColumns {
  const { separator = ",", maxFieldLines = 200, maxFieldBytes = 1_048_576 } = options;
  if (separator.length !== 1 || separator === '"' || separator === "\n" || separator === "\r") {
    throw new RangeError(
      `Cannot read CSV: separator must be one character other than a quote or line break, got "${separator}"`,
    );
  }
  if (!Number.isInteger(maxFieldLines) || maxFieldLines < 1) {
    throw new RangeError(`Cannot read CSV: maxFieldLines must be an integer >= 1, got ${maxFieldLines}`);
  }
  if (!Number.isInteger(maxFieldBytes) || maxFieldBytes < 1) {
    throw new RangeError(`Cannot read CSV: maxFieldBytes must be an integer >= 1, got ${maxFieldBytes}`);
  }
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const n = s.length;
  const SEP = separator.charCodeAt(0);
  /** The position after the line break that ends the line holding `from` (or the end of the text). */
  const nextLineStart = (from: number): number => {
    for (let p = from; p < n; p++) {
      const c = s.charCodeAt(p);
      if (c === LF) return p + 1;
      if (c === CR) return s.charCodeAt(p + 1) === LF ? p + 2 : p + 1;
    }
    return n;
  };
  const stripEnd = (t: string) => t.replace(/(\r\n|\n|\r)$/, "");

  let pos = 0;
  let line = 1;
  let header: string[] | null = null;
  let headerLines = 0;
  let columns: string[][] = [];
  const lines: number[] = [];
  const endLines: number[] = [];
  const index: number[] = [];
  const faults: CsvFault[] = [];
  let records = 0;
  let blank = 0;

  while (pos < n) {
    const start = pos;
    const startLine = line;
    const fields: string[] = [];
    let quotedAny = false;
    // A fault ends the record early: the span up to the line where the bad quote opened, then resume after it.
    let fault: { reason: string; openLine: number; openPos: number } | null = null;
    let endLine = line;
    for (;;) {
      if (pos < n && s.charCodeAt(pos) === QUOTE) {
        quotedAny = true;
        const openPos = pos;
        const openLine = line;
        let value = "";
        let from = ++pos;
        let breaks = 0;
        let closed = false;
        while (pos < n) {
          const c = s.charCodeAt(pos);
          if (c === QUOTE) {
            value += s.slice(from, pos);
            if (s.charCodeAt(pos + 1) === QUOTE) {
              value += '"';
              pos += 2;
              from = pos;
              continue;
            }
            pos++;
            closed = true;
            break;
          }
          if (c === LF || c === CR) {
            pos += c === CR && s.charCodeAt(pos + 1) === LF ? 2 : 1;
            line++;
            if (++breaks >= maxFieldLines) break;
            continue;
          }
          // More characters than the byte limit is more bytes too: stop scanning a runaway early.
          if (++pos - openPos > maxFieldBytes + 1) break;
        }
        if (!closed) {
          const over = pos < n;
          fault = { reason: over ? "quote_over_limit" : "unterminated_quote", openLine, openPos };
          break;
        }
        const size = pos - openPos;
        if (size > maxFieldBytes || (size * 3 > maxFieldBytes && utf8Length(value) > maxFieldBytes)) {
          fault = { reason: "quote_over_limit", openLine, openPos };
          break;
        }
        if (pos < n) {
          const c = s.charCodeAt(pos);
          if (c !== SEP && c !== LF && c !== CR) {
            fault = { reason: "text_after_quote", openLine, openPos };
            break;
          }
        }
        fields.push(value);
      } else {
        let end = pos;
        while (end < n) {
          const c = s.charCodeAt(end);
          if (c === SEP || c === LF || c === CR) break;
          end++;
        }
        fields.push(s.slice(pos, end));
        pos = end;
      }
      endLine = line;
      if (pos >= n) break;
      const c = s.charCodeAt(pos);
      if (c === SEP) {
        pos++;
        continue;
      }
      // End of record: \r\n, \n or \r.
      pos += c === CR && s.charCodeAt(pos + 1) === LF ? 2 : 1;
      line++;
      break;
    }

    if (fault !== null) {
      // Re-sync: the lines from the record's start to the one where the bad quote opened are set aside.
      const resume = nextLineStart(fault.openPos);
      const raw = stripEnd(s.slice(start, resume));
      pos = resume;
      line = fault.openLine + 1;
      if (header === null) {
        throw new RangeError(
          `Cannot read CSV: the header (line ${startLine}) has a bad quote (${fault.reason}), got "${
            raw.slice(0, 80)
          }"`,
        );
      }
      records++;
      faults.push({ line: startLine, endLine: fault.openLine, reason: fault.reason, raw });
      continue;
    }
    if (fields.length === 1 && fields[0] === "" && !quotedAny) {
      blank++;
      continue;
    }
    if (header === null) {
      header = fields.map((f) => f.trim());
      headerLines = endLine - startLine + 1;
      columns = header.map(() => []);
      continue;
    }
    records++;
    if (fields.length !== header.length) {
      faults.push({ line: startLine, endLine, reason: "field_count", raw: stripEnd(s.slice(start, pos)) });
    } else {
      for (let i = 0; i < fields.length; i++) columns[i].push(fields[i]);
      lines.push(startLine);
      endLines.push(endLine);
      index.push(records);
    }
  }
  if (header === null) throw new RangeError("Cannot read CSV: no header line");
  const last = n === 0 ? LF : s.charCodeAt(n - 1);
  const physicalLines = line - 1 + (last === LF || last === CR ? 0 : 1);
  return { header, columns, lines, endLines, index, faults, records, blank, physicalLines, headerLines };
}
