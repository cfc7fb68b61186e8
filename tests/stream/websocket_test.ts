import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { ReplayEvent, startReplayServer, WebSocketSink } from "@lib/stream/mod.ts";
import { pingFlood } from "@lib/stream/_ping_flood.ts";
import { ev, T0 } from "./_fixtures.ts";

/** A WebSocket client that collects JSON messages. */
class Client {
  readonly messages: Record<string, unknown>[] = [];
  readonly socket: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<CloseEvent>;
  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.onopen = () => resolve();
      this.socket.onerror = (e) => reject(e);
    });
    this.closed = new Promise((resolve) => (this.socket.onclose = resolve));
    this.socket.onmessage = (m) => this.messages.push(JSON.parse(m.data));
  }
  send(msg: unknown): void {
    this.socket.send(JSON.stringify(msg));
  }
  /** Waits until a message matches. */
  async waitFor(pred: (m: Record<string, unknown>) => boolean, ms = 2000): Promise<Record<string, unknown>> {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      const hit = this.messages.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`no matching message in ${ms} ms; got ${JSON.stringify(this.messages).slice(0, 300)}`);
  }
  events(): Record<string, unknown>[] {
    return this.messages.filter((m) => "channel" in m);
  }
}

async function settle(ms = 50): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

Deno.test("WebSocketSink delivers the channels a client subscribes to, and stops after unsubscribe", async () => {
  const sink = new WebSocketSink();
  const server = await startReplayServer({ port: 0, websocket: sink });
  const url = `ws://127.0.0.1:${server.port}/ws`;
  const a = new Client(url), b = new Client(`${url}?channels=metrics`);
  try {
    await Promise.all([a.opened, b.opened]);
    const welcome = await a.waitFor((m) => m.type === "welcome");
    assert.deepEqual(welcome.subscribed, []);
    assert.deepEqual((await b.waitFor((m) => m.type === "welcome")).subscribed, ["metrics"]);
    a.send({ type: "subscribe", channels: ["tickets", "sla_alerts"] });
    const sub = await a.waitFor((m) => m.type === "subscribed");
    assert.deepEqual((sub.channels as string[]).sort(), ["sla_alerts", "tickets"]);

    sink.write(ev(T0, 1, "tickets"));
    sink.write(ev(T0 + 1, 2, "metrics"));
    sink.write(ev(T0 + 2, 3, "sla_alerts"));
    await a.waitFor((m) => m.channel === "sla_alerts");
    await b.waitFor((m) => m.channel === "metrics");
    await settle();
    assert.deepEqual(a.events().map((m) => m.channel), ["tickets", "sla_alerts"]);
    assert.deepEqual(b.events().map((m) => m.channel), ["metrics"]);
    assert.equal((a.events()[0].data as { i: number }).i, 1);

    a.send({ type: "unsubscribe", channels: ["tickets", "sla_alerts"] });
    await a.waitFor((m) => m.type === "subscribed" && (m.channels as string[]).length === 0);
    sink.write(ev(T0 + 3, 4, "tickets"));
    await settle();
    assert.equal(a.events().length, 2, "an unsubscribed client got an event");

    a.send({ type: "subscribe", channels: ["nope"] });
    const error = await a.waitFor((m) => m.type === "error");
    assert.match(String(error.message), /"nope"/);
    a.send({ type: "ping" });
    assert.equal((await a.waitFor((m) => m.type === "pong")).dropped, 0);

    const stats = sink.stats();
    assert.equal(stats.clients, 2);
    assert.equal(stats.events, 4);
    assert.equal(stats.sent, 3);
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    assert.equal((await health.json()).status, "ok");
    const plain = await fetch(`http://127.0.0.1:${server.port}/ws`);
    assert.equal(plain.status, 426);
    await plain.body?.cancel();
  } finally {
    await sink.close();
    await Promise.all([a.closed, b.closed]);
    await server.shutdown();
  }
});

