/** A CSV record that could not be used, with where it started and why. */
export interface CsvFault {
  /** 1-based line where the record starts. */
  line: number;
  /** `field_count` or `unterminated_quote`. */
  reason: string;
  /** The record text as read. */
  raw: string;
}

/** CSV text split into columns. */
export interface CsvColumns {
  /** The header fields. */
  header: string[];
  /** One array per header field, one entry per good record. */
  columns: string[][];
  /** The 1-based line where each good record starts. */
  lines: number[];
  /** The 1-based position of each good record among all data records (good and faulty). */
  index: number[];
  /** Records with another field count than the header, or an unterminated quote. */
  faults: CsvFault[];
  /** Data records read (good and faulty; blank lines are not records). */
  records: number;
  /** Blank lines skipped. */
  blank: number;
}

/**
 * Splits RFC 4180 CSV text into columns: fields separated by `sep`, optionally in double quotes (a quote inside
 * written twice), quoted fields may hold separators and line breaks; `\r\n` and `\n` both end a record. Records
 * whose field count differs from the header's are set aside, as is a quoted field left open at the end of the text.
 *
 * @param text the CSV text (a leading byte-order mark is ignored)
 * @param sep the field separator @default ","
 * @returns header, columns, record lines and faults
 * @throws {RangeError} when the text has no header
 * @example
 * ```ts
 * import { splitCsv } from "@lib/ingest/tickets/mod.ts";
 * const { columns } = splitCsv('a,b\n1,"x, ""y""\nz"\n');
 * columns[1]; // ['x, "y"\nz']
 * ```
 */
export function splitCsv(text: string, sep = ","): CsvColumns {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const n = s.length;
  const SEP = sep.charCodeAt(0);
  let pos = 0;
  let line = 1;
  let header: string[] | null = null;
  let columns: string[][] = [];
  const lines: number[] = [];
  const index: number[] = [];
  const faults: CsvFault[] = [];
  let records = 0;
  let blank = 0;

  while (pos < n) {
    const start = pos;
    const startLine = line;
    const fields: string[] = [];
    let open = false;
    // One record.
    for (;;) {
      if (pos < n && s.charCodeAt(pos) === 34 /* " */) {
        let value = "";
        let from = pos + 1;
        for (;;) {
          const q = s.indexOf('"', from);
          if (q < 0) {
            open = true;
            value += s.slice(from);
            pos = n;
            break;
          }
          value += s.slice(from, q);
          if (s.charCodeAt(q + 1) === 34) {
            value += '"';
            from = q + 2;
            continue;
          }
          pos = q + 1;
          break;
        }
        for (let i = value.indexOf("\n"); i >= 0; i = value.indexOf("\n", i + 1)) line++;
        // Text between the closing quote and the next separator is kept, as lenient readers do.
        let end = pos;
        while (end < n && s.charCodeAt(end) !== SEP && s.charCodeAt(end) !== 10 && s.charCodeAt(end) !== 13) end++;
        value += s.slice(pos, end);
        pos = end;
        fields.push(value);
      } else {
        let end = pos;
        while (end < n) {
          const c = s.charCodeAt(end);
          if (c === SEP || c === 10 || c === 13) break;
          end++;
        }
        fields.push(s.slice(pos, end));
        pos = end;
      }
      if (open || pos >= n) break;
      const c = s.charCodeAt(pos);
      if (c === SEP) {
        pos++;
        continue;
      }
      // End of record: \r\n, \n or \r.
      pos += c === 13 && s.charCodeAt(pos + 1) === 10 ? 2 : 1;
      line++;
      break;
    }
    if (fields.length === 1 && fields[0] === "" && !open) {
      if (header !== null) blank++;
      continue;
    }
    if (header === null) {
      header = fields.map((f) => f.trim());
      columns = header.map(() => []);
      continue;
    }
    records++;
    const raw = s.slice(start, pos).replace(/\r?\n$/, "");
    if (open) {
      faults.push({ line: startLine, reason: "unterminated_quote", raw });
    } else if (fields.length !== header.length) {
      faults.push({ line: startLine, reason: "field_count", raw });
    } else {
      for (let i = 0; i < fields.length; i++) columns[i].push(fields[i]);
      lines.push(startLine);
      index.push(records);
    }
  }
  if (header === null) throw new RangeError("Cannot read CSV: no header line");
  return { header, columns, lines, index, faults, records, blank };
}
