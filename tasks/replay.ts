/**
 * `deno task replay <dataset>… [flags]`: replay lake datasets in time order to NDJSON on stdout, a WebSocket
 * server, a Prometheus `/metrics` endpoint and/or Kafka.
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import { join } from "node:path";
import { type FlagSpec, helpText, parseFlags, peakRss, Progress, runTask, UsageError } from "@lib/cli/mod.ts";
import { DEFAULT_LAKE_ROOT, listDatasets, readManifest } from "@lib/lake/mod.ts";
import {
  canonicalOrigin,
  type Channel,
  CHANNELS,
  createKafkaSink,
  deriveHealth,
  mergeSources,
  NdjsonSink,
  openReplay,
  PrometheusSink,
  replay,
  type ReplayDataset,
  type ReplayEvent,
  type ReplayServer,
  type Sink,
  type SinkStats,
  startReplayServer,
  WebSocketSink,
} from "@lib/stream/mod.ts";

const SINKS = ["ndjson", "ws", "prometheus", "kafka"] as const;

const FLAGS: Record<string, FlagSpec> = {
  speed: { type: "string", arg: "N", help: "play N times faster than real time: 60 = an hour a minute (default 60)" },
  max: { type: "boolean", help: "play as fast as the sinks take events (no pacing)" },
  from: { type: "string", arg: "TIME", help: "first data time, ISO date or date-time, UTC (default: the start)" },
  to: { type: "string", arg: "TIME", help: "end data time, exclusive (default: the end)" },
  sink: { type: "string", arg: "LIST", help: `comma-separated: ${SINKS.join(", ")} (default ndjson)` },
  port: { type: "string", arg: "N", help: "HTTP port of the ws and prometheus sinks; 0 = any free (default 9464)" },
  host: { type: "string", arg: "ADDR", help: "HTTP interface (default 127.0.0.1)" },
  tables: { type: "string", arg: "LIST", help: "replay only these tables (default all with a time column)" },
  channels: { type: "string", arg: "LIST", help: `only these channels: ${CHANNELS.join(", ")} (default all)` },
  "ws-queue": { type: "string", arg: "N", help: "messages queued per WebSocket client (default 1000)" },
  "ws-policy": { type: "string", arg: "P", help: "full queue: drop-oldest or disconnect (default drop-oldest)" },
  "max-clients": { type: "string", arg: "N", help: "WebSocket clients at once; more get HTTP 503 (default 64)" },
  "allow-origin": {
    type: "string",
    arg: "LIST",
    help: "browser origins allowed on /ws besides loopback ones, comma-separated, e.g. https://dash.example.com",
  },
  linger: { type: "boolean", help: "keep serving ws/prometheus after the end, until SIGINT or SIGTERM" },
  stats: {
    type: "boolean",
    help: "print {events, seconds, first_event_seconds, peak_rss_bytes} as JSON, the last line on stderr",
  },
  help: { type: "boolean", short: "h", help: "show this help" },
};

const HELP = helpText("deno task replay <dataset> [<dataset>…] [flags]", {
  description: `Replays datasets of the lake as a live stream, in data-time order. <dataset> is a dataset folder (with
manifest.json) or a dataset name (data/synthetic/<name>, else any dataset of that name under data/).

Events: an MSP dataset gives ticket lifecycle events (channel tickets), technician activity
(technician_activity), SLA warnings and breaches (sla_alerts) and daily desk figures (metrics); a capacity
dataset gives one metrics event per row and server health changes (system_health); other tables with a
time column give one event per row.

Sinks: ndjson = one JSON object a line on stdout; ws = WebSocket server at ws://HOST:PORT/ws (send
{"type":"subscribe","channels":["metrics"]}; browsers only from loopback origins unless
--allow-origin; more than 100 frames a second, pings included, close a client); prometheus = http://HOST:PORT/metrics; kafka = topic
opslab.<dataset> on the brokers of KAFKA_BROKERS (host:port,…; the task then needs --allow-net for them).
/healthz is served with ws or prometheus. SIGINT / SIGTERM stop cleanly: buffers are flushed, clients
closed, and a summary of events sent per sink is printed on stderr.`,
  flags: FLAGS,
  examples: [
    "deno task replay msp --speed 3600 --from 2024-03-04 --to 2024-03-05",
    "deno task replay capacity msp --max --sink ndjson > events.ndjson",
    "deno task replay capacity --speed 86400 --sink ws,prometheus --port 9464 --linger",
  ],
});

function parseTime(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const ms = /[zZ]|[+-]\d{2}:?\d{2}$/.test(iso) ? Date.parse(iso) : Date.parse(`${iso}Z`);
  if (!Number.isFinite(ms)) throw new UsageError(`--${flag} must be an ISO date or date-time, got "${text}"`);
  return ms;
}

function list(flag: string, text: string | undefined, allowed?: readonly string[]): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (items.length === 0) throw new UsageError(`--${flag} must name at least one item, got "${text}"`);
  for (const item of items) {
    if (allowed && !allowed.includes(item)) {
      throw new UsageError(`--${flag} must be among ${allowed.join(", ")}, got "${item}"`);
    }
  }
  return items;
}

function positiveInt(flag: string, text: string | undefined, fallback: number, min = 1): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > 65_535 * 1000) {
    throw new UsageError(`--${flag} must be an integer >= ${min}, got "${text}"`);
  }
  return n;
}

async function resolveDataset(arg: string): Promise<string> {
  const exists = async (dir: string) => (await Deno.stat(join(dir, "manifest.json")).catch(() => null))?.isFile;
  if (await exists(arg)) return arg;
  const synthetic = join(DEFAULT_LAKE_ROOT, "synthetic", arg);
  if (await exists(synthetic)) return synthetic;
  const byName = (await listDatasets(DEFAULT_LAKE_ROOT)).find((e) => e.manifest?.name === arg);
  if (byName) return byName.dir;
  throw new UsageError(`Cannot find dataset "${arg}": no manifest.json in "${arg}" or "${synthetic}"`);
}

function* onlyChannels(events: Iterable<ReplayEvent>, channels: Set<string>): Generator<ReplayEvent> {
  for (const e of events) if (channels.has(e.channel)) yield e;
}

function summaryLine(name: string, s: SinkStats): string {
  const extra = Object.entries(s).filter(([k]) => k !== "sent" && k !== "dropped").map(([k, v]) => `${k} ${v}`);
  return `  ${name.padEnd(11)} sent ${s.sent}, dropped ${s.dropped}${extra.length ? `, ${extra.join(", ")}` : ""}`;
}

/**
 * Runs the replay.
 * @param args command-line arguments
 * @returns the exit code: 0 done or stopped by a signal, 1 failed, 2 bad usage
 */
