/**
 * CloudFront standard access logs of the public site `www.example.com`: the exact 33-field W3C format (`#Version:
 * 1.0`, `#Fields:` header, tab-separated, `-` for empty), one gzipped file per hour named as CloudFront names them.
 * Background traffic follows a daily and weekly cycle from a pool of clients (documentation addresses, real user
 * agents, their nearest edge location, protocol and TLS setup) with a realistic status and cache-result mix.
 * Incidents hit the path groups of the services they affect: origin-bound requests fail (5xx bursts) or slow down,
 * thundering herds add requests, credential stuffing adds login attempts from one address. A request is labeled
 * with the incident when the incident shaped it (failed, slowed or added it); cache hits are served unharmed.
 *
 * Streams: clients `(seed, "incidents", "cloudfront/clients")`, each hour `(seed, "incidents",
 * "cloudfront/<YYYY-MM-DDTHH>")`, each incident's extra requests `(seed, "incidents", "<id>/cloudfront")`.
 * @module
 */
import { entityStream, type Rng } from "@lib/random/mod.ts";
import { type IncidentsConfig, period } from "./config.ts";
import { PATH_GROUPS } from "./catalog.ts";
import { AliasTable } from "./alias.ts";
import type { LogBatch } from "./batch.ts";
import type { IncidentPlan } from "./plan.ts";
import { CLOUDFRONT_FIELDS } from "@lib/formats/cloudfront.ts";
import { ascii, ByteSink } from "@lib/formats/bytes.ts";
import type { CloudfrontEffect, Incident } from "./types/mod.ts";

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** The 33 fields, in order, as the `#Fields:` header lists them: one list, shared with the ingester. */
export const CLOUDFRONT_W3C_FIELDS = CLOUDFRONT_FIELDS;

/** The two header lines of every file. */
export const CLOUDFRONT_HEADER = `#Version: 1.0\n#Fields: ${CLOUDFRONT_W3C_FIELDS.join(" ")}\n`;

const DISTRIBUTION_HOST = "d111111abcdef8.cloudfront.net";
const SITE = "www.example.com";

const EDGES: Record<string, readonly string[]> = {
  "us-east": ["IAD89-C1", "IAD61-P2", "JFK50-C1", "ATL59-C1", "BOS50-C1"],
  "us-west": ["SFO53-C1", "LAX50-P1", "SEA73-P2", "DEN52-C1"],
  "eu-west": ["LHR62-C2", "DUB56-P1", "CDG52-P3", "MAD51-C1"],
  "eu-central": ["FRA56-P2", "AMS1-C1", "MUC50-C1", "WAW51-P1"],
  "ap-southeast": ["SIN2-P2", "NRT57-C3", "SYD62-P1", "HKG60-C1"],
  "sa-east": ["GRU3-C1", "GIG51-C1"],
};
const EDGE_REGION_WEIGHTS: Record<string, number> = {
  "us-east": 0.34,
  "us-west": 0.18,
  "eu-west": 0.18,
  "eu-central": 0.14,
  "ap-southeast": 0.11,
  "sa-east": 0.05,
};

const USER_AGENTS: readonly [string, number][] = [
  [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.112 Safari/537.36",
    22,
  ],
  [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
    18,
  ],
  [
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.64 Mobile Safari/537.36",
    14,
  ],
  [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    10,
  ],
  ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0", 6],
  [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.112 Safari/537.36 Edg/122.0.2365.92",
    6,
  ],
  [
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.5790.166 Mobile Safari/537.36",
    4,
  ],
  ["ExampleShop/5.12.0 (iPhone; iOS 17.3; Scale/3.00)", 6],
  ["okhttp/4.12.0", 4],
  ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 3],
  ["Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", 1.5],
  ["Amazon CloudFront", 0.5],
  ["curl/8.5.0", 0.5],
];

const TLS: readonly [string, string, number][] = [
  ["TLSv1.3", "TLS_AES_128_GCM_SHA256", 62],
  ["TLSv1.3", "TLS_AES_256_GCM_SHA384", 12],
  ["TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256", 6],
  ["TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", 16],
  ["TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", 4],
];

const PROTOCOL_VERSIONS: readonly [string, number][] = [["HTTP/2.0", 68], ["HTTP/1.1", 22], ["HTTP/3.0", 10]];

/**
 * URL-encodes a header value as CloudFront writes it: spaces, quotes, backslashes, tabs and non-ASCII escaped.
 * @param s the value
 * @returns the encoded value
 */
