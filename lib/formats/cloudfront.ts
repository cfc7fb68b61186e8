/**
 * The 33 fields of the newest CloudFront standard log, in order. Older logs list 12, 19, 24 or 26 fields, each a
 * prefix of this list; every log names its own in its `#Fields:` header.
 */
export const CLOUDFRONT_FIELDS = [
  "date",
  "time",
  "x-edge-location",
  "sc-bytes",
  "c-ip",
  "cs-method",
  "cs(Host)",
  "cs-uri-stem",
  "sc-status",
  "cs(Referer)",
  "cs(User-Agent)",
  "cs-uri-query",
  "cs(Cookie)",
  "x-edge-result-type",
  "x-edge-request-id",
  "x-host-header",
  "cs-protocol",
  "cs-bytes",
  "time-taken",
  "x-forwarded-for",
  "ssl-protocol",
  "ssl-cipher",
  "x-edge-response-result-type",
  "cs-protocol-version",
  "fle-status",
  "fle-encrypted-fields",
  "c-port",
  "time-to-first-byte",
  "x-edge-detailed-result-type",
  "sc-content-type",
  "sc-content-len",
  "sc-range-start",
  "sc-range-end",
] as const;

/** A CloudFront field name. */
export type CloudFrontField = typeof CLOUDFRONT_FIELDS[number];

/** The field counts of the log variants CloudFront has written over the years. */
export const CLOUDFRONT_VARIANTS = [12, 19, 24, 26, 33] as const;

/**
 * The column name of a field: lower case, `cs(User-Agent)` -> `cs_user_agent`, `x-edge-location` ->
 * `x_edge_location`.
 * @param field a field name
 * @returns the column name
 */
export function columnName(field: string): string {
  return field.toLowerCase().replace(/\(/g, "_").replace(/\)/g, "").replace(/-/g, "_");
}

/** Columns parsed as integers (Int64). */
export const INT64_FIELDS: readonly CloudFrontField[] = [
  "sc-bytes",
  "cs-bytes",
  "sc-content-len",
  "sc-range-start",
  "sc-range-end",
];
/** Columns parsed as small integers (Int32). */
export const INT32_FIELDS: readonly CloudFrontField[] = ["sc-status", "c-port", "fle-encrypted-fields"];
/** Columns parsed as floats (seconds). */
export const FLOAT_FIELDS: readonly CloudFrontField[] = ["time-taken", "time-to-first-byte"];

/**
 * The dtype of a field's column in the clean table, by Polars name (this module stays free of Polars so log
 * generators can import the field list cheaply).
 * @param field a field name
 * @returns `"Int64"`, `"Int32"`, `"Float64"` or `"Utf8"`
 */
export function fieldDtype(field: CloudFrontField): "Int64" | "Int32" | "Float64" | "Utf8" {
  if (INT64_FIELDS.includes(field)) return "Int64";
  if (INT32_FIELDS.includes(field)) return "Int32";
  if (FLOAT_FIELDS.includes(field)) return "Float64";
  return "Utf8";
}

/**
 * The columns of the clean request table, in order: `timestamp`, every field but `date`, `time` and
 * `cs(Cookie)` (dropped), then `fields` (the variant's field count), `source` and `line`.
 */
export const REQUEST_COLUMNS: readonly string[] = [
  "timestamp",
  ...CLOUDFRONT_FIELDS.filter((f) => f !== "date" && f !== "time" && f !== "cs(Cookie)").map(columnName),
  "fields",
  "source",
  "line",
];
