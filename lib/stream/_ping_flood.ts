/**
 * A hostile WebSocket client for tests and `deno task bench`: it opens `/ws` over a raw TCP connection, then sends
 * masked ping frames as fast as the connection takes them and never reads a byte, so every pong the server
 * answers piles up on the server's side.
 * @module
 */

/** Options of {@linkcode pingFlood}. */
export interface PingFloodOptions {
  /** @default "127.0.0.1" */
  hostname?: string;
  /** The request path. @default "/ws" */
  path?: string;
  /** Payload bytes of each ping (at most 125). @default 125 */
  payloadBytes?: number;
  /** Stops the flood. @default none: until the server closes the connection */
  signal?: AbortSignal;
  /**
   * What to send: WebSocket ping frames, or the replay protocol's own `{"type":"ping"}` text messages (each
   * answered with a `pong` message). @default "frame"
   */
  kind?: "frame" | "message";
}

/** What a flood did. */
export interface PingFloodResult {
  /** The status line of the server's answer to the upgrade. */
  status: string;
  /** Ping frames written. */
  pings: number;
  /** True when the server closed or reset the connection (not our signal). */
  closedByServer: boolean;
}

function pingFrames(count: number, payloadBytes: number, kind: "frame" | "message"): Uint8Array {
  const text = new TextEncoder().encode('{"type":"ping"}');
  if (kind === "message") payloadBytes = text.length;
  const size = 2 + 4 + payloadBytes;
  const out = new Uint8Array(size * count);
  for (let k = 0; k < count; k++) {
    const o = k * size;
    out[o] = kind === "message" ? 0x81 : 0x89; // FIN + text or ping
    out[o + 1] = 0x80 | payloadBytes; // masked, as a client must
    out.set([0x12, 0x34, 0x56, 0x78], o + 2);
    for (let i = 0; i < payloadBytes; i++) {
      out[o + 6 + i] = (kind === "message" ? text[i] : i & 0xff) ^ out[o + 2 + (i % 4)];
    }
  }
  return out;
}

/**
 * Floods a replay server's WebSocket with pings and never reads.
 * @param port the server's port
 * @param options host, path, payload size, stop signal
 * @returns the upgrade status, pings sent and whether the server ended it
 */
export async function pingFlood(port: number, options: PingFloodOptions = {}): Promise<PingFloodResult> {
  const { hostname = "127.0.0.1", path = "/ws", payloadBytes = 125, signal, kind = "frame" } = options;
  const conn = await Deno.connect({ hostname, port });
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  await conn.write(
    new TextEncoder().encode(
      `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    ),
  );
  // the answer's head is the only thing ever read
  const head = new Uint8Array(1024);
  const n = await conn.read(head);
  const status = new TextDecoder().decode(head.subarray(0, n ?? 0)).split("\r\n")[0];
  let pings = 0, closedByServer = false;
  if (!status.includes(" 101 ")) {
    conn.close();
    return { status, pings, closedByServer: true };
  }
  const batch = 256, frames = pingFrames(batch, payloadBytes, kind);
  const stop = () => {
    try {
      conn.close();
    } catch { /* closed */ }
  };
  signal?.addEventListener("abort", stop, { once: true });
  try {
    while (!signal?.aborted) {
      let off = 0;
      while (off < frames.length) off += await conn.write(frames.subarray(off));
      pings += batch;
    }
  } catch {
    closedByServer = !signal?.aborted;
  } finally {
    signal?.removeEventListener("abort", stop);
    if (closedByServer) stop();
  }
  return { status, pings, closedByServer };
}
