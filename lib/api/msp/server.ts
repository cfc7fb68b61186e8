import { timingSafeEqual } from "node:crypto";
import type { ApiList, MspApiData } from "./data.ts";
import { faultDrawer, type FaultKind, type FaultRates } from "./faults.ts";
import { GraphQLSyntaxError, parseQuery, type Selection } from "./graphql.ts";
import { type ApiEntity, entityOfQuery, SCHEMA_SDL } from "./objects.ts";
import { isLoopbackHost } from "./_host.ts";
import { startWebhookEmitter, type WebhookEmitter, type WebhookOptions } from "./webhook.ts";

/** Options of {@linkcode serveMspApi}. */
export interface MspApiOptions {
  /** The API key clients send as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** The tenant clients name in the `CustomerSubDomain` header. */
  tenant: string;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Requests a minute per tenant before `429` (SuperOps documents 800); 0 turns the limit off. @default 800 */
  rateLimit?: number;
  /** Requests the limiter lets through at once. @default 10 */
  burst?: number;
  /** Fault probabilities per data request. @default none */
  faults?: FaultRates;
  /** Seed of the fault draws. @default 42 */
  seed?: number | string;
  /** Largest `pageSize`. @default 500 */
  maxPageSize?: number;
  /** How long a `timeout` fault holds a request before answering 504 (the client gives up earlier). @default 30000 */
  timeoutHoldMs?: number;
  /** Post ticket events to this loopback URL as the replay clock advances. @default none */
  webhook?: WebhookOptions;
}

/** Counts of what the server answered, by outcome. */
export interface MspApiStats {
  requests: number;
  ok: number;
  rateLimited: number;
  unauthorized: number;
  misdirected: number;
  faults: Record<FaultKind, number>;
  records: number;
}

/** A running sandbox. */
export interface MspApiServer {
  /** `http://127.0.0.1:<port>/msp`. */
  url: string;
  port: number;
  stats: MspApiStats;
  /** The webhook emitter, when one was asked for. */
  webhook?: WebhookEmitter;
  /** Stops the emitter and the server, answering held requests. */
  close(): Promise<void>;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

function gqlError(status: number, message: string, code: string, headers: Record<string, string> = {}): Response {
  return json(status, { data: null, errors: [{ message, extensions: { code } }] }, headers);
}

function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a), y = new TextEncoder().encode(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A token bucket: `rate` tokens a second up to `burst`. */
class Bucket {
  #tokens: number;
  #at = performance.now();
  constructor(readonly rate: number, readonly burst: number) {
    this.#tokens = burst;
  }
  /** Takes a token, or returns the seconds until one is there. */
  take(): number {
    const now = performance.now();
    this.#tokens = Math.min(this.burst, this.#tokens + (now - this.#at) / 1000 * this.rate);
    this.#at = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return (1 - this.#tokens) / this.rate;
  }
}

/** Cursor: the (updatedTime, key) of the last object of a page, base64url JSON. */
function encodeCursor(updated: number, key: string): string {
  return btoa(JSON.stringify([updated, key])).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const v = JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/")));
    if (Array.isArray(v) && typeof v[0] === "number" && typeof v[1] === "string") return [v[0], v[1]];
  } catch { /* below */ }
  throw new TypeError(`cursor is not one this server issued: "${cursor.slice(0, 40)}"`);
}

/** First index whose (updated, key) is after (u, k), by binary search over the sorted list. */
function after(list: ApiList, u: number, k: string, inclusive = false): number {
  let lo = 0, hi = list.updated.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const mu = list.updated[mid], mk = list.keys[mid];
    const before = mu < u || (mu === u && (inclusive ? mk < k : mk <= k));
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface ListInput {
  page?: number;
  pageSize?: number;
  cursor?: string | null;
  condition?: { attribute: string; operator: string; value: string } | null;
}

function project(obj: Record<string, unknown>, selections: Selection[], entity: ApiEntity): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of selections) {
    if (s.name === "__typename") {
      out.__typename = entity.type;
      continue;
    }
    if (!(s.name in obj)) throw new TypeError(`Cannot query field "${s.name}" on type "${entity.type}"`);
    const v = obj[s.name];
    if (v !== null && typeof v === "object") {
      if (!s.selections) throw new TypeError(`Field "${s.name}" of type "${entity.type}" needs a selection set`);
      const nested: Record<string, unknown> = {};
      for (const n of s.selections) {
        if (!(n.name in (v as object))) throw new TypeError(`Cannot query field "${n.name}" on "${s.name}"`);
        nested[n.name] = (v as Record<string, unknown>)[n.name];
      }
      out[s.name] = nested;
    } else out[s.name] = v;
  }
  return out;
}

