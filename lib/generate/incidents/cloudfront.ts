/**
 * CloudFront standard access logs of the public site `www.example.com`: the exact 33-field W3C format (`#Version:
 * 1.0`, `#Fields:` header, tab-separated, `-` for empty), one gzipped file per hour named as CloudFront names them.
 * Background traffic follows a daily and weekly cycle from a pool of clients (documentation addresses, real user
 * agents, their nearest edge location, protocol and TLS setup) with a realistic status and cache-result mix.
 * Incidents hit the path groups of the services they affect: origin-bound requests fail (5xx bursts) or slow down,
 * thundering herds add requests, credential stuffing adds login attempts from one address. A request is labeled
 * with the incident when the incident shaped it (failed, slowed or added it); cache hits are served unharmed.
 *
 * The pieces, in `cloudfront/`: `_model.ts` (clients, paths, incident effects, built once), `_arrivals.ts` (when
 * requests arrive), `_request.ts` (one request's fields), `_line.ts` (the W3C line), `_tables.ts` (vocabulary);
 * this file cuts hours into batches.
 *
 * Streams: clients `(seed, "incidents", "cloudfront/clients")`, each hour `(seed, "incidents",
 * "cloudfront/<YYYY-MM-DDTHH>")`, each incident's extra requests `(seed, "incidents", "<id>/cloudfront")`.
 * @module
 */
import { entityStream } from "@lib/random/mod.ts";
import { period } from "./config.ts";
import { AliasTable } from "./alias.ts";
import type { LogBatch } from "./batch.ts";
import type { IncidentPlan } from "./plan.ts";
import { ByteSink } from "@lib/formats/bytes.ts";
import { type CloudfrontModel, cloudfrontModel, type ExtraRequest } from "./cloudfront/_model.ts";
import { hourArrivals } from "./cloudfront/_arrivals.ts";
import { type CloudfrontRequest, drawRequest, type HourContext, newRequest } from "./cloudfront/_request.ts";
import { writeLine, writeStamp } from "./cloudfront/_line.ts";
import { B, BG_ERRORS } from "./cloudfront/_tables.ts";

export { CLOUDFRONT_HEADER, CLOUDFRONT_W3C_FIELDS, cloudfrontEncode } from "./cloudfront/_tables.ts";
export { type CloudfrontModel, cloudfrontModel } from "./cloudfront/_model.ts";

const HOUR = 3_600_000;

/** Relative traffic by UTC hour: evening peaks of the US and Europe, a trough in the early UTC morning. */
export function diurnal(hour: number, weekday: number): number {
  const x = 2 * Math.PI * (hour - 17) / 24;
  const weekend = weekday === 0 || weekday === 6 ? 0.82 : 1;
  return (1 + 0.55 * Math.cos(x) + 0.12 * Math.cos(2 * x)) * weekend;
}

/**
 * The file name CloudFront gives an hour's log: `<distribution>.<YYYY-MM-DD-HH>.<8 hex>.gz`.
 * @param distribution the distribution id
 * @param file `hour`: the hour's start, epoch ms; `tag`: 8 hex characters; `gzip`: whether the file is gzipped
 * @returns the name
 */
export function cloudfrontFileName(
  distribution: string,
  { hour, tag, gzip }: { hour: number; tag: string; gzip: boolean },
): string {
  const iso = new Date(hour).toISOString();
  return `${distribution}.${iso.slice(0, 10)}-${iso.slice(11, 13)}.${tag}${gzip ? ".gz" : ""}`;
}

/** Options of {@linkcode cloudfrontBatches}. */
export interface CloudfrontBatchOptions {
  /** A model built before (clients, paths, incident effects). @default built from the plan */
  model?: CloudfrontModel;
  /** First hour of the period (0-based index) to write, for a shard; the others are skipped unread. @default 0 */
  fromHour?: number;
  /** Hour after the last to write, for a shard. @default every hour of the period */
  toHour?: number;
}

/**
 * Yields the CloudFront logs of the period, one file per hour (hours without requests have no file), in batches
 * of at most `chunk_lines` lines with one label row per line. Batches carry bytes (ASCII), not text; `bytes` is a
 * view of a reused buffer, valid until the next batch is requested (copy it to keep it).
 *
 * @param plan the plan (config, timeline)
 * @param options a prebuilt model
 * @returns batches; `file` is `cloudfront/<name>` (the writer gzips when the name ends in `.gz`)
 * @example
 * ```ts
 * import { cloudfrontBatches, IncidentsConfig, planIncidents } from "@lib/generate/incidents/mod.ts";
 * const plan = planIncidents(IncidentsConfig.parse({ to: "2024-03-05", volumes: { cloudfront_requests_per_day: 500 } }));
 * for (const batch of cloudfrontBatches(plan)) console.log(batch.file, batch.records);
 * ```
 */