/** Opens a WebSocket with a raw TCP connection and never reads: the slowest possible client. */
async function stalledClient(port: number): Promise<Deno.TcpConn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const request = `GET /ws?channels=metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
    `Connection: Upgrade\r\nSec-WebSocket-Key: ${btoa("0123456789abcdef")}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
  await conn.write(new TextEncoder().encode(request));
  const buf = new Uint8Array(512);
  const n = await conn.read(buf);
  assert.match(new TextDecoder().decode(buf.subarray(0, n ?? 0)), /^HTTP\/1.1 101/);
  return conn;
}

Deno.test("WebSocketSink bounds a client that never reads: oldest messages are dropped and counted", async () => {
  const maxQueue = 200, maxBufferedBytes = 64 * 1024;
  const sink = new WebSocketSink({ maxQueue, maxBufferedBytes, pollMs: 5 });
  const server = await startReplayServer({ port: 0, websocket: sink });
  const conn = await stalledClient(server.port);
  try {
    while (sink.clients.size === 0) await settle(5);
    const [client] = sink.clients;
    const pad = "x".repeat(2000);
    let worst = 0;
    // 40 MB offered: far more than the kernel's socket buffers absorb
    for (let i = 0; i < 20_000; i++) {
      sink.write(ev(T0 + i, i, "metrics"));
      if (i % 500 === 0) {
        // bulk up the payload through the event's JSON (2 kB a message)
        sink.write(
          new ReplayEvent({ ts: T0 + i, channel: "metrics", event: "big", key: "k", keyName: "id", dataset: "x" }, {
            pad,
          }),
        );
        await settle(1);
      }
      worst = Math.max(worst, client.queued);
    }
    for (let k = 0; k < 20_000 / 400; k++) {
      for (let j = 0; j < 400; j++) sink.write(ev(T0, j, "metrics"));
      await settle(1);
      worst = Math.max(worst, client.queued);
    }
    const stats = sink.stats();
    assert.ok(worst <= maxQueue, `queue reached ${worst}`);
    assert.ok(client.socket.bufferedAmount <= maxBufferedBytes + 4096, `socket holds ${client.socket.bufferedAmount}`);
    assert.ok(stats.dropped > 0, "nothing was dropped");
    assert.equal(stats.dropped + stats.sent + client.queued, stats.events);
  } finally {
    conn.close();
    await sink.close();
    await server.shutdown();
  }
});

Deno.test("WebSocketSink with policy disconnect closes a client whose queue fills", async () => {
  const sink = new WebSocketSink({ maxQueue: 50, maxBufferedBytes: 16 * 1024, policy: "disconnect", pollMs: 5 });
  const server = await startReplayServer({ port: 0, websocket: sink });
  const conn = await stalledClient(server.port);
  try {
    while (sink.clients.size === 0) await settle(5);
    for (let i = 0; i < 200_000 && sink.clients.size > 0; i++) {
      sink.write(ev(T0 + i, i, "metrics"));
      if (i % 1000 === 0) await settle(1);
    }
    assert.equal(sink.clients.size, 0);
    const stats = sink.stats();
    assert.equal(stats.slow_disconnects, 1);
    assert.equal(stats.dropped, 0);
  } finally {
    conn.close();
    await sink.close();
    await server.shutdown();
  }
});

/** Sends an upgrade request with extra headers over raw TCP; returns the status code and keeps the socket open. */
async function upgrade(
  port: number,
  headers: Record<string, string> = {},
): Promise<{ status: number; conn: Deno.TcpConn }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
  await conn.write(
    new TextEncoder().encode(
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${btoa("0123456789abcdef")}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
    ),
  );
  const buf = new Uint8Array(1024);
  const n = await conn.read(buf);
  const head = new TextDecoder().decode(buf.subarray(0, n ?? 0));
  return { status: Number(/^HTTP\/1.1 (\d{3})/.exec(head)?.[1] ?? 0), conn };
}