function resolveList(list: ApiList, field: Selection, maxPageSize: number): { value: unknown; records: number } {
  const input = (field.args.input ?? {}) as ListInput;
  if (typeof input !== "object" || input === null) throw new TypeError(`"input" of ${field.name} must be an object`);
  const pageSize = input.pageSize ?? 100;
  if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= maxPageSize)) {
    throw new TypeError(`pageSize must be an integer in 1..${maxPageSize}, got ${JSON.stringify(input.pageSize)}`);
  }
  let lo = 0;
  const c = input.condition;
  if (c) {
    if (c.attribute !== "updatedTime" || !["greaterThan", "greaterThanOrEqual"].includes(c.operator)) {
      throw new TypeError(
        `condition must be updatedTime greaterThan|greaterThanOrEqual, got ${c.attribute} ${c.operator}`,
      );
    }
    const since = Date.parse(c.value);
    if (!Number.isFinite(since)) throw new TypeError(`condition value must be an ISO DateTime, got "${c.value}"`);
    lo = c.operator === "greaterThan" ? after(list, since, "\uffff") : after(list, since, "", true);
  }
  const total = list.records.length - lo;
  let start = lo, page: number | null = null;
  if (input.cursor) {
    const [u, k] = decodeCursor(input.cursor);
    start = Math.max(lo, after(list, u, k));
  } else {
    page = input.page ?? 1;
    if (!(Number.isInteger(page) && page >= 1)) throw new TypeError(`page must be an integer >= 1, got ${page}`);
    start = lo + (page - 1) * pageSize;
  }
  const end = Math.min(list.records.length, start + pageSize);
  const hasMore = end < list.records.length;
  const slice = list.records.slice(start, end);
  const out: Record<string, unknown> = {};
  for (const s of field.selections ?? []) {
    if (s.name === list.entity.listField) {
      if (!s.selections) throw new TypeError(`Field "${s.name}" needs a selection set`);
      out[s.name] = slice.map((r) => project(r, s.selections!, list.entity));
    } else if (s.name === "listInfo") {
      const info: Record<string, unknown> = {
        page,
        pageSize,
        hasMore,
        totalCount: total,
        nextCursor: end > start ? encodeCursor(list.updated[end - 1], list.keys[end - 1]) : input.cursor ?? null,
      };
      out.listInfo = Object.fromEntries((s.selections ?? []).map((n) => {
        if (!(n.name in info)) throw new TypeError(`Cannot query field "${n.name}" on type "ListInfo"`);
        return [n.name, info[n.name]];
      }));
    } else throw new TypeError(`Cannot query field "${s.name}" on type "${list.entity.type}List"`);
  }
  return { value: out, records: slice.length };
}

/**
 * Serves MSP data through a GraphQL API shaped like SuperOps' (`POST /msp`), on 127.0.0.1 only: requests must
 * name a loopback Host (else `421`), carry `Authorization: Bearer <apiKey>` and `CustomerSubDomain: <tenant>` (else
 * `401`), and stay under the rate limit (else `429` with `Retry-After` in seconds). Seeded faults answer a share of
 * data requests with `429`, `500`, a response held until the client gives up (`timeout`) or a body cut in half
 * (`truncate`). `GET /msp/schema.graphql` gives the schema.
 *
 * @param data what to serve (see `loadMspApiData`)
 * @param options key, tenant, port, rate limit, faults, webhook
 * @returns the running server
 * @example
 * ```ts ignore
 * const api = serveMspApi(await loadMspApiData("data/synthetic/msp"), { apiKey: "k", tenant: "acme" });
 * await api.close();
 * ```
 */
