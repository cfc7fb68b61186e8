/**
 * Real public datasets into the lake: the Numenta Anomaly Benchmark (`nab/`), Amazon CloudFront access logs
 * (`cloudfront/`) and helpdesk tickets (`tickets/`), each read with every quirk of the real files handled by a
 * written policy and counted, unusable rows quarantined with the reason (rows in = rows out + rows quarantined),
 * and written as Parquet with a manifest (source, licence, lineage with the SHA-256 of each raw file). `kaggle/`
 * downloads the raw files; `common/` holds the quarantine, report and commit helpers all of them share.
 *
 * @example
 * ```ts ignore
 * import { ingestNab } from "@lib/ingest/mod.ts";
 * const { report } = await ingestNab("data/raw/metrics/nab", "data/processed/metrics/nab");
 * ```
 * @module
 */
export * from "./common/mod.ts";
export {
  ingestSource,
  kaggleSources,
  rawDirOr,
  type RawDirOrOptions,
  sourceDatasetName,
  type SourceInfo,
} from "./sources.ts";
export { ingestNab, type NabData, processNab, readNab, type ReadNabOptions } from "./nab/mod.ts";
export {
  anonymizeIp,
  CloudFrontParser,
  ingestCloudFront,
  parseCloudFrontLog,
  processCloudFront,
  readCloudFrontLogs,
} from "./cloudfront/mod.ts";
export { GwaFormatError, hourlyP95, ingestGwa, readGwa } from "./gwa/mod.ts";
export { ingestTickets, loadTicketIndex, processTickets, readTickets, TicketIndex } from "./tickets/mod.ts";
export { fetchKaggleDataset, kaggleCredentials, KaggleError } from "./kaggle/mod.ts";
