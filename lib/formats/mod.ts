/**
 * File formats that generators write and ingesters read, as neutral leaves both sides import: a format's field
 * list lives here, not in the generator or the ingester; `ByteSink` writes ASCII lines without per-line strings.
 * @module
 */
export * from "./cloudfront.ts";
export { ascii, ByteSink } from "./bytes.ts";
