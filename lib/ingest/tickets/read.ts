import pl from "nodejs-polars";
import { join } from "node:path";
import {
  countByReason,
  decodeText,
  type IngestReport,
  type InputFile,
  listFiles,
  QuarantineLog,
  readSourceDocs,
  sha256Hex,
  type SourceDoc,
} from "../common/mod.ts";
import { splitCsv } from "./csv.ts";
import { cleanHtmlExpr, decodeNumericEntities, HTML_PATTERN } from "./html.ts";
import { DEFAULT_SEVERITY_MATRIX, severityFrame, type SeverityMatrix } from "./severity.ts";

/** The ticket fields opslab knows, each read from a CSV column. */
export const TICKET_FIELDS = [
  "title",
  "body",
  "ticket_type",
  "category",
  "sub_category1",
  "sub_category2",
  "business_service",
  "urgency",
  "impact",
] as const;
/** A ticket field. */
export type TicketField = typeof TICKET_FIELDS[number];

/** Integer label-code fields. */
export const LABEL_FIELDS: readonly TicketField[] = [
  "ticket_type",
  "category",
  "sub_category1",
  "sub_category2",
  "business_service",
  "urgency",
  "impact",
];

/**
 * Which CSV column holds each field: the defaults fit the real helpdesk export (same names). Map a field to
 * null when the CSV has no such column (`body`, `urgency` and `impact` are required); `id` names a column holding
 * the source's own ticket id.
 */
export type TicketColumns = Partial<Record<TicketField | "id", string | null>>;

/** The default mapping: every field from the column of the same name, no id column. */
export const DEFAULT_TICKET_COLUMNS: Readonly<Record<TicketField | "id", string | null>> = {
  ...Object.fromEntries(TICKET_FIELDS.map((f) => [f, f])) as Record<TicketField, string>,
  id: null,
};

/** Options of {@linkcode readTickets}. */
export interface ReadTicketsOptions {
  /** Column mapping, merged over {@linkcode DEFAULT_TICKET_COLUMNS}. @default {} */
  columns?: TicketColumns;
  /** Severity by urgency then impact code. @default DEFAULT_SEVERITY_MATRIX */
  severityMatrix?: SeverityMatrix;
  /** Field separator. @default "," */
  separator?: string;
  /** The most physical lines one quoted field may span before its record is quarantined. @default 200 */
  maxFieldLines?: number;
  /** The most bytes one quoted field may hold before its record is quarantined. @default 1048576 */
  maxFieldBytes?: number;
}

/** Tickets read from a CSV export. */
export interface TicketsData {
  /**
   * Clean tickets: `ticket_id` (Int64, the record's position in the file), `source_id` (when mapped), `title`
   * (null when empty), `body` (HTML stripped, entities decoded, whitespace collapsed), the label codes (Int32),
   * `severity` (P1-P4), `html_cleaned` (Boolean).
   */
  tickets: pl.DataFrame;
  /** Records set aside, with the reason and their span of physical lines (`line`, `end_line`). */
  quarantine: pl.DataFrame;
  /**
   * The counts; `rows_read = rows_written + rows_quarantined`, and in physical lines
   * `lines.read = lines.header + lines.blank + lines.written + lines.quarantined`.
   */
  report: IngestReport;
  /** The raw files read, with SHA-256. */
  inputs: InputFile[];
  /** LICENSE / README files found beside the CSV. */
  docs: SourceDoc[];
  /** The first line of the licence file, if any. */
  license?: string;
}

async function findCsv(input: string): Promise<{ root: string; path: string; all: string[] }> {
  const info = await Deno.stat(input).catch((cause) => {
    throw new Error(`Cannot read tickets "${input}": no such file or folder`, { cause });
  });
  if (info.isFile) {
    const parts = input.split("/");
    return { root: parts.slice(0, -1).join("/") || ".", path: parts[parts.length - 1], all: [] };
  }
  const all = await listFiles(input);
  const csvs = all.filter((p) => p.toLowerCase().endsWith(".csv"));
  if (csvs.length === 0) throw new Error(`Cannot read tickets in "${input}": no .csv file found`);
  if (csvs.length > 1) {
    throw new Error(
      `Cannot read tickets in "${input}": ${csvs.length} .csv files found (${csvs.join(", ")}), pass one with --input`,
    );
  }
  return { root: input, path: csvs[0], all };
}

