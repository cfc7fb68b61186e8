/**
 * `deno task generate incidents [flags]`: one incident timeline told by metrics, database logs, CloudFront access
 * logs, e-mails and tickets.
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import {
  claimTaskOutput,
  CONFIG_FLAGS,
  configYaml,
  creationTime,
  type FlagSpec,
  helpText,
  OVERWRITE_FLAG,
  parseFlags,
  peakRss,
  Progress,
  resolveTaskConfig,
  runTask,
  SCALE_FLAGS,
  SCALE_HELP,
  scaleOut,
  shardFlag,
  UsageError,
} from "@lib/cli/mod.ts";
import { datasetDir, type Manifest, type Shard } from "@lib/lake/mod.ts";
import {
  IncidentsConfig,
  mergeIncidentsShards,
  type Modality,
  type ModalityTiming,
  period,
  writeIncidentsDataset,
} from "@lib/generate/incidents/mod.ts";

const FLAGS: Record<string, FlagSpec> = {
  from: { type: "string", arg: "YYYY-MM-DD", help: "first day, UTC (default 2024-03-04)" },
  to: { type: "string", arg: "YYYY-MM-DD", help: "day after the last, exclusive (default 2024-03-18)" },
  "incidents-per-week": { type: "string", arg: "N", help: "mean incidents a week, Poisson (default 4)" },
  seed: { type: "string", arg: "N", help: "seed; equal seeds and configs give byte-identical files (default 42)" },
  modalities: {
    type: "string",
    arg: "LIST",
    help: "comma-separated: metrics,db_logs,cloudfront,emails,tickets (default all)",
  },
  servers: { type: "string", arg: "N", help: "fleet size, as generate capacity --servers (default 120)" },
  name: { type: "string", arg: "NAME", help: "dataset name, the folder under data/synthetic/ (default incidents)" },
  "cloudfront-requests-per-day": {
    type: "string",
    arg: "N",
    help: "CloudFront requests a day (default 20000)",
    config: false,
  },
  "db-records-per-server-hour": {
    type: "string",
    arg: "N",
    help: "database log records per database server per hour (default 20)",
    config: false,
  },
  "no-gzip": { type: "boolean", help: "write CloudFront logs uncompressed", config: false },
  ...SCALE_FLAGS,
  output: { type: "string", arg: "DIR", help: "dataset folder (default data/synthetic/<name>)", config: false },
  ...OVERWRITE_FLAG,
  ...CONFIG_FLAGS,
  stats: { type: "boolean", help: "print rows, seconds and peak RSS as JSON on stdout", config: false },
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

const HELP = helpText("deno task generate incidents [flags]", {
  description:
    `Generates a seeded incident timeline over the capacity fleet (vendor outages, replication lag, backup failures,
breach attempts, capacity spikes, bad deploys, certificate expiries, full disks) and tells it through every
modality: metrics with labeled anomalies, PostgreSQL/MySQL/MongoDB logs, CloudFront access logs (33-field W3C),
RFC 5322 e-mails and ITSM tickets, into data/synthetic/<name>/ with manifest.json. incidents.parquet is the
ground truth; every log line's incident (or none) is in labels/*.parquet.

Config precedence, lowest first: defaults, --config file, flags, OPSLAB_INCIDENTS_* environment variables
(nested keys with "__": OPSLAB_INCIDENTS_VOLUMES__TICKETS_PER_DAY=40).

${SCALE_HELP}
A shard writes its servers' capacity metrics and database logs, its services' metrics and its hours' CloudFront
logs; shard 0 also writes the incidents, e-mails and tickets.`,
  flags: FLAGS,
  examples: [
    "deno task generate incidents",
    "deno task generate incidents --from 2024-01-01 --to 2024-02-01 --incidents-per-week 6 --seed 7",
    "deno task generate incidents --modalities cloudfront --cloudfront-requests-per-day 2000000 --stats",
    "deno task generate incidents --from 2024-01-01 --to 2024-04-01 --workers 2",
  ],
});

/**
 * Runs the incidents generator.
 * @param args command-line arguments after `incidents`
 * @returns the exit code
 */
