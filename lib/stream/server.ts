import type { PrometheusSink } from "./prometheus.ts";
import type { WebSocketSink } from "./websocket.ts";

/** Options of {@linkcode startReplayServer}. */
export interface ReplayServerOptions {
  /** Interface to listen on. @default "127.0.0.1" */
  hostname?: string;
  /** Port; 0 picks a free one. @default 9464 */
  port?: number;
  /** Serves `/ws` when given. @default none */
  websocket?: WebSocketSink;
  /** Serves `/metrics` when given. @default none */
  prometheus?: PrometheusSink;
  /** Facts added to the `/healthz` body (progress, counters). @default none */
  health?: () => Record<string, unknown>;
}

/** A running replay server. */
export interface ReplayServer {
  /** Where it listens. */
  readonly hostname: string;
  readonly port: number;
  /** Stops accepting connections and waits for open requests. */
  shutdown(): Promise<void>;
  /** Resolves when the server has stopped. */
  readonly finished: Promise<void>;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body) + "\n", { status, headers: { "content-type": "application/json" } });
}

/**
 * Starts the replay's HTTP server (Deno.serve): `/healthz` (JSON, always), `/metrics` (Prometheus text, with a
 * Prometheus sink), `/ws` (WebSocket, with a WebSocket sink) and `/` (a JSON index of the endpoints).
 *
 * @param options where to listen and what to serve
 * @returns the running server
 * @throws {Error} naming the address when it cannot listen (e.g. the port is taken)
 */
export function startReplayServer(options: ReplayServerOptions = {}): ReplayServer {
  const { hostname = "127.0.0.1", port = 9464, websocket, prometheus, health } = options;
  const started = Date.now();
  const endpoints = ["/healthz", ...(prometheus ? ["/metrics"] : []), ...(websocket ? ["/ws"] : [])];
  const handler = (request: Request): Response => {
    const { pathname } = new URL(request.url);
    if (pathname === "/healthz") {
      return json({ status: "ok", uptime_seconds: (Date.now() - started) / 1000, ...(health?.() ?? {}) });
    }
    if (pathname === "/metrics" && prometheus) return prometheus.handle();
    if (pathname === "/ws" && websocket) return websocket.handle(request);
    if (pathname === "/") return json({ endpoints });
    return json({ error: `no route ${pathname}`, endpoints }, 404);
  };
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({ hostname, port, onListen: () => {} }, handler);
  } catch (cause) {
    throw new Error(`Cannot listen on ${hostname}:${port}: ${String((cause as Error).message).split("\n")[0]}`, {
      cause,
    });
  }
  return {
    hostname: server.addr.hostname,
    port: server.addr.port,
    shutdown: () => server.shutdown(),
    finished: server.finished,
  };
}