/**
 * Reads a helpdesk ticket export (CSV, RFC 4180 quoting, fields may span lines) into a clean ticket table.
 *
 * Policies, each counted (see {@linkcode splitCsv}):
 * - a record with another field count than the header: quarantined `field_count` (fields are never shifted)
 * - a quoted field left open at the end, running past `maxFieldLines` lines or `maxFieldBytes` bytes, or with
 *   text after its closing quote: the record's lines up to that quote's line are quarantined
 *   (`unterminated_quote`, `quote_over_limit`, `text_after_quote`) and reading resumes on the next line
 * - every physical line is counted: `report.lines` balances like the rows, and each quarantined row names its
 *   span (`line` .. `end_line`)
 * - title and body: HTML tags, scripts, styles and comments removed, entities decoded, whitespace collapsed
 *   (`repaired.html_cleaned_rows`); an empty title becomes null and is kept (`repaired.empty_title_rows`); no
 *   text at all: quarantined `empty_text`
 * - label codes must be integers: quarantined `bad_<field>`; urgency and impact must be present
 *   (`missing_urgency`, `missing_impact`) and in the severity matrix (`unmapped_severity`)
 *
 * @param input a CSV file, or a folder holding exactly one
 * @param options column mapping, severity matrix, separator, quoted-field limits
 * @returns tickets, quarantine, report, inputs, docs
 * @throws {Error} naming a mapped column missing from the header
 * @example
 * ```ts ignore
 * const { tickets } = await readTickets("data/raw/tickets/support", { columns: { title: "subject" } });
 * ```
 */
