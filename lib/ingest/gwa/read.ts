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

/** The GWA-T-12 header, exactly; the delimiter is `;` followed by a TAB. */
export const GWA_HEADER =
  "Timestamp [ms];\tCPU cores;\tCPU capacity provisioned [MHZ];\tCPU usage [MHZ];\tCPU usage [%];\tMemory capacity provisioned [KB];\tMemory usage [KB];\tDisk read throughput [KB/s];\tDisk write throughput [KB/s];\tNetwork received throughput [KB/s];\tNetwork transmitted throughput [KB/s]";

/** Short names of the 11 fields, in file order. */
export const GWA_FIELDS = [
  "ts_s",
  "cores",
  "cpu_capacity_mhz",
  "cpu_mhz",
  "cpu_pct",
  "mem_capacity_kb",
  "mem_kb",
  "disk_read_kbps",
  "disk_write_kbps",
  "net_in_kbps",
  "net_out_kbps",
] as const;

/** A trace file: `<month>/<vm>.csv`, e.g. `2013-7/50.csv`. */
const TRACE_FILE = /^(\d{4}-\d{1,2})\/(\d+)\.csv$/;

/** What {@linkcode readGwa} returns. */
export interface GwaData {
  /**
   * The clean 5-minute samples: `vm_month` (`<month>/<vm>`), `vm_id`, `month`, `timestamp` (UTC, from seconds),
   * the 11 fields, and `mem_pct` (usage / provisioned, null where either is 0).
   */
  samples: pl.DataFrame;
  /** Rows not used, with the reason: `bad_field_count`, `bad_number`, `powered_off`, `duplicate_timestamp`, `time_backwards`. */
  quarantine: pl.DataFrame;
  /** Counts (rows read = samples + quarantined). */
  report: IngestReport;
  /** The trace files read, with their hashes. */
  inputs: InputFile[];
  /** Licence and readme files found beside them. */
  docs: SourceDoc[];
  /** The licence line, when a licence file is there. */
  license?: string;
}

/** A trace whose header is not the GWA-T-12 header. */
export class GwaFormatError extends Error {
  /**
   * @param path the file
   * @param reason what is wrong
   */
  constructor(path: string, reason: string) {
    super(`Cannot read GWA trace "${path}": ${reason}`);
    this.name = "GwaFormatError";
  }
}

/** Options of {@linkcode readGwa}. */
export interface ReadGwaOptions {
  /** Called after each trace file is read, for progress. @default none */
  onFile?: (done: number, total: number) => void;
}

/**
 * Reads a GWA-T-12 folder (`<month>/<vm>.csv`, as the Bitbrains "Rnd" and "fastStorage" sets are laid out): the
 * `;`+TAB delimiter, timestamps in seconds (despite the header's `[ms]`), Java-style exponents, and the quirks
 * of the real files, each handled by a written policy:
 * - a line without 11 fields: quarantined `bad_field_count`; a field that is not a number: `bad_number`;
 * - a powered-off or not-yet-provisioned VM (`CPU cores` = 0, every value 0): quarantined `powered_off`
 *   (this also removes the irregular second stream of all-zero rows in `2013-9/50.csv`);
 * - a timestamp equal to the one before in the same file: `duplicate_timestamp` (the first is kept); one before
 *   an earlier row: `time_backwards`;
 * - memory usage 0 on a live VM: kept, `mem_pct` null (counted under `repaired.memory_zero_live`);
 * - CPU usage above 100 % (a VM bursting past its provisioned MHz): kept as measured (counted).
 *
 * @param input the folder
 * @param options progress
 * @returns samples, quarantine, report, lineage
 * @throws {GwaFormatError} for a trace whose header differs; {@linkcode listFiles}'s error for a missing folder
 */