Deno.test("WebSocketSink refuses other origins with 403 and takes loopback ones, no Origin and --allow-origin", async (t) => {
  const sink = new WebSocketSink({ allowOrigins: ["https://Dash.Example.com"] });
  const server = await startReplayServer({ port: 0, websocket: sink });
  const cases: [string | undefined, number][] = [
    [undefined, 101],
    ["http://localhost:5173", 101],
    ["https://localhost", 101],
    ["http://127.0.0.1:8080", 101],
    ["http://[::1]:3000", 101],
    ["https://dash.example.com", 101],
    ["https://dash.example.com:443", 101],
    ["https://evil.example", 403],
    ["http://localhost.evil.example", 403],
    ["http://127.0.0.1.nip.io", 403],
    ["https://dash.example.com:8443", 403],
    ["http://dash.example.com", 403],
    ["null", 403],
    ["file://", 403],
  ];
  try {
    for (const [origin, want] of cases) {
      await t.step(`${origin ?? "(no Origin)"} -> ${want}`, async () => {
        const { status, conn } = await upgrade(server.port, origin === undefined ? {} : { Origin: origin });
        conn.close();
        assert.equal(status, want);
      });
    }
    assert.throws(() => new WebSocketSink({ allowOrigins: ["https://x.example/path"] }), RangeError);
  } finally {
    await sink.close();
    await server.shutdown();
  }
});

Deno.test("WebSocketSink answers 503 beyond maxClients and takes a client again once one leaves", async () => {
  const sink = new WebSocketSink({ maxClients: 2 });
  const server = await startReplayServer({ port: 0, websocket: sink });
  const url = `ws://127.0.0.1:${server.port}/ws`;
  const a = new Client(url), b = new Client(url);
  try {
    await Promise.all([a.opened, b.opened]);
    const third = await upgrade(server.port);
    third.conn.close();
    assert.equal(third.status, 503);
    assert.equal(sink.stats().refused, 1);
    a.socket.close();
    await a.closed;
    while (sink.clients.size > 1) await settle(5);
    const c = new Client(url);
    await c.opened;
    assert.equal(sink.clients.size, 2);
    c.socket.close();
    await c.closed;
  } finally {
    await sink.close();
    await Promise.all([a.closed, b.closed]);
    await server.shutdown();
  }
});

Deno.test("WebSocketSink disconnects a client that floods pings, as frames or as messages, and never reads", async (t) => {
  for (const kind of ["frame", "message"] as const) {
    await t.step(kind, async () => {
      const sink = new WebSocketSink({ maxFramesPerSecond: 100 });
      const server = await startReplayServer({ port: 0, websocket: sink });
      const other = new Client(`ws://127.0.0.1:${server.port}/ws?channels=metrics`);
      try {
        await other.opened;
        // without a limit the flood runs until the server runs out of memory: this returns only if the server ends it
        // a guard against a hang on a server that never ends it (the test fails then), not a timing
        const flood = await pingFlood(server.port, { kind, signal: AbortSignal.timeout(30_000) });
        assert.match(flood.status, / 101 /);
        assert.ok(flood.closedByServer);
        assert.ok(flood.pings > 100, `only ${flood.pings} pings sent`);
        while (sink.stats().flood_disconnects < 1) await settle(5);
        // a well-behaved client stays connected and keeps getting events
        sink.write(ev(T0, 1, "metrics"));
        await other.waitFor((m) => m.channel === "metrics");
        assert.equal(sink.clients.size, 1);
      } finally {
        await sink.close();
        await other.closed;
        await server.shutdown();
      }
    });
  }
});

/** A masked client frame. */
function clientFrame(opcode: number, payload: Uint8Array, fin = true, masked = true): Uint8Array {
  const n = payload.length;
  const head = n < 126 ? [n] : [126, n >> 8, n & 0xff];
  const mask = masked ? [1, 2, 3, 4] : [];
  const out = new Uint8Array(1 + head.length + mask.length + n);
  out[0] = (fin ? 0x80 : 0) | opcode;
  out.set(head, 1);
  out[1] |= masked ? 0x80 : 0;
  out.set(mask, 1 + head.length);
  for (let i = 0; i < n; i++) out[1 + head.length + mask.length + i] = payload[i] ^ (masked ? mask[i % 4] : 0);
  return out;
}

