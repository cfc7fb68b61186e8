/**
 * What every column of an ingested CloudFront dataset means (rendered into `docs/columns.md`). The request columns
 * are the W3C fields of the CloudFront standard log (AWS, "Standard logging reference": field meanings as AWS
 * documents them), `-` read as null.
 * @module
 */
import { QUARANTINE_COLUMN_DOCS } from "../_quarantine.ts";

const WINDOW = "start of the analysis window (`--window`, default 7 days) the request falls in, UTC";

/** Column descriptions of the CloudFront tables, by table then column. */
export const CLOUDFRONT_COLUMN_DOCS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  requests: {
    timestamp: "when the edge server finished the request, UTC (the log's `date` and `time`)",
    x_edge_location: "edge location that served it (airport code and number, e.g. `IAD79-C3`)",
    sc_bytes: "bytes the server sent to the viewer, headers included (>= 0)",
    c_ip:
      "viewer IP address, anonymized at ingest (`--ip-mode`: the /24 or /48 network kept, or a salted HMAC-SHA-256)",
    cs_method: "HTTP method (GET, POST, …)",
    cs_host: "the distribution's CloudFront domain name",
    cs_uri_stem: "path of the requested URI, without the query string",
    sc_status: "HTTP status code returned; 0 when the viewer closed the connection before a response",
    cs_referer: "Referer header; null when absent",
    cs_user_agent: "User-Agent header (URL-decoded)",
    cs_uri_query: "query string of the URI; null when none",
    x_edge_result_type:
      "how CloudFront classified the response: Hit, RefreshHit, Miss, LimitExceeded, CapacityExceeded, Error, Redirect",
    x_edge_request_id: "opaque id of the request, unique per request",
    x_host_header: "Host header the viewer sent (the distribution or an alternate domain)",
    cs_protocol: "viewer protocol: http, https, ws or wss",
    cs_bytes: "bytes of the request the viewer sent, headers included (>= 0)",
    time_taken: "seconds from the request reaching the edge to the last byte sent, s (ms precision, >= 0)",
    x_forwarded_for: "X-Forwarded-For of a request that came through a proxy; null otherwise",
    ssl_protocol: "TLS version of an HTTPS request (e.g. TLSv1.2); null for HTTP",
    ssl_cipher: "TLS cipher of an HTTPS request; null for HTTP",
    x_edge_response_result_type: "result type of the response returned to the viewer (as x_edge_result_type)",
    cs_protocol_version: "HTTP version of the request (HTTP/1.1, HTTP/2.0, HTTP/3.0)",
    fle_status: "field-level encryption status; null when not configured",
    fle_encrypted_fields: "fields field-level encryption encrypted, count; null when not configured",
    c_port: "viewer's source port (0-65535)",
    time_to_first_byte: "seconds from the request reaching the edge to the first byte of the response, s",
    x_edge_detailed_result_type: "detailed result type (e.g. OriginShieldHit, MissGeneratedResponse, ClientGeoBlocked)",
    sc_content_type: "Content-Type of the response",
    sc_content_len: "Content-Length of the response, bytes",
    sc_range_start: "first byte of a range request's response; null otherwise",
    sc_range_end: "last byte of a range request's response; null otherwise",
    fields: "fields the source log declared (CloudFront's variants: 12, 19, 24, 26 or 33)",
    source: "the log file the request came from",
    line: "line number in that file, 1-based",
    window_start: WINDOW,
  },
  traffic: {
    window_start: WINDOW,
    timestamp: "start of the traffic bucket (`--every`, default 1 minute), UTC",
    requests: "requests in the bucket, count",
    bytes: "bytes sent to viewers in the bucket (sum of sc_bytes)",
    errors_4xx: "requests answered 4xx, count",
    errors_5xx: "requests answered 5xx, count",
    rate_4xx: "errors_4xx / requests, fraction 0-1",
    rate_5xx: "errors_5xx / requests, fraction 0-1",
    time_taken_p50: "median time_taken in the bucket, s",
    time_taken_p95: "95th percentile time_taken in the bucket, s",
    cache_hits: "requests served from the edge cache (Hit, RefreshHit), count",
    cache_hit_ratio: "cache_hits / requests, fraction 0-1",
  },
  incidents: {
    window_start: WINDOW,
    start: "first bucket of the incident, UTC",
    end: "end of its last bucket, UTC (> start)",
    rows: "buckets in the incident, count",
    severity: "minor, major (peak >= 2 x threshold) or critical (>= 4 x)",
    metric: "the metric over its threshold: rate_5xx or time_taken_p95",
    peak: "the metric's highest rolling value in the incident (fraction or s)",
    threshold: "the rule's threshold (rate_5xx 0.05, time_taken_p95 1 s by default)",
    peak_ratio: "peak / threshold (>= 1)",
  },
  quarantine: QUARANTINE_COLUMN_DOCS,
};
