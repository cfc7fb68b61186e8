import pl from "nodejs-polars";
import { engineFor, type TableFrame } from "@lib/lake/mod.ts";
import { detectPii, maskPii, PII_KINDS, type PiiKind } from "./pii/detect.ts";
import { failingRows, MAX_FAILING_ROWS } from "./_rows.ts";
import { check } from "./result.ts";
import { subject } from "./schema.ts";
import type { CheckResult, FailingRows } from "./types.ts";

export { PII_KINDS, type PiiKind };

/** The kinds a table scan looks for by default: names only when asked (a name column is declared data). */
export const TABLE_PII_KINDS: readonly PiiKind[] = PII_KINDS.filter((k) => k !== "name");

/** Personal data of one kind found in one column. */
export interface PiiFinding {
  /** The column. */
  column: string;
  /** What was found. */
  kind: PiiKind;
  /** Rows holding at least one such value. */
  rows: number;
  /** Distinct cell values holding one. */
  values: number;
  /** One value found, masked (`j***@gmail.com`, `10.x.x.x`, `****1111`). */
  example: string;
}

/**
 * A finding with the first distinct cells holding one (at most 200) and the value found in each, masked: for
 * locating the failing rows inside this module. Never returned: results and reports carry the masked values only.
 */
interface PiiFindingCells extends PiiFinding {
  cells: { cell: string; masked: string }[];
}

