/**
 * The cloudfront kind: a real public dataset ingested into `data/processed/` (see `SOURCES.cloudfront` in
 * `lib/ingest/sources.ts` for where it comes from and its licence). Validated and reported generically; its columns are documented in `./columns.ts`.
 * @module
 */
import { CloudFrontIngestConfig } from "@lib/ingest/cloudfront/config.ts";
import { SOURCES } from "@lib/ingest/sources.ts";
import { CLOUDFRONT_PROFILE } from "@lib/report/kinds.ts";
import type { KindDescriptor } from "../registry.ts";
import { CLOUDFRONT_COLUMN_DOCS } from "./columns.ts";

/** The cloudfront kind's descriptor. */
export const cloudfront: KindDescriptor = {
  kind: "cloudfront",
  origin: "ingested",
  description: SOURCES.cloudfront.title,
  primary: "requests",
  columns: CLOUDFRONT_COLUMN_DOCS,
  config: CloudFrontIngestConfig,
  task: "tasks/ingest_cloudfront.ts",
  report: CLOUDFRONT_PROFILE,
};