export function serveMspApi(data: MspApiData, options: MspApiOptions): MspApiServer {
  const {
    apiKey,
    tenant,
    port = 0,
    rateLimit = 800,
    burst = 10,
    faults = {},
    seed = 42,
    maxPageSize = 500,
    timeoutHoldMs = 30_000,
  } = options;
  if (apiKey.length === 0 || tenant.length === 0) {
    throw new TypeError("Cannot serve the MSP API: the API key and tenant must not be empty");
  }
  const bucket = rateLimit > 0 ? new Bucket(rateLimit / 60, Math.max(1, burst)) : null;
  const drawFault = faultDrawer(faults, seed);
  const held = new Set<() => void>();
  const stats: MspApiStats = {
    requests: 0,
    ok: 0,
    rateLimited: 0,
    unauthorized: 0,
    misdirected: 0,
    faults: { "429": 0, "500": 0, timeout: 0, truncate: 0 },
    records: 0,
  };

  const handle = async (req: Request): Promise<Response> => {
    stats.requests++;
    if (!isLoopbackHost(req.headers.get("host"))) {
      stats.misdirected++;
      return gqlError(421, "This server answers only requests addressed to 127.0.0.1 or localhost", "MISDIRECTED");
    }
    const url = new URL(req.url);
    if (req.method === "GET" && url.pathname === "/msp/schema.graphql") {
      return new Response(SCHEMA_SDL, { headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    if (url.pathname !== "/msp") return gqlError(404, `No endpoint at ${url.pathname}; POST /msp`, "NOT_FOUND");
    if (req.method !== "POST") return gqlError(405, "Use POST /msp", "METHOD_NOT_ALLOWED", { allow: "POST" });
    const auth = req.headers.get("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m || !sameSecret(m[1], apiKey)) {
      stats.unauthorized++;
      return gqlError(401, "Invalid or missing API token", "UNAUTHENTICATED", { "www-authenticate": "Bearer" });
    }
    if (req.headers.get("customersubdomain") !== tenant) {
      stats.unauthorized++;
      return gqlError(401, "Unknown CustomerSubDomain", "UNAUTHENTICATED");
    }
    if (bucket) {
      const wait = bucket.take();
      if (wait > 0) {
        stats.rateLimited++;
        return gqlError(429, "Rate limit exceeded", "RATE_LIMITED", { "retry-after": String(Math.ceil(wait)) });
      }
    }
    let body: { query?: unknown; variables?: unknown };
    try {
      body = await req.json();
    } catch {
      return gqlError(400, "The body must be JSON: {query, variables}", "BAD_REQUEST");
    }
    if (typeof body?.query !== "string") return gqlError(400, 'The body needs a "query" string', "BAD_REQUEST");
    const fault = drawFault();
    if (fault) stats.faults[fault]++;
    if (fault === "429") {
      return gqlError(429, "Rate limit exceeded", "RATE_LIMITED", { "retry-after": "1" });
    }
    if (fault === "500") return gqlError(500, "Internal server error", "INTERNAL");
    if (fault === "timeout") {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          held.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutHoldMs);
        held.add(done);
        req.signal.addEventListener("abort", done, { once: true });
      });
      return gqlError(504, "Upstream timeout", "TIMEOUT");
    }
    let result: Record<string, unknown>;
    let records = 0;
    try {
      const roots = parseQuery(body.query, (body.variables ?? {}) as Record<string, unknown>);
      result = {};
      for (const root of roots) {
        if (root.name === "getSnapshotInfo") {
          const info: Record<string, unknown> = {
            periodStart: new Date(data.period.startMs).toISOString(),
            asOf: new Date(data.period.asOfMs).toISOString(),
          };
          result[root.name] = Object.fromEntries((root.selections ?? []).map((s) => [s.name, info[s.name]]));
          continue;
        }
        const entity = entityOfQuery(root.name);
        if (!entity) throw new TypeError(`Cannot query field "${root.name}" on type "Query"`);
        const r = resolveList(data.lists[entity.query], root, maxPageSize);
        result[root.name] = r.value;
        records += r.records;
      }
    } catch (e) {
      const code = e instanceof GraphQLSyntaxError ? "GRAPHQL_PARSE_FAILED" : "GRAPHQL_VALIDATION_FAILED";
      return gqlError(e instanceof GraphQLSyntaxError ? 400 : 200, (e as Error).message, code);
    }
    stats.ok++;
    stats.records += records;
    const text = JSON.stringify({ data: result });
    if (fault === "truncate") {
      return new Response(text.slice(0, Math.floor(text.length / 2)), {
        headers: { "content-type": "application/json; charset=utf-8" },
      });
    }
    return new Response(text, { headers: { "content-type": "application/json; charset=utf-8" } });
  };

  // The emitter checks its URL first, so a refused one throws before anything listens.
  const webhook = options.webhook ? startWebhookEmitter(data.events, options.webhook) : undefined;
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, handle);
  const actual = (server.addr as Deno.NetAddr).port;
  return {
    url: `http://127.0.0.1:${actual}/msp`,
    port: actual,
    stats,
    ...(webhook ? { webhook } : {}),
    async close() {
      await webhook?.stop();
      for (const release of [...held]) release();
      await server.shutdown();
    },
  };
}

export { isLoopbackHost };
