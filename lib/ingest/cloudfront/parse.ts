import pl from "nodejs-polars";
import { countByReason, type IngestReport, QuarantineLog } from "../common/mod.ts";
import { anonymizeIp, anonymizeIpList, type IpMode } from "./anonymize.ts";
import { decodeRepeated } from "./decode.ts";
import {
  CLOUDFRONT_FIELDS,
  type CloudFrontField,
  columnName,
  FLOAT_FIELDS,
  INT32_FIELDS,
  INT64_FIELDS,
  REQUEST_COLUMNS,
} from "./fields.ts";

/** Options of {@linkcode parseCloudFrontLog} and {@linkcode CloudFrontParser}. */
export interface ParseCloudFrontOptions {
  /** How client addresses are anonymized: keep the /24 or /48 network, or a salted hash. @default "truncate" */
  ipMode?: IpMode;
  /** The secret salt for `ipMode: "hash"`. @default "" */
  ipSalt?: string;
}

/** Parsed CloudFront requests. */
export interface CloudFrontParse {
  /**
   * The clean requests, sorted by time: `timestamp` (Datetime ms UTC), every known field as a snake_case column
   * (`c_ip` and `x_forwarded_for` anonymized, `cs_user_agent` URL-decoded, `cs_cookie` dropped, `-` as null,
   * fields an older variant lacks as null), `fields` (the variant), `source`, `line`.
   */
  rows: pl.DataFrame;
  /** Lines set aside, with the reason; addresses in them anonymized and cookies dropped. */
  quarantine: pl.DataFrame;
  /** The counts; `rows_read = rows_written + rows_quarantined`. */
  report: IngestReport;
}

const KNOWN = new Set<string>(CLOUDFRONT_FIELDS);
const COOKIE_INDEX = CLOUDFRONT_FIELDS.indexOf("cs(Cookie)");
const CHUNK_LINES = 100_000;

interface Layout {
  key: string;
  names: string[];
  n: number;
  valid: boolean;
}

interface Bucket {
  layout: Layout;
  lines: string[];
  src: number[];
  line: number[];
}

function countFields(line: string): number {
  let n = 1;
  for (let i = line.indexOf("\t"); i >= 0; i = line.indexOf("\t", i + 1)) n++;
  return n;
}

/**
 * Reads CloudFront standard (access) logs in the W3C extended format, file after file, and turns them into one
 * clean request table.
 *
 * Each file's `#Fields:` header says which fields its lines carry (12, 19, 24, 26 or 33, or any list of known
 * names); a header may change mid-file. Lines are tab-separated with `-` for empty. Policies, each counted:
 * - a line before any `#Fields:` header: quarantined `no_fields_header`; after a header without `date` and
 *   `time`: `bad_fields_header`
 * - one trailing tab (an empty extra field): removed (`repaired.trailing_tab_lines`); any other field count:
 *   quarantined `field_count`
 * - unreadable date/time, status or number: quarantined `bad_timestamp`, `bad_sc_status`, `bad_<column>`
 * - status `000` (the client went away before the response): kept as 0, counted
 * - user agents URL-decoded, repeatedly for doubly encoded ones (`repaired.ua_double_encoded_rows`)
 * - rows out of time order: sorted (`repaired.reordered_rows`)
 * - client addresses anonymized (`c_ip`, `x_forwarded_for`); an address that does not parse becomes null
 *   (`repaired.ip_unparseable_rows`); cookies dropped, also from quarantined lines
 *
 * @example
 * ```ts ignore
 * const parser = new CloudFrontParser();
 * parser.add(text, "E2EXAMPLE.2019-12-04-21.abcd.gz");
 * const { rows, quarantine, report } = parser.finish();
 * ```
 */
export class CloudFrontParser {
  readonly #ipMode: IpMode;
  readonly #ipSalt: string;
  readonly #quarantine = new QuarantineLog();
  readonly #buckets = new Map<string, Bucket>();
  readonly #frames: pl.DataFrame[] = [];
  readonly #sources: string[] = [];
  readonly #variants = new Map<number, number>();
  readonly #unknownFields = new Set<string>();
  #rowsRead = 0;
  #trailingTab = 0;
  #blank = 0;
  #comments = 0;

  /**
   * @param options address anonymization
   * @throws {RangeError} for `ipMode: "hash"` without a salt
   */
  constructor(options: ParseCloudFrontOptions = {}) {
    const { ipMode = "truncate", ipSalt = "" } = options;
    if (ipMode === "hash" && ipSalt === "") {
      throw new RangeError('Cannot anonymize client addresses with "hash": a salt must be set, got ""');
    }
    this.#ipMode = ipMode;
    this.#ipSalt = ipSalt;
  }

