/**
 * The server side of a WebSocket (RFC 6455) over a raw TCP socket, written here because Deno's own WebSocket answers
 * every ping itself, out of reach of any limit: a client that floods pings and never reads makes the server queue
 * pongs without bound. Here every frame a client sends counts against a rate limit, a pong is answered only while
 * the client reads (one pending at most, as RFC 6455 5.5.3 allows), and reading stops while the client's unsent
 * bytes are over the limit, so a client that does not read is throttled by TCP instead of by memory.
 * @module
 */
import type { Socket } from "node:net";

/** Limits of a {@linkcode RawWebSocket}. */
export interface RawWebSocketOptions {
  /** The largest message a client may send, bytes. @default 65536 */
  maxMessageBytes?: number;
  /** Frames a client may send a second (pings, pongs and messages); more close it with 1008. @default 100 */
  maxFramesPerSecond?: number;
  /** Unsent bytes above which reading from the client stops until they drain. @default 1048576 */
  maxBufferedBytes?: number;
}

const CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;
const decoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

function frame(opcode: number, payload: Uint8Array): Uint8Array {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const out = new Uint8Array(head + n);
  out[0] = 0x80 | opcode;
  if (n < 126) out[1] = n;
  else if (n < 65_536) {
    out[1] = 126;
    out[2] = n >> 8;
    out[3] = n & 0xff;
  } else {
    out[1] = 127;
    new DataView(out.buffer).setBigUint64(2, BigInt(n));
  }
  out.set(payload, head);
  return out;
}

/** A server-side WebSocket over a TCP socket, with the subset of the WebSocket API the replay uses. */
export class RawWebSocket {
  readyState: number = CONNECTING;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  readonly #socket: Socket;
  readonly #limits: Required<RawWebSocketOptions>;
  #pending: Uint8Array = new Uint8Array(0);
  #parts: Uint8Array[] = [];
  #partBytes = 0;
  #pong: Uint8Array | undefined;
  #second = 0;
  #frames = 0;
  #closeCode = 1006;
  #closeReason = "";
  #paused = false;

