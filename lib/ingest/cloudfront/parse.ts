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
const ALL_COLUMNS = CLOUDFRONT_FIELDS.map(columnName);
const COOKIE_INDEX = CLOUDFRONT_FIELDS.indexOf("cs(Cookie)");
const NUMERIC = [...INT64_FIELDS, ...INT32_FIELDS, ...FLOAT_FIELDS] as CloudFrontField[];
const CHUNK_LINES = 100_000;
const FIELDS_PREFIX = new TextEncoder().encode("#Fields:");
const decoder = new TextDecoder("utf-8");

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

interface Scan {
  headers: { line: number; layout: Layout }[];
  dataLines: number[];
  firstData: number;
  blank: number;
  comments: number;
  crlf: number;
  fits: boolean;
  trailing: number;
  bom: boolean;
  finalNewline: boolean;
}

function layoutOf(names: string[]): Layout {
  const valid = names.includes("date") && names.includes("time") && new Set(names).size === names.length;
  return { key: names.join(" "), names, n: names.length, valid };
}

function countFields(line: string): number {
  let n = 1;
  for (let i = line.indexOf("\t"); i >= 0; i = line.indexOf("\t", i + 1)) n++;
  return n;
}

/**
 * Walks the bytes of one log: where the headers are, which lines hold data, and whether every data line has the
 * field count its header promises (a trailing tab allowed). Such a file, with one header and no blank line, goes
 * to Polars' CSV reader as it is; anything else takes the line-by-line path.
 */
function scan(bytes: Uint8Array): Scan {
  const s: Scan = {
    headers: [],
    dataLines: [],
    firstData: 0,
    blank: 0,
    comments: 0,
    crlf: 0,
    fits: true,
    trailing: 0,
    bom: bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf,
    finalNewline: bytes.length === 0 || bytes[bytes.length - 1] === 10,
  };
  const n = bytes.length;
  let pos = s.bom ? 3 : 0;
  let line = 0;
  let expected = -1;
  while (pos < n) {
    let end = bytes.indexOf(10, pos);
    if (end < 0) end = n;
    line++;
    let e = end;
    if (e > pos && bytes[e - 1] === 13) {
      e--;
      s.crlf++;
    }
    if (e === pos) {
      s.blank++;
    } else if (bytes[pos] === 35 /* # */) {
      s.comments++;
      let isFields = e - pos >= FIELDS_PREFIX.length;
      for (let k = 0; isFields && k < FIELDS_PREFIX.length; k++) isFields = bytes[pos + k] === FIELDS_PREFIX[k];
      if (isFields) {
        const names = decoder.decode(bytes.subarray(pos + FIELDS_PREFIX.length, e)).trim().split(/\s+/)
          .filter((x) => x !== "");
        const layout = layoutOf(names);
        s.headers.push({ line, layout });
        expected = layout.n;
      }
    } else {
      if (s.firstData === 0) s.firstData = line;
      s.dataLines.push(line);
      let tabs = 0;
      for (let i = pos; i < e; i++) if (bytes[i] === 9) tabs++;
      if (tabs + 1 !== expected) {
        if (tabs === expected && bytes[e - 1] === 9) s.trailing++;
        else s.fits = false;
      }
    }
    pos = end + 1;
  }
  return s;
}

/**
 * Reads CloudFront standard (access) logs in the W3C extended format, file after file, and turns them into one
 * clean request table.
 *
 * Each file's `#Fields:` header says which fields its lines carry (12, 19, 24, 26 or 33, or any list of known
 * names); a header may change mid-file. Lines are tab-separated with `-` for empty. Policies, each counted:
 * - a line before any `#Fields:` header: quarantined `no_fields_header`; after a header without `date` and
 *   `time` (or naming a field twice): `bad_fields_header`
 * - one trailing tab (an empty extra field): removed (`repaired.trailing_tab_lines`); any other field count:
 *   quarantined `field_count`
 * - unreadable date/time, status or number: quarantined `bad_timestamp`, `bad_sc_status`, `bad_<column>`
 * - status `000` (the client went away before the response): kept as 0, counted
 * - user agents URL-decoded, repeatedly for doubly encoded ones (`repaired.ua_double_encoded_rows`)
 * - rows out of time order: sorted (`repaired.reordered_rows`)
 * - client addresses anonymized (`c_ip`, `x_forwarded_for`); an address that does not parse becomes null
 *   (`repaired.ip_unparseable_rows`); cookies dropped, also from quarantined lines
 *
 * Files whose lines all fit their single header are parsed by Polars straight from the bytes; others line by line.
 * Each chunk is typed, checked and anonymized as it arrives, so memory holds typed columns, not raw text.
 *
 * @example
 * ```ts ignore
 * const parser = new CloudFrontParser();
 * parser.add(bytes, "E2EXAMPLE.2019-12-04-21.abcd.gz");
 * const { rows, quarantine, report } = parser.finish();
 * ```
 */
