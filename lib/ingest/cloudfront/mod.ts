/**
 * Amazon CloudFront standard (access) logs: parse the W3C extended format whatever its field variant
 * ({@linkcode parseCloudFrontLog}, {@linkcode CloudFrontParser}), read a folder of gzipped logs
 * ({@linkcode readCloudFrontLogs}), anonymize client addresses, and derive per-minute traffic and incident
 * windows ({@linkcode processCloudFront}).
 *
 * @example
 * ```ts ignore
 * import { processCloudFront, readCloudFrontLogs } from "@lib/ingest/cloudfront/mod.ts";
 * const data = await readCloudFrontLogs("data/raw/logs/cloudfront");
 * const { traffic, incidents } = processCloudFront(data);
 * ```
 * @module
 */
export { type CloudFrontParse, CloudFrontParser, parseCloudFrontLog, type ParseCloudFrontOptions } from "./parse.ts";
export { type CloudFrontData, readCloudFrontLogs, type ReadCloudFrontOptions } from "./read.ts";
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
} from "./fields.ts";
export { CloudFrontIngestConfig } from "./config.ts";
export { type CloudFrontIngest, ingestCloudFront, type IngestCloudFrontOptions } from "./dataset.ts";
