import { timingSafeEqual } from "node:crypto";
import { isLoopbackHost, SIGNATURE_HEADER, signBody } from "@lib/api/msp/mod.ts";

/** A webhook event as the MSP sandbox posts it. */
export interface MspWebhookEvent {
  eventId: string;
  event: string;
  occurredTime: string;
  data: { ticketId: string };
}

/** Options of {@linkcode startWebhookReceiver}. */
export interface WebhookReceiverOptions {
  /** The shared secret of the HMAC-SHA256 signatures. */
  secret: string;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Called once per new event (a redelivered `eventId` is acknowledged and dropped). */
  onEvent?: (event: MspWebhookEvent) => void | Promise<void>;
}

/** A running receiver. */
export interface WebhookReceiver {
  url: string;
  port: number;
  /** Accepted events, redeliveries dropped, requests refused (bad signature, body or Host). */
  stats: { accepted: number; duplicates: number; rejected: number };
  /** Ticket ids named by accepted events since the last `drain()`. */
  drain(): string[];
  close(): Promise<void>;
}

function sameText(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a), y = new TextEncoder().encode(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Receives MSP webhooks on 127.0.0.1: only POSTs addressed to a loopback Host, signed with the shared secret
 * (`X-Opslab-Signature: sha256=<hex HMAC of the body>`, else `401`), with a JSON event; each `eventId` is taken once.
 * @param options secret, port, handler
 * @returns the running receiver
 */
export function startWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  const { secret, port = 0, onEvent } = options;
  if (secret.length === 0) throw new TypeError("Cannot receive webhooks: the secret must not be empty");
  const seen = new Set<string>();
  let pending = new Set<string>();
  const stats = { accepted: 0, duplicates: 0, rejected: 0 };
  const refuse = (status: number, text: string) => {
    stats.rejected++;
    return new Response(`${text}\n`, { status });
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, async (req) => {
    if (!isLoopbackHost(req.headers.get("host"))) return refuse(421, "misdirected");
    if (req.method !== "POST") return refuse(405, "POST only");
    const body = await req.text();
    const sig = req.headers.get(SIGNATURE_HEADER) ?? "";
    if (!sameText(sig, signBody(secret, body))) return refuse(401, "bad signature");
    let event: MspWebhookEvent;
    try {
      event = JSON.parse(body);
    } catch {
      return refuse(400, "not JSON");
    }
    if (typeof event?.eventId !== "string" || typeof event?.data?.ticketId !== "string") {
      return refuse(400, "an event needs eventId and data.ticketId");
    }
    if (seen.has(event.eventId)) {
      stats.duplicates++;
      return new Response("duplicate\n", { status: 200 });
    }
    seen.add(event.eventId);
    stats.accepted++;
    pending.add(event.data.ticketId);
    await onEvent?.(event);
    return new Response("ok\n", { status: 200 });
  });
  const actual = (server.addr as Deno.NetAddr).port;
  return {
    url: `http://127.0.0.1:${actual}/webhook`,
    port: actual,
    stats,
    drain() {
      const out = [...pending];
      pending = new Set();
      return out;
    },
    close: () => server.shutdown(),
  };
}
