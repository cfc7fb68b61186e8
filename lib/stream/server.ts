import http from "node:http";
import type { Socket } from "node:net";
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
  /** Stops accepting connections, ends open ones and waits until the server has stopped. */
  shutdown(): Promise<void>;
  /** Resolves when the server has stopped. */
  readonly finished: Promise<void>;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body) + "\n", { status, headers: { "content-type": "application/json" } });
}

/**
 * Starts the replay's HTTP server (`node:http`, whose upgrade event hands the WebSocket sink the raw connection):
 * `/healthz` (JSON, always), `/metrics` (Prometheus text, with a Prometheus sink), `/ws` (WebSocket, with a
 * WebSocket sink) and `/` (a JSON index of the endpoints).
 *
 * @param options where to listen and what to serve
 * @returns the running server, once it listens
 * @throws {Error} naming the address when it cannot listen (e.g. the port is taken)
 */
export async function startReplayServer(options: ReplayServerOptions = {}): Promise<ReplayServer> {
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
  const sockets = new Set<Socket>();
  const server = http.createServer({ maxHeaderSize: 16 * 1024 }, async (req, res) => {
    const response = handler(new Request(new URL(req.url ?? "/", "http://localhost"), { method: req.method }));
    const body = new Uint8Array(await response.arrayBuffer());
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(body);
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("upgrade", (req: http.IncomingMessage, socket: Socket, head: Uint8Array) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (pathname === "/ws" && websocket) return websocket.upgrade(req, socket, head);
    socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  });
  const finished = new Promise<void>((resolve) => server.on("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    server.once("error", (cause: Error) => {
      reject(new Error(`Cannot listen on ${hostname}:${port}: ${String(cause.message).split("\n")[0]}`, { cause }));
    });
    server.listen(port, hostname, () => resolve());
  });
  const address = server.address() as { address: string; port: number };
  return {
    hostname: address.address,
    port: address.port,
    shutdown: async () => {
      server.close();
      server.closeIdleConnections?.();
      // a second for closing handshakes under way, then what is left is cut
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([finished, new Promise((r) => timer = setTimeout(r, 1000))]);
      clearTimeout(timer);
      for (const s of sockets) s.destroy();
      await finished;
    },
    finished,
  };
}