/** Whether a dtype holds text: String, Categorical or Enum, or a List of them (e.g. affected servers). */
function isText(dtype: unknown): boolean {
  return /^(DataType\()?(List\((DataType\()?)?(String|Utf8|Categorical|Enum)/.test(String(dtype));
}

/** Distinct values of a column (column `v`) with their row counts (`n`); list columns count each element. */
function distinctValues(df: TableFrame, column: string): pl.DataFrame {
  const isList = /^(DataType\()?List\(/.test(String(df.schema[column]));
  const values = isList ? pl.col(column).explode() : pl.col(column);
  return df.lazy().select(values.cast(pl.String).alias("v")).filter(pl.col("v").isNotNull())
    .groupBy("v").agg(pl.len().alias("n")).collectSync(engineFor(df));
}

const BLOCK_CHARS = 256 * 1024;

// Polars' regex has no look-around: boundaries are captured and put back. Addresses allowed by design (the
// documentation ranges, zero-padded too, and networks truncated to a.b.c.0) are blanked before deciding which
// values could hold anything; the detectors then see the values as they are.
const V4_END = "([^0-9.]|$|\\.$|\\.[^0-9])";
const ALLOWED_V4 = `(^|[^0-9A-Za-z.])(?:0*192\\.0{1,3}\\.0*2\\.[0-9]{1,3}|0*198\\.0*51\\.0*100\\.[0-9]{1,3}|` +
  `0*203\\.0{1,3}\\.0*113\\.[0-9]{1,3}|[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.0{1,3})${V4_END}`;
/**
 * What every detector needs at least one of: `@`, `%40` or an obfuscated "at"; digit.digit; hex:hex or `::`; `+`
 * and a digit; nine digits with at most two separators between neighbours; two capitals and two digits (IBAN);
 * a capitalised pair (names, only when asked).
 */
function candidatePattern(kinds: readonly PiiKind[]): string {
  const parts = [
    "@|%40|(?i:\\bat\\b|\\[at\\]|\\(at\\)|\\{at\\}|<at>|\\[@\\]|\\(@\\))",
    "[0-9]\\.[0-9]",
    "[0-9A-Fa-f]:[0-9A-Fa-f]|::",
    "\\+[0-9]",
    "[0-9](?:[^0-9A-Za-z]{0,2}[0-9]){8}",
    "[A-Z]{2}[0-9]{2}",
  ];
  if (kinds.includes("name")) parts.push("[A-Z][a-z]+\\.? [A-Z]");
  return parts.join("|");
}

/**
 * Runs the detectors over distinct values, many at a time (one pass of each detector over a block of values
 * joined by blank lines, which no detector crosses), and maps what they find back to the values.
 */
function findInValues(values: pl.DataFrame, column: string, kinds: readonly PiiKind[]): PiiFindingCells[] {
  const texts = values.getColumn("v").toArray() as string[];
  const counts = values.getColumn("n").toArray() as number[];
  const hit = new Map<PiiKind, { values: Set<number>; example: string; masked: Map<number, string> }>();
  for (let first = 0; first < texts.length;) {
    let last = first, chars = 0;
    while (last < texts.length && (last === first || chars < BLOCK_CHARS)) chars += texts[last++].length + 2;
    const starts: number[] = [];
    let offset = 0;
    for (let i = first; i < last; i++) {
      starts.push(offset);
      offset += texts[i].length + 2;
    }
    // A blank line between values: no value is the line after another's sign-off.
    for (const m of detectPii(texts.slice(first, last).join("\n\n"), { kinds })) {
      let lo = 0, hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= m.index) lo = mid;
        else hi = mid - 1;
      }
      const h = hit.get(m.kind) ??
        { values: new Set<number>(), example: maskPii(m.kind, m.value), masked: new Map<number, string>() };
      h.values.add(first + lo);
      if (h.masked.size < MAX_FAILING_ROWS && !h.masked.has(first + lo)) {
        h.masked.set(first + lo, maskPii(m.kind, m.value));
      }
      hit.set(m.kind, h);
    }
    first = last;
  }
  return kinds.filter((k) => hit.has(k)).map((kind) => {
    const h = hit.get(kind)!;
    let rows = 0;
    for (const i of h.values) rows += counts[i];
    const cells = [...h.masked].map(([i, masked]) => ({ cell: texts[i], masked }));
    return { column, kind, rows, values: h.values.size, example: h.example, cells };
  });
}

/** Options of {@linkcode scanPii}. */
export interface ScanPiiOptions {
  /** The kinds to look for. @default {@linkcode TABLE_PII_KINDS} (all but names) */
  kinds?: readonly PiiKind[];
}

/**
 * Finds personal data in string columns: Polars collects each column's distinct values, the detectors of
 * {@linkcode detectPii} run over them (checksums, number plans and context are rules a Polars expression cannot
 * say): e-mail addresses (obfuscated and %40-encoded too) outside the reserved domains (example.com/.net/.org,
 * .example, .test, .invalid, .localhost, .local, .internal), IPv4 addresses (zero-padded too) outside the
 * documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24; loopback, 0.x, 255.x and /24 networks
 * `a.b.c.0` as ingest truncates them are allowed; versions are not addresses), IPv6 addresses outside
 * 2001:db8::/32 (::1, :: and /48 prefixes allowed), phone numbers (international, North American, national
 * trunk-prefixed; bare 10-digit ones with context; the fictional 555-01xx range allowed), card numbers
 * (issuer prefix, Luhn, not a published test number), US SSNs (valid area, group and serial), IBANs (length and
 * mod-97 checksum) and, when asked, person names.
 *
 * @param df the table
 * @param columns the columns to scan (default: every string column, String or Categorical)
 * @param options the kinds to look for
 * @returns one finding per column and kind found, with row counts and a masked example
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { scanPii } from "@lib/validate/mod.ts";
 * const df = pl.DataFrame({ msg: ["mail ops@example.com", "mail jane.doe@gmail.com"] });
 * scanPii(df); // [{ column: "msg", kind: "email", rows: 1, values: 1, example: "j***@gmail.com" }]
 * ```
 */
export function scanPii(df: TableFrame, columns?: readonly string[], options: ScanPiiOptions = {}): PiiFinding[] {
  return scanCells(df, columns, options).map(({ cells: _, ...finding }) => finding);
}

/** {@linkcode scanPii} with the cells of each finding (this module only: for failing rows). */
function scanCells(df: TableFrame, columns?: readonly string[], options: ScanPiiOptions = {}): PiiFindingCells[] {
  const { kinds = TABLE_PII_KINDS } = options;
  const schema = df.schema as Record<string, pl.DataType>;
  const cols = columns ?? df.columns.filter((c) => isText(schema[c]));
  const out: PiiFindingCells[] = [];
  for (const column of cols) {
    if (schema[column] === undefined) throw new RangeError(`Cannot scan "${column}" for personal data: no such column`);
    const values = distinctValues(df, column);
    const strip = (e: pl.Expr) => e.str.replaceAll(ALLOWED_V4, "${1} ${2}");
    // Twice: a match consumes the boundary its neighbour needs ("192.0.2.1,192.0.2.2").
    const candidates = values.lazy().filter(strip(strip(pl.col("v"))).str.contains(candidatePattern(kinds)))
      .collectSync();
    out.push(...findInValues(candidates, column, kinds));
  }
  return out;
}

/** Options of {@linkcode checkPii}. */
export interface CheckPiiOptions extends ScanPiiOptions {
  /** The columns to scan. @default every string column (String or Categorical) */
  columns?: readonly string[];
  /** Severity of a finding. @default "error" */
  severity?: "error" | "warning";
  /** The table name, for subjects. @default none */
  table?: string;
  /** The table's key columns, which key the failing rows of a finding. @default none */
  key?: readonly string[];
}

const WHAT: Record<PiiKind, string> = {
  email: "e-mail addresses outside the reserved domains",
  ipv4: "IPv4 addresses outside the documentation ranges",
  ipv6: "IPv6 addresses outside 2001:db8::/32",
  phone: "phone numbers outside the fictional 555-01xx range",
  card: "Luhn-valid card numbers",
  ssn: "US social security numbers",
  iban: "IBANs with a valid checksum",
  name: "person names",
};

/**
 * PII checks: one result per scanned column and kind of personal data, failing when any is found.
 * @param df the table
 * @param options columns, kinds, severity
 * @returns `pii.<kind>:<column>` results
 */
export function checkPii(df: TableFrame, options: CheckPiiOptions = {}): CheckResult[] {
  const { severity = "error", table, kinds = TABLE_PII_KINDS } = options;
  const schema = df.schema as Record<string, pl.DataType>;
  const columns = (options.columns ?? df.columns).filter((c) => isText(schema[c]));
  const findings = scanCells(df, columns, { kinds });
  const out: CheckResult[] = [];
  for (const column of columns) {
    for (const kind of kinds) {
      const f = findings.find((x) => x.column === column && x.kind === kind);
      const rows = f === undefined ? undefined : piiRows(df, f, options.key ?? []);
      out.push(check({
        id: `pii.${kind}:${subject(column, table)}`,
        severity,
        passed: f === undefined,
        measured: f?.rows ?? 0,
        threshold: "= 0 rows",
        message: f === undefined
          ? `No ${WHAT[kind]} in "${column}"`
          : `${f.rows.toLocaleString("en-US")} rows of "${column}" hold ${WHAT[kind]}, e.g. ${f.example}`,
        ...(rows ? { failing_rows: rows } : {}),
      }));
    }
  }
  return out;
}

/**
 * The rows of a finding, keyed, with the value found masked in place of the cell (the cell itself never leaves):
 * a filter on the distinct cells that hold one, and a head.
 */
function piiRows(df: TableFrame, f: PiiFindingCells, key: readonly string[]): FailingRows | undefined {
  const { cells } = f;
  // A list column (affected servers) holds its values inside lists: its finding names them, no rows.
  if (cells.length === 0 || /List/.test(String((df.schema as Record<string, unknown>)[f.column]))) return undefined;
  const masked = new Map(cells.map((c) => [c.cell, c.masked]));
  const found = failingRows(df, pl.col(f.column).cast(pl.String).isIn(cells.map((c) => c.cell)), {
    key: key.filter((k) => k !== f.column),
    columns: [f.column],
    total: f.rows,
  });
  if (found === undefined) return undefined;
  const at = found.columns.indexOf(f.column);
  const rows = found.rows.map((r) => r.map((v, i) => i === at ? masked.get(String(v)) ?? "***" : v));
  const columns = found.columns.map((c, i) => i === at ? `${c} (masked)` : c);
  return { ...found, columns, rows };
}
