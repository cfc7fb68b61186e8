import { type Channel, CHANNELS, type ReplayEvent, type Sink, type SinkStats } from "./types.ts";

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

/** One connected client: its channels, its bounded queue and its counters. */
export class WsClient {
  /** Sequence number of the connection. */
  readonly id: number;
  readonly socket: WebSocket;
  readonly channels = new Set<Channel>();
  /** Messages handed to the socket. */
  sent = 0;
  /** Messages dropped because the queue was full. */
  dropped = 0;
  /** The most messages the queue ever held. */
  maxQueued = 0;
  readonly #queue: Ring;
  readonly #options: Required<Omit<WebSocketSinkOptions, "closeTimeoutMs">>;
  readonly #onSlow: (c: WsClient) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    id: number,
    socket: WebSocket,
    options: Required<Omit<WebSocketSinkOptions, "closeTimeoutMs">>,
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
    if (this.socket.readyState !== WebSocket.OPEN) return;
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
      this.#queue.size > 0 && s.readyState === WebSocket.OPEN && s.bufferedAmount < this.#options.maxBufferedBytes
    ) {
      s.send(this.#queue.shift()!);
      this.sent++;
    }
    if (this.#queue.size > 0 && s.readyState === WebSocket.OPEN && this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.pump();
      }, this.#options.pollMs);
    }
  }

  /** Sends a control message directly (not queued, never dropped). */
  control(message: Record<string, unknown>): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** Stops the drain timer and empties the queue. */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.clear();
  }
}

/**
 * A WebSocket sink for Deno's own server (`Deno.upgradeWebSocket`): clients subscribe to channels and receive the
 * events of those channels as JSON messages. Every client has a bounded queue in front of its socket, and the
 * socket's own unsent bytes are capped, so a slow client never makes memory grow without bound: when its queue is
 * full the oldest message is dropped (counted), or with policy `disconnect` the client is closed (code 1013).
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
  readonly #options: Required<WebSocketSinkOptions>;
  #nextId = 1;
  #events = 0;
  #delivered = 0;
  #connections = 0;
  #slowDisconnects = 0;
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
    } = options;
    if (!(Number.isInteger(maxQueue) && maxQueue > 0)) {
      throw new RangeError(`Cannot create the WebSocket sink: maxQueue must be a positive integer, got ${maxQueue}`);
    }
    this.#options = { maxQueue, maxBufferedBytes, policy, pollMs, closeTimeoutMs };
  }

  /** The connected clients. */
  get clients(): ReadonlySet<WsClient> {
    return this.#clients;
  }

  /**
   * Upgrades a request to a WebSocket client (the server's `/ws` route).
   * @param request the HTTP request
   * @returns the upgrade response, or 426 when the request is not a WebSocket upgrade
   */
  handle(request: Request): Response {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade\n", { status: 426, headers: { upgrade: "websocket" } });
    }
    const initial = new URL(request.url).searchParams.get("channels");
    const { socket, response } = Deno.upgradeWebSocket(request);
    const client = new WsClient(this.#nextId++, socket, this.#options, (c) => this.#disconnectSlow(c));
    socket.onopen = () => {
      this.#clients.add(client);
      this.#connections++;
      const bad = initial ? this.#subscribe(client, initial.split(","), true) : undefined;
      client.control({ type: "welcome", channels: CHANNELS, subscribed: [...client.channels] });
      if (bad) client.control({ type: "error", message: bad });
    };
    socket.onmessage = (m) => this.#onMessage(client, m.data);
    socket.onclose = () => this.#forget(client);
    socket.onerror = () => this.#forget(client);
    return response;
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
    };
  }
}
