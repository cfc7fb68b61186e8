/**
 * One request of the CloudFront log, drawn from an hour's stream: who asks for what, what the cache and the
 * origin make of it (an incident fails or slows origin-bound requests; cache hits are served unharmed), and the
 * sizes and timings CloudFront records. The draws come in one fixed order, so one seed gives one log.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { PATH_GROUPS } from "../catalog.ts";
import type { AliasTable } from "../alias.ts";
import { type ActiveEffect, type Client, type CloudfrontModel, type ExtraRequest, strength } from "./_model.ts";
import { BG_ERRORS, ERROR, HIT, MISS, REDIRECT, REFERERS, REFRESH } from "./_tables.ts";
import { drawRequestId, REQUEST_ID_LENGTH } from "./_request_id.ts";

/** A drawn request: every field the line formatter writes. One object is reused for every request of a run. */
export interface CloudfrontRequest {
  /** Time, epoch ms. */
  t: number;
  client: Client;
  /** The incident's added request this is (herd, retry, attack), if any. */
  extra: ExtraRequest | undefined;
  /** The attacker's address and user agent, for a credential-stuffing request. */
  attacker: { ip: Uint8Array; ua: Uint8Array } | undefined;
  /** Path group, stem and query (-1: none) indices. */
  group: number;
  stem: number;
  query: number;
  /** The `{n}` in the stem (and `1 + id % 9` in the query). */
  id: number;
  post: boolean;
  /** Result type index (HIT, REFRESH, MISS, ERROR, REDIRECT). */
  result: number;
  /** HTTP status; 0 is written `000`. */
  status: number;
  /** x-edge-detailed-result-type when it differs from the result type, else "". */
  detailed: string;
  /** The incident that shaped the request, or -1. */
  incident: number;
  /** Plain HTTP (redirected to HTTPS). */
  http: boolean;
  seconds: number;
  ttfb: number;
  /** Body bytes. */
  body: number;
  scBytes: number;
  csBytes: number;
  referer: number;
  chunked: boolean;
  port: number;
  /** x-edge-request-id, ASCII. */
  requestId: Uint8Array;
}

/**
 * A request record to fill with {@linkcode drawRequest}.
 * @param client any client (overwritten by the first draw)
 * @returns the record
 */
export function newRequest(client: Client): CloudfrontRequest {
  return {
    t: 0,
    client,
    extra: undefined,
    attacker: undefined,
    group: 0,
    stem: 0,
    query: 0,
    id: 0,
    post: false,
    result: 0,
    status: 200,
    detailed: "",
    incident: -1,
    http: false,
    seconds: 0,
    ttfb: 0,
    body: 0,
    scBytes: 0,
    csBytes: 0,
    referer: 0,
    chunked: false,
    port: 0,
    requestId: new Uint8Array(REQUEST_ID_LENGTH),
  };
}

/** What {@linkcode drawRequest} reads: the hour's stream, the model, the hour's incidents and background error mix. */
export interface HourContext {
  /** The hour's stream. */
  rng: Rng;
  model: CloudfrontModel;
  /** Incidents active during the hour. */
  active: readonly ActiveEffect[];
  bgErrors: AliasTable;
}

/**
 * Draws one request into `req`.
 * @param req the record to fill (its `t`, `client` and `extra` are set by the caller)
 * @param ctx the hour's stream, the model and the hour's incidents
 */
export function drawRequest(req: CloudfrontRequest, ctx: HourContext): void {
  const { rng, model, active, bgErrors } = ctx;
  const { t, extra } = req;
  const attacker = extra?.attack ? model.attackers.get(extra.incident) : undefined;
  const g = extra ? extra.group : model.groupTable.draw(rng);
  const group = PATH_GROUPS[g];
  const stem = Math.floor(rng.next() * group.stems.length);
  const u0 = rng.next();
  const id = Math.floor(group.ids * u0 * u0) + 1;
  let query = Math.floor(rng.next() * group.queries.length);
  let post = group.method !== "GET" && rng.next() < 0.4;
  if (attacker) {
    post = true;
    query = -1;
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
  const referer = html || attacker ? 0 : Math.floor(rng.next() * REFERERS.length);
  const chunked = html && ok && rng.next() < 0.3;
  const port = 1024 + Math.floor(rng.next() * 64511);
  drawRequestId(rng, req.requestId);

  req.attacker = attacker;
  req.group = g;
  req.stem = stem;
  req.query = query;
  req.id = id;
  req.post = post;
  req.result = result;
  req.status = status;
  req.detailed = detailed;
  req.incident = incident;
  req.http = http;
  req.seconds = seconds;
  req.ttfb = ttfb;
  req.body = body;
  req.scBytes = scBytes;
  req.csBytes = csBytes;
  req.referer = referer;
  req.chunked = chunked;
  req.port = port;
}