  /**
   * Completes the handshake on a socket whose upgrade request was accepted and starts reading frames.
   * @param socket the TCP socket of the upgrade request
   * @param accept the Sec-WebSocket-Accept value
   * @param head bytes read past the request head
   * @param options limits
   */
  constructor(socket: Socket, accept: string, head: Uint8Array, options: RawWebSocketOptions = {}) {
    const { maxMessageBytes = 65_536, maxFramesPerSecond = 100, maxBufferedBytes = 1_048_576 } = options;
    this.#limits = { maxMessageBytes, maxFramesPerSecond, maxBufferedBytes };
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket.on("data", (chunk: Uint8Array) => this.#onData(chunk));
    socket.on("drain", () => this.#onDrain());
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.#onClose());
    queueMicrotask(() => {
      if (this.readyState !== CONNECTING) return;
      this.readyState = OPEN;
      this.onopen?.();
      if (head.length > 0) this.#onData(head);
    });
  }

  /** Bytes written and not yet taken by the client's connection. */
  get bufferedAmount(): number {
    return this.#socket.writableLength;
  }

  /**
   * Sends a text message.
   * @param text the message
   */
  send(text: string): void {
    if (this.readyState !== OPEN) return;
    this.#socket.write(frame(0x1, encoder.encode(text)));
  }

  /**
   * Starts the closing handshake; the connection is dropped if the client does not answer within a second.
   * @param code the close code @default 1000
   * @param reason the reason, at most 123 bytes
   */
  close(code = 1000, reason = ""): void {
    if (this.readyState === CLOSING || this.readyState === CLOSED) return;
    this.readyState = CLOSING;
    this.#closeCode = code;
    this.#closeReason = reason;
    const text = encoder.encode(reason).subarray(0, 123);
    const payload = new Uint8Array(2 + text.length);
    payload[0] = code >> 8;
    payload[1] = code & 0xff;
    payload.set(text, 2);
    this.#socket.end(frame(0x8, payload));
    setTimeout(() => this.#socket.destroy(), 1000).unref?.();
  }

  #fail(code: number, reason: string): void {
    this.close(code, reason);
    // no more reading from a client that broke the rules
    this.#pending = new Uint8Array(0);
    this.#socket.pause();
  }

  #onDrain(): void {
    if (this.#pong !== undefined && this.readyState === OPEN) {
      this.#socket.write(this.#pong);
      this.#pong = undefined;
    }
    if (this.#paused && this.readyState === OPEN && this.bufferedAmount <= this.#limits.maxBufferedBytes) {
      this.#paused = false;
      this.#socket.resume();
    }
  }

  #onClose(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.#pending = new Uint8Array(0);
    this.#parts = [];
    this.onclose?.({ code: this.#closeCode, reason: this.#closeReason });
  }

  #onData(chunk: Uint8Array): void {
    if (this.readyState !== OPEN) return;
    if (this.#pending.length === 0) this.#pending = chunk;
    else {
      const joined = new Uint8Array(this.#pending.length + chunk.length);
      joined.set(this.#pending);
      joined.set(chunk, this.#pending.length);
      this.#pending = joined;
    }
    let buf = this.#pending;
    while (this.readyState === OPEN && buf.length >= 2) {
      const b0 = buf[0], b1 = buf[1];
      const fin = (b0 & 0x80) !== 0, opcode = b0 & 0x0f;
      if ((b0 & 0x70) !== 0) return this.#fail(1002, "reserved bits set");
      if ((b1 & 0x80) === 0) return this.#fail(1002, "client frames must be masked");
      let len = b1 & 0x7f, off = 2;
      if (len === 126) {
        if (buf.length < 4) break;
        len = (buf[2] << 8) | buf[3];
        off = 4;
      } else if (len === 127) {
        if (buf.length < 10) break;
        const big = new DataView(buf.buffer, buf.byteOffset + 2, 8).getBigUint64(0);
        if (big > BigInt(this.#limits.maxMessageBytes)) return this.#fail(1009, "message too big");
        len = Number(big);
        off = 10;
      }
      const control = opcode >= 0x8;
      if (control && (len > 125 || !fin)) return this.#fail(1002, "bad control frame");
      if (!control && this.#partBytes + len > this.#limits.maxMessageBytes) return this.#fail(1009, "message too big");
      if (buf.length < off + 4 + len) break;
      const mask = buf.subarray(off, off + 4);
      // a copy: a chunk from the socket may be a view of a buffer that is reused
      const payload = new Uint8Array(buf.subarray(off + 4, off + 4 + len));
      for (let i = 0; i < len; i++) payload[i] ^= mask[i & 3];
      buf = buf.subarray(off + 4 + len);
      // every frame counts, so no kind of frame can flood
      const second = Math.floor(performance.now() / 1000);
      if (second !== this.#second) {
        this.#second = second;
        this.#frames = 0;
      }
      if (++this.#frames > this.#limits.maxFramesPerSecond) {
        return this.#fail(1008, `more than ${this.#limits.maxFramesPerSecond} frames a second`);
      }
      this.#onFrame(fin, opcode, payload);
    }
    this.#pending = this.readyState === OPEN ? buf : new Uint8Array(0);
    if (this.readyState === OPEN && this.bufferedAmount > this.#limits.maxBufferedBytes && !this.#paused) {
      this.#paused = true;
      this.#socket.pause();
    }
  }

  #onFrame(fin: boolean, opcode: number, payload: Uint8Array): void {
    switch (opcode) {
      case 0x9: // ping: one pong pending at most, sent while the client reads
        if (this.bufferedAmount <= this.#limits.maxBufferedBytes) this.#socket.write(frame(0xa, payload));
        else this.#pong = frame(0xa, payload);
        return;
      case 0xa: // pong
        return;
      case 0x8: {
        const code = payload.length >= 2 ? (payload[0] << 8) | payload[1] : 1005;
        this.close(code === 1005 ? 1000 : code, "");
        this.#closeCode = code;
        return;
      }
      case 0x1:
      case 0x0: {
        if (opcode === 0x1 && this.#parts.length > 0) return this.#fail(1002, "a new message inside a fragmented one");
        if (opcode === 0x0 && this.#parts.length === 0) return this.#fail(1002, "a continuation without a message");
        this.#parts.push(payload);
        this.#partBytes += payload.length;
        if (!fin) return;
        const whole = this.#parts.length === 1 ? this.#parts[0] : concat(this.#parts, this.#partBytes);
        this.#parts = [];
        this.#partBytes = 0;
        let text: string;
        try {
          text = decoder.decode(whole);
        } catch {
          return this.#fail(1007, "a text message that is not UTF-8");
        }
        this.onmessage?.({ data: text });
        return;
      }
      default:
        return this.#fail(1003, "only text messages are accepted");
    }
  }
}

function concat(parts: Uint8Array[], bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
