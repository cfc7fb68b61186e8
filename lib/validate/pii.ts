import pl from "nodejs-polars";
import { engineFor, type TableFrame } from "@lib/lake/mod.ts";
import { check } from "./result.ts";
import { subject } from "./schema.ts";
import type { CheckResult } from "./types.ts";

/** The kinds of personal data {@linkcode scanPii} looks for. */
export const PII_KINDS = ["email", "ipv4", "ipv6", "phone", "card"] as const;
/** A kind of personal data. */
export type PiiKind = typeof PII_KINDS[number];

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

// Boundaries are captured groups, not look-arounds (Rust regex has none), and put back on replacement.
const B4 = "(^|[^0-9A-Za-z.])";
const A4 = "($|[^0-9A-Za-z.]|\\.$|\\.[^0-9A-Za-z])";
const OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const H = "[0-9A-Fa-f]{1,4}";
const IPV6 = `(?:(?:${H}:){7}${H}|(?:${H}(?::${H}){0,6})?::(?:${H}(?::${H}){0,6})?)`;
const B6 = "(^|[^0-9A-Za-z:])";
const A6 = "($|[^0-9A-Za-z:])";
const EMAIL_LOCAL = "[A-Za-z0-9._%+-]+";
const DOMAIN_END = "($|[^A-Za-z0-9.-]|\\.$|\\.[^A-Za-z0-9-])";
const BP = "(^|[^0-9A-Za-z+.-])";
const AP = "($|[^0-9A-Za-z-]|\\.$|\\.[^0-9])";
const PHONE = "(?:\\+[1-9][0-9]{0,2}[ .-]?(?:\\([0-9]{1,4}\\)[ .-]?)?[0-9]{1,4}(?:[ .-]?[0-9]{2,4}){2,4}" +
  "|\\([0-9]{3}\\)[ .-]?[0-9]{3}[ .-][0-9]{4}|[0-9]{3}[.-][0-9]{3}[.-][0-9]{4})";
const CARD = "(^|[^0-9])([0-9](?:[ -]?[0-9]){12,18})($|[^0-9])";

/** Per kind: the pattern of a candidate (group 2 is the value), and the allowed values to strip before looking. */
const PATTERNS: Record<Exclude<PiiKind, "card">, { find: string; allowed: string }> = {
  email: {
    find: `(^|[^A-Za-z0-9._%+-])(${EMAIL_LOCAL}@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})${DOMAIN_END}`,
    // RFC 2606: example.com/.net/.org and the reserved top-level domains can belong to no one.
    allowed: `(^|[^A-Za-z0-9._%+-])${EMAIL_LOCAL}@(?:[A-Za-z0-9-]+\\.)*` +
      `(?:(?i:example\\.(?:com|net|org))|[A-Za-z0-9-]+\\.(?i:example|test|invalid|localhost))${DOMAIN_END}`,
  },
  ipv4: {
    find: `${B4}(${IPV4})${A4}`,
    // RFC 5737 documentation ranges, loopback, unspecified, and 255.x (masks, broadcast): none names a host.
    allowed: `${B4}(?:(?:192\\.0\\.2|198\\.51\\.100|203\\.0\\.113)\\.${OCTET}|127(?:\\.${OCTET}){3}|0\\.0\\.0\\.0|` +
      `255(?:\\.${OCTET}){3})${A4}`,
  },
  ipv6: {
    find: `${B6}(${IPV6})${A6}`,
    // RFC 3849 documentation prefix 2001:db8::/32, loopback and unspecified.
    allowed: `${B6}(?:(?i:2001:0?db8:)[0-9A-Fa-f:]*|::1?)${A6}`,
  },
  phone: {
    find: `${BP}(${PHONE})${AP}`,
    // 555-0100 to 555-0199 are reserved for fiction in the North American plan.
    allowed: `${BP}(?:\\+1[ .-]?)?(?:\\([0-9]{3}\\)|[0-9]{3})[ .-]?555[ .-]?01[0-9]{2}${AP}`,
  },
};

/** Documented test card numbers (payment processors publish them): Luhn-valid but nobody's. */
const TEST_CARDS = [
  "4111111111111111",
  "4242424242424242",
  "4012888888881881",
  "4000056655665556",
  "5555555555554444",
  "5105105105105100",
  "2223003122003222",
  "378282246310005",
  "371449635398431",
  "6011111111111117",
  "3056930009020004",
  "3566002020360505",
];

function mask(kind: PiiKind, value: string): string {
  switch (kind) {
    case "email": {
      const [local, domain] = value.split("@");
      return `${local.slice(0, 1)}***@${domain}`;
    }
    case "ipv4":
      return `${value.split(".")[0]}.x.x.x`;
    case "ipv6":
      return `${value.split(":")[0]}:x:…`;
    case "phone":
      return `${value.replace(/[0-9](?=(?:\D*[0-9]){2})/g, "*")}`;
    case "card":
      return `****${value.replace(/\D/g, "").slice(-4)}`;
  }
}

/** The Luhn checksum of a digit string (up to 19 digits), as one Polars expression. */
function luhnValid(digits: pl.Expr): pl.Expr {
  // Left-padding with zeros leaves the checksum unchanged and puts the j-th digit from the right at 18 - j.
  const padded = digits.str.zFill(19);
  let sum: pl.Expr = pl.lit(0);
  for (let j = 0; j < 19; j++) {
    const d = padded.str.slice(18 - j, 1).cast(pl.Int32);
    sum = sum.add(j % 2 === 1 ? pl.when(d.gt(4)).then(d.mul(2).sub(9)).otherwise(d.mul(2)) : d);
  }
  return sum.modulo(10).eq(0);
}

