/**
 * The cloudfront kind: a real public dataset ingested into `data/processed/` (`SOURCE` below says where it comes from and
 * its licence). Validated and reported generically; its columns are documented in `./columns.ts`.
 * @module
 */
import { CloudFrontIngestConfig } from "@lib/ingest/cloudfront/config.ts";
import { CLOUDFRONT_PROFILE } from "@lib/report/kinds.ts";
import type { KindDescriptor, SourceInfo } from "../registry.ts";
import { CLOUDFRONT_COLUMN_DOCS } from "./columns.ts";

/** Where the cloudfront data comes from. */
const SOURCE: SourceInfo = {
  id: "cloudfront",
  title: "Amazon CloudFront access logs (W3C extended format)",
  summary: "Amazon CloudFront access logs (W3C extended format, gzipped or not)",
  task: "tasks/ingest_cloudfront.ts",
  kaggle: "paultimothymooney/amazon-cloudfront-logs",
  url: "https://www.kaggle.com/datasets/paultimothymooney/amazon-cloudfront-logs",
  license: "unknown: see the Kaggle dataset page",
  modality: "logs",
  name: "cloudfront",
};

/** The cloudfront kind's descriptor. */
export const cloudfront: KindDescriptor = {
  kind: "cloudfront",
  origin: "ingested",
  description: SOURCE.title,
  primary: "requests",
  columns: CLOUDFRONT_COLUMN_DOCS,
  config: CloudFrontIngestConfig,
  task: SOURCE.task,
  sources: [SOURCE],
  report: CLOUDFRONT_PROFILE,
};
