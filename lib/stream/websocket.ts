import { createHash } from "node:crypto";
import type { Socket } from "node:net";
import { type Channel, CHANNELS, type ReplayEvent, type Sink, type SinkStats } from "./types.ts";
import { RawWebSocket } from "./_ws_socket.ts";

const OPEN = 1;

/** What to do when a client's queue is full. */
export type SlowClientPolicy = "drop-oldest" | "disconnect";

/** Options of {@linkcode WebSocketSink}. */
export interface WebSocketSinkOptions {
  /** Messages queued per client beyond the socket's own buffer. @default 1000 */
  maxQueue?: number;
  /** Bytes the socket may hold unsent (its `bufferedAmount`) before the queue stops draining into it. @default 1048576 */
  maxBufferedBytes?: number;
  /** On a full queue: drop the oldest queued message, or close the connection (code 1013). @default "drop-oldest" */
  policy?: SlowClientPolicy;
  /** How often a blocked queue retries draining, ms. @default 20 */
  pollMs?: number;
  /** How long `close()` lets queues drain before closing sockets, ms. @default 1000 */
  closeTimeoutMs?: number;
  /** Clients connected at once; more are answered 503. @default 64 */
  maxClients?: number;
  /**
   * Origins allowed besides loopback ones (`http(s)://localhost`, `127.0.0.1`, `[::1]`, any port), e.g.
   * `https://dash.example.com`. Requests without an Origin header (not from a browser) are always allowed.
   * @default none
   */
  allowOrigins?: readonly string[];
  /** Frames a client may send a second (pings included); more close it with code 1008. @default 100 */
  maxFramesPerSecond?: number;
}

/** The parts of an upgrade request the sink reads (a `node:http` IncomingMessage is one). */
export interface UpgradeRequest {
  /** Path and query, e.g. `/ws?channels=metrics`. */
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The canonical form of an origin (`scheme://host[:port]`, lower case, default port dropped), or undefined when it
 * is not an http(s) origin.
 * @param text an Origin header or a `--allow-origin` value
 * @returns the origin
 */
export function canonicalOrigin(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.username || url.password || url.pathname !== "/" || url.search || url.hash) return undefined;
  return url.origin;
}

