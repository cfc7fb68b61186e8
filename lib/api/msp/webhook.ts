import { createHmac } from "node:crypto";
import type { TicketEvent } from "./data.ts";
import { isLoopbackHost } from "./_host.ts";

/** The header carrying the HMAC-SHA256 of the body: `sha256=<hex>`. */
export const SIGNATURE_HEADER = "x-opslab-signature";

/** Options of the webhook emitter. */
export interface WebhookOptions {
  /** Where to POST events; a loopback URL (127.0.0.1, localhost, [::1]). */
  url: string;
  /** Key of the HMAC-SHA256 signature in {@linkcode SIGNATURE_HEADER}. */
  secret: string;
  /** Replay speed: dataset seconds per wall second; Infinity posts as fast as the receiver takes them. @default 3600 */
  speed?: number;
  /** Replay clock start, epoch ms. @default the first event's time */
  fromMs?: number;
  /** Stop after this many events. @default all */
  max?: number;
  /** Attempts per event before it is counted as dropped. @default 5 */
  attempts?: number;
}

/** A running emitter. */
export interface WebhookEmitter {
  /** Events delivered (2xx), dropped after every attempt failed, and attempts that failed. */
  stats: { delivered: number; dropped: number; failedAttempts: number };
  /** Resolves when every event (up to `max`) was posted or dropped. */
  done: Promise<void>;
  /** Stops early. */
  stop(): Promise<void>;
}

/**
 * Signs a webhook body: `sha256=` and the hex HMAC-SHA256 of the body under the secret.
 * @param secret the shared secret
 * @param body the exact body text
 * @returns the header value
 */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * Posts ticket events in time order as a replay clock advances from `fromMs` at `speed`, one event per POST with
 * an HMAC signature, retrying a failed POST with exponential backoff; an event's `eventId` is stable, so a receiver
 * drops a redelivered one.
 * @param events ticket events in time order
 * @param options URL, secret, speed
 * @returns the running emitter
 */
export function startWebhookEmitter(events: readonly TicketEvent[], options: WebhookOptions): WebhookEmitter {
  const { url, secret, speed = 3600, max = events.length, attempts = 5 } = options;
  const target = new URL(url);
  if (!["http:", "https:"].includes(target.protocol) || !isLoopbackHost(target.host)) {
    throw new RangeError(`Cannot emit webhooks: url must be on 127.0.0.1 or localhost, got "${url}"`);
  }
  if (!(speed > 0)) throw new RangeError(`Cannot emit webhooks: speed must be > 0, got ${speed}`);
  const stats = { delivered: 0, dropped: 0, failedAttempts: 0 };
  const abort = new AbortController();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || abort.signal.aborted) return resolve();
      const t = setTimeout(resolve, ms);
      abort.signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
    });
  const run = async () => {
    const n = Math.min(max, events.length);
    if (n === 0) return;
    const fromMs = options.fromMs ?? events[0].occurredMs;
    const wallStart = performance.now();
    for (let i = 0; i < n && !abort.signal.aborted; i++) {
      const e = events[i];
      if (Number.isFinite(speed)) await sleep((e.occurredMs - fromMs) / speed - (performance.now() - wallStart));
      const body = JSON.stringify({
        eventId: e.eventId,
        event: e.event,
        occurredTime: e.occurredTime,
        data: { ticketId: e.ticketId },
      });
      let ok = false;
      for (let a = 0; a < attempts && !ok && !abort.signal.aborted; a++) {
        if (a > 0) await sleep(Math.min(2000, 50 * 2 ** a));
        try {
          const res = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signBody(secret, body) },
            body,
            signal: AbortSignal.any([abort.signal, AbortSignal.timeout(5000)]),
          });
          await res.body?.cancel();
          ok = res.ok;
        } catch {
          ok = false;
        }
        if (!ok) stats.failedAttempts++;
      }
      if (ok) stats.delivered++;
      else if (!abort.signal.aborted) stats.dropped++;
    }
  };
  const done = run();
  return {
    stats,
    done,
    async stop() {
      abort.abort();
      await done;
    },
  };
}