/** Card-like: 13-19 digits with an issuer prefix (Visa, Mastercard, Amex, Discover, JCB, Diners). */
const CARD_PREFIX =
  "^(?:4[0-9]{12}(?:[0-9]{3}){0,2}|5[1-5][0-9]{14}|2(?:2[2-9][1-9]|2[3-9][0-9]|[3-6][0-9]{2}|7[01][0-9]|720)[0-9]{12}" +
  "|3[47][0-9]{13}|6(?:011|5[0-9]{2}|4[4-9][0-9])[0-9]{12,15}|35[0-9]{14,17}|3(?:0[0-5]|[68][0-9])[0-9]{11,16})$";

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

function findPattern(values: pl.DataFrame, kind: Exclude<PiiKind, "card">, column: string): PiiFinding | undefined {
  const { find, allowed } = PATTERNS[kind];
  const candidates = values.filter(pl.col("v").str.contains(find));
  if (candidates.height === 0) return undefined;
  // Strip allowed values twice: a match consumes the boundary its neighbour would need.
  const strip = (e: pl.Expr) => e.str.replaceAll(allowed, "${1} ${2}");
  const rest = candidates.lazy().withColumns(strip(strip(pl.col("v"))).alias("rest"))
    .filter(pl.col("rest").str.contains(find)).collectSync();
  if (rest.height === 0) return undefined;
  const example = String(rest.select(pl.col("rest").str.extract(find, 2)).getColumn("rest").get(0) ?? "");
  return {
    column,
    kind,
    rows: Number(rest.getColumn("n").sum()),
    values: rest.height,
    example: mask(kind, example),
  };
}

function findCards(values: pl.DataFrame, column: string): PiiFinding | undefined {
  let rest = values.lazy().withRowIndex("i").filter(pl.col("v").str.contains(CARD));
  const found: pl.DataFrame[] = [];
  // Take one candidate per value per round, then blank it; rounds shrink to the values that still hold one.
  for (let round = 0; round < 64; round++) {
    const cur = rest.collectSync();
    if (cur.height === 0) break;
    found.push(cur.select(pl.col("i"), pl.col("v").str.extract(CARD, 2).str.replaceAll("[ -]", "").alias("d")));
    rest = cur.lazy().withColumns(pl.col("v").str.replace(CARD, "${1} ${3}", false, 1))
      .filter(pl.col("v").str.contains(CARD));
  }
  if (found.length === 0) return undefined;
  const hits = pl.concat(found).lazy()
    .filter(pl.col("d").str.contains(CARD_PREFIX).and(pl.col("d").isIn(TEST_CARDS).not()))
    .filter(luhnValid(pl.col("d")))
    .collectSync();
  if (hits.height === 0) return undefined;
  const rows = values.withRowIndex("i").join(hits.select("i").unique(), { on: "i", how: "semi" });
  return {
    column,
    kind: "card",
    rows: Number(rows.getColumn("n").sum()),
    values: rows.height,
    example: mask("card", String(hits.getColumn("d").get(0))),
  };
}

/** Options of {@linkcode scanPii}. */
export interface ScanPiiOptions {
  /** The kinds to look for. @default all of {@linkcode PII_KINDS} */
  kinds?: readonly PiiKind[];
}

/**
 * Finds personal data in string columns, with Polars string expressions over each column's distinct values:
 * e-mail addresses outside the reserved domains (example.com/.net/.org, .example, .test, .invalid, .localhost),
 * IPv4 addresses outside the documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24; loopback,
 * 0.0.0.0 and 255.x are allowed too), IPv6 addresses outside 2001:db8::/32 (and ::1, ::), phone numbers (the
 * fictional 555-01xx range is allowed) and card numbers (issuer prefix, 13-19 digits, Luhn-valid, not a published
 * test number).
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
  const { kinds = PII_KINDS } = options;
  const schema = df.schema as Record<string, pl.DataType>;
  const cols = columns ?? df.columns.filter((c) => isText(schema[c]));
  const out: PiiFinding[] = [];
  for (const column of cols) {
    if (schema[column] === undefined) throw new RangeError(`Cannot scan "${column}" for personal data: no such column`);
    const values = distinctValues(df, column);
    for (const kind of kinds) {
      const finding = kind === "card" ? findCards(values, column) : findPattern(values, kind, column);
      if (finding) out.push(finding);
    }
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
}

const WHAT: Record<PiiKind, string> = {
  email: "e-mail addresses outside the reserved domains",
  ipv4: "IPv4 addresses outside the documentation ranges",
  ipv6: "IPv6 addresses outside 2001:db8::/32",
  phone: "phone numbers outside the fictional 555-01xx range",
  card: "Luhn-valid card numbers",
};

/**
 * PII checks: one result per scanned column and kind of personal data, failing when any is found.
 * @param df the table
 * @param options columns, kinds, severity
 * @returns `pii.<kind>:<column>` results
 */
export function checkPii(df: TableFrame, options: CheckPiiOptions = {}): CheckResult[] {
  const { severity = "error", table, kinds = PII_KINDS } = options;
  const schema = df.schema as Record<string, pl.DataType>;
  const columns = (options.columns ?? df.columns).filter((c) => isText(schema[c]));
  const findings = scanPii(df, columns, { kinds });
  const out: CheckResult[] = [];
  for (const column of columns) {
    for (const kind of kinds) {
      const f = findings.find((x) => x.column === column && x.kind === kind);
      out.push(check({
        id: `pii.${kind}:${subject(column, table)}`,
        severity,
        passed: f === undefined,
        measured: f?.rows ?? 0,
        threshold: "= 0 rows",
        message: f === undefined
          ? `No ${WHAT[kind]} in "${column}"`
          : `${f.rows.toLocaleString("en-US")} rows of "${column}" hold ${WHAT[kind]}, e.g. ${f.example}`,
      }));
    }
  }
  return out;
}
