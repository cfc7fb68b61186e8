/**
 * `deno task ingest msp-api --url URL [flags]`: an MSP platform API (SuperOps-shaped GraphQL, e.g. the sandbox of
 * `deno task serve-api msp`) into `data/processed/tickets/msp/` (the six MSP tables, quarantine, report).
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import { parseArgs } from "node:util";
import { assertWritable, isUsageError, peakRss, runTask, UsageError } from "@lib/cli/mod.ts";
import { errorLine, summaryLine } from "@lib/ingest/common/cli.ts";
import { createdFromEnv } from "@lib/ingest/common/commit.ts";
import {
  defaultStateDir,
  ingestMspApi,
  type IngestMspApiOptions,
  readCredentials,
  startWebhookReceiver,
  type WebhookReceiver,
} from "@lib/ingest/msp_api/mod.ts";
import { sourceDatasetName } from "@lib/ingest/sources.ts";
import { claimOutput, datasetDir, DEFAULT_LAKE_ROOT } from "@lib/lake/mod.ts";

const USAGE = `Usage: deno task ingest msp-api --url URL [flags]

Syncs clients, technicians and tickets from an MSP platform's GraphQL API (shaped like SuperOps': Bearer token,
CustomerSubDomain header, get<Type>List with listInfo) and writes data/processed/tickets/msp/: the six MSP tables
(clients, technicians, tickets, sla_metrics, service_delivery_daily, technician_productivity; the derived ones
computed by the MSP generator's code), quarantine.parquet (malformed objects with the reason), report.json and a
manifest (kind msp) whose lineage lists every fetched page with its SHA-256.

The sync saves each page and then a checkpoint, atomically, in a state folder beside the output
(.<name>.msp-sync): a run that is killed resumes where it stopped, and a later run fetches only what was updated
since the last one (incremental). Credentials come from OPSLAB_MSP_API_KEY and OPSLAB_MSP_TENANT or a JSON file
(--credentials FILE or OPSLAB_MSP_API_CREDENTIALS: {"api_key", "tenant"}), never from the command line, and are
never printed.

Flags:
  --url URL              the GraphQL endpoint, e.g. http://127.0.0.1:8787/msp (the task may reach 127.0.0.1 and
                         localhost; a remote platform needs --allow-net for its host)
  --credentials FILE     JSON credentials file
  --output DIR           dataset folder (default data/processed/tickets/msp)
  --overwrite            replace the dataset at --output (only an msp dataset)
  --lake DIR             lake root for the defaults (default data)
  --state DIR            sync state folder (default .<name>.msp-sync beside --output)
  --full                 remove the state folder first: fetch everything again
  --since TIME           first sync: only objects updated at or after this ISO time
  --page-size N          objects per page, 1-500 (default 200)
  --rps X                requests a second the client allows itself (token bucket; default no limit)
  --burst N              token bucket size (default 1)
  --max-attempts N       attempts per request before giving up (default 10)
  --timeout-ms N         time for one request before it is retried (default 10000)
  --listen SECONDS       after the sync, receive the platform's ticket webhooks on 127.0.0.1 for this long (0:
                         until SIGINT/SIGTERM) and sync again (incrementally) after events; needs
                         OPSLAB_MSP_WEBHOOK_SECRET or webhook_secret in --credentials (HMAC-SHA256 signatures)
  --webhook-port N       port of the webhook receiver (default 0: a free one, printed on stderr)
  --stats                print rows, seconds, peak RSS and client counts as JSON on a last line
  -h, --help             this text`;

function positive(values: Record<string, unknown>, name: string, integer: boolean, max = Infinity): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== "string" || v.trim() === "" || !(n > 0) || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${name} must be a${integer ? "n integer" : " number"} in 1..${max === Infinity ? "" : max}, got "${v}"`
        .replace(" in 1..,", " > 0,"),
    );
  }
  return n;
}

async function body(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        url: { type: "string" },
        credentials: { type: "string" },
        output: { type: "string" },
        overwrite: { type: "boolean" },
        lake: { type: "string" },
        state: { type: "string" },
        full: { type: "boolean" },
        since: { type: "string" },
        "page-size": { type: "string" },
        rps: { type: "string" },
        burst: { type: "string" },
        "max-attempts": { type: "string" },
        "timeout-ms": { type: "string" },
        stats: { type: "boolean" },
        listen: { type: "string" },
        "webhook-port": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    console.error(`error: ${errorLine(e)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const url = values.url as string | undefined;
    if (url === undefined) throw new UsageError("--url is required, e.g. --url http://127.0.0.1:8787/msp");
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
    }
    if (!["http:", "https:"].includes(parsed.protocol) || parsed.username || parsed.password) {
      throw new UsageError(
        `--url must be an http(s) URL without credentials, got "${parsed.protocol}//${parsed.host}"`,
      );
    }
    const since = values.since as string | undefined;
    if (since !== undefined && !Number.isFinite(Date.parse(since))) {
      throw new UsageError(`--since must be an ISO time such as 2024-06-01T00:00:00Z, got "${since}"`);
    }
    const pageSize = positive(values, "page-size", true, 500);
    const rps = positive(values, "rps", false);
    const burst = positive(values, "burst", true);
    const maxAttempts = positive(values, "max-attempts", true);
    const timeoutMs = positive(values, "timeout-ms", true);
    const credentials = await readCredentials(Deno.env.toObject(), values.credentials as string | undefined).catch(
      (e) => {
        throw new UsageError((e as Error).message);
      },
    );
    const listenFlag = values.listen as string | undefined;
    const listen = listenFlag === undefined ? undefined : Number(listenFlag);
    if (listen !== undefined && !(listenFlag!.trim() !== "" && listen >= 0 && Number.isFinite(listen))) {
      throw new UsageError(`--listen must be seconds >= 0, got "${listenFlag}"`);
    }
    const portFlag = values["webhook-port"] as string | undefined;
    const webhookPort = portFlag === undefined ? 0 : Number(portFlag);
    if (!(Number.isInteger(webhookPort) && webhookPort >= 0 && webhookPort <= 65535)) {
      throw new UsageError(`--webhook-port must be 0..65535, got "${portFlag}"`);
    }
    if (portFlag !== undefined && listen === undefined) throw new UsageError("--webhook-port needs --listen");
    if (listen !== undefined && !credentials.webhookSecret) {
      throw new UsageError(
        "--listen needs a webhook secret: set OPSLAB_MSP_WEBHOOK_SECRET or webhook_secret in the --credentials file",
      );
    }
    const lake = (values.lake as string | undefined) ?? DEFAULT_LAKE_ROOT;
    const output = (values.output as string | undefined) ??
      datasetDir("processed", sourceDatasetName("msp-api"), { root: lake });
    const stateDir = (values.state as string | undefined) ?? defaultStateDir(output);
    assertWritable(output, "--output");
    const lock = await claimOutput(output, {
      kind: "msp",
      overwrite: values.overwrite === true,
      inputs: typeof values.credentials === "string" ? [values.credentials as string] : [],
      lakes: [lake],
    });
    let receiver: WebhookReceiver | undefined;
    try {
      if (values.full) await Deno.remove(stateDir, { recursive: true }).catch(() => {});
      if (listen !== undefined) {
        // Listening before the first sync: events that arrive during it are not missed.
        receiver = startWebhookReceiver({ secret: credentials.webhookSecret!, port: webhookPort });
        console.error(`msp-api: receiving webhooks on ${receiver.url}`);
      }
      const started = performance.now();
      const ingestOptions: IngestMspApiOptions = {
        credentials,
        stateDir,
        ...(pageSize ? { pageSize } : {}),
        ...(since ? { since } : {}),
        client: {
          ...(rps ? { rps } : {}),
          ...(burst ? { burst } : {}),
          ...(maxAttempts ? { maxAttempts } : {}),
          ...(timeoutMs ? { timeoutMs } : {}),
        },
        created: createdFromEnv(Deno.env.toObject()),
      };
      const result = await ingestMspApi(parsed.href, output, ingestOptions);
      console.log(summaryLine(result.report, output));
      const c = result.client;
      console.error(
        `msp-api: ${c.requests} requests, ${c.retries} retries (429: ${c.rateLimited}, 5xx: ${c.serverErrors}, ` +
          `timeouts: ${c.timeouts}, bad bodies: ${c.badBodies}, network: ${c.networkErrors})`,
      );
      if (values.stats) {
        const seconds = (performance.now() - started) / 1000;
        const fetched = Object.values(result.sync.fetched).reduce((n, f) => n + f.objects, 0);
        console.log(JSON.stringify({
          rows: result.report.rows_read,
          fetched,
          seconds,
          peak_rss_bytes: peakRss() ?? null,
          client: c,
        }));
      }
      if (receiver) {
        const until = listen! > 0 ? performance.now() + listen! * 1000 : Infinity;
        while (performance.now() < until) {
          await new Promise((r) => setTimeout(r, Math.max(0, Math.min(500, until - performance.now()))));
          const tickets = receiver.drain();
          if (tickets.length === 0) continue;
          const again = await ingestMspApi(parsed.href, output, { ...ingestOptions, since: undefined });
          const fetched = Object.values(again.sync.fetched).reduce((n, f) => n + f.objects, 0);
          console.log(
            `resynced after webhooks on ${tickets.length} ticket${tickets.length === 1 ? "" : "s"}: ${fetched} ` +
              `objects fetched; ${summaryLine(again.report, output)}`,
          );
        }
        console.error(`msp-api: webhooks ${JSON.stringify(receiver.stats)}`);
      }
      return 0;
    } finally {
      await receiver?.close();
      lock.release();
    }
  } catch (e) {
    console.error(`error: ${errorLine(e)}`);
    return isUsageError(e) ? 2 : 1;
  }
}

/**
 * Runs the MSP API ingest.
 * @param args command-line arguments after `msp-api`
 * @returns the exit code: 0 done, 1 failed (the API, the data), 2 bad usage
 */
export function main(args: string[]): Promise<number> {
  return runTask(() => body(args));
}

if (import.meta.main) Deno.exit(await main(Deno.args));
