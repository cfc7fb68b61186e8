/**
 * Amazon CloudFront standard (access) logs: parse the W3C extended format whatever its field variant
 * ({@linkcode parseCloudFrontLog}, {@linkcode CloudFrontParser}), read a folder of gzipped logs
 * ({@linkcode readCloudFrontLogs}), anonymize client addresses, and derive per-minute traffic and incident
 * windows ({@linkcode processCloudFront}); for inputs of any size, spill checked rows to Parquet batches
 * ({@linkcode spillCloudFrontLogs}) and derive the same tables a time range at a time ({@linkcode writeCloudFrontTables}).
 *
 * @example
 * ```ts ignore
 * import { processCloudFront, readCloudFrontLogs } from "@lib/ingest/cloudfront/mod.ts";
 * const data = await readCloudFrontLogs("data/raw/logs/cloudfront");
 * const { traffic, incidents } = processCloudFront(data);
 * ```
 * @module
 */
export {
  type CloudFrontParse,
  CloudFrontParser,
  type CloudFrontParserOptions,
  type CloudFrontSpill,
  emptyBatch,
  parseCloudFrontLog,
  type ParseCloudFrontOptions,
} from "./parse.ts";
export {
  type CloudFrontData,
  type CloudFrontSpilledData,
  readCloudFrontLogs,
  type ReadCloudFrontOptions,
  spillCloudFrontLogs,
} from "./read.ts";
export { type CloudFrontTables, type WriteCloudFrontOptions, writeCloudFrontTables } from "./write.ts";
export { type CloudFrontProcessed, processCloudFront, type ProcessCloudFrontOptions } from "./process.ts";
export { anonymizeIp, anonymizeIpList, type AnonymizeIpOptions, type IpMode, ipv6Groups } from "./anonymize.ts";
export { decodeRepeated } from "./decode.ts";
export {
  CLOUDFRONT_FIELDS,
  CLOUDFRONT_VARIANTS,
  type CloudFrontField,
  columnName,
  fieldDtype,
  REQUEST_COLUMNS,
} from "@lib/formats/cloudfront.ts";
export { CloudFrontIngestConfig } from "./config.ts";
export { type CloudFrontIngest, ingestCloudFront, type IngestCloudFrontOptions } from "./dataset.ts";