export function main(args: string[]): Promise<number> {
  return runTask(async () => {
    const { config: flags, flags: raw, positionals } = parseFlags(args, FLAGS);
    if (raw.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (see --help)`);
    const started = performance.now();
    const nested: Record<string, unknown> = { ...flags };
    if (typeof flags.modalities === "number") nested.modalities = String(flags.modalities);
    const num = (v: unknown) => (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v);
    if (raw["cloudfront-requests-per-day"] !== undefined) {
      nested["volumes.cloudfront_requests_per_day"] = num(raw["cloudfront-requests-per-day"]);
    }
    if (raw["db-records-per-server-hour"] !== undefined) {
      nested["volumes.db_records_per_server_hour"] = num(raw["db-records-per-server-hour"]);
    }
    if (raw["no-gzip"]) nested["cloudfront.gzip"] = false;
    const { config } = await resolveTaskConfig(IncidentsConfig, { kind: "incidents", file: raw.config, flags: nested });
    if (raw["print-config"]) {
      console.log(configYaml("incidents", config));
      return 0;
    }
    const dir = typeof raw.output === "string" ? raw.output : datasetDir("synthetic", config.name);
    const shard = shardFlag(raw.shard);
    const { target } = await claimTaskOutput(dir, {
      kind: "incidents",
      overwrite: raw.overwrite === true,
      shard: raw.merge ? undefined : shard,
      inputs: typeof raw.config === "string" ? [raw.config] : [],
    });
    const merged = await scaleOut({
      kind: "incidents",
      args,
      flags: raw,
      dir,
      merge: () => mergeIncidentsShards(dir, creationTime()),
    });
    const timings: Record<string, ModalityTiming> = {};
    const manifest = merged ?? await generate(config, dir, shard, (m, t) => timings[m] = t);
    const seconds = (performance.now() - started) / 1000;
    // The manifest holds counts; the timings of this run are printed only (a manifest is reproducible).
    const per = Object.fromEntries(
      Object.entries((manifest.stats?.modalities ?? {}) as Record<string, { units: number }>).map((
        [k, m],
      ) => [k, { ...m, ...timings[k] }]),
    );
    const units = Object.values(per).reduce((s, m) => s + m.units, 0);
    if (raw.stats) {
      console.log(JSON.stringify({ rows: units, seconds, peak_rss_bytes: peakRss(), modalities: per }));
    } else {
      const bytes = manifest.files.reduce((s, f) => s + f.bytes, 0);
      console.log(
        `incidents${shard ? ` shard ${shard.index}/${shard.count}` : ""}: ${manifest.rows} incidents, ${
          Object.entries(per).map(([k, v]) => `${k} ${v.units.toLocaleString("en-US")}`).join(", ")
        } -> ${target} (${(bytes / 1e6).toFixed(1)} MB, ${seconds.toFixed(2)} s)`,
      );
    }
    return 0;
  });
}

/** Writes the dataset (or one shard of it) with a progress bar per modality. */
async function generate(
  config: IncidentsConfig,
  dir: string,
  shard: Shard | undefined,
  onTiming: (modality: Modality, timing: ModalityTiming) => void,
): Promise<Manifest> {
  const { start, end } = period(config);
  const days = (end - start) / 86_400_000;
  // A shard does about its share of the split modalities.
  const share = shard ? 1 / shard.count : 1;
  const estimate: Record<Modality, number> = {
    metrics: share * (config.servers * days * 24 + 25 * days * 86_400_000 / 300_000),
    db_logs: Math.round(share * config.servers * 0.15 * days * 24 * config.volumes.db_records_per_server_hour * 2.2),
    cloudfront: share * config.volumes.cloudfront_requests_per_day * days,
    emails: Math.round(days * config.volumes.emails_per_day + config.incidents_per_week * days),
    tickets: Math.round(days * config.volumes.tickets_per_day),
  };
  // One display over every modality written (their estimated records added up), naming the one running.
  const written = config.modalities as readonly Modality[];
  const total = written.reduce((s, m) => s + Math.round(estimate[m] ?? 0), 0);
  const progress = new Progress(shard ? `incidents ${shard.index}/${shard.count}` : "incidents", total, {
    unit: "records",
  });
  let current = "";
  try {
    return await writeIncidentsDataset(config, dir, {
      created: creationTime(),
      shard,
      onTiming,
      onProgress: (modality, n) => {
        if (modality === "plan") return;
        if (modality !== current) progress.step(current = modality);
        progress.tick(n);
      },
    });
  } finally {
    progress.finish();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