export function cloudfrontEncode(s: string): string {
  return s.replace(
    /[\s"\\%\u0080-\uffff]/g,
    (c) => Array.from(new TextEncoder().encode(c), (b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
}

interface Client {
  ip: Uint8Array;
  /** Tab, x-edge-location, tab. */
  edgeTab: Uint8Array;
  ua: Uint8Array;
  /** Tab, x-forwarded-for `-`, ssl-protocol, ssl-cipher, tab. */
  tlsBlock: Uint8Array;
  /** Per result type: x-edge-response-result-type, cs-protocol-version, fle-status, fle-encrypted-fields, tabs. */
  tail: Uint8Array[];
}

/** What an hour needs about an incident: its window, strength and how it hits requests. */
interface ActiveEffect {
  index: number;
  start: number;
  mitigated: number;
  resolved: number;
  groups: Uint8Array;
  failShare: number;
  statuses: AliasTable;
  statusList: number[];
  detailed: Readonly<Record<number, string>>;
  latencyFactor: number;
}

/** An added request (herd, attack, retries) planned per incident. */
interface ExtraRequest {
  t: number;
  incident: number;
  group: number;
  attack: boolean;
}

const B64 = Uint8Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", (c) => c.charCodeAt(0));
const LAST = Uint8Array.from("AQgw", (c) => c.charCodeAt(0));

/** 54 random base64url characters, one with 2 significant bits, then "==": 40 random bytes base64-encoded. */
function writeRequestId(rng: Rng, out: ByteSink): void {
  const b = out.buf;
  let p = out.pos;
  for (let k = 0; k < 11; k++) {
    const x = Math.floor(rng.next() * 1073741824); // 30 bits: 5 characters
    const n = k === 10 ? 4 : 5;
    for (let j = 0; j < n; j++) b[p++] = B64[(x >>> (6 * j)) & 63];
  }
  b[p++] = LAST[Math.floor(rng.next() * 4)];
  b[p++] = 61;
  b[p++] = 61;
  out.pos = p;
}

/** Relative traffic by UTC hour: evening peaks of the US and Europe, a trough in the early UTC morning. */
export function diurnal(hour: number, weekday: number): number {
  const x = 2 * Math.PI * (hour - 17) / 24;
  const weekend = weekday === 0 || weekday === 6 ? 0.82 : 1;
  return (1 + 0.55 * Math.cos(x) + 0.12 * Math.cos(2 * x)) * weekend;
}

/** Everything the hour loop reads, built once per dataset. */
export interface CloudfrontModel {
  clients: Client[];
  clientTable: AliasTable;
  groupTable: AliasTable;
  effects: ActiveEffect[];
  extras: ExtraRequest[];
  attackers: Map<number, { ip: Uint8Array; ua: Uint8Array }>;
  /** Per group, stem and method (GET, POST): cs-method, cs(Host), the stem's bytes before `{n}`, with tabs. */
  stemHead: Uint8Array[][][];
  /** Per group and stem: the bytes after `{n}` (null: the stem has no `{n}`). */
  groupSuffix: (Uint8Array | null)[][];
  /** Per group and query: the bytes before `{n}` and after it (null: no `{n}`). */
  queryPrefix: Uint8Array[][];
  querySuffix: (Uint8Array | null)[][];
  contentType: Uint8Array[];
}

function planExtras(config: IncidentsConfig, inc: Incident, cf: CloudfrontEffect, groups: number[]): ExtraRequest[] {
  const rng = entityStream(config.seed, "incidents", `${inc.id}/cloudfront`);
  const to = Math.min(inc.mitigated, inc.resolved - 1000);
  const minutes = Math.max(1, (to - inc.start) / MINUTE);
  const perMinuteBase = config.volumes.cloudfront_requests_per_day / 1440;
  const share = groups.reduce((s, g) => s + PATH_GROUPS[g].share, 0);
  let n = 3;
  if (cf.attack) n = Math.max(20, rng.poisson(cf.attack.perMinute * minutes));
  else if (cf.extraRate > 0) n = Math.max(5, rng.poisson(cf.extraRate * perMinuteBase * share * minutes * 0.5));
  n = Math.min(n, 5_000_000);
  const out: ExtraRequest[] = [];
  const loginGroup = PATH_GROUPS.findIndex((g) => g.service === "auth-svc");
  for (let k = 0; k < n; k++) {
    // Herds crowd the start of the window; attacks and retries spread over it.
    const u = cf.extraRate > 0 && !cf.attack ? Math.pow(rng.next(), 2) : rng.next();
    const t = Math.floor(inc.start + u * (to - inc.start));
    const group = cf.attack ? loginGroup : groups[Math.floor(rng.next() * groups.length)];
    out.push({ t, incident: inc.index, group, attack: !!cf.attack });
  }
  return out;
}

/**
 * Builds the CloudFront model of a config and timeline: the client pool, path tables and each incident's effect.
 * @param config the resolved config
 * @param incidents the timeline
 * @returns the model
 */
export function cloudfrontModel(config: IncidentsConfig, incidents: readonly Incident[]): CloudfrontModel {
  const rng = entityStream(config.seed, "incidents", "cloudfront/clients");
  const n = Math.max(500, Math.min(50_000, Math.round(config.volumes.cloudfront_requests_per_day / 20)));
  const regions = Object.keys(EDGES);
  const regionTable = new AliasTable(regions.map((r) => EDGE_REGION_WEIGHTS[r]));
  const uaTable = new AliasTable(USER_AGENTS.map((u) => u[1]));
  const tlsTable = new AliasTable(TLS.map((t) => t[2]));
  const protoTable = new AliasTable(PROTOCOL_VERSIONS.map((p) => p[1]));
  const uaBytes = USER_AGENTS.map((u) => ascii(cloudfrontEncode(u[0])));
  const edgeTabs: Record<string, Uint8Array> = {};
  const tlsBlocks = TLS.map(([p, c]) => ascii(`\t-\t${p}\t${c}\t`));
  const tails = PROTOCOL_VERSIONS.map(([v]) => RESULTS.map((r) => ascii(`${r}\t${v}\t-\t-\t`)));
  const nets = ["192.0.2", "198.51.100", "203.0.113"];
  const clients: Client[] = [];
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const region = regions[regionTable.draw(rng)];
    const v6 = rng.bernoulli(0.12);
    const ip = v6
      ? `2001:db8:${rng.int(1, 0xffff).toString(16)}:${rng.int(0, 0xffff).toString(16)}::${
        rng.int(1, 0xffff).toString(16)
      }`
      : `${nets[rng.int(0, 2)]}.${rng.int(1, 254)}`;
    const tls = TLS[tlsTable.draw(rng)];
    const edge = rng.pick(EDGES[region]);
    const ua = uaTable.draw(rng);
    const proto = protoTable.draw(rng);
    // Shared pieces (a few dozen distinct arrays, not one per client): better for the cache.
    clients.push({
      ip: ascii(ip),
      edgeTab: edgeTabs[edge] ??= ascii(`\t${edge}\t`),
      ua: uaBytes[ua],
      tlsBlock: tlsBlocks[TLS.indexOf(tls)],
      tail: tails[proto],
    });
    weights[i] = rng.lognormal(0, 1.2);
  }
  const pre = (list: readonly string[]) => list.map((s) => ascii(s.split("{n}")[0]));
  const post = (list: readonly string[]) => list.map((s) => (s.includes("{n}") ? ascii(s.split("{n}")[1]) : null));
  const effects: ActiveEffect[] = [];
  const extras: ExtraRequest[] = [];
  const attackers = new Map<number, { ip: Uint8Array; ua: Uint8Array }>();
  for (const inc of incidents) {
    const cf = inc.cloudfront;
    if (!cf || !inc.modalities.includes("cloudfront")) continue;
    const groups = PATH_GROUPS.map((g, i) => (cf.services.includes(g.service) ? i : -1)).filter((i) => i >= 0);
    const mask = new Uint8Array(PATH_GROUPS.length);
    for (const g of groups) mask[g] = 1;
    if (groups.length > 0 && cf.failShare + (cf.latencyFactor - 1) > 0) {
      effects.push({
        index: inc.index,
        start: inc.start,
        mitigated: inc.mitigated,
        resolved: inc.resolved,
        groups: mask,
        failShare: cf.failShare,
        statuses: new AliasTable(cf.statuses.map((s) => s[1])),
        statusList: cf.statuses.map((s) => s[0]),
        detailed: cf.detailed,
        latencyFactor: cf.latencyFactor,
      });
    }
    if (cf.attack) {
      attackers.set(inc.index, { ip: ascii(cf.attack.ip), ua: ascii(cloudfrontEncode(cf.attack.userAgent)) });
    }
    if (groups.length > 0 || cf.attack) extras.push(...planExtras(config, inc, cf, groups));
  }
  extras.sort((a, b) => a.t - b.t || a.incident - b.incident);
  return {
    clients,
    clientTable: new AliasTable(weights),
    groupTable: new AliasTable(PATH_GROUPS.map((g) => g.share)),
    effects,
    extras,
    attackers,
    stemHead: PATH_GROUPS.map((g) =>
      g.stems.map((st) => ["GET", "POST"].map((m) => ascii(`\t${m}\t${DISTRIBUTION_HOST}\t${st.split("{n}")[0]}`)))
    ),
    groupSuffix: PATH_GROUPS.map((g) => post(g.stems)),
    queryPrefix: PATH_GROUPS.map((g) => pre(g.queries)),
    querySuffix: PATH_GROUPS.map((g) => post(g.queries)),
    contentType: PATH_GROUPS.map((g) => ascii(g.contentType)),
  };
}

/** Strength of an incident at `t`: full until mitigation, a tenth of it until resolution, zero outside. */
function strength(e: ActiveEffect, t: number): number {
  if (t < e.start || t > e.resolved) return 0;
  return t <= e.mitigated ? 1 : 0.1;
}

const REFERERS = [
  "-",
  "-",
  `https://${SITE}/`,
  `https://${SITE}/products/`,
  `https://${SITE}/category/`,
  `https://${SITE}/deals`,
]
  .map(ascii);
const BG_ERRORS: readonly [number, number][] = [[404, 60], [403, 8], [400, 4], [500, 3], [502, 2], [503, 2], [504, 2], [
  0,
  2,
]];

/**
 * The file name CloudFront gives an hour's log: `<distribution>.<YYYY-MM-DD-HH>.<8 hex>.gz`.
 * @param distribution the distribution id
 * @param hour the hour's start, epoch ms
 * @param tag 8 hex characters
 * @param gzip whether the file is gzipped
 * @returns the name
 */
export function cloudfrontFileName(distribution: string, hour: number, tag: string, gzip: boolean): string {
  const iso = new Date(hour).toISOString();
  return `${distribution}.${iso.slice(0, 10)}-${iso.slice(11, 13)}.${tag}${gzip ? ".gz" : ""}`;
}

const T = 9;
const DASH = 45;
const B = {
  siteHttps: ascii(`\t${SITE}\thttps\t`),
  siteHttp: ascii(`\t${SITE}\thttp\t`),
  noTls: ascii("\t-\t-\t-\t"),
  html: ascii("text/html"),
  end: ascii("\t-\t-\n"),
  header: ascii(CLOUDFRONT_HEADER),
};
const RESULTS = ["Hit", "RefreshHit", "Miss", "Error", "Redirect"] as const;
const RESULT_BYTES = RESULTS.map(ascii);
/** cs(Cookie) `-`, then x-edge-result-type, each with its tabs. */
const RESULT_MID = RESULTS.map((r) => ascii(`\t-\t${r}\t`));
/** Tab, cs(Referer), tab. */
const REFERER_BLOCK = REFERERS.map((r) => Uint8Array.from([T, ...r, T]));
const [HIT, REFRESH, MISS, ERROR, REDIRECT] = [0, 1, 2, 3, 4];
const DETAILED = new Map<string, Uint8Array>();
function detailedBytes(s: string): Uint8Array {
  let b = DETAILED.get(s);
  if (!b) DETAILED.set(s, b = ascii(s));
  return b;
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
  const { clients, clientTable, groupTable, effects, extras, attackers } = model;
  const { groupSuffix, queryPrefix, querySuffix, contentType } = model;
  const bgErrors = new AliasTable(BG_ERRORS.map((e) => e[1]));
  const chunk = config.chunk_lines;
  const out = new ByteSink(Math.min(64 << 20, Math.max(1 << 16, chunk * 520)));
  const stampBytes = new Uint8Array(19);
  let nextExtra = 0;
  for (let h = 0, hour = start; hour < end; h++, hour += HOUR) {
    if (h < fromHour || h >= toHour) {
      // Every hour draws from its own stream: skipping one changes no other; its extra requests are passed over.
      while (nextExtra < extras.length && extras[nextExtra].t < hour + HOUR) nextExtra++;
      continue;
    }
    const d = new Date(hour);
    const rng = entityStream(config.seed, "incidents", `cloudfront/${d.toISOString().slice(0, 13)}`);
    const tag = Math.floor(rng.next() * 0xffffffff).toString(16).padStart(8, "0");
    const n = rng.poisson(perHour * diurnal(d.getUTCHours(), d.getUTCDay()));
    const times = new Float64Array(n);
    for (let i = 0; i < n; i++) times[i] = hour + Math.floor(rng.next() * HOUR);
    times.sort();
    const firstExtra = nextExtra;
    while (nextExtra < extras.length && extras[nextExtra].t < hour + HOUR) nextExtra++;
    const hourExtras = extras.slice(firstExtra, nextExtra);
    const active = effects.filter((e) => e.start < hour + HOUR && e.resolved >= hour);
    const total = n + hourExtras.length;
    if (total === 0) continue;
    const file = `cloudfront/${
      cloudfrontFileName(config.cloudfront.distribution_id, hour, tag, config.cloudfront.gzip)
    }`;
    out.pos = 0;
    out.ensure(B.header.length);
    out.bytes(B.header);
    let lineNo = 2;
    let count = 0;
    let size = Math.min(chunk, total);
    let bt = new Float64Array(size);
    let bl = new Int32Array(size);
    let bi = new Int32Array(size);
    let lastSec = -1;
    let written = 0;
    let b = 0, x = 0;
    const flush = (last: boolean): LogBatch => {
      const batch: LogBatch = {
        file,
        text: "",
        bytes: out.view(),
        records: count,
        t: bt.subarray(0, count),
        line: bl.subarray(0, count),
        lines: new Uint16Array(count).fill(1),
        incident: bi.subarray(0, count),
        level: new Uint8Array(count),
        meta: {},
        last,
      };
      written += count;
      count = 0;
      size = Math.min(chunk, total - written);
      bt = new Float64Array(size);
      bl = new Int32Array(size);
      bi = new Int32Array(size);
      return batch;
    };
    while (b < n || x < hourExtras.length) {
      const extra = x < hourExtras.length && (b >= n || hourExtras[x].t < times[b]) ? hourExtras[x++] : undefined;
      const t = extra ? extra.t : times[b++];
      const sec = Math.floor(t / 1000);
      if (sec !== lastSec) {
        lastSec = sec;
        const iso = new Date(sec * 1000).toISOString();
        for (let i = 0; i < 19; i++) stampBytes[i] = i === 10 ? T : iso.charCodeAt(i);
      }
      const attacker = extra?.attack ? attackers.get(extra.incident) : undefined;
      const client = clients[clientTable.draw(rng)];
      const g = extra ? extra.group : groupTable.draw(rng);
      const group = PATH_GROUPS[g];
      const stemIdx = Math.floor(rng.next() * group.stems.length);
      const u0 = rng.next();
      const id = Math.floor(group.ids * u0 * u0) + 1;
      let queryIdx = Math.floor(rng.next() * group.queries.length);
      let post = group.method !== "GET" && rng.next() < 0.4;
      if (attacker) {
        post = true;
        queryIdx = -1;
      }
      // Cache first: a hit never reaches the origin, so origin trouble cannot touch it.
      const u = rng.next();
      let result = post || attacker
        ? MISS
        : u < group.cache[0]
        ? HIT
        : u < group.cache[0] + group.cache[1]
        ? REFRESH
        : MISS;
      let status = 200;
      let detailed = "";
      let incident = extra ? extra.incident : -1;
      let slow = 1;
      const http = !attacker && rng.next() < 0.006;
      if (http) {
        status = 301;
        result = REDIRECT;
      } else if (result !== HIT) {
        for (let k = 0; k < active.length; k++) {
          const e = active[k];
          if (e.groups[g] !== 1) continue;
          const w = strength(e, t);
          if (w === 0) continue;
          incident = e.index;
          slow = 1 + (e.latencyFactor - 1) * w;
          if (extra || rng.next() < e.failShare * w) {
            status = e.statusList[e.statuses.draw(rng)];
            detailed = e.detailed[status] ?? "";
            result = ERROR;
          }
          break;
        }
      }
      if (attacker) {
        const r = rng.next();
        status = r < 0.8 ? 401 : r < 0.95 ? 403 : 429;
        result = ERROR;
        detailed = "";
      } else if (incident < 0 && status === 200) {
        const r = rng.next();
        if (r < 0.025) {
          status = BG_ERRORS[bgErrors.draw(rng)][0];
          result = ERROR;
          detailed = status === 0
            ? "ClientHungUpRequest"
            : status === 502
            ? "OriginConnectError"
            : status === 504
            ? "OriginReadError"
            : "";
        } else if (r < 0.075 && !post && group.method === "GET") {
          status = 304;
          if (result === MISS) result = REFRESH;
        }
      } else if (incident >= 0 && status === 200 && extra) {
        status = 503;
        result = ERROR;
      }
      // Latency: edge time for hits, origin time for the rest, stretched by an incident; timeouts near 30 s.
      const z = rng.normal();
      let seconds = result === HIT || result === REDIRECT
        ? 0.001 + 0.004 * Math.exp(0.8 * z)
        : group.originSeconds * Math.exp(0.5 * z) * slow;
      if (status === 504) seconds = 30 + rng.next() * 0.5;
      else if (status === 502 && detailed === "OriginConnectError") seconds = 10 + rng.next() * 0.1;
      const ttfb = status === 0 ? seconds : seconds * (0.6 + 0.35 * rng.next());
      const ok = status === 200;
      const body = ok
        ? Math.max(200, Math.round(group.bytes * Math.exp(0.5 * rng.normal())))
        : status === 304 || status === 0
        ? 0
        : status === 301
        ? 183
        : 900 + Math.floor(rng.next() * 400);
      const scBytes = status === 0 ? 0 : body + 300 + Math.floor(rng.next() * 250);
      const csBytes = (post ? 600 : 180) + Math.floor(rng.next() * 500);
      const html = group.contentType === "text/html";
      const refIdx = html || attacker ? 0 : Math.floor(rng.next() * REFERERS.length);
      const chunked = html && ok && rng.next() < 0.3;
      const port = 1024 + Math.floor(rng.next() * 64511);

      out.ensure(1024);
      const buf = out.buf;
      // Pieces are pre-joined where fields are constant together (see CloudfrontModel), to copy fewer, longer runs.
      out.bytes(stampBytes);
      out.bytes(client.edgeTab);
      out.int(scBytes);
      buf[out.pos++] = T;
      out.bytes(attacker ? attacker.ip : client.ip);
      out.bytes(model.stemHead[g][stemIdx][post ? 1 : 0]);
      const suffix = groupSuffix[g][stemIdx];
      if (suffix !== null) {
        out.int(id);
        out.bytes(suffix);
      }
      buf[out.pos++] = T;
      if (status === 0) {
        buf[out.pos++] = 48;
        buf[out.pos++] = 48;
        buf[out.pos++] = 48;
      } else out.int(status);
      out.bytes(REFERER_BLOCK[refIdx]);
      out.bytes(attacker ? attacker.ua : client.ua);
      buf[out.pos++] = T;
      if (queryIdx < 0) buf[out.pos++] = DASH;
      else {
        out.bytes(queryPrefix[g][queryIdx]);
        const qs = querySuffix[g][queryIdx];
        if (qs !== null) {
          out.int(1 + (id % 9));
          out.bytes(qs);
        }
      }
      out.bytes(RESULT_MID[result]);
      writeRequestId(rng, out);
      out.bytes(http ? B.siteHttp : B.siteHttps);
      out.int(csBytes);
      buf[out.pos++] = T;
      out.fixed3(seconds);
      out.bytes(http ? B.noTls : client.tlsBlock);
      out.bytes(client.tail[result]);
      out.int(port);
      buf[out.pos++] = T;
      out.fixed3(ttfb);
      buf[out.pos++] = T;
      out.bytes(detailed ? detailedBytes(detailed) : RESULT_BYTES[result]);
      buf[out.pos++] = T;
      if (status === 304 || status === 0) buf[out.pos++] = DASH;
      else out.bytes(ok ? contentType[g] : B.html);
      buf[out.pos++] = T;
      if (status === 304 || status === 0 || chunked) buf[out.pos++] = DASH;
      else out.int(body);
      out.bytes(B.end);

      bt[count] = t;
      bl[count] = ++lineNo;
      bi[count] = incident;
      count++;
      if (count >= size) {
        yield flush(written + count >= total);
        out.pos = 0;
      }
    }
    if (count > 0) yield flush(true);
    out.pos = 0;
  }
}