  /** Data lines read so far. */
  get rowsRead(): number {
    return this.#rowsRead;
  }

  #redact(line: string): string {
    const opts = { mode: this.#ipMode, salt: this.#ipSalt };
    return line.split("\t").map((f, i) => {
      if (i === COOKIE_INDEX && f !== "-") return "<cookie dropped>";
      if (/^[0-9a-fA-F:.]+$/.test(f) && anonymizeIp(f, opts) !== null) return anonymizeIp(f, opts) as string;
      if (f.includes(",") && /^[0-9a-fA-F:., ]+$/.test(f)) return anonymizeIpList(f, opts) ?? "-";
      return f;
    }).join("\t");
  }

  #flush(bucket: Bucket): void {
    if (bucket.lines.length === 0) return;
    const names = bucket.layout.names.map((n, i) => KNOWN.has(n) ? columnName(n) : `__unknown_${i}`);
    const df = pl.readCSV(Buffer.from(bucket.lines.join("\n") + "\n"), {
      sep: "\t",
      hasHeader: false,
      quoteChar: undefined,
      inferSchemaLength: 0,
      nullValues: "-",
      missingIsNull: true,
    });
    if (df.height !== bucket.lines.length || df.width !== names.length) {
      throw new Error(
        `Cannot parse CloudFront lines: expected ${bucket.lines.length} rows of ${names.length} fields, got ${df.height} of ${df.width}`,
      );
    }
    const renamed = df.rename(Object.fromEntries(df.columns.map((c, i) => [c, names[i]])));
    const known = names.filter((n) => !n.startsWith("__unknown_"));
    const all = CLOUDFRONT_FIELDS.map(columnName);
    this.#frames.push(
      renamed.select(
        ...all.map((c) => known.includes(c) ? pl.col(c).cast(pl.Utf8) : pl.lit(null).cast(pl.Utf8).alias(c)),
        pl.lit(bucket.layout.n).cast(pl.Int32).alias("fields"),
      ).withColumns(
        pl.Series("__src", Int32Array.from(bucket.src), pl.Int32),
        pl.Series("line", Float64Array.from(bucket.line)).cast(pl.Int64),
      ),
    );
    bucket.lines = [];
    bucket.src = [];
    bucket.line = [];
  }

  /**
   * Reads one log's text (already gunzipped).
   * @param text the log text; `\r\n` endings are accepted
   * @param source the file name, for quarantine rows and lineage
   */
  add(text: string, source: string): void {
    const src = this.#sources.length;
    this.#sources.push(source);
    const body = text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
    const lines = body.split("\n");
    if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    let layout: Layout | null = null;
    const seen = new Set<number>();
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i];
      if (line === "") {
        this.#blank++;
        continue;
      }
      if (line.charCodeAt(0) === 35 /* # */) {
        this.#comments++;
        if (line.startsWith("#Fields:")) {
          const names = line.slice(8).trim().split(/\s+/).filter((s) => s !== "");
          for (const n of names) if (!KNOWN.has(n)) this.#unknownFields.add(n);
          const valid = names.includes("date") && names.includes("time");
          layout = { key: names.join(" "), names, n: names.length, valid };
          if (!seen.has(names.length)) {
            seen.add(names.length);
            this.#variants.set(names.length, (this.#variants.get(names.length) ?? 0) + 1);
          }
        }
        continue;
      }
      this.#rowsRead++;
      if (layout === null) {
        this.#quarantine.add(source, i + 1, "no_fields_header", this.#redact(line));
        continue;
      }
      if (!layout.valid) {
        this.#quarantine.add(source, i + 1, "bad_fields_header", this.#redact(line));
        continue;
      }
      const n = countFields(line);
      if (n !== layout.n) {
        if (n === layout.n + 1 && line.endsWith("\t")) {
          line = line.slice(0, -1);
          this.#trailingTab++;
        } else {
          this.#quarantine.add(source, i + 1, "field_count", this.#redact(line));
          continue;
        }
      }
      let bucket = this.#buckets.get(layout.key);
      if (!bucket) {
        bucket = { layout, lines: [], src: [], line: [] };
        this.#buckets.set(layout.key, bucket);
      }
      bucket.lines.push(line);
      bucket.src.push(src);
      bucket.line.push(i + 1);
      if (bucket.lines.length >= CHUNK_LINES) this.#flush(bucket);
    }
  }

  /**
   * Types, checks, anonymizes and sorts everything added.
   * @returns the clean rows, the quarantine and the report (checked: rows in = rows out + quarantined)
   */
  finish(): CloudFrontParse {
    for (const b of this.#buckets.values()) this.#flush(b);
    const all = CLOUDFRONT_FIELDS.map(columnName);
    const sources = pl.DataFrame([
      pl.Series("__src", this.#sources.map((_, i) => i), pl.Int32),
      pl.Series("source", this.#sources, pl.Utf8),
    ]);
    const empty = pl.DataFrame([
      ...all.map((c) => pl.Series(c, [], pl.Utf8)),
      pl.Series("fields", [], pl.Int32),
      pl.Series("__src", [], pl.Int32),
      pl.Series("line", [], pl.Int64),
    ]);
    const stacked: pl.DataFrame = this.#frames.length === 0 ? empty : pl.concat(this.#frames, { how: "vertical" });
    const raw = stacked.join(sources, { on: "__src", how: "left" });

    const numeric = [...INT64_FIELDS, ...INT32_FIELDS, ...FLOAT_FIELDS] as CloudFrontField[];
    const typed = (f: CloudFrontField) =>
      pl.col(columnName(f)).cast(
        INT64_FIELDS.includes(f) ? pl.Int64 : INT32_FIELDS.includes(f) ? pl.Int32 : pl.Float64,
        false,
      );
    const ts = pl.concatString([pl.col("date"), pl.col("time")], " ")
      .str.strptime(pl.Datetime("ms"), "%Y-%m-%d %H:%M:%S%.f").cast(pl.Datetime("ms"));
    const status = pl.col("__t_sc_status");
    // The first rule a row breaks is its reason.
    const rules: [pl.Expr, string][] = [
      [pl.col("date").isNull().or(pl.col("time").isNull()).or(pl.col("timestamp").isNull()), "bad_timestamp"],
      [
        pl.col("sc_status").isNotNull().and(status.isNull().or(status.neq(0).and(status.lt(100).or(status.gt(599))))),
        "bad_sc_status",
      ],
      ...numeric.filter((f) => f !== "sc-status").map((f): [pl.Expr, string] => {
        const c = columnName(f);
        return [pl.col(c).isNotNull().and(pl.col(`__t_${c}`).isNull()), `bad_${c}`];
      }),
    ];
    const reason = rules.reduceRight<pl.Expr>(
      (acc, [cond, why]) => pl.when(cond).then(pl.lit(why)).otherwise(acc),
      pl.lit(null).cast(pl.Utf8),
    );
    const withReason = raw.lazy()
      .withColumns(
        ts.alias("timestamp"),
        ...numeric.map((f) => typed(f).alias(`__t_${columnName(f)}`)),
      )
      .withColumns(reason.cast(pl.Utf8).alias("reason"))
      .collectSync();

    const bad = withReason.filter(pl.col("reason").isNotNull());
    if (bad.height > 0) {
      const rawLines = bad.select(
        pl.concatString(
          (bad.columns as string[]).filter((c) => all.includes(c)).map((c) => pl.col(c).fillNull(pl.lit("-"))),
          "\t",
        ).alias("raw"),
      ).getColumn("raw").toArray() as string[];
      const widths = bad.getColumn("fields").toArray() as number[];
      for (let i = 0; i < rawLines.length; i++) rawLines[i] = rawLines[i].split("\t").slice(0, widths[i]).join("\t");
      this.#quarantine.addFrame(
        bad.select("source", "line", "reason").withColumns(
          pl.Series("raw", rawLines.map((l) => this.#redact(l)), pl.Utf8),
        ),
      );
    }

    let good = withReason.filter(pl.col("reason").isNull())
      .withColumns(
        ...numeric.map((f) => pl.col(`__t_${columnName(f)}`).alias(columnName(f))),
        pl.col("timestamp").dt.replaceTimeZone("UTC").cast(pl.Datetime("ms", "UTC")),
      );
    const reordered = good.lazy()
      .sort(["__src", "line"])
      .select(pl.col("timestamp").lt(pl.col("timestamp").cumMax().shift(1).over("__src")).fillNull(false).alias("l"))
      .select(pl.col("l").cast(pl.Int64).sum())
      .collectSync().row(0)[0];

    const opts = { mode: this.#ipMode, salt: this.#ipSalt };
    const ipMap = this.#mapUnique(good, "c_ip", (v) => anonymizeIp(v, opts));
    const xffMap = this.#mapUnique(good, "x_forwarded_for", (v) => anonymizeIpList(v, opts));
    const uaValues = good.select(pl.col("cs_user_agent").unique().dropNulls()).getColumn("cs_user_agent")
      .toArray() as string[];
    const uaDecoded = uaValues.map((v) => decodeRepeated(v));
    const uaMap = pl.DataFrame([
      pl.Series("cs_user_agent", uaValues, pl.Utf8),
      pl.Series("__ua", uaDecoded.map((d) => d.text), pl.Utf8),
      pl.Series("__ua_passes", uaDecoded.map((d) => d.passes), pl.Int32),
    ]);
    good = good.lazy()
      .join(ipMap.lazy(), { on: "c_ip", how: "left" })
      .join(xffMap.lazy(), { on: "x_forwarded_for", how: "left" })
      .join(uaMap.lazy(), { on: "cs_user_agent", how: "left" })
      .collectSync();
    const facts = good.select(
      pl.col("c_ip").isNotNull().and(pl.col("__c_ip").isNull()).cast(pl.Int64).sum().alias("ip_bad"),
      pl.col("x_forwarded_for").isNotNull().and(pl.col("__x_forwarded_for").isNull()).cast(pl.Int64).sum()
        .alias("xff_bad"),
      pl.col("__ua_passes").gtEq(1).cast(pl.Int64).sum().alias("ua1"),
      pl.col("__ua_passes").gtEq(2).cast(pl.Int64).sum().alias("ua2"),
      pl.col("sc_status").eq(0).cast(pl.Int64).sum().alias("s000"),
      pl.col("cs_cookie").isNotNull().cast(pl.Int64).sum().alias("cookies"),
    ).row(0).map(Number);
    const rows = good.lazy()
      .withColumns(
        pl.col("__c_ip").alias("c_ip"),
        pl.col("__x_forwarded_for").alias("x_forwarded_for"),
        pl.col("__ua").alias("cs_user_agent"),
      )
      .sort(["timestamp", "source", "line"])
      .select(...REQUEST_COLUMNS)
      .collectSync();

    const quarantine = this.#quarantine.toFrame();
    const report: IngestReport = {
      source: "cloudfront",
      table: "requests",
      files_read: this.#sources.length,
      rows_read: this.#rowsRead,
      rows_written: rows.height,
      rows_quarantined: quarantine.height,
      quarantined: countByReason(quarantine),
      repaired: {
        trailing_tab_lines: this.#trailingTab,
        reordered_rows: Number(reordered),
        ua_decoded_rows: facts[2],
        ua_double_encoded_rows: facts[3],
        ip_unparseable_rows: facts[0],
        forwarded_for_unparseable_rows: facts[1],
        cookies_dropped_rows: facts[5],
      },
      preprocessing: {
        status_000_rows: facts[4],
        blank_lines: this.#blank,
        comment_lines: this.#comments,
        variants: [...this.#variants.entries()].sort((a, b) => a[0] - b[0]).map(([n, c]) => `${n}:${c}`).join(","),
        unknown_fields: [...this.#unknownFields].sort().join(","),
        ip_mode: this.#ipMode,
      },
      files_skipped: [],
    };
    return { rows, quarantine, report };
  }

  #mapUnique(df: pl.DataFrame, col: string, fn: (v: string) => string | null): pl.DataFrame {
    const values = df.select(pl.col(col).unique().dropNulls()).getColumn(col).toArray() as string[];
    return pl.DataFrame([
      pl.Series(col, values, pl.Utf8),
      pl.Series(`__${col}`, values.map(fn), pl.Utf8),
    ]);
  }
}

/**
 * Parses one CloudFront log text (W3C extended format) into clean requests, a quarantine and a report; see
 * {@linkcode CloudFrontParser} for the policies. For many files, use a parser and `add` each.
 * @param text the log text (gunzipped)
 * @param options address anonymization and the source name
 * @returns rows, quarantine and report
 * @example
 * ```ts
 * import { parseCloudFrontLog } from "@lib/ingest/cloudfront/mod.ts";
 * const text = "#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem " +
 *   "sc-status cs(Referer) cs(User-Agent) cs-uri-query\n" +
 *   "2014-05-23\t01:13:11\tFRA2\t182\t192.0.2.10\tGET\td111111abcdef8.cloudfront.net\t/view/my/file.html\t200\t" +
 *   "www.displaymyfiles.com\tMozilla/4.0%20(compatible)\t-\n";
 * const { rows, report } = parseCloudFrontLog(text);
 * rows.getColumn("c_ip").toArray(); // ["192.0.2.0"]
 * report.rows_quarantined; // 0
 * ```
 */
export function parseCloudFrontLog(
  text: string,
  options: ParseCloudFrontOptions & { source?: string } = {},
): CloudFrontParse {
  const parser = new CloudFrontParser(options);
  parser.add(text, options.source ?? "<text>");
  return parser.finish();
}
