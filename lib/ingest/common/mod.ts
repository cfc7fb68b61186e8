/**
 * What every ingester shares: the quarantine table, the ingest report (rows in = rows out + rows quarantined),
 * raw-file decoding with its quirks counted, lineage hashes and the atomic commit into the lake.
 *
 * @example
 * ```ts
 * import { assertBalanced, QuarantineLog } from "@lib/ingest/common/mod.ts";
 * const q = new QuarantineLog();
 * q.add("x.csv", 3, "bad_value", "2014-01-01 00:00:00,abc");
 * assertBalanced({ source: "x", table: "rows", files_read: 1, rows_read: 2, rows_written: 1, rows_quarantined: q.size,
 *   quarantined: { bad_value: 1 }, repaired: {}, preprocessing: {}, files_skipped: [] });
 * ```
 * @module
 */
export {
  countByReason,
  emptyQuarantine,
  MAX_RAW_CHARS,
  QUARANTINE_COLUMNS,
  QuarantineLog,
  type QuarantineLogOptions,
} from "./quarantine.ts";
export {
  assertBalanced,
  displayReport,
  IngestBalanceError,
  type IngestReport,
  type LineBalance,
  reportFrame,
} from "./report.ts";
export {
  type DecodedText,
  decodeText,
  type InputFile,
  isGzip,
  isSourceDoc,
  listFiles,
  readSourceDocs,
  sha256Hex,
  type SourceDoc,
} from "./files.ts";
export {
  commitIngest,
  type CommitIngestOptions,
  createdFromEnv,
  type IngestCommit,
  type WrittenTable,
} from "./commit.ts";
export { configFile, errorLine, flagsToConfig, summaryLine } from "./cli.ts";
export { type IngestJob, type IngestProgressHooks, type IngestTaskSpec, progressHooks, runIngestTask } from "./task.ts";
