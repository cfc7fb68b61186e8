/**
 * Ingest of an MSP platform API (SuperOps-shaped GraphQL, e.g. the sandbox of `deno task serve-api msp`): a client
 * with a token bucket, retries with exponential backoff and full jitter honouring `Retry-After`, cursor pagination
 * and incremental sync by update time with an atomically saved checkpoint; the six MSP tables are built with the
 * generator's own derivations, malformed objects quarantined with the reason, and the dataset committed to the lake.
 *
 * @example
 * ```ts ignore
 * import { ingestMspApi, readCredentials } from "@lib/ingest/msp_api/mod.ts";
 * const credentials = await readCredentials(Deno.env.toObject());
 * await ingestMspApi("http://127.0.0.1:8787/msp", "data/processed/tickets/msp", { credentials });
 * ```
 * @module
 */
export { buildMspTables, type BuiltMsp } from "./build.ts";
export {
  MspApiClient,
  type MspApiClientOptions,
  MspApiError,
  type MspClientStats,
  type MspCredentials,
  readCredentials,
  TokenBucket,
} from "./http.ts";
export {
  defaultStateDir,
  ingestMspApi,
  type IngestMspApiOptions,
  type IngestMspApiResult,
  MSP_API_INGESTER,
} from "./ingest.ts";
export {
  type MspWebhookEvent,
  startWebhookReceiver,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from "./receiver.ts";
export {
  type EntityCheckpoint,
  pagePath,
  readCheckpoint,
  selectionOf,
  type SyncCheckpoint,
  syncMsp,
  type SyncOptions,
  type SyncResult,
  writeFileAtomic,
} from "./sync.ts";