export function* cloudfrontBatches(plan: IncidentPlan, options: CloudfrontBatchOptions = {}): Generator<LogBatch> {
  const { config, timeline: { incidents } } = plan;
  const { model = cloudfrontModel(config, incidents), fromHour = 0, toHour = Infinity } = options;
  const { start, end } = period(config);
  const perHour = config.volumes.cloudfront_requests_per_day / 24;
  const bgErrors = new AliasTable(BG_ERRORS.map((e) => e[1]));
  const writer = new BatchWriter(config.chunk_lines);
  const req = newRequest(model.clients[0]);
  const stamp = new Uint8Array(19);
  let nextExtra = 0;
  for (let h = 0, hour = start; hour < end; h++, hour += HOUR) {
    // Every hour draws from its own stream: skipping one changes no other; its extra requests are passed over.
    const firstExtra = nextExtra;
    while (nextExtra < model.extras.length && model.extras[nextExtra].t < hour + HOUR) nextExtra++;
    if (h < fromHour || h >= toHour) continue;
    const d = new Date(hour);
    const rng = entityStream(config.seed, {
      dataset: "incidents",
      entity: `cloudfront/${d.toISOString().slice(0, 13)}`,
    });
    const tag = Math.floor(rng.next() * 0xffffffff).toString(16).padStart(8, "0");
    const arrivals = hourArrivals(rng, hour, {
      expected: perHour * diurnal(d.getUTCHours(), d.getUTCDay()),
      clients: model.clientTable,
    });
    const extras = model.extras.slice(firstExtra, nextExtra);
    const total = arrivals.times.length + extras.length;
    if (total === 0) continue;
    const file = `cloudfront/${
      cloudfrontFileName(config.cloudfront.distribution_id, { hour, tag, gzip: config.cloudfront.gzip })
    }`;
    const ctx: HourContext = {
      rng,
      model,
      active: model.effects.filter((e) => e.start < hour + HOUR && e.resolved >= hour),
      bgErrors,
    };
    writer.start(file, total);
    let lastSec = -1;
    for (const next of mergeArrivals(arrivals.times, arrivals.clients, extras)) {
      const t = next.extra ? next.extra.t : next.t;
      const sec = Math.floor(t / 1000);
      if (sec !== lastSec) writeStamp(lastSec = sec, stamp);
      req.t = t;
      const client = next.client >= 0 ? next.client : model.clientTable.draw(rng);
      req.client = model.clients[client];
      req.extra = next.extra;
      drawRequest(req, ctx);
      const batch = writer.add(req, { model, stamp });
      if (batch) yield batch;
    }
  }
}

/** The next request of an hour: a background arrival (its time and client, -1: drawn) or an incident's extra. */
interface Next {
  t: number;
  client: number;
  extra: ExtraRequest | undefined;
}

/** Background arrivals and extra requests merged in time order (an extra goes first only when strictly earlier). */
function* mergeArrivals(times: Float64Array, clients: Int32Array, extras: readonly ExtraRequest[]): Generator<Next> {
  const next: Next = { t: 0, client: -1, extra: undefined };
  const n = times.length;
  let b = 0, x = 0;
  while (b < n || x < extras.length) {
    if (x < extras.length && (b >= n || extras[x].t < times[b])) {
      next.extra = extras[x++];
      next.t = next.extra.t;
      next.client = -1;
    } else {
      next.extra = undefined;
      next.t = times[b];
      next.client = clients[b++];
    }
    yield next;
  }
}

/**
 * Collects one hour's lines into batches of at most `chunk` lines with their label arrays; the file's header goes
 * into its first batch. The byte buffer is reused: a batch's `bytes` is valid until the next batch is made.
 */
class BatchWriter {
  readonly #chunk: number;
  readonly #out: ByteSink;
  #file = "";
  #total = 0;
  #written = 0;
  #count = 0;
  #lineNo = 2;
  #t = new Float64Array(0);
  #line = new Int32Array(0);
  #incident = new Int32Array(0);

  constructor(chunk: number) {
    this.#chunk = chunk;
    this.#out = new ByteSink(Math.min(64 << 20, Math.max(1 << 16, chunk * 520)));
  }

  /** Starts a file of `total` lines. */
  start(file: string, total: number): void {
    this.#file = file;
    this.#total = total;
    this.#written = 0;
    this.#lineNo = 2;
    this.#out.pos = 0;
    this.#out.ensure(B.header.length);
    this.#out.bytes(B.header);
    this.#allocate();
  }

  #allocate(): void {
    const size = Math.min(this.#chunk, this.#total - this.#written);
    this.#count = 0;
    this.#t = new Float64Array(size);
    this.#line = new Int32Array(size);
    this.#incident = new Int32Array(size);
  }

  /** Adds a request's line; returns a batch when one is full or the file is complete. */
  add(req: CloudfrontRequest, options: { model: CloudfrontModel; stamp: Uint8Array }): LogBatch | undefined {
    writeLine(this.#out, req, options);
    const k = this.#count++;
    this.#t[k] = req.t;
    this.#line[k] = ++this.#lineNo;
    this.#incident[k] = req.incident;
    if (this.#count < this.#t.length) return undefined;
    const count = this.#count;
    this.#written += count;
    const batch: LogBatch = {
      file: this.#file,
      text: "",
      bytes: this.#out.view(),
      records: count,
      t: this.#t,
      line: this.#line,
      lines: new Uint16Array(count).fill(1),
      incident: this.#incident,
      level: new Uint8Array(count),
      meta: {},
      last: this.#written >= this.#total,
    };
    this.#allocate();
    this.#out.pos = 0;
    return batch;
  }
}
