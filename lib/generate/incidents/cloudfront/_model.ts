/**
 * The CloudFront model of a dataset, built once: the client pool (address, edge, user agent, TLS setup, protocol),
 * the path tables and each incident's effect on requests, with the extra requests incidents add.
 * @module
 */
import { entityStream } from "@lib/random/mod.ts";
import type { IncidentsConfig } from "../config.ts";
import { PATH_GROUPS } from "../catalog.ts";
import { AliasTable } from "../alias.ts";
import { ascii } from "@lib/formats/bytes.ts";
import { INCIDENT_BURSTS, selfExciting } from "./_arrivals.ts";
import type { CloudfrontEffect, Incident } from "../types/mod.ts";
import {
  cloudfrontEncode,
  DISTRIBUTION_HOST,
  EDGE_REGION_WEIGHTS,
  EDGES,
  PROTOCOL_VERSIONS,
  RESULTS,
  TLS,
  USER_AGENTS,
} from "./_tables.ts";

const MINUTE = 60_000;

/** One client of the pool: its pre-encoded pieces. */
export interface Client {
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
export interface ActiveEffect {
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
export interface ExtraRequest {
  t: number;
  incident: number;
  group: number;
  attack: boolean;
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
  const rng = entityStream(config.seed, { dataset: "incidents", entity: `${inc.id}/cloudfront` });
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
  // Bursts: a share 1 - branching of the requests start bursts, the rest follow them (see _arrivals.ts).
  const visits = Math.max(1, Math.round(n * (1 - INCIDENT_BURSTS.branching)));
  const roots = new Float64Array(visits);
  for (let k = 0; k < visits; k++) {
    // Herds crowd the start of the window; attacks and retries spread over it.
    const u = cf.extraRate > 0 && !cf.attack ? Math.pow(rng.next(), 2) : rng.next();
    roots[k] = Math.floor(inc.start + u * (to - inc.start));
  }
  const { times } = selfExciting(rng, roots, { ...INCIDENT_BURSTS, end: Math.max(to, inc.start + 1) });
  for (const t of times) {
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
  const rng = entityStream(config.seed, { dataset: "incidents", entity: "cloudfront/clients" });
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
  const attackerIps = new Set(
    incidents.filter((i) => i.cloudfront?.attack && i.modalities.includes("cloudfront")).map((i) =>
      i.cloudfront!.attack!.ip
    ),
  );
  const clients: Client[] = [];
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const region = regions[regionTable.draw(rng)];
    const v6 = rng.bernoulli(0.12);
    const drawIp = () =>
      v6
        ? `2001:db8:${rng.int(1, 0xffff).toString(16)}:${rng.int(0, 0xffff).toString(16)}::${
          rng.int(1, 0xffff).toString(16)
        }`
        : `${nets[rng.int(0, 2)]}.${rng.int(1, 254)}`;
    let ip = drawIp();
    // an attacker comes from outside the site's clients: its address is nobody else's
    while (attackerIps.has(ip)) ip = drawIp();
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
export function strength(e: ActiveEffect, t: number): number {
  if (t < e.start || t > e.resolved) return 0;
  return t <= e.mitigated ? 1 : 0.1;
}
