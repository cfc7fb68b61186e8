/**
 * `deno task serve-api msp [dataset] [flags]`: the MSP platform sandbox, a SuperOps-shaped GraphQL API over an MSP
 * dataset of the lake, on 127.0.0.1 only, until SIGINT or SIGTERM.
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import { type FlagSpec, helpText, parseFlags, UsageError } from "@lib/cli/args.ts";
import { loadMspApiData, parseFaults, serveMspApi } from "@lib/api/msp/mod.ts";
import { readCredentials } from "@lib/ingest/msp_api/http.ts";

const FLAGS: Record<string, FlagSpec> = {
  port: { type: "string", arg: "N", help: "port on 127.0.0.1, 0 picks a free one (default 8787)", config: false },
  "rate-limit": {
    type: "string",
    arg: "N",
    help: "requests a minute before 429 + Retry-After, 0 for none (default 800, SuperOps' figure)",
    config: false,
  },
  burst: { type: "string", arg: "N", help: "requests let through at once (default 10)", config: false },
  faults: {
    type: "string",
    arg: "SPEC",
    help: "seeded faults per data request, e.g. 429=0.05,500=0.02,timeout=0.01,truncate=0.01",
    config: false,
  },
  seed: { type: "string", arg: "N", help: "seed of the fault draws (default 42)", config: false },
  webhook: { type: "string", arg: "URL", help: "post ticket events to this loopback URL", config: false },
  speed: {
    type: "string",
    arg: "X",
    help: "webhook replay clock: dataset seconds per second, or max (default 3600)",
    config: false,
  },
  credentials: {
    type: "string",
    arg: "FILE",
    help: 'JSON {"api_key", "tenant", "webhook_secret"} (else OPSLAB_MSP_* environment variables)',
    config: false,
  },
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

const HELP = helpText("deno task serve-api msp [dataset] [flags]", {
  description:
    `Serves an MSP dataset (a name under data/synthetic/, default msp, or a dataset folder) through a GraphQL API
shaped like SuperOps': POST http://127.0.0.1:<port>/msp with "Authorization: Bearer <api key>" and
"CustomerSubDomain: <tenant>"; queries getClientList, getTechnicianList, getTicketList (input: {pageSize, cursor |
page, condition: {attribute: "updatedTime", operator: "greaterThanOrEqual", value}}) and getSnapshotInfo; the
schema at GET /msp/schema.graphql. The API key and tenant come from OPSLAB_MSP_API_KEY and OPSLAB_MSP_TENANT or
--credentials, never from the command line. Only requests addressed to 127.0.0.1 or localhost are answered.`,
  flags: FLAGS,
  examples: [
    "OPSLAB_MSP_API_KEY=dev-key OPSLAB_MSP_TENANT=acme deno task serve-api msp",
    "deno task serve-api msp data/synthetic/msp --rate-limit 60 --faults 429=0.05,500=0.02 --credentials creds.json",
  ],
});

function number(flags: Record<string, unknown>, name: string, fallback: number, min: number): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== "string" || v.trim() === "" || !Number.isFinite(n) || n < min) {
    throw new UsageError(`--${name} must be a number >= ${min}, got "${v}"`);
  }
  return n;
}

function datasetPath(arg: string | undefined): string {
  const name = arg ?? "msp";
  return name.includes("/") ? name : `data/synthetic/${name}`;
}

/**
 * Runs the sandbox.
 * @param args the arguments after the task name
 * @returns the exit code: 0 stopped by a signal, 1 a dataset that cannot be served, 2 bad usage
 */
export async function main(args: string[]): Promise<number> {
  let flags: Record<string, string | boolean | undefined>, positionals: string[];
  try {
    ({ flags, positionals } = parseFlags(args, FLAGS));
    if (flags.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals[0] !== "msp" || positionals.length > 2) {
      throw new UsageError(`expected "msp [dataset]", got "${positionals.join(" ")}"`);
    }
  } catch (e) {
    console.error(`error: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  let options;
  try {
    const port = number(flags, "port", 8787, 0);
    if (!Number.isInteger(port) || port > 65535) throw new UsageError(`--port must be 0..65535, got "${flags.port}"`);
    const speedFlag = flags.speed;
    const speed = speedFlag === "max" ? Infinity : number(flags, "speed", 3600, Number.MIN_VALUE);
    const credentials = await readCredentials(Deno.env.toObject(), flags.credentials as string | undefined)
      .catch((e) => {
        throw new UsageError((e as Error).message.replace("Cannot ingest msp-api", "Cannot serve the MSP API"));
      });
    let faults;
    try {
      faults = parseFaults((flags.faults as string | undefined) ?? "");
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (flags.webhook !== undefined && !credentials.webhookSecret) {
      throw new UsageError(
        "--webhook needs a secret: set OPSLAB_MSP_WEBHOOK_SECRET or webhook_secret in --credentials",
      );
    }
    options = {
      apiKey: credentials.apiKey,
      tenant: credentials.tenant,
      port,
      rateLimit: number(flags, "rate-limit", 800, 0),
      burst: number(flags, "burst", 10, 1),
      faults,
      seed: (flags.seed as string | undefined) ?? 42,
      ...(flags.webhook !== undefined
        ? { webhook: { url: flags.webhook as string, secret: credentials.webhookSecret!, speed } }
        : {}),
    };
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 2;
  }
  const dir = datasetPath(positionals[1]);
  let api;
  try {
    api = serveMspApi(await loadMspApiData(dir), options);
  } catch (e) {
    console.error(`error: ${(e as Error).message.split("\n")[0]}`);
    return e instanceof RangeError && /webhook/.test((e as Error).message) ? 2 : 1;
  }
  const faultText = Object.entries(options.faults).map(([k, v]) => `${k}=${v}`).join(",") || "none";
  console.log(
    `serving ${dir} on ${api.url} (tenant ${options.tenant}; rate limit ${
      options.rateLimit || "none"
    }/min; faults ${faultText})`,
  );
  await new Promise<void>((resolve) => {
    for (const s of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(s, () => resolve());
  });
  await api.close();
  console.log(
    `stopped: ${JSON.stringify(api.stats)}${api.webhook ? ` webhooks ${JSON.stringify(api.webhook.stats)}` : ""}`,
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