export async function readTickets(input: string, options: ReadTicketsOptions = {}): Promise<TicketsData> {
  const { separator = ",", severityMatrix = DEFAULT_SEVERITY_MATRIX, maxFieldLines = 200, maxFieldBytes = 1_048_576 } =
    options;
  const mapping = { ...DEFAULT_TICKET_COLUMNS, ...options.columns };
  const { root, path, all } = await findCsv(input);
  const bytes = await Deno.readFile(join(root, path));
  const decoded = decodeText(bytes, path);
  const csv = splitCsv(decoded.text, { separator, maxFieldLines, maxFieldBytes });

  const present = new Map(csv.header.map((h, i) => [h, i]));
  for (const field of ["body", "urgency", "impact"] as const) {
    if (mapping[field] === null || mapping[field] === undefined) {
      throw new RangeError(`Cannot read tickets "${path}": field "${field}" is required, got no column mapped`);
    }
  }
  const cols: Record<string, pl.Series> = {};
  for (const field of [...TICKET_FIELDS, "id"] as const) {
    const col = mapping[field];
    if (col === null || col === undefined) continue;
    const at = present.get(col);
    if (at === undefined) {
      throw new RangeError(
        `Cannot read tickets "${path}": column "${col}" (for ${field}) is not in the header, found ${
          csv.header.map((h) => `"${h}"`).join(", ")
        }`,
      );
    }
    cols[field === "id" ? "source_id" : field] = pl.Series(field, csv.columns[at], pl.Utf8);
  }

  const quarantine = new QuarantineLog({ spans: true });
  for (const f of csv.faults) quarantine.add(path, f.line, f.reason, f.raw, f.endLine);

  const base = pl.DataFrame([
    pl.Series("ticket_id", Float64Array.from(csv.index)).cast(pl.Int64),
    pl.Series("line", Float64Array.from(csv.lines)).cast(pl.Int64),
    pl.Series("end_line", Float64Array.from(csv.endLines)).cast(pl.Int64),
    ...Object.entries(cols).map(([name, s]) => s.alias(name)),
  ]);
  const hasTitle = "title" in cols;
  const text = ["title", "body"].filter((c) => c in cols);
  const labels = LABEL_FIELDS.filter((f) => f in cols);

  // HTML cleaning in Polars; numeric entities, rare, in JS on the rows that have them.
  const htmlFlag = text.map((c) => pl.col(c).str.contains(HTML_PATTERN).fillNull(false))
    .reduce((a, b) => a.or(b));
  let df = base.withColumns(
    ...text.map((c) => cleanHtmlExpr(c).alias(c)),
    htmlFlag.alias("html_cleaned"),
    pl.concatString([...Object.keys(cols)].map((c) => pl.col(c).fillNull(pl.lit(""))), separator).alias("__raw"),
  );
  let entityRows = 0;
  for (const c of text) {
    const sub = df.filter(pl.col(c).str.contains("&#", true).fillNull(false)).select("ticket_id", c);
    if (sub.height === 0) continue;
    entityRows += sub.height;
    const decoded = (sub.getColumn(c).toArray() as string[]).map(decodeNumericEntities);
    const map = sub.select("ticket_id").withColumns(pl.Series("__dec", decoded, pl.Utf8));
    df = df.join(map, { on: "ticket_id", how: "left" })
      .withColumns(pl.when(pl.col("__dec").isNotNull()).then(pl.col("__dec")).otherwise(pl.col(c)).alias(c))
      .drop("__dec");
  }

  const code = (f: string) => pl.col(`__code_${f}`);
  const rawLabel = (f: string) => pl.col(f).str.strip();
  df = df.withColumns(
    ...labels.map((f) =>
      pl.when(rawLabel(f).eq(pl.lit(""))).then(pl.lit(null)).otherwise(rawLabel(f)).alias(`__lbl_${f}`)
    ),
  ).withColumns(...labels.map((f) => pl.col(`__lbl_${f}`).cast(pl.Int32, false).alias(`__code_${f}`)));
  const sev = severityFrame(severityMatrix).rename({ urgency: "__code_urgency", impact: "__code_impact" });
  df = df.join(sev, { on: ["__code_urgency", "__code_impact"], how: "left" });

  const rules: [pl.Expr, string][] = [
    [text.map((c) => pl.col(c).isNull()).reduce((a, b) => a.and(b)), "empty_text"],
    [pl.col("__lbl_urgency").isNull(), "missing_urgency"],
    [pl.col("__lbl_impact").isNull(), "missing_impact"],
    ...labels.map((f): [pl.Expr, string] => [pl.col(`__lbl_${f}`).isNotNull().and(code(f).isNull()), `bad_${f}`]),
    [pl.col("severity").isNull(), "unmapped_severity"],
  ];
  const reason = rules.reduceRight<pl.Expr>(
    (acc, [cond, why]) => pl.when(cond).then(pl.lit(why)).otherwise(acc),
    pl.lit(null).cast(pl.Utf8),
  );
  df = df.withColumns(reason.cast(pl.Utf8).alias("reason"));
  quarantine.addFrame(
    df.filter(pl.col("reason").isNotNull()).select(
      pl.lit(path).alias("source"),
      pl.col("line"),
      pl.col("end_line"),
      pl.col("reason"),
      pl.col("__raw").alias("raw"),
    ),
  );
  const good = df.filter(pl.col("reason").isNull()).sort("ticket_id");
  const tickets = good.select(
    "ticket_id",
    ...("source_id" in cols ? ["source_id"] : []),
    ...(hasTitle ? [pl.col("title")] : [pl.lit(null).cast(pl.Utf8).alias("title")]),
    "body",
    ...LABEL_FIELDS.map((f) => labels.includes(f) ? code(f).alias(f) : pl.lit(null).cast(pl.Int32).alias(f)),
    "severity",
    "html_cleaned",
  );

  const q = quarantine.toFrame();
  const span = pl.col("end_line").sub(pl.col("line")).add(1).sum();
  const linesOf = (df: pl.DataFrame) => df.height === 0 ? 0 : Number(df.select(span.alias("n")).row(0)[0]);
  const facts = tickets.select(
    pl.col("html_cleaned").cast(pl.Int64).sum().alias("html"),
    pl.col("title").isNull().cast(pl.Int64).sum().alias("no_title"),
    ...["P1", "P2", "P3", "P4"].map((p) => pl.col("severity").eq(pl.lit(p)).cast(pl.Int64).sum().alias(p)),
  ).row(0).map(Number);
  const report: IngestReport = {
    source: "tickets",
    table: "tickets",
    files_read: 1,
    rows_read: csv.records,
    rows_written: tickets.height,
    rows_quarantined: q.height,
    quarantined: countByReason(q),
    lines: {
      read: csv.physicalLines,
      header: csv.headerLines,
      blank: csv.blank,
      written: linesOf(good),
      quarantined: linesOf(q),
    },
    repaired: {
      crlf_files: decoded.crlf + decoded.cr > 0 ? 1 : 0,
      bom_files: decoded.bom ? 1 : 0,
      html_cleaned_rows: facts[0],
      numeric_entity_rows: entityRows,
      empty_title_rows: facts[1],
    },
    preprocessing: {
      blank_lines: csv.blank,
      severity_p1: facts[2],
      severity_p2: facts[3],
      severity_p3: facts[4],
      severity_p4: facts[5],
    },
    files_skipped: [],
  };
  const inputs: InputFile[] = [{ path, bytes: bytes.length, sha256: sha256Hex(bytes) }];
  const { docs, license } = all.length > 0 ? await readSourceDocs(root, all) : { docs: [], license: undefined };
  const out: TicketsData = { tickets, quarantine: q, report, inputs, docs };
  if (license !== undefined) out.license = license;
  return out;
}
