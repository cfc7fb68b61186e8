/**
 * The msp kind: linked MSP service-desk tables (clients, technicians, tickets, SLA metrics, daily delivery and
 * monthly technician productivity).
 * @module
 */
import { MspConfig } from "@lib/generate/msp/config.ts";
import { MSP_REPLAY } from "@lib/stream/source.ts";
import { mspKind } from "@lib/validate/kinds/mod.ts";
import { MSP_PROFILE } from "@lib/report/kinds.ts";
import type { KindDescriptor, SourceInfo } from "../registry.ts";
import { MSP_COLUMN_DOCS } from "./columns.ts";

/** The MSP platform API an msp dataset is synced from (`deno task ingest msp-api`). */
const MSP_API_SOURCE: SourceInfo = {
  id: "msp-api",
  title: "An MSP platform's GraphQL API (SuperOps-shaped; the sandbox of deno task serve-api msp)",
  summary: "an MSP platform's GraphQL API (SuperOps-shaped), e.g. --url http://127.0.0.1:8787/msp",
  task: "tasks/ingest_msp_api.ts",
  url: "https://support.superops.com/en/articles/6632215-how-to-integrate-applications-using-superops-ai-graphql-apis",
  license: "the tenant's own data: confidential",
  modality: "tickets",
  name: "msp",
};

/** The msp kind's descriptor. */
export const msp: KindDescriptor = {
  kind: "msp",
  origin: "generated",
  description: mspKind.description,
  primary: "tickets",
  columns: MSP_COLUMN_DOCS,
  config: MspConfig,
  task: "tasks/generate_msp.ts",
  validation: mspKind,
  replay: MSP_REPLAY,
  report: MSP_PROFILE,
  sources: [MSP_API_SOURCE],
};
