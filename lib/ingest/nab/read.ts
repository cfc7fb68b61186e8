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
import { findNabLayout, type NabFile, selectNabFiles } from "./_layout.ts";
import { NabFormatError } from "./errors.ts";
import { parseNabPoints, parseNabWindows, toUtc } from "./labels.ts";
import { parseStamp, parseValue } from "./_parse.ts";

/** Which of several rows sharing a timestamp is kept; the others are quarantined as `duplicate_timestamp`. */
export type NabDuplicatePolicy = "first" | "last";

/** What happens to a row that comes after a later timestamp in its file. */
export type NabOrderPolicy = "sort" | "quarantine";

/** Options of {@linkcode readNab}. */
export interface ReadNabOptions {
  /**
   * The series to read: `"all"`, category names (`realAWSCloudwatch`), keys
   * (`realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv`), or a list of these.
   * @default "realAWSCloudwatch"
   */
  select?: string | readonly string[];
  /**
   * The zone the timestamps are written in (NAB's are UTC). For a zone with daylight saving, the repeated
   * autumn hour resolves to its earlier instant, or its later one for rows that step back in time (the second
   * pass: a wall-clock time met again after an equal or later one); rows in the skipped spring hour are quarantined
   * as `nonexistent_local_time`.
   * @default "UTC"
   */
  timezone?: string;
  /** Of rows sharing a timestamp, keep the first or the last in file order. @default "first" */
  duplicates?: NabDuplicatePolicy;
  /**
   * Rows after a later timestamp (out of order, including every row after a step backwards): `"sort"` puts them
   * in time order (counted as `repaired.reordered_rows`); `"quarantine"` sets them aside as `out_of_order`.
   * @default "sort"
   */
  outOfOrder?: NabOrderPolicy;
  /** Called after each series file is read, for progress. @default none */
  onFile?: (done: number, total: number) => void;
}

/** A NAB folder read into tidy frames, with everything that happened on the way. */
export interface NabData {
  /** The clean points: `series_id`, `timestamp` (Datetime ms UTC), `value` (Float64), sorted, no duplicates. */
  series: pl.DataFrame;
  /** Label windows of the selected series: `series_id`, `start`, `end` (Datetime ms UTC, inclusive). */
  windows: pl.DataFrame;
  /** Point labels (`combined_labels.json`) of the selected series: `series_id`, `timestamp`; empty if absent. */
  points: pl.DataFrame;
  /** One row per series: counts of rows, quirks, cadence, gaps and label windows. */
  info: pl.DataFrame;
  /** Rows set aside: `source`, `line`, `reason`, `raw`. */
  quarantine: pl.DataFrame;
  /** The counts; `rows_read = rows_written (series rows) + rows_quarantined`. */
  report: IngestReport;
  /** The raw files read (data and labels), with SHA-256, for lineage. */
  inputs: InputFile[];
  /** LICENSE / README files found beside the data. */
  docs: SourceDoc[];
  /** The first line of the licence file, if one was found. */
  license?: string;
}

const HEADER = /^"?timestamp"?\s*,\s*"?value"?$/i;

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/**
 * Reads a NAB-layout folder (`data/<category>/<name>.csv` + `labels/combined_windows.json`, or the Kaggle copy's
 * nested category folders) into a tidy series frame, its label windows and an ingest report.
 *
 * Policies for untidy files, each counted in the report:
 * - CRLF or lone CR line endings, a byte-order mark, a missing final newline: read as if clean
 *   (`repaired.crlf_files`, `repaired.bom_files`, `repaired.missing_final_newline_files`); blank lines skipped.
 * - A row with other than two fields, an unreadable timestamp, an empty, unreadable or non-finite value:
 *   quarantined (`field_count`, `bad_timestamp`, `missing_value`, `bad_value`, `non_finite_value`).
 * - Rows out of order and steps backwards: `backward_steps` counts each place time goes back, `reordered_rows`
 *   the rows after a later timestamp; they are sorted into place or quarantined (`outOfOrder`).
 * - Duplicated timestamps (e.g. a repeated daylight-saving hour): one row kept (`duplicates`), the others
 *   quarantined as `duplicate_timestamp`.
 * - Gaps and irregular cadence: kept as they are here, measured per series in `info` (cadence, gaps, missing
 *   steps, irregular steps) and filled only when resampling.
 * A file whose header is not `timestamp,value` is an error, not quarantine: it is not a NAB file.
 *
 * @param rootDir the NAB folder
 * @param options selection, time zone and policies
 * @returns the frames, report, inputs and licence docs
 * @throws {NabFormatError} for a file that is not NAB at all; {RangeError} for a selection that matches nothing
 * @example
 * ```ts ignore
 * const { series, windows, report } = await readNab("data/raw/metrics/nab");
 * ```
 */