export function main(args: string[]): Promise<number> {
  return runTask(async () => {
    const { flags: raw, positionals } = parseFlags(args, FLAGS);
    if (raw.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError("a dataset is required (see --help)");
    const max = raw.max === true;
    if (max && raw.speed !== undefined) throw new UsageError("give --speed or --max, not both");
    const speed = raw.speed === undefined ? 60 : Number(raw.speed);
    if (!(speed > 0 && Number.isFinite(speed))) {
      throw new UsageError(`--speed must be a positive number, got "${raw.speed}"`);
    }
    const from = parseTime("from", raw.from as string | undefined);
    const to = parseTime("to", raw.to as string | undefined);
    if (from !== undefined && to !== undefined && to <= from) {
      throw new UsageError(`--to must be after --from, got ${raw.from} .. ${raw.to}`);
    }
    const sinkNames = list("sink", raw.sink as string | undefined, [...SINKS, "websocket"]) ?? ["ndjson"];
    const channels = list("channels", raw.channels as string | undefined, CHANNELS);
    const tables = list("tables", raw.tables as string | undefined);
    const port = positiveInt("port", raw.port as string | undefined, 9464, 0);
    const host = (raw.host as string | undefined) ?? "127.0.0.1";
    const wsQueue = positiveInt("ws-queue", raw["ws-queue"] as string | undefined, 1000);
    const wsPolicy = (raw["ws-policy"] as string | undefined) ?? "drop-oldest";
    if (wsPolicy !== "drop-oldest" && wsPolicy !== "disconnect") {
      throw new UsageError(`--ws-policy must be drop-oldest or disconnect, got "${wsPolicy}"`);
    }
    const maxClients = positiveInt("max-clients", raw["max-clients"] as string | undefined, 64);
    const allowOrigins = list("allow-origin", raw["allow-origin"] as string | undefined) ?? [];
    for (const o of allowOrigins) {
      if (canonicalOrigin(o) === undefined) {
        throw new UsageError(`--allow-origin must be origins like https://host[:port], without a path, got "${o}"`);
      }
    }
    const brokers = Deno.env.get("KAFKA_BROKERS")?.split(",").map((b) => b.trim()).filter((b) => b !== "") ?? [];
    if (sinkNames.includes("kafka") && brokers.length === 0) {
      throw new UsageError("Cannot use the kafka sink: KAFKA_BROKERS is not set (e.g. KAFKA_BROKERS=127.0.0.1:9092)");
    }

    // One display from loading to the last event; none when the events go to this same terminal.
    const progress = new Progress("replay", 0, {
      unit: "events",
      enabled: !(sinkNames.includes("ndjson") && Deno.stdout.isTerminal()),
    });
    const datasets: ReplayDataset[] = [];
    const found = new Set<string>();
    for (const arg of positionals) {
      progress.step(`loading ${arg}`);
      const dir = await resolveDataset(arg);
      // --tables names tables of any of the datasets
      const names = Object.keys((await readManifest(dir)).tables);
      const only = tables?.filter((t) => names.includes(t));
      only?.forEach((t) => found.add(t));
      if (only !== undefined && only.length === 0) continue;
      datasets.push(await openReplay(dir, { from, to, tables: only }));
    }
    const missing = tables?.filter((t) => !found.has(t)) ?? [];
    if (missing.length > 0) throw new UsageError(`--tables names "${missing[0]}", which no dataset given has`);
    const sources = datasets.flatMap((d) => d.sources);
    const total = sources.reduce((s, x) => s + x.rows, 0);
    progress.setTotal(total);
    progress.step("");
    for (const d of datasets) {
      for (const s of d.skipped) console.error(`replay: ${d.name}/${s.table} skipped: ${s.reason}`);
    }

    const sinks: Sink[] = [];
    let websocket: WebSocketSink | undefined, prometheus: PrometheusSink | undefined;
    if (sinkNames.includes("ndjson")) sinks.push(new NdjsonSink());
    if (sinkNames.includes("ws") || sinkNames.includes("websocket")) {
      sinks.push(websocket = new WebSocketSink({ maxQueue: wsQueue, policy: wsPolicy, maxClients, allowOrigins }));
    }
    if (sinkNames.includes("prometheus")) sinks.push(prometheus = new PrometheusSink());
    if (sinkNames.includes("kafka")) sinks.push(await createKafkaSink({ brokers }));

    const controller = new AbortController();
    let signalName: string | undefined;
    const onSignal = (name: Deno.Signal) => () => {
      signalName ??= name;
      controller.abort();
    };
    const listeners = (["SIGINT", "SIGTERM"] as const).map((s) => [s, onSignal(s)] as const);
    for (const [s, fn] of listeners) Deno.addSignalListener(s, fn);

    let played = 0, dataTs = NaN;
    let server: ReplayServer | undefined;
    if (websocket || prometheus) {
      server = await startReplayServer({
        hostname: host,
        port,
        websocket,
        prometheus,
        health: () => ({
          events: played,
          total,
          data_time: Number.isNaN(dataTs) ? null : new Date(dataTs).toISOString(),
          datasets: datasets.map((d) => d.name),
          rss_bytes: Deno.memoryUsage().rss,
        }),
      });
      const paths = ["/healthz", ...(prometheus ? ["/metrics"] : []), ...(websocket ? ["/ws"] : [])];
      console.error(`replay: serving http://${server.hostname}:${server.port} (${paths.join(" ")})`);
    }

    // seconds from the process start (performance's time origin) to the first event played
    let firstEventSeconds: number | null = null;
    let events: Iterable<ReplayEvent> = deriveHealth(mergeSources(sources));
    if (channels) events = onlyChannels(events, new Set<Channel>(channels as Channel[]));
    let summary;
    try {
      summary = await replay(events, sinks, {
        speed,
        max,
        startTs: from,
        signal: controller.signal,
        progressEvery: 2000,
        onFirst: () => firstEventSeconds = performance.now() / 1000,
        onProgress: (n, ts) => {
          progress.tick(n - played);
          played = n;
          dataTs = ts;
        },
      });
      progress.finish();
      if (raw.linger && server && !controller.signal.aborted) {
        console.error("replay: done; serving until SIGINT or SIGTERM");
        await new Promise<void>((resolve) => controller.signal.addEventListener("abort", () => resolve()));
      }
    } finally {
      for (const sink of sinks) await sink.close().catch((e) => console.error(`error: ${sink.name}: ${e.message}`));
      await server?.shutdown();
      for (const [s, fn] of listeners) Deno.removeSignalListener(s, fn);
    }
    const rate = summary.seconds > 0 ? Math.round(summary.events / summary.seconds) : summary.events;
    const span = Number.isNaN(summary.firstTs)
      ? "no events"
      : `${new Date(summary.firstTs).toISOString()} .. ${new Date(summary.lastTs).toISOString()}`;
    const stop = signalName ? ` (stopped by ${signalName})` : summary.stopped ? " (stopped: every sink done)" : "";
    const lag = max ? "" : `, max lag ${Math.round(summary.maxLagMs)} ms`;
    console.error(
      `replay: ${summary.events} events in ${summary.seconds.toFixed(2)} s (${rate}/s${lag}), ${span}${stop}`,
    );
    for (const s of sinks) console.error(summaryLine(s.name, s.stats()));
    if (raw.stats) {
      console.error(JSON.stringify({
        events: summary.events,
        seconds: summary.seconds,
        first_event_seconds: firstEventSeconds,
        peak_rss_bytes: peakRss() ?? null,
      }));
    }
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