/** Reads server frames after the handshake until the connection ends: texts and the close code. */
async function serverFrames(conn: Deno.TcpConn): Promise<{ texts: string[]; close?: number }> {
  let data = new Uint8Array(0);
  const buf = new Uint8Array(65_536);
  for (;;) {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) break;
    const joined = new Uint8Array(data.length + n);
    joined.set(data);
    joined.set(buf.subarray(0, n), data.length);
    data = joined;
  }
  const text = new TextDecoder().decode(data);
  let o = text.indexOf("\r\n\r\n") + 4;
  const out: { texts: string[]; close?: number } = { texts: [] };
  while (o + 2 <= data.length) {
    const opcode = data[o] & 0x0f;
    let len = data[o + 1] & 0x7f, off = o + 2;
    if (len === 126) {
      len = (data[o + 2] << 8) | data[o + 3];
      off = o + 4;
    }
    const payload = data.subarray(off, off + len);
    if (opcode === 1) out.texts.push(new TextDecoder().decode(payload));
    if (opcode === 8) out.close = (payload[0] << 8) | payload[1];
    o = off + len;
  }
  return out;
}

Deno.test("the replay's WebSocket framing: long and fragmented messages work, protocol errors close with their code", async (t) => {
  const sink = new WebSocketSink();
  const server = await startReplayServer({ port: 0, websocket: sink });
  const enc = new TextEncoder();
  const exchange = async (frames: Uint8Array[]) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    await conn.write(
      enc.encode(
        `GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${btoa("0123456789abcdef")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
    // a close frame of ours ends the exchange when the server did not
    const bytes = [...frames, clientFrame(0x8, new Uint8Array([0x03, 0xe8]))];
    try {
      for (const f of bytes) for (let o = 0; o < f.length;) o += await conn.write(f.subarray(o));
    } catch { /* the server closed first */ }
    const got = await serverFrames(conn);
    conn.close();
    return got;
  };
  try {
    await t.step("a subscribe in two fragments, then a 300-byte message", async () => {
      const msg = enc.encode(JSON.stringify({ type: "subscribe", channels: ["metrics", "tickets"] }));
      const got = await exchange([
        clientFrame(0x1, msg.subarray(0, 10), false),
        clientFrame(0x0, msg.subarray(10), true),
        clientFrame(0x1, enc.encode(JSON.stringify({ type: "ping", pad: "x".repeat(280) }))),
      ]);
      const replies = got.texts.map((s) => JSON.parse(s));
      assert.deepEqual(replies.find((m) => m.type === "subscribed")?.channels, ["metrics", "tickets"]);
      assert.ok(replies.some((m) => m.type === "pong"));
      assert.equal(got.close, 1000);
    });
    const errors: [string, Uint8Array[], number][] = [
      ["an unmasked frame", [clientFrame(0x1, enc.encode("{}"), true, false)], 1002],
      ["a binary message", [clientFrame(0x2, new Uint8Array([1, 2]))], 1003],
      ["invalid UTF-8", [clientFrame(0x1, new Uint8Array([0xff, 0xfe]))], 1007],
      ["a continuation without a message", [clientFrame(0x0, enc.encode("x"))], 1002],
      [
        "a message over 64 KiB",
        [clientFrame(0x1, new Uint8Array(40_000).fill(32), false), clientFrame(0x0, new Uint8Array(40_000).fill(32))],
        1009,
      ],
    ];
    for (const [name, frames, code] of errors) {
      await t.step(`${name} -> ${code}`, async () => {
        assert.equal((await exchange(frames)).close, code);
      });
    }
  } finally {
    await sink.close();
    await server.shutdown();
  }
});