function header(request: UpgradeRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

function refuse(socket: Socket, status: number, text: string, message: string): void {
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${
      new TextEncoder().encode(body).length
    }\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** A fixed-capacity FIFO of strings. */
class Ring {
  readonly #items: (string | undefined)[];
  #head = 0;
  #size = 0;
  constructor(capacity: number) {
    this.#items = new Array(capacity);
  }
  get size(): number {
    return this.#size;
  }
  get full(): boolean {
    return this.#size === this.#items.length;
  }
  push(item: string): void {
    this.#items[(this.#head + this.#size) % this.#items.length] = item;
    this.#size++;
  }
  shift(): string | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#items.length;
    this.#size--;
    return item;
  }
  clear(): void {
    this.#items.fill(undefined);
    this.#head = 0;
    this.#size = 0;
  }
}

type ClientOptions = Required<Pick<WebSocketSinkOptions, "maxQueue" | "maxBufferedBytes" | "policy" | "pollMs">>;

/** One connected client: its channels, its bounded queue and its counters. */
export class WsClient {
  /** Sequence number of the connection. */
  readonly id: number;
  readonly socket: RawWebSocket;
  readonly channels = new Set<Channel>();
  /** Messages handed to the socket. */
  sent = 0;
  /** Messages dropped because the queue was full. */
  dropped = 0;
  /** The most messages the queue ever held. */
  maxQueued = 0;
  readonly #queue: Ring;
  readonly #options: ClientOptions;
  readonly #onSlow: (c: WsClient) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    id: number,
    socket: RawWebSocket,
    options: ClientOptions,
    onSlow: (c: WsClient) => void,
  ) {
    this.id = id;
    this.socket = socket;
    this.#options = options;
    this.#queue = new Ring(options.maxQueue);
    this.#onSlow = onSlow;
  }

  /** Messages waiting in the queue. */
  get queued(): number {
    return this.#queue.size;
  }

  /** Queues a message, applying the slow-client policy when the queue is full. */
  enqueue(message: string): void {
    if (this.socket.readyState !== OPEN) return;
    if (this.#queue.full) {
      if (this.#options.policy === "disconnect") {
        this.#onSlow(this);
        return;
      }
      this.#queue.shift();
      this.dropped++;
    }
    this.#queue.push(message);
    if (this.#queue.size > this.maxQueued) this.maxQueued = this.#queue.size;
    this.pump();
  }

  /** Moves queued messages into the socket while its unsent bytes stay under the limit. */
  pump(): void {
    const s = this.socket;
    while (
      this.#queue.size > 0 && s.readyState === OPEN && s.bufferedAmount < this.#options.maxBufferedBytes
    ) {
      s.send(this.#queue.shift()!);
      this.sent++;
    }
    if (this.#queue.size > 0 && s.readyState === OPEN && this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.pump();
      }, this.#options.pollMs);
    }
  }

  /**
   * Sends a control message directly (not queued, never dropped), unless the client has stopped reading: its
   * unsent bytes over the limit, it is closed as too slow (replies to its own messages must not pile up).
   */
  control(message: Record<string, unknown>): void {
    if (this.socket.readyState !== OPEN) return;
    if (this.socket.bufferedAmount > this.#options.maxBufferedBytes) this.#onSlow(this);
    else this.socket.send(JSON.stringify(message));
  }

  /** Stops the drain timer and empties the queue. */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.clear();
  }
}

/**
 * A WebSocket sink for the replay server (`node:http` upgrades, framing in `_ws_socket.ts`): clients subscribe to
 * channels and receive the events of those channels as JSON messages. Every client has a bounded queue in front of
 * its socket, and the socket's own unsent bytes are capped, so a slow client never makes memory grow without bound:
 * when its queue is full the oldest message is dropped (counted), or with policy `disconnect` the client is closed
 * (code 1013). Browsers may connect only from loopback origins (or those allowed), clients are capped, and a client
 * sending more frames a second than allowed (pings included) is closed (code 1008).
 *
 * Protocol (JSON text messages):
 * - client -> server: `{"type":"subscribe","channels":["metrics"]}`, `{"type":"unsubscribe","channels":[…]}`,
 *   `{"type":"ping"}`; channels may also be given at connect time: `/ws?channels=metrics,tickets`.
 * - server -> client: `{"type":"welcome","channels":[…all…],"subscribed":[…]}`, `{"type":"subscribed",
 *   "channels":[…]}` after each change, `{"type":"pong","dropped":n}`, `{"type":"error","message":"…"}`, and
 *   events `{"channel","event","ts","dataset","key","data"}`.
 */
export class WebSocketSink implements Sink {
  readonly name = "websocket";
  readonly #clients = new Set<WsClient>();
  readonly #options: ClientOptions & { closeTimeoutMs: number; maxClients: number; maxFramesPerSecond: number };
  readonly #origins: Set<string>;
  #nextId = 1;
  #events = 0;
  #delivered = 0;
  #connections = 0;
  #slowDisconnects = 0;
  #floodDisconnects = 0;
  #refused = 0;
  #droppedGone = 0;
  #sentGone = 0;

  /** @param options queue bounds and the slow-client policy */
  constructor(options: WebSocketSinkOptions = {}) {
    const {
      maxQueue = 1000,
      maxBufferedBytes = 1_048_576,
      policy = "drop-oldest",
      pollMs = 20,
      closeTimeoutMs = 1000,
      maxClients = 64,
      allowOrigins = [],
      maxFramesPerSecond = 100,
    } = options;
    for (
      const [name, v] of [["maxQueue", maxQueue], ["maxClients", maxClients], [
        "maxFramesPerSecond",
        maxFramesPerSecond,
      ]] as const
    ) {
      if (!(Number.isInteger(v) && v > 0)) {
        throw new RangeError(`Cannot create the WebSocket sink: ${name} must be a positive integer, got ${v}`);
      }
    }
    this.#origins = new Set(allowOrigins.map((o) => {
      const origin = canonicalOrigin(o);
      if (origin === undefined) {
        throw new RangeError(`Cannot allow origin "${o}": an origin is http(s)://host[:port], without a path`);
      }
      return origin;
    }));
    this.#options = { maxQueue, maxBufferedBytes, policy, pollMs, closeTimeoutMs, maxClients, maxFramesPerSecond };
  }

  /** The connected clients. */
  get clients(): ReadonlySet<WsClient> {
    return this.#clients;
  }

  /**
   * Answers a plain request to `/ws` (one that is no upgrade).
   * @param _request the HTTP request
   * @returns 426 Upgrade Required
   */
  handle(_request: Request): Response {
    return new Response("expected a WebSocket upgrade\n", { status: 426, headers: { upgrade: "websocket" } });
  }

  /**
   * Whether a browser page of this origin may connect: no Origin header (no browser), a loopback origin, or one
   * allowed.
   * @param origin the Origin header
   * @returns true when allowed
   */
  originAllowed(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    const canonical = canonicalOrigin(origin);
    if (canonical === undefined) return false;
    return LOOPBACK.has(new URL(canonical).hostname) || this.#origins.has(canonical);
  }

  /**
   * Upgrades a request of the server's `/ws` route to a WebSocket client, or refuses it on its socket: 403 for an
   * origin not allowed, 503 when `maxClients` are connected, 400 for a malformed handshake.
   * @param request the upgrade request (path and headers)
   * @param socket its TCP socket
   * @param head bytes read past the request head
   */
  upgrade(request: UpgradeRequest, socket: Socket, head: Uint8Array = new Uint8Array(0)): void {
    const origin = header(request, "origin");
    if (!this.originAllowed(origin)) {
      return refuse(socket, 403, "Forbidden", `origin ${JSON.stringify(origin)} is not allowed (see --allow-origin)`);
    }
    const key = header(request, "sec-websocket-key");
    if (header(request, "upgrade")?.toLowerCase() !== "websocket" || !key || !/^[A-Za-z0-9+/]{22}==$/.test(key)) {
      return refuse(socket, 400, "Bad Request", "expected a WebSocket upgrade with a Sec-WebSocket-Key");
    }
    if (header(request, "sec-websocket-version") !== "13") {
      return refuse(socket, 400, "Bad Request", "expected Sec-WebSocket-Version 13");
    }
    if (this.#clients.size >= this.#options.maxClients) {
      this.#refused++;
      return refuse(socket, 503, "Service Unavailable", `${this.#options.maxClients} clients connected already`);
    }
    const accept = createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
    const initial = new URL(request.url ?? "/", "http://localhost").searchParams.get("channels");
    const socketWs = new RawWebSocket(socket, accept, head, {
      maxBufferedBytes: this.#options.maxBufferedBytes,
      maxFramesPerSecond: this.#options.maxFramesPerSecond,
    });
    const client = new WsClient(this.#nextId++, socketWs, this.#options, (c) => this.#disconnectSlow(c));
    // counted from the handshake on, so the cap holds for clients still connecting
    this.#clients.add(client);
    socketWs.onopen = () => {
      this.#connections++;
      const bad = initial ? this.#subscribe(client, initial.split(","), true) : undefined;
      client.control({ type: "welcome", channels: CHANNELS, subscribed: [...client.channels] });
      if (bad) client.control({ type: "error", message: bad });
    };
    socketWs.onmessage = (m) => this.#onMessage(client, m.data);
    socketWs.onclose = (e) => {
      if (e.code === 1008) this.#floodDisconnects++;
      this.#forget(client);
    };
  }

  #forget(client: WsClient): void {
    if (!this.#clients.delete(client)) return;
    this.#droppedGone += client.dropped;
    this.#sentGone += client.sent;
    client.dispose();
  }

  #disconnectSlow(client: WsClient): void {
    this.#slowDisconnects++;
    client.dispose();
    try {
      client.socket.close(1013, "client too slow: queue full");
    } catch { /* already closing */ }
    this.#forget(client);
  }

  /** Applies a subscription change; returns an error message for unknown channels. */
  #subscribe(client: WsClient, channels: unknown, add: boolean): string | undefined {
    if (!Array.isArray(channels) || channels.some((c) => typeof c !== "string")) {
      return `Cannot ${add ? "subscribe" : "unsubscribe"}: channels must be a list of names, got ${
        JSON.stringify(channels)
      }`;
    }
    const unknown = channels.filter((c) => !(CHANNELS as readonly string[]).includes(c));
    for (const c of channels) {
      if (unknown.includes(c)) continue;
      if (add) client.channels.add(c as Channel);
      else client.channels.delete(c as Channel);
    }
    return unknown.length > 0
      ? `Cannot subscribe to "${unknown[0]}": channels are ${CHANNELS.join(", ")}, got ${JSON.stringify(unknown)}`
      : undefined;
  }

  #onMessage(client: WsClient, data: unknown): void {
    let msg: { type?: unknown; channels?: unknown };
    try {
      msg = JSON.parse(String(data));
    } catch {
      client.control({
        type: "error",
        message: `Cannot read message: it must be JSON, got ${String(data).slice(0, 60)}`,
      });
      return;
    }
    if (msg.type === "subscribe" || msg.type === "unsubscribe") {
      const error = this.#subscribe(client, msg.channels, msg.type === "subscribe");
      if (error) client.control({ type: "error", message: error });
      client.control({ type: "subscribed", channels: [...client.channels] });
    } else if (msg.type === "ping") {
      client.control({ type: "pong", dropped: client.dropped, queued: client.queued });
    } else {
      client.control({
        type: "error",
        message: `Cannot handle message type ${JSON.stringify(msg.type)}: expected subscribe, unsubscribe or ping`,
      });
    }
  }

  write(event: ReplayEvent): void {
    this.#events++;
    let text: string | undefined;
    for (const client of this.#clients) {
      if (!client.channels.has(event.channel)) continue;
      text ??= event.toJSONText();
      client.enqueue(text);
    }
    if (text !== undefined) this.#delivered++;
  }

  async close(): Promise<void> {
    const deadline = performance.now() + this.#options.closeTimeoutMs;
    while ([...this.#clients].some((c) => c.queued > 0) && performance.now() < deadline) {
      for (const c of this.#clients) c.pump();
      await new Promise((r) => setTimeout(r, this.#options.pollMs));
    }
    for (const c of [...this.#clients]) {
      try {
        c.socket.close(1001, "replay ended");
      } catch { /* already closed */ }
      this.#forget(c);
    }
  }

  stats(): SinkStats {
    let sent = this.#sentGone, dropped = this.#droppedGone;
    for (const c of this.#clients) {
      sent += c.sent;
      dropped += c.dropped;
    }
    return {
      sent,
      dropped,
      events: this.#events,
      events_delivered: this.#delivered,
      clients: this.#clients.size,
      connections: this.#connections,
      slow_disconnects: this.#slowDisconnects,
      flood_disconnects: this.#floodDisconnects,
      refused: this.#refused,
    };
  }
}
