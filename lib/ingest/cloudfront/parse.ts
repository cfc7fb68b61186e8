import pl from "nodejs-polars";
import { join } from "node:path";
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
} from "@lib/formats/cloudfront.ts";

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
const FIELDS_PREFIX = new TextEncoder().encode("#Fields:");
const decoder = new TextDecoder("utf-8");
/** Memo tables (address and user-agent rewrites) are dropped past this many entries, so they cannot grow forever. */
const MEMO_LIMIT = 50_000;

interface Layout {
  key: string;
  names: string[];
  n: number;
  valid: boolean;
}

/** Data lines waiting to go to Polars' CSV reader together: one layout, bytes, and each line's file and number. */
interface Block {
  layout: Layout;
  bytes: Uint8Array;
  size: number;
  src: number[];
  line: number[];
}

function layoutOf(names: string[]): Layout {
  const valid = names.includes("date") && names.includes("time") && new Set(names).size === names.length;
  return { key: names.join(" "), names, n: names.length, valid };
}

/** Options of {@linkcode CloudFrontParser}. */
export interface CloudFrontParserOptions extends ParseCloudFrontOptions {
  /** Raw rows typed and checked together (larger: faster, more memory). @default 50000 */
  batchRows?: number;
  /** Bytes of data lines handed to Polars' CSV reader at once. @default 4194304 */
  blockBytes?: number;
  /**
   * A folder (existing, empty) to write each checked batch to as Parquet instead of keeping it in memory; then
   * finish with {@linkcode CloudFrontParser.finishSpilled}. @default none: batches stay in memory
   */
  spillDir?: string;
}

/** Requests parsed into Parquet batches on disk ({@linkcode CloudFrontParser.finishSpilled}). */
export interface CloudFrontSpill {
  /**
   * The batch files, in the order written: `timestamp` (Datetime ms UTC) and the request columns as in
   * {@linkcode CloudFrontParse.rows}, with `__src` (Int32, an index into `sources`) instead of `source`; not sorted.
   */
  parts: string[];
  /** The log files, by `__src`. */
  sources: string[];
  /** Clean rows in all parts. */
  rows: number;
  /** Lines set aside, with the reason. */
  quarantine: pl.DataFrame;
  /** The counts; `rows_read = rows_written + rows_quarantined`. */
  report: IngestReport;
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
 * Lines are checked byte by byte in JS (headers, field counts) and handed to Polars' CSV reader in blocks of
 * `blockBytes`; every `batchRows` rows are typed, checked and anonymized together. With `spillDir`, each checked
 * batch goes to a Parquet file there, so memory holds one batch, whatever the number of lines
 * ({@linkcode CloudFrontParser.finishSpilled}); without, the batches stay in memory ({@linkcode CloudFrontParser.finish}).
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
  readonly #batchRows: number;
  readonly #blockBytes: number;
  readonly #spillDir: string | undefined;
  readonly #quarantine = new QuarantineLog();
  readonly #frames: pl.DataFrame[] = [];
  readonly #parts: string[] = [];
  #written = 0;
  #block: Block | null = null;
  #pending: pl.DataFrame[] = [];
  #pendingRows = 0;
  readonly #sources: string[] = [];
  readonly #variants = new Map<number, number>();
  readonly #unknownFields = new Set<string>();
  readonly #ipMemo = new Map<string, string | null>();
  readonly #xffMemo = new Map<string, string | null>();
  readonly #uaMemo = new Map<string, { text: string; passes: number }>();
  readonly #facts = { ipBad: 0, xffBad: 0, ua1: 0, ua2: 0, s000: 0, cookies: 0, reordered: 0 };
  readonly #files = { crlf: 0, bom: 0, noFinalNewline: 0, fast: 0 };
  /** The file whose rows came last, and the latest time among its good rows so far (rows come in file order). */
  #last = { src: -1, max: 0 };
  #rowsRead = 0;
  #trailingTab = 0;
  #blank = 0;
  #comments = 0;

