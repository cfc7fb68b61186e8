import { entityStream } from "@lib/random/mod.ts";

/** Credentials of an MSP platform API: the API token and the tenant (SuperOps: `CustomerSubDomain`). */
export interface MspCredentials {
  apiKey: string;
  tenant: string;
  /** Secret of webhook signatures, when webhooks are received. */
  webhookSecret?: string;
}

/** A request the client gave up on, or one that cannot succeed (bad credentials, a query the API rejects). */
export class MspApiError extends Error {
  /**
   * @param message what failed (never holds the credentials)
   * @param options the HTTP status when there was one, and whether retrying could help
   */
  constructor(message: string, readonly options: { status?: number; retryable?: boolean } = {}) {
    super(message);
    this.name = "MspApiError";
  }
}

/**
 * Reads credentials from the environment (`OPSLAB_MSP_API_KEY`, `OPSLAB_MSP_TENANT`, `OPSLAB_MSP_WEBHOOK_SECRET`)
 * or from a JSON file (`{"api_key": ..., "tenant": ..., "webhook_secret": ...}`, named by `file` or
 * `OPSLAB_MSP_API_CREDENTIALS`); the environment wins key by key. Never from the command line, which other users
 * of the machine can read in the process list.
 * @param env the environment
 * @param file a credentials file @default env.OPSLAB_MSP_API_CREDENTIALS
 * @returns the credentials
 * @throws {TypeError} naming what is missing (never a value)
 */
export async function readCredentials(
  env: Record<string, string | undefined>,
  file: string | undefined = env.OPSLAB_MSP_API_CREDENTIALS,
): Promise<MspCredentials> {
  let fromFile: Record<string, unknown> = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (e) {
      throw new TypeError(`Cannot read the credentials file "${file}": ${(e as Error).name}`);
    }
    try {
      fromFile = JSON.parse(text);
    } catch {
      throw new TypeError(`Cannot read the credentials file "${file}": it must be JSON {"api_key", "tenant"}`);
    }
    if (typeof fromFile !== "object" || fromFile === null) {
      throw new TypeError(`Cannot read the credentials file "${file}": it must be a JSON object`);
    }
  }
  const pick = (envKey: string, fileKey: string): string | undefined => {
    const v = env[envKey] ?? fromFile[fileKey];
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  };
  const apiKey = pick("OPSLAB_MSP_API_KEY", "api_key"), tenant = pick("OPSLAB_MSP_TENANT", "tenant");
  if (apiKey === undefined) {
    throw new TypeError(
      "Cannot ingest msp-api: no API key (set OPSLAB_MSP_API_KEY or api_key in the --credentials file)",
    );
  }
  if (tenant === undefined) {
    throw new TypeError("Cannot ingest msp-api: no tenant (set OPSLAB_MSP_TENANT or tenant in the --credentials file)");
  }
  const webhookSecret = pick("OPSLAB_MSP_WEBHOOK_SECRET", "webhook_secret");
  return { apiKey, tenant, ...(webhookSecret ? { webhookSecret } : {}) };
}

