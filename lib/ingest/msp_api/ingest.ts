import { basename, dirname, join } from "node:path";
import type { Manifest } from "@lib/lake/mod.ts";
import type { MspPeriod } from "@lib/schema/msp/mod.ts";
import { commitIngest } from "../common/commit.ts";
import { ingestSource } from "../sources.ts";
import { buildMspTables } from "./build.ts";
import { MspApiClient, type MspApiClientOptions, type MspClientStats, type MspCredentials } from "./http.ts";
import { syncMsp, type SyncOptions, type SyncResult } from "./sync.ts";
import type { IngestReport } from "../common/report.ts";

/** Name and version of the MSP API ingester, as manifests record them. */
export const MSP_API_INGESTER = { name: "opslab/ingest/msp_api", version: "1" } as const;

/** Options of {@linkcode ingestMspApi}. */
export interface IngestMspApiOptions extends SyncOptions {
  /** API key and tenant (from the environment or a file, never the command line). */
  credentials: MspCredentials;
  /** The sync state folder (checkpoint and fetched pages). @default `.<name>.msp-sync` beside the output */
  stateDir?: string;
  /** Client limits and retries. @default {} */
  client?: MspApiClientOptions;
  /** The snapshot period. @default the API's `getSnapshotInfo` */
  period?: MspPeriod;
  /** The manifest's creation time. @default now */
  created?: Date;
}

/** What {@linkcode ingestMspApi} did. */
export interface IngestMspApiResult {
  manifest: Manifest;
  report: IngestReport;
  sync: SyncResult;
  client: MspClientStats;
  stateDir: string;
}

/**
 * The default state folder of an output: `.<name>.msp-sync` beside it (a dot folder the lake's listings skip).
 * @param output the dataset folder
 * @returns the state folder
 */
export function defaultStateDir(output: string): string {
  return join(dirname(output), `.${basename(output)}.msp-sync`);
}

/**
 * Ingests an MSP platform API into the lake: syncs clients, technicians and tickets into the state folder (resumable,
 * incremental), builds the six MSP tables with the generator's derivations, and commits them atomically with
 * `quarantine`, `report.json` and a manifest (kind `msp`) whose lineage lists every fetched page with its SHA-256.
 *
 * @param url the GraphQL endpoint
 * @param output the dataset folder
 * @param options credentials, state folder, page size, since, client limits
 * @returns the manifest, report, sync and client figures
 */
export async function ingestMspApi(
  url: string,
  output: string,
  options: IngestMspApiOptions,
): Promise<IngestMspApiResult> {
  const { credentials, stateDir = defaultStateDir(output), client: clientOptions = {}, period, created } = options;
  const client = new MspApiClient(url, credentials, clientOptions);
  const sync = await syncMsp(client, stateDir, options);
  const built = await buildMspTables(stateDir, sync.checkpoint, { period });
  const source = ingestSource("msp-api");
  const manifest = await commitIngest(output, {
    name: basename(output),
    kind: "msp",
    generator: { ...MSP_API_INGESTER },
    tables: built.tables,
    primary: "tickets",
    report: built.report,
    config: {
      url,
      tenant: credentials.tenant,
      page_size: options.pageSize ?? 200,
      since: options.since ?? null,
      start: new Date(built.period.startMs).toISOString().slice(0, 10),
      end: new Date(built.period.asOfMs - 86_400_000).toISOString().slice(0, 10),
    },
    inputRoot: url,
    inputs: built.inputs,
    source: { name: source.title, url: source.url, license: source.license },
    classification: "confidential",
  }, { created });
  return { manifest, report: built.report, sync, client: client.stats, stateDir };
}