export class CloudFrontParser {
  readonly #ipMode: IpMode;
  readonly #ipSalt: string;
  readonly #quarantine = new QuarantineLog();
  readonly #buckets = new Map<string, Bucket>();
  readonly #frames: pl.DataFrame[] = [];
  #pending: pl.DataFrame[] = [];
  #pendingRows = 0;
  readonly #sources: string[] = [];
  readonly #variants = new Map<number, number>();
  readonly #unknownFields = new Set<string>();
  readonly #ipMemo = new Map<string, string | null>();
  readonly #xffMemo = new Map<string, string | null>();
  readonly #uaMemo = new Map<string, { text: string; passes: number }>();
  readonly #facts = { ipBad: 0, xffBad: 0, ua1: 0, ua2: 0, s000: 0, cookies: 0 };
  readonly #files = { crlf: 0, bom: 0, noFinalNewline: 0, fast: 0 };
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

  #noteLayout(layout: Layout, seen: Set<number>): void {
    for (const n of layout.names) if (!KNOWN.has(n)) this.#unknownFields.add(n);
    if (!seen.has(layout.n)) {
      seen.add(layout.n);
      this.#variants.set(layout.n, (this.#variants.get(layout.n) ?? 0) + 1);
    }
  }

  /**
   * Reads one log (already gunzipped).
   * @param input the log bytes, or its text; `\r\n` endings, a byte-order mark and invalid UTF-8 are accepted
   * @param source the file name, for quarantine rows and lineage
   */
  add(input: Uint8Array | string, source: string): void {
    const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
    const src = this.#sources.length;
    this.#sources.push(source);
    const s = scan(bytes);
    if (s.crlf > 0) this.#files.crlf++;
    if (s.bom) this.#files.bom++;
    if (!s.finalNewline) this.#files.noFinalNewline++;
    const single = s.headers.length === 1 && s.headers[0].layout.valid &&
      (s.firstData === 0 || s.headers[0].line < s.firstData);
    if (single && s.fits && s.blank === 0 && s.dataLines.length > 0) {
      const layout = s.headers[0].layout;
      const df = this.#readCsv(bytes.subarray(s.bom ? 3 : 0), layout, true);
      if (df.height === s.dataLines.length) {
        this.#noteLayout(layout, new Set());
        this.#rowsRead += s.dataLines.length;
        this.#trailingTab += s.trailing;
        this.#comments += s.comments;
        this.#files.fast++;
        this.#queue(df, Int32Array.from(s.dataLines), src);
        return;
      }
    }
    this.#addLines(new TextDecoder("utf-8").decode(bytes), src, source);
  }

  #addLines(text: string, src: number, source: string): void {
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    const lines = body.split("\n");
    if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    let layout: Layout | null = null;
    const seen = new Set<number>();
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i];
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line === "") {
        this.#blank++;
        continue;
      }
      if (line.charCodeAt(0) === 35 /* # */) {
        this.#comments++;
        if (line.startsWith("#Fields:")) {
          layout = layoutOf(line.slice(8).trim().split(/\s+/).filter((x) => x !== ""));
          this.#noteLayout(layout, seen);
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

  #readCsv(bytes: Uint8Array, layout: Layout, comments: boolean): pl.DataFrame {
    const names = layout.names.map((n, i) => KNOWN.has(n) ? columnName(n) : `__unknown_${i}`);
    const df = pl.readCSV(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), {
      sep: "\t",
      hasHeader: false,
      quoteChar: undefined,
      inferSchemaLength: 0,
      nullValues: "-",
      missingIsNull: true,
      truncateRaggedLines: true,
      encoding: "utf8-lossy",
      ...(comments ? { commentPrefix: "#" } : {}),
      schema: Object.fromEntries(names.map((c) => [c, pl.Utf8])),
    });
    return df.select(
      ...ALL_COLUMNS.map((c) => names.includes(c) ? pl.col(c).cast(pl.Utf8) : pl.lit(null).cast(pl.Utf8).alias(c)),
      pl.lit(layout.n).cast(pl.Int32).alias("fields"),
    );
  }

  #flush(bucket: Bucket): void {
    if (bucket.lines.length === 0) return;
    const df = this.#readCsv(new TextEncoder().encode(bucket.lines.join("\n") + "\n"), bucket.layout, false);
    if (df.height !== bucket.lines.length) {
      throw new Error(`Cannot parse CloudFront lines: expected ${bucket.lines.length} rows, got ${df.height}`);
    }
    // One bucket can hold lines of several files: attach each line's source.
    this.#queue(df, Int32Array.from(bucket.line), Int32Array.from(bucket.src));
    bucket.lines = [];
    bucket.src = [];
    bucket.line = [];
  }

  /** Collects raw chunks and finalizes them in batches: Polars works best on large frames. */
  #queue(raw: pl.DataFrame, lines: Int32Array, src: number | Int32Array): void {
    this.#pending.push(raw.withColumns(
      typeof src === "number" ? pl.lit(src).cast(pl.Int32).alias("__src") : pl.Series("__src", src, pl.Int32),
      pl.Series("line", lines, pl.Int32).cast(pl.Int64),
    ));
    this.#pendingRows += raw.height;
    if (this.#pendingRows >= CHUNK_LINES) this.#drain();
  }

  #drain(): void {
    if (this.#pending.length === 0) return;
    const batch = this.#pending.length === 1 ? this.#pending[0] : pl.concat(this.#pending, { how: "vertical" });
    this.#pending = [];
    this.#pendingRows = 0;
    this.#finalize(batch);
  }

  /** Types, checks and anonymizes one batch of raw fields, keeping the good rows and quarantining the rest. */
  #finalize(withKeys: pl.DataFrame): void {
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
      ...NUMERIC.filter((f) => f !== "sc-status").map((f): [pl.Expr, string] => {
        const c = columnName(f);
        return [pl.col(c).isNotNull().and(pl.col(`__t_${c}`).isNull()), `bad_${c}`];
      }),
    ];
    const reason = rules.reduceRight<pl.Expr>(
      (acc, [cond, why]) => pl.when(cond).then(pl.lit(why)).otherwise(acc),
      pl.lit(null).cast(pl.Utf8),
    );
    const checked = withKeys.lazy()
      .withColumns(ts.alias("timestamp"), ...NUMERIC.map((f) => typed(f).alias(`__t_${columnName(f)}`)))
      .withColumns(reason.cast(pl.Utf8).alias("reason"))
      .collectSync();

    const bad = checked.filter(pl.col("reason").isNotNull());
    if (bad.height > 0) {
      const rawLines = bad.select(
        pl.concatString(ALL_COLUMNS.map((c) => pl.col(c).fillNull(pl.lit("-"))), "\t").alias("raw"),
      ).getColumn("raw").toArray() as string[];
      const widths = bad.getColumn("fields").toArray() as number[];
      const srcs = bad.getColumn("__src").toArray() as number[];
      const ls = bad.getColumn("line").toArray() as (number | bigint)[];
      const rs = bad.getColumn("reason").toArray() as string[];
      for (let i = 0; i < rawLines.length; i++) {
        const rawLine = rawLines[i].split("\t").slice(0, widths[i]).join("\t");
        this.#quarantine.add(this.#sources[srcs[i]], Number(ls[i]), rs[i], this.#redact(rawLine));
      }
    }

    let good = checked.filter(pl.col("reason").isNull());
    const opts = { mode: this.#ipMode, salt: this.#ipSalt };
    const ipMap = this.#mapUnique(good, "c_ip", this.#ipMemo, (v) => anonymizeIp(v, opts));
    const xffMap = this.#mapUnique(good, "x_forwarded_for", this.#xffMemo, (v) => anonymizeIpList(v, opts));
    const uas = good.select(pl.col("cs_user_agent").unique().dropNulls()).getColumn("cs_user_agent")
      .toArray() as string[];
    const decoded = uas.map((v) => {
      let d = this.#uaMemo.get(v);
      if (d === undefined) this.#uaMemo.set(v, d = decodeRepeated(v));
      return d;
    });
    const uaMap = pl.DataFrame([
      pl.Series("cs_user_agent", uas, pl.Utf8),
      pl.Series("__ua", decoded.map((d) => d.text), pl.Utf8),
      pl.Series("__ua_passes", decoded.map((d) => d.passes), pl.Int32),
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
      pl.col("__t_sc_status").eq(0).cast(pl.Int64).sum().alias("s000"),
      pl.col("cs_cookie").isNotNull().cast(pl.Int64).sum().alias("cookies"),
    ).row(0).map(Number);
    this.#facts.ipBad += facts[0];
    this.#facts.xffBad += facts[1];
    this.#facts.ua1 += facts[2];
    this.#facts.ua2 += facts[3];
    this.#facts.s000 += facts[4];
    this.#facts.cookies += facts[5];
    this.#frames.push(
      good.select(
        pl.col("timestamp").dt.replaceTimeZone("UTC").cast(pl.Datetime("ms", "UTC")),
        ...REQUEST_COLUMNS.filter((c) => c !== "timestamp" && c !== "source" && c !== "line").map((c) =>
          c === "c_ip"
            ? pl.col("__c_ip").alias(c)
            : c === "x_forwarded_for"
            ? pl.col("__x_forwarded_for").alias(c)
            : c === "cs_user_agent"
            ? pl.col("__ua").alias(c)
            : ALL_COLUMNS.includes(c) && NUMERIC.map(columnName).includes(c)
            ? pl.col(`__t_${c}`).alias(c)
            : pl.col(c)
        ),
        pl.col("__src"),
        pl.col("line"),
      ),
    );
  }

  #mapUnique(
    df: pl.DataFrame,
    col: string,
    memo: Map<string, string | null>,
    fn: (v: string) => string | null,
  ): pl.DataFrame {
    const values = df.select(pl.col(col).unique().dropNulls()).getColumn(col).toArray() as string[];
    const mapped = values.map((v) => {
      let m = memo.get(v);
      if (m === undefined) memo.set(v, m = fn(v));
      return m;
    });
    return pl.DataFrame([pl.Series(col, values, pl.Utf8), pl.Series(`__${col}`, mapped, pl.Utf8)]);
  }

  /**
   * Sorts everything added by time and reports.
   * @returns the clean rows, the quarantine and the report (rows in = rows out + quarantined)
   */
  finish(): CloudFrontParse {
    for (const b of this.#buckets.values()) this.#flush(b);
    this.#drain();
    const sources = pl.DataFrame([
      pl.Series("__src", this.#sources.map((_, i) => i), pl.Int32),
      pl.Series("source", this.#sources, pl.Utf8),
    ]);
    const empty = pl.DataFrame([
      pl.Series("timestamp", [], pl.Datetime("ms", "UTC")),
      ...REQUEST_COLUMNS.filter((c) => c !== "timestamp" && c !== "source" && c !== "line").map((c) =>
        pl.Series(
          c,
          [],
          c === "fields"
            ? pl.Int32
            : INT64_FIELDS.map(columnName).includes(c)
            ? pl.Int64
            : INT32_FIELDS.map(columnName).includes(c)
            ? pl.Int32
            : FLOAT_FIELDS.map(columnName).includes(c)
            ? pl.Float64
            : pl.Utf8,
        )
      ),
      pl.Series("__src", [], pl.Int32),
      pl.Series("line", [], pl.Int64),
    ]);
    const stacked: pl.DataFrame = this.#frames.length === 0 ? empty : pl.concat(this.#frames, { how: "vertical" });
    this.#frames.length = 0;
    const reordered = stacked.lazy()
      .sort(["__src", "line"])
      .select(pl.col("timestamp").lt(pl.col("timestamp").cumMax().shift(1).over("__src")).fillNull(false).alias("l"))
      .select(pl.col("l").cast(pl.Int64).sum())
      .collectSync().row(0)[0];
    const rows = stacked.lazy()
      .join(sources.lazy(), { on: "__src", how: "left" })
      .sort(["timestamp", "__src", "line"])
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
        crlf_files: this.#files.crlf,
        missing_final_newline_files: this.#files.noFinalNewline,
        bom_files: this.#files.bom,
        trailing_tab_lines: this.#trailingTab,
        reordered_rows: Number(reordered),
        ua_decoded_rows: this.#facts.ua1,
        ua_double_encoded_rows: this.#facts.ua2,
        ip_unparseable_rows: this.#facts.ipBad,
        forwarded_for_unparseable_rows: this.#facts.xffBad,
        cookies_dropped_rows: this.#facts.cookies,
      },
      preprocessing: {
        status_000_rows: this.#facts.s000,
        blank_lines: this.#blank,
        comment_lines: this.#comments,
        variants: [...this.#variants.entries()].sort((a, b) => a[0] - b[0]).map(([n, c]) => `${n}:${c}`).join(","),
        unknown_fields: [...this.#unknownFields].sort().join(","),
        ip_mode: this.#ipMode,
        files_read_whole: this.#files.fast,
      },
      files_skipped: [],
    };
    return { rows, quarantine, report };
  }
}

/**
 * Parses one CloudFront log text (W3C extended format) into clean requests, a quarantine and a report; see
 * {@linkcode CloudFrontParser} for the policies. For many files, use a parser and `add` each.
 * @param text the log text or bytes (gunzipped)
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
  text: string | Uint8Array,
  options: ParseCloudFrontOptions & { source?: string } = {},
): CloudFrontParse {
  const parser = new CloudFrontParser(options);
  parser.add(text, options.source ?? "<text>");
  return parser.finish();
}