export async function readNab(rootDir: string, options: ReadNabOptions = {}): Promise<NabData> {
  const { select = "realAWSCloudwatch", timezone = "UTC", duplicates = "first", outOfOrder = "sort" } = options;
  const paths = await listFiles(rootDir);
  const layout = findNabLayout(paths);
  if (layout.files.length === 0) {
    throw new NabFormatError(rootDir, "no NAB data files (<category>/<name>.csv) found");
  }
  const files = selectNabFiles(layout.files, select);
  const quarantine = new QuarantineLog();
  const inputs: InputFile[] = [];
  const repaired = { crlf_files: 0, crlf_lines: 0, bom_files: 0, missing_final_newline_files: 0, blank_lines: 0 };
  const perFile = {
    crlf: new Array<number>(files.length).fill(0),
    noFinalNewline: new Array<boolean>(files.length).fill(false),
  };
  const fileIdx: number[] = [];
  const lines: number[] = [];
  const stamps: number[] = [];
  const values: number[] = [];
  const rawLines: string[] = [];
  const rowsRead = new Array<number>(files.length).fill(0);

  for (let f = 0; f < files.length; f++) {
    const file = files[f];
    const bytes = await Deno.readFile(join(rootDir, file.path));
    inputs.push({ path: file.path, bytes: bytes.length, sha256: sha256Hex(bytes) });
    const d = decodeText(bytes, file.path);
    if (d.crlf + d.cr > 0) {
      repaired.crlf_files++;
      repaired.crlf_lines += d.crlf + d.cr;
      perFile.crlf[f] = d.crlf + d.cr;
    }
    if (d.bom) repaired.bom_files++;
    if (d.missingFinalNewline) {
      repaired.missing_final_newline_files++;
      perFile.noFinalNewline[f] = true;
    }
    const text = d.missingFinalNewline ? d.text : d.text.slice(0, -1);
    const all = text === "" ? [] : text.split("\n");
    let i = 0;
    while (i < all.length && all[i].trim() === "") i++;
    if (i >= all.length) throw new NabFormatError(file.path, 'empty file, expected header "timestamp,value"');
    if (!HEADER.test(all[i].trim())) {
      throw new NabFormatError(file.path, `header must be "timestamp,value", got "${all[i].slice(0, 60)}"`);
    }
    for (i++; i < all.length; i++) {
      const line = all[i];
      if (line.trim() === "") {
        repaired.blank_lines++;
        continue;
      }
      rowsRead[f]++;
      const comma = line.indexOf(",");
      if (comma < 0 || line.indexOf(",", comma + 1) >= 0) {
        quarantine.add(file.path, i + 1, "field_count", line);
        continue;
      }
      const stamp = parseStamp(unquote(line.slice(0, comma)));
      if (Number.isNaN(stamp)) {
        quarantine.add(file.path, i + 1, "bad_timestamp", line);
        continue;
      }
      const value = parseValue(unquote(line.slice(comma + 1)));
      if (typeof value === "string") {
        quarantine.add(file.path, i + 1, value, line);
        continue;
      }
      fileIdx.push(f);
      lines.push(i + 1);
      stamps.push(stamp);
      values.push(value);
      rawLines.push(line);
    }
    options.onFile?.(f + 1, files.length);
  }

  const filesFrame = pl.DataFrame([
    pl.Series("__f", files.map((_, i) => i), pl.Int32),
    pl.Series("series_id", files.map((f) => f.seriesId), pl.Utf8),
    pl.Series("source", files.map((f) => f.path), pl.Utf8),
  ]);
  const raw = pl.DataFrame([
    pl.Series("__row", Int32Array.from(rawLines.keys()), pl.Int32),
    pl.Series("__f", Int32Array.from(fileIdx), pl.Int32),
    pl.Series("line", Int32Array.from(lines), pl.Int32).cast(pl.Int64),
    pl.Series("__naive", Float64Array.from(stamps)).cast(pl.Int64).cast(pl.Datetime("ms")),
    pl.Series("value", Float64Array.from(values), pl.Float64),
  ]);
  // Rows set aside after parsing keep their raw text, looked up by row number (few rows, so a JS lookup).
  const setAside = (df: pl.DataFrame) => {
    if (df.height === 0) return;
    const rows = df.getColumn("__row").toArray() as number[];
    const fs = df.getColumn("__f").toArray() as number[];
    const ls = df.getColumn("line").toArray() as (number | bigint)[];
    const rs = df.getColumn("reason").toArray() as string[];
    for (let k = 0; k < rows.length; k++) quarantine.add(files[fs[k]].path, Number(ls[k]), rs[k], rawLines[rows[k]]);
  };

  // Order is judged in file order, on the wall-clock time, before any repair.
  const ordered = raw.lazy()
    .withColumns(
      pl.col("__naive").lt(pl.col("__naive").cumMax().shift(1).over("__f")).fillNull(false).alias("__late"),
      pl.col("__naive").lt(pl.col("__naive").shift(1).over("__f")).fillNull(false).alias("__back"),
      // A wall-clock time met again (at or before the latest so far) is the repeated hour's second pass.
      pl.col("__naive").ltEq(pl.col("__naive").cumMax().shift(1).over("__f")).fillNull(false).alias("__again"),
    )
    .withColumns(toUtc("__naive", timezone, { lateCol: "__again" }).cast(pl.Datetime("ms", "UTC")).alias("timestamp"))
    .withColumns(
      pl.when(pl.col("timestamp").isNull()).then(pl.lit("nonexistent_local_time"))
        .when(pl.col("__late").and(pl.lit(outOfOrder === "quarantine"))).then(pl.lit("out_of_order"))
        .otherwise(pl.lit(null)).cast(pl.Utf8).alias("reason"),
    )
    .join(filesFrame.lazy(), { on: "__f", how: "left" })
    .collectSync();
  setAside(ordered.filter(pl.col("reason").isNotNull()));

  // Of rows sharing a series and a time, the first (or last) in file order is kept.
  const keepFirst = duplicates === "first";
  const deduped = ordered.lazy()
    .filter(pl.col("reason").isNull())
    .sort(["__f", "timestamp", "line"], [false, false, !keepFirst])
    .withColumns(
      pl.when(pl.col("__f").eq(pl.col("__f").shift(1)).and(pl.col("timestamp").eq(pl.col("timestamp").shift(1))))
        .then(pl.lit("duplicate_timestamp")).otherwise(pl.lit(null)).cast(pl.Utf8).alias("reason"),
    )
    .collectSync();
  setAside(deduped.filter(pl.col("reason").isNotNull()));

  const clean = deduped.lazy()
    .filter(pl.col("reason").isNull())
    .withColumns(
      pl.col("timestamp").dt.timestamp().diff({ n: 1, nullBehavior: "ignore" }).over("series_id").alias("__dt"),
    )
    .collectSync();
  const series = clean.select("series_id", "timestamp", "value");

  // Windows and point labels of the selected series.
  const selected = new Set(files.map((f) => f.seriesId));
  let windows = pl.DataFrame([
    pl.Series("series_id", [], pl.Utf8),
    pl.Series("start", [], pl.Datetime("ms", "UTC")),
    pl.Series("end", [], pl.Datetime("ms", "UTC")),
  ]);
  let points = pl.DataFrame([
    pl.Series("series_id", [], pl.Utf8),
    pl.Series("timestamp", [], pl.Datetime("ms", "UTC")),
  ]);
  let labelsFound = "none";
  for (const [path, which] of [[layout.windowsPath, "windows"], [layout.labelsPath, "points"]] as const) {
    if (path === undefined) continue;
    const bytes = await Deno.readFile(join(rootDir, path));
    inputs.push({ path, bytes: bytes.length, sha256: sha256Hex(bytes) });
    const text = decodeText(bytes, path).text;
    if (which === "windows") {
      windows = parseNabWindows(text, path, { timezone }).filter(pl.col("series_id").isIn([...selected]));
      labelsFound = "windows";
    } else {
      points = parseNabPoints(text, path, { timezone }).filter(pl.col("series_id").isIn([...selected]));
    }
  }

  const q = quarantine.toFrame();
  const quarantined = countByReason(q);
  const info = seriesInfo(files, rowsRead, perFile, ordered, clean, q, windows);
  const sums = info.select(
    pl.col("reordered_rows").sum(),
    pl.col("backward_steps").sum(),
    pl.col("gaps").sum(),
    pl.col("missing_steps").sum(),
    pl.col("irregular_steps").sum(),
  ).row(0).map(Number);
  const rowsReadTotal = rowsRead.reduce((a, b) => a + b, 0);
  const report: IngestReport = {
    source: "nab",
    table: "series",
    files_read: inputs.length,
    rows_read: rowsReadTotal,
    rows_written: series.height,
    rows_quarantined: q.height,
    quarantined,
    repaired: {
      ...repaired,
      reordered_rows: outOfOrder === "sort" ? sums[0] : 0,
      backward_steps: sums[1],
    },
    preprocessing: {
      series: files.length,
      gaps: sums[2],
      missing_steps: sums[3],
      irregular_steps: sums[4],
      label_windows: windows.height,
      label_points: points.height,
      labels: labelsFound,
      timezone,
      duplicates_policy: duplicates,
      out_of_order_policy: outOfOrder,
    },
    files_skipped: layout.skipped,
  };
  const { docs, license } = await readSourceDocs(rootDir, paths);
  const out: NabData = { series, windows, points, info, quarantine: q, report, inputs, docs };
  if (license !== undefined) out.license = license;
  return out;
}