export async function readGwa(input: string, options: ReadGwaOptions = {}): Promise<GwaData> {
  const files = await listFiles(input);
  const traces = files.filter((f) => TRACE_FILE.test(f));
  if (traces.length === 0) throw new GwaFormatError(input, "no <month>/<vm>.csv trace files in the folder");
  const skipped = files.filter((f) => !TRACE_FILE.test(f)).map((path) => ({
    path,
    reason: "not a <month>/<vm>.csv trace",
  }));
  const q = new QuarantineLog();
  const frames: pl.DataFrame[] = [];
  const inputs: InputFile[] = [];
  let rowsRead = 0;
  for (const [done, path] of traces.entries()) {
    const bytes = await Deno.readFile(join(input, path));
    inputs.push({ path, bytes: bytes.length, sha256: sha256Hex(bytes) });
    options.onFile?.(done + 1, traces.length);
    const { text } = decodeText(bytes, path);
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    if (lines[0] !== GWA_HEADER) {
      throw new GwaFormatError(path, `line 1 is not the GWA-T-12 header: "${lines[0].slice(0, 60)}"`);
    }
    const [, month, vm] = TRACE_FILE.exec(path)!;
    // Structural faults first (a line must have 11 fields); the rest goes to Polars as one string column each.
    const good: string[] = [];
    const goodLine: number[] = [];
    for (let i = 1; i < lines.length; i++) {
      if (lines[i] === "") continue;
      rowsRead++;
      if (lines[i].split(";\t").length !== GWA_FIELDS.length) q.add(path, i + 1, "bad_field_count", lines[i]);
      else {
        good.push(lines[i]);
        goodLine.push(i + 1);
      }
    }
    if (good.length === 0) continue;
    const raw = pl.DataFrame({ raw: good, line: goodLine }).withColumns(
      pl.col("raw").str.split(";\t").alias("__f"),
    );
    const fields = raw.select(
      pl.col("line").cast(pl.Int64),
      pl.col("raw"),
      ...GWA_FIELDS.map((f, k) => pl.col("__f").lst.get(k).str.strip().alias(`__s_${f}`)),
    ).withColumns(
      ...GWA_FIELDS.map((f) => pl.col(`__s_${f}`).cast(pl.Float64, false).alias(f)),
    );
    const badNumber = GWA_FIELDS.map((f) => pl.col(f).isNull().or(pl.col(f).isNan()))
      .reduce((a, b) => a.or(b));
    const staged = fields.withColumns(
      pl.when(badNumber).then(pl.lit("bad_number"))
        .when(pl.col("cores").eq(0)).then(pl.lit("powered_off"))
        .otherwise(pl.lit(null).cast(pl.Utf8)).alias("reason"),
    );
    // Order faults among the live rows only: a repeat of the previous kept timestamp, or a step backwards.
    const live = staged.filter(pl.col("reason").isNull()).withColumns(
      pl.when(pl.col("ts_s").lt(pl.col("ts_s").cumMax().shift(1))).then(pl.lit("time_backwards"))
        .when(pl.col("ts_s").eq(pl.col("ts_s").shift(1))).then(pl.lit("duplicate_timestamp"))
        .otherwise(pl.lit(null).cast(pl.Utf8)).alias("reason"),
    );
    const rejected = pl.concat(
      [staged.filter(pl.col("reason").isNotNull()), live.filter(pl.col("reason").isNotNull())],
      {
        how: "vertical",
      },
    );
    q.addFrame(rejected.withColumns(pl.lit(path).alias("source")));
    frames.push(
      live.filter(pl.col("reason").isNull()).select(
        pl.lit(`${month}/${vm}`).alias("vm_month"),
        pl.lit(Number(vm)).cast(pl.Int32).alias("vm_id"),
        pl.lit(month).alias("month"),
        pl.col("ts_s").mul(1000).cast(pl.Int64).cast(pl.Datetime("ms", "UTC")).alias("timestamp"),
        pl.col("cores").cast(pl.Int32),
        ...GWA_FIELDS.slice(2).map((f) => pl.col(f)),
        pl.when(pl.col("mem_kb").gt(0).and(pl.col("mem_capacity_kb").gt(0)))
          .then(pl.col("mem_kb").div(pl.col("mem_capacity_kb")).mul(100)).otherwise(pl.lit(null).cast(pl.Float64))
          .alias("mem_pct"),
      ),
    );
  }
  const samples = frames.length === 1 ? frames[0] : pl.concat(frames, { how: "vertical" });
  const quarantine = q.toFrame();
  const counts = samples.select(
    pl.col("mem_kb").eq(0).sum().alias("mem0"),
    pl.col("cpu_pct").gt(100).sum().alias("cpu100"),
  ).row(0).map(Number);
  const { docs, license } = await readSourceDocs(input, files);
  const report: IngestReport = {
    source: "gwa",
    table: "samples",
    files_read: traces.length,
    rows_read: rowsRead,
    rows_written: samples.height,
    rows_quarantined: quarantine.height,
    quarantined: countByReason(quarantine),
    repaired: { memory_zero_live: counts[0] },
    preprocessing: { cpu_pct_over_100: counts[1], vm_months: traces.length },
    files_skipped: skipped,
  };
  return { samples, quarantine, report, inputs, docs, ...(license ? { license } : {}) };
}

/**
 * Aggregates 5-minute samples to P95 per VM-month and UTC period (the grain real fleet statistics are defined on):
 * one row per VM-month and period with `n_obs` samples, P95 (linear interpolation) of CPU %, memory %, disk
 * read + write and network in / out.
 * @param samples the samples from {@linkcode readGwa}
 * @param every the period, a Polars duration: `1h` (hourly P95) or `1d` (daily P95 of the 5-minute samples, the
 *   grain of daily capacity data)
 * @returns the table, sorted by VM-month and period start
 */
export function periodP95(samples: pl.DataFrame, every: "1h" | "1d"): pl.DataFrame {
  const p95 = (e: pl.Expr, name: string) => e.quantile(0.95, "linear").alias(name);
  return samples.withColumns(
    pl.col("timestamp").dt.truncate(every).alias("period"),
    pl.col("disk_read_kbps").add(pl.col("disk_write_kbps")).alias("disk_kbps"),
  ).groupBy(["vm_month", "vm_id", "month", "period"]).agg(
    pl.len().cast(pl.Int32).alias("n_obs"),
    p95(pl.col("cpu_pct"), "cpu_pct"),
    p95(pl.col("mem_pct"), "mem_pct"),
    p95(pl.col("disk_kbps"), "disk_kbps"),
    p95(pl.col("net_in_kbps"), "net_in_kbps"),
    p95(pl.col("net_out_kbps"), "net_out_kbps"),
  ).rename({ period: "timestamp" }).sort(["vm_month", "timestamp"]);
}

/**
 * Aggregates 5-minute samples to hourly P95 per VM-month ({@linkcode periodP95} over `1h`).
 * @param samples the samples from {@linkcode readGwa}
 * @returns the hourly table, sorted by VM-month and hour
 */
export function hourlyP95(samples: pl.DataFrame): pl.DataFrame {
  return periodP95(samples, "1h");
}
