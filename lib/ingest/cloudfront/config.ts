import { z } from "zod";

const Duration = z.string().regex(/^\d+(ms|s|m|h|d|w)$/);

/** Config of `deno task ingest cloudfront`, in snake_case (flags, config files, `OPSLAB_INGEST_CLOUDFRONT_*`). */
export const CloudFrontIngestConfig = z.strictObject({
  /** Client address anonymization: keep the /24 or /48 network, or a salted hash. */
  ip_mode: z.enum(["truncate", "hash"]).default("truncate"),
  /** Secret salt for `ip_mode: hash`; never written to the manifest. */
  ip_salt: z.string().default(""),
  /** A file that cannot be decoded: stop, or skip and list it. */
  on_unreadable: z.enum(["error", "skip"]).default("error"),
  /** Window length. */
  window: Duration.default("7d"),
  /** How many windows get traffic series and incidents (null: all). */
  sample_windows: z.int().positive().nullable().default(null),
  /** Seed of the window sample. */
  seed: z.union([z.int(), z.string()]).default(0),
  /** Traffic series bucket. */
  every: Duration.default("1m"),
  /** Rolling window of the incident rules, in buckets. */
  incident_window: z.int().positive().default(5),
  /** Requests a rolling window needs before it can raise an incident. */
  min_requests: z.int().nonnegative().default(20),
  /** 5xx rate threshold (fraction), null to turn off. */
  threshold_5xx: z.number().positive().nullable().default(0.05),
  /** 4xx rate threshold (fraction), null to turn off. */
  threshold_4xx: z.number().positive().nullable().default(null),
  /** p95 time-taken threshold (seconds), null to turn off. */
  threshold_p95: z.number().positive().nullable().default(1),
  /** Quiet buckets bridged when merging incident runs. */
  merge_gap: z.int().nonnegative().default(2),
}).refine((c) => c.ip_mode !== "hash" || c.ip_salt !== "", {
  message: "must be set when ip_mode is hash",
  path: ["ip_salt"],
});
/** Config of `deno task ingest cloudfront`. */
export type CloudFrontIngestConfig = z.infer<typeof CloudFrontIngestConfig>;