  /**
   * @param options address anonymization, batch sizes and the spill folder
   * @throws {RangeError} for `ipMode: "hash"` without a salt, or sizes that are not positive integers
   */
  constructor(options: CloudFrontParserOptions = {}) {
    const { ipMode = "truncate", ipSalt = "", batchRows = 50_000, blockBytes = 4 << 20, spillDir } = options;
    if (ipMode === "hash" && ipSalt === "") {
      throw new RangeError('Cannot anonymize client addresses with "hash": a salt must be set, got ""');
    }
    for (const [k, v] of [["batchRows", batchRows], ["blockBytes", blockBytes]] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new RangeError(`Cannot parse CloudFront logs: ${k} must be >= 1, got ${v}`);
      }
    }
    this.#ipMode = ipMode;
    this.#ipSalt = ipSalt;
    this.#batchRows = batchRows;
    this.#blockBytes = blockBytes;
    this.#spillDir = spillDir;
  }

  /** Data lines read so far. */
  get rowsRead(): number {
    return this.#rowsRead;
  }

  /** Batches written to the spill folder so far (a caller may release native memory when this grows). */
  get batchesWritten(): number {
    return this.#parts.length;
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
   * Reads one log (already gunzipped). Its lines are checked here; the good ones wait in a block for Polars.
   * @param input the log bytes, or its text; `\r\n` endings, a byte-order mark and invalid UTF-8 are accepted
   * @param source the file name, for quarantine rows and lineage
   */
  add(input: Uint8Array | string, source: string): void {
    const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
    const src = this.#sources.length;
    this.#sources.push(source);
    const n = bytes.length;
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    if (bom) this.#files.bom++;
    if (n > 0 && bytes[n - 1] !== 10) this.#files.noFinalNewline++;
    let crlf = false;
    let layout: Layout | null = null;
    const seen = new Set<number>();
    // Whether the file is tidy: one valid header before any data, no blank line, every line fits.
    let headers = 0;
    let dataLines = 0;
    let tidy = true;
    let pos = bom ? 3 : 0;
    let line = 0;
    while (pos < n) {
      let end = bytes.indexOf(10, pos);
      if (end < 0) end = n;
      line++;
      let e = end;
      if (e > pos && bytes[e - 1] === 13) {
        e--;
        crlf = true;
      }
      const at = pos;
      pos = end + 1;
      if (e === at) {
        this.#blank++;
        tidy = false;
        continue;
      }
      if (bytes[at] === 35 /* # */) {
        this.#comments++;
        let isFields = e - at >= FIELDS_PREFIX.length;
        for (let k = 0; isFields && k < FIELDS_PREFIX.length; k++) isFields = bytes[at + k] === FIELDS_PREFIX[k];
        if (isFields) {
          const names = decoder.decode(bytes.subarray(at + FIELDS_PREFIX.length, e)).trim().split(/\s+/)
            .filter((x) => x !== "");
          layout = layoutOf(names);
          this.#noteLayout(layout, seen);
          if (++headers > 1 || dataLines > 0 || !layout.valid) tidy = false;
        }
        continue;
      }
      this.#rowsRead++;
      dataLines++;
      if (layout === null || !layout.valid) {
        tidy = false;
        const why = layout === null ? "no_fields_header" : "bad_fields_header";
        this.#quarantine.add(source, line, why, this.#redact(decoder.decode(bytes.subarray(at, e))));
        continue;
      }
      let tabs = 0;
      for (let i = at; i < e; i++) if (bytes[i] === 9) tabs++;
      if (tabs + 1 !== layout.n) {
        if (tabs === layout.n && bytes[e - 1] === 9) {
          e--;
          this.#trailingTab++;
        } else {
          tidy = false;
          this.#quarantine.add(source, line, "field_count", this.#redact(decoder.decode(bytes.subarray(at, e))));
          continue;
        }
      }
      this.#push(layout, bytes.subarray(at, e), src, line);
    }
    if (crlf) this.#files.crlf++;
    if (tidy && headers === 1 && dataLines > 0) this.#files.fast++;
  }

  /** Appends one data line to the open block (a new layout or a full block sends the open one to Polars first). */
  #push(layout: Layout, bytes: Uint8Array, src: number, line: number): void {
    let b = this.#block;
    if (b !== null && b.layout.key !== layout.key) {
      this.#flush();
      b = null;
    }
    if (b === null) {
      b = {
        layout,
        bytes: new Uint8Array(Math.min(this.#blockBytes, 1 << 20) + bytes.length + 1),
        size: 0,
        src: [],
        line: [],
      };
      this.#block = b;
    }
    const need = b.size + bytes.length + 1;
    if (need > b.bytes.length) {
      const grown = new Uint8Array(Math.max(need, b.bytes.length * 2));
      grown.set(b.bytes.subarray(0, b.size));
      b.bytes = grown;
    }
    b.bytes.set(bytes, b.size);
    b.bytes[need - 1] = 10;
    b.size = need;
    b.src.push(src);
    b.line.push(line);
    if (b.size >= this.#blockBytes) this.#flush();
  }

  #readCsv(bytes: Uint8Array, layout: Layout): pl.DataFrame {
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
      rechunk: true,
      schema: Object.fromEntries(names.map((c) => [c, pl.Utf8])),
    });
    return df.select(
      ...ALL_COLUMNS.map((c) => names.includes(c) ? pl.col(c).cast(pl.Utf8) : pl.lit(null).cast(pl.Utf8).alias(c)),
      pl.lit(layout.n).cast(pl.Int32).alias("fields"),
    );
  }

  /** Sends the open block to Polars' CSV reader and queues its rows. */
  #flush(): void {
    const b = this.#block;
    this.#block = null;
    if (b === null || b.src.length === 0) return;
    // Polars reads a small input in many chunks; one chunk per block keeps the later concatenation cheap.
    const df = this.#readCsv(b.bytes.subarray(0, b.size), b.layout).rechunk();
    if (df.height !== b.src.length) {
      throw new Error(`Cannot parse CloudFront lines: expected ${b.src.length} rows, got ${df.height}`);
    }
    // One block can hold lines of several files: attach each line's source.
    this.#pending.push(df.withColumns(
      pl.Series("__src", Int32Array.from(b.src), pl.Int32),
      pl.Series("line", Int32Array.from(b.line), pl.Int32).cast(pl.Int64),
    ));
    this.#pendingRows += df.height;
    if (this.#pendingRows >= this.#batchRows) this.#drain();
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
    if (this.#uaMemo.size > MEMO_LIMIT) this.#uaMemo.clear();
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
    this.#countReordered(good);
    const out = good.select(
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
    );
    this.#written += out.height;
    if (this.#spillDir === undefined) {
      this.#frames.push(out);
      return;
    }
    const path = join(this.#spillDir, `batch-${String(this.#parts.length).padStart(6, "0")}.parquet`);
    // Small row groups let a time-range query over the batches skip most of each file.
    out.lazy().sinkParquet(path, { compression: "lz4", rowGroupSize: 16_384, maintainOrder: true }).collectSync();
    this.#parts.push(path);
  }

  /**
   * Counts rows that come after a later time in their file (good rows, file order), carrying the latest time of the
   * last file across batches: rows arrive file after file, in line order.
   */
  #countReordered(good: pl.DataFrame): void {
    if (good.height === 0) return;
    const t = pl.col("timestamp").cast(pl.Int64);
    const { src, max } = this.#last;
    const counted = good.select(
      t.lt(t.cumMax().shift(1).over("__src")).fillNull(false)
        .or(pl.col("__src").eq(src).and(t.lt(pl.lit(max)))).cast(pl.Int64).sum().alias("late"),
      pl.col("__src").last().alias("src"),
    ).row(0);
    const lastSrc = Number(counted[1]);
    const lastMax = Number(good.filter(pl.col("__src").eq(lastSrc)).select(t.max().alias("m")).row(0)[0]);
    this.#facts.reordered += Number(counted[0]);
    this.#last = { src: lastSrc, max: lastSrc === src ? Math.max(max, lastMax) : lastMax };
  }

  #mapUnique(
    df: pl.DataFrame,
    col: string,
    memo: Map<string, string | null>,
    fn: (v: string) => string | null,
  ): pl.DataFrame {
    const values = df.select(pl.col(col).unique().dropNulls()).getColumn(col).toArray() as string[];
    if (memo.size > MEMO_LIMIT) memo.clear();
    const mapped = values.map((v) => {
      let m = memo.get(v);
      if (m === undefined) memo.set(v, m = fn(v));
      return m;
    });
    return pl.DataFrame([pl.Series(col, values, pl.Utf8), pl.Series(`__${col}`, mapped, pl.Utf8)]);
  }

  /** Sends what waits in the open block and queue through the checks. */
  #finishBatches(): void {
    this.#flush();
    this.#drain();
  }

  #report(quarantine: pl.DataFrame): IngestReport {
    return {
      source: "cloudfront",
      table: "requests",
      files_read: this.#sources.length,
      rows_read: this.#rowsRead,
      rows_written: this.#written,
      rows_quarantined: quarantine.height,
      quarantined: countByReason(quarantine),
      repaired: {
        crlf_files: this.#files.crlf,
        missing_final_newline_files: this.#files.noFinalNewline,
        bom_files: this.#files.bom,
        trailing_tab_lines: this.#trailingTab,
        reordered_rows: this.#facts.reordered,
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
  }

  /**
   * Sorts everything added by time, in memory, and reports.
   * @returns the clean rows, the quarantine and the report (rows in = rows out + quarantined)
   * @throws {Error} when the parser spills to a folder (use {@linkcode CloudFrontParser.finishSpilled})
   */
  finish(): CloudFrontParse {
    if (this.#spillDir !== undefined) {
      throw new Error("Cannot finish in memory: this parser writes its batches to a folder, use finishSpilled()");
    }
    this.#finishBatches();
    const sources = pl.DataFrame([
      pl.Series("__src", this.#sources.map((_, i) => i), pl.Int32),
      pl.Series("source", this.#sources, pl.Utf8),
    ]);
    const stacked: pl.DataFrame = this.#frames.length === 0
      ? emptyBatch()
      : pl.concat(this.#frames, { how: "vertical" });
    this.#frames.length = 0;
    const rows = stacked.lazy()
      .join(sources.lazy(), { on: "__src", how: "left" })
      .sort(["timestamp", "__src", "line"])
      .select(...REQUEST_COLUMNS)
      .collectSync();
    const quarantine = this.#quarantine.toFrame();
    return { rows, quarantine, report: this.#report(quarantine) };
  }

  /**
   * Finishes a parser made with `spillDir`: the last batches are written, and the batch files listed with the
   * report. Sort and derive with {@linkcode writeCloudFrontTables}.
   * @returns the batch files, sources, quarantine and report
   */
  finishSpilled(): CloudFrontSpill {
    if (this.#spillDir === undefined) throw new Error("Cannot finish spilled: this parser has no spillDir");
    this.#finishBatches();
    const quarantine = this.#quarantine.toFrame();
    return {
      parts: [...this.#parts],
      sources: [...this.#sources],
      rows: this.#written,
      quarantine,
      report: this.#report(quarantine),
    };
  }
}

/** An empty batch: the columns and dtypes of a checked batch (`timestamp`, request columns, `__src`, `line`). */
export function emptyBatch(): pl.DataFrame {
  return pl.DataFrame([
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