/** A client-side token bucket: at most `rate` requests a second on average, `burst` at once. */
export class TokenBucket {
  #tokens: number;
  #at = performance.now();
  /** Milliseconds spent waiting for tokens. */
  waitedMs = 0;
  /**
   * @param rate tokens a second (Infinity: no limit)
   * @param burst the bucket size
   */
  constructor(readonly rate: number, readonly burst = 1) {
    if (!(rate > 0)) throw new RangeError(`Cannot limit requests: rate must be > 0, got ${rate}`);
    this.#tokens = burst;
  }
  /** Waits for a token and takes it. */
  async take(): Promise<void> {
    if (this.rate === Infinity) return;
    for (;;) {
      const now = performance.now();
      this.#tokens = Math.min(this.burst, this.#tokens + (now - this.#at) / 1000 * this.rate);
      this.#at = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      const wait = (1 - this.#tokens) / this.rate * 1000;
      this.waitedMs += wait;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** Options of {@linkcode MspApiClient}. */
export interface MspApiClientOptions {
  /** Requests a second the client allows itself (token bucket). @default Infinity */
  rps?: number;
  /** Burst of the bucket. @default 1 */
  burst?: number;
  /** Attempts per request (the first included) before giving up. @default 10 */
  maxAttempts?: number;
  /** First backoff, ms; doubled per attempt, with full jitter. @default 200 */
  baseDelayMs?: number;
  /** Longest backoff, ms. @default 20000 */
  maxDelayMs?: number;
  /** Time for one request, ms, before it is abandoned and retried. @default 10000 */
  timeoutMs?: number;
  /**
   * Uniform [0, 1) for the jitter. @default a seeded stream of (`jitterSeed`, "msp-api", the URL), so retry timing
   * is reproducible (no unseeded randomness)
   */
  random?: () => number;
  /** Seed of the default jitter stream. @default 0 */
  jitterSeed?: number;
}

/** What the client met, for the report and the bench. */
export interface MspClientStats {
  requests: number;
  retries: number;
  rateLimited: number;
  serverErrors: number;
  timeouts: number;
  badBodies: number;
  networkErrors: number;
  /** Milliseconds slept on Retry-After and backoff. */
  backoffMs: number;
  /** Milliseconds waited on the client's own token bucket. */
  throttledMs: number;
}

/**
 * A GraphQL client for an MSP platform API: a token bucket in front, every request with a timeout, and retries
 * with exponential backoff and full jitter on network errors, timeouts, `429` (waiting at least `Retry-After`),
 * `5xx` and unreadable bodies. `401`/`403` and GraphQL errors in a complete answer are not retried.
 */
export class MspApiClient {
  readonly stats: MspClientStats = {
    requests: 0,
    retries: 0,
    rateLimited: 0,
    serverErrors: 0,
    timeouts: 0,
    badBodies: 0,
    networkErrors: 0,
    backoffMs: 0,
    throttledMs: 0,
  };
  readonly #bucket: TokenBucket;
  readonly #opts: Required<Omit<MspApiClientOptions, "rps" | "burst" | "jitterSeed">>;

  /**
   * @param url the GraphQL endpoint, e.g. `http://127.0.0.1:8787/msp`
   * @param credentials API key and tenant
   * @param options rate, retries, timeouts
   */
  constructor(readonly url: string, readonly credentials: MspCredentials, options: MspApiClientOptions = {}) {
    const {
      rps = Infinity,
      burst = 1,
      maxAttempts = 10,
      baseDelayMs = 200,
      maxDelayMs = 20_000,
      timeoutMs = 10_000,
      jitterSeed = 0,
    } = options;
    const jitter = entityStream(jitterSeed, { dataset: "msp-api", entity: String(url) });
    const random = options.random ?? (() => jitter.next());
    this.#bucket = new TokenBucket(rps, burst);
    this.#opts = { maxAttempts, baseDelayMs, maxDelayMs, timeoutMs, random };
  }

  /**
   * Runs a query and returns its `data`.
   * @param query the GraphQL document
   * @param variables its variables
   * @returns the `data` object
   * @throws {MspApiError} when the API refuses it or every attempt failed
   */
  async query<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const { maxAttempts, baseDelayMs, maxDelayMs, timeoutMs, random } = this.#opts;
    const body = JSON.stringify({ query, variables });
    let last = "";
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      let retryAfterMs = 0;
      if (attempt > 0) this.stats.retries++;
      const before = this.#bucket.waitedMs;
      await this.#bucket.take();
      this.stats.throttledMs += this.#bucket.waitedMs - before;
      this.stats.requests++;
      let res: Response;
      try {
        res = await fetch(this.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${this.credentials.apiKey}`,
            customersubdomain: this.credentials.tenant,
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        const timedOut = (e as Error).name === "TimeoutError";
        if (timedOut) this.stats.timeouts++;
        else this.stats.networkErrors++;
        last = timedOut ? `no answer within ${timeoutMs} ms` : `network error (${(e as Error).name})`;
        await this.#backoff(attempt, 0, baseDelayMs, maxDelayMs, random);
        continue;
      }
      let text: string;
      try {
        text = await res.text();
      } catch (e) {
        this.stats.badBodies++;
        last = `body cut off (${(e as Error).name})`;
        await this.#backoff(attempt, 0, baseDelayMs, maxDelayMs, random);
        continue;
      }
      if (res.status === 401 || res.status === 403) {
        throw new MspApiError(`The MSP API refused the credentials (HTTP ${res.status})`, { status: res.status });
      }
      if (res.status === 429) {
        this.stats.rateLimited++;
        const ra = res.headers.get("retry-after");
        const secs = ra !== null && /^\d+(\.\d+)?$/.test(ra.trim()) ? Number(ra) : NaN;
        const date = ra !== null && Number.isNaN(secs) ? Date.parse(ra) - Date.now() : NaN;
        retryAfterMs = Number.isFinite(secs) ? secs * 1000 : Number.isFinite(date) ? Math.max(0, date) : 0;
        last = `rate limited (HTTP 429, Retry-After ${ra ?? "absent"})`;
        await this.#backoff(attempt, retryAfterMs, baseDelayMs, maxDelayMs, random);
        continue;
      }
      if (res.status >= 500) {
        this.stats.serverErrors++;
        last = `HTTP ${res.status}`;
        await this.#backoff(attempt, 0, baseDelayMs, maxDelayMs, random);
        continue;
      }
      let parsed: { data?: T | null; errors?: { message?: string }[] };
      try {
        parsed = JSON.parse(text);
      } catch {
        this.stats.badBodies++;
        last = `unreadable body (${text.length} bytes, not JSON)`;
        await this.#backoff(attempt, 0, baseDelayMs, maxDelayMs, random);
        continue;
      }
      if (parsed.errors?.length) {
        throw new MspApiError(`The MSP API answered with an error: ${parsed.errors[0].message ?? "(no message)"}`, {
          status: res.status,
        });
      }
      if (!res.ok || parsed.data == null) {
        throw new MspApiError(`The MSP API answered HTTP ${res.status} without data`, { status: res.status });
      }
      return parsed.data;
    }
    throw new MspApiError(`Cannot reach the MSP API at ${this.url}: ${maxAttempts} attempts failed, last: ${last}`, {
      retryable: true,
    });
  }

  async #backoff(attempt: number, floorMs: number, base: number, max: number, random: () => number): Promise<void> {
    // Full jitter (AWS architecture blog): uniform in [0, min(max, base * 2^attempt)], never below Retry-After.
    const ms = Math.max(floorMs, random() * Math.min(max, base * 2 ** attempt));
    this.stats.backoffMs += ms;
    await new Promise((r) => setTimeout(r, ms));
  }
}