function seriesInfo(
  files: readonly NabFile[],
  rowsRead: readonly number[],
  perFile: { crlf: number[]; noFinalNewline: boolean[] },
  ordered: pl.DataFrame,
  clean: pl.DataFrame,
  quarantine: pl.DataFrame,
  windows: pl.DataFrame,
): pl.DataFrame {
  const base = pl.DataFrame([
    pl.Series("series_id", files.map((f) => f.seriesId), pl.Utf8),
    pl.Series("category", files.map((f) => f.category), pl.Utf8),
    pl.Series("file", files.map((f) => f.path), pl.Utf8),
    pl.Series("rows_read", rowsRead.map((n) => n), pl.Int64),
    pl.Series("crlf_lines", perFile.crlf, pl.Int64),
    pl.Series("missing_final_newline", perFile.noFinalNewline, pl.Bool),
  ]);
  const order = ordered.groupBy("series_id").agg(
    pl.col("__late").cast(pl.Int64).sum().alias("reordered_rows"),
    pl.col("__back").cast(pl.Int64).sum().alias("backward_steps"),
  );
  // Cadence is the most common step. A gap is a step of two cadences or more (rounded: at least one whole point
  // is missing); an irregular step is one that is not a whole number of cadences.
  const cadence = clean.filter(pl.col("__dt").isNotNull()).groupBy("series_id").agg(
    pl.col("__dt").mode().first().alias("__cad"),
  );
  const steps = clean.join(cadence, { on: "series_id", how: "left" })
    .withColumns(pl.col("__dt").cast(pl.Float64).div(pl.col("__cad").cast(pl.Float64)).round(0).alias("__steps"))
    .groupBy("series_id").agg(
      pl.len().cast(pl.Int64).alias("rows_kept"),
      pl.col("timestamp").min().alias("start"),
      pl.col("timestamp").max().alias("end"),
      pl.col("__cad").first().div(1000).alias("cadence_s"),
      pl.col("__steps").gtEq(2).cast(pl.Int64).sum().alias("gaps"),
      pl.when(pl.col("__steps").gtEq(2)).then(pl.col("__steps").sub(1)).otherwise(pl.lit(0)).cast(pl.Int64).sum()
        .alias("missing_steps"),
      pl.col("__dt").modulo(pl.col("__cad")).neq(0).cast(pl.Int64).sum().alias("irregular_steps"),
    );
  const q = quarantine.join(
    pl.DataFrame({ source: files.map((f) => f.path), series_id: files.map((f) => f.seriesId) }),
    { on: "source", how: "inner" },
  ).groupBy("series_id").agg(
    pl.len().cast(pl.Int64).alias("rows_quarantined"),
    pl.col("reason").eq(pl.lit("duplicate_timestamp")).cast(pl.Int64).sum().alias("duplicates"),
  );
  const w = windows.groupBy("series_id").agg(pl.len().cast(pl.Int64).alias("label_windows"));
  return base
    .join(steps, { on: "series_id", how: "left" })
    .join(order, { on: "series_id", how: "left" })
    .join(q, { on: "series_id", how: "left" })
    .join(w, { on: "series_id", how: "left" })
    .withColumns(
      ...[
        "rows_kept",
        "gaps",
        "missing_steps",
        "irregular_steps",
        "reordered_rows",
        "backward_steps",
        "rows_quarantined",
        "duplicates",
        "label_windows",
      ]
        .map((c) => pl.col(c).fillNull(0).cast(pl.Int64)),
    )
    .select(
      "series_id",
      "category",
      "file",
      "rows_read",
      "rows_kept",
      "rows_quarantined",
      "start",
      "end",
      "cadence_s",
      "gaps",
      "missing_steps",
      "irregular_steps",
      "duplicates",
      "reordered_rows",
      "backward_steps",
      "crlf_lines",
      "missing_final_newline",
      "label_windows",
    )
    .sort("series_id");
}
