import { z } from "zod";

/** Config of `deno task ingest gwa`, in snake_case as flags, config files and `OPSLAB_INGEST_GWA_*` give it. */
export const GwaIngestConfig = z.strictObject({
  /** Hours the trace's local time is ahead of UTC (Bitbrains: Amsterdam, CEST in July-September 2013). */
  utc_offset_hours: z.number().min(-14).max(14).default(2),
});
/** Config of `deno task ingest gwa`. */
export type GwaIngestConfig = z.infer<typeof GwaIngestConfig>;
