import { z } from "zod";

/**
 * Config of `deno task ingest nab`: the read policies of {@linkcode readNab} and the preprocessing of
 * {@linkcode processNab}, in snake_case as flags, config files and `OPSLAB_INGEST_NAB_*` variables give them.
 */
export const NabIngestConfig = z.strictObject({
  /** `"all"`, categories or `<category>/<name>.csv` keys. */
  select: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default("realAWSCloudwatch"),
  /** The zone the timestamps are written in. */
  timezone: z.string().min(1).default("UTC"),
  /** Of rows sharing a timestamp, keep the first or last. */
  duplicates: z.enum(["first", "last"]).default("first"),
  /** Rows after a later timestamp: sort into place or quarantine. */
  out_of_order: z.enum(["sort", "quarantine"]).default("sort"),
  /** Resampling interval. */
  every: z.string().regex(/^\d+(ms|s|m|h|d|w)$/).default("1h"),
  /** Aggregation per bucket. */
  agg: z.enum(["mean", "max", "min", "sum", "median", "p95", "last"]).default("mean"),
  /** Gap filling. */
  fill: z.enum(["none", "forward", "linear"]).default("linear"),
  /** Longest run of empty buckets filled. */
  max_fill: z.int().nonnegative().default(3),
  /** Rolling windows in buckets. */
  windows: z.array(z.int().min(2)).min(1).default([24, 168]),
  /** Share of each series used for training. */
  train_ratio: z.number().gt(0).lt(1).default(0.7),
  /** One split boundary per series or one for all. */
  split_scope: z.enum(["series", "global"]).default("series"),
  /** Embargo after the boundary. */
  split_gap: z.string().regex(/^\d+(ms|s|m|h|d|w)$/).default("0h"),
});
/** Config of `deno task ingest nab`. */
export type NabIngestConfig = z.infer<typeof NabIngestConfig>;
