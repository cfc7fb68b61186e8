import type { ReplayEvent, Sink, SinkStats } from "./types.ts";

/** Options of {@linkcode NdjsonSink}. */
export interface NdjsonSinkOptions {
  /** Where lines go. @default Deno.stdout.writable */
  writable?: WritableStream<Uint8Array>;
  /** Bytes gathered before a write. @default 65536 */
  bufferBytes?: number;
  /** Close the stream when the sink closes (never for stdout). @default false */
  closeStream?: boolean;
}

/**
 * Writes events as NDJSON, one `{"channel","event","ts","dataset","key","data"}` object a line, buffered and with
 * backpressure. A closed pipe (`replay … | head`) ends the sink quietly: it reports `done` and the replay stops.
 */
export class NdjsonSink implements Sink {
  readonly name = "ndjson";
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #limit: number;
  readonly #closeStream: boolean;
  readonly #encoder = new TextEncoder();
  #parts: string[] = [];
  #bytes = 0;
  #pendingLines = 0;
  #sent = 0;
  #done = false;
  #closed = false;

  /** @param options the stream and buffer size */
  constructor(options: NdjsonSinkOptions = {}) {
    const { writable = Deno.stdout.writable, bufferBytes = 65_536, closeStream = false } = options;
    this.#writer = writable.getWriter();
    this.#limit = bufferBytes;
    this.#closeStream = closeStream;
  }

  /** True once the stream refused a write. */
  get done(): boolean {
    return this.#done;
  }

  write(event: ReplayEvent): void | Promise<void> {
    if (this.#done) return;
    const line = event.toJSONText() + "\n";
    this.#parts.push(line);
    this.#bytes += line.length;
    this.#pendingLines++;
    if (this.#bytes >= this.#limit) return this.flush();
  }

  /** Writes the buffered lines. */
  async flush(): Promise<void> {
    if (this.#parts.length === 0 || this.#done) return;
    const text = this.#parts.join("");
    const lines = this.#pendingLines;
    this.#parts = [];
    this.#bytes = 0;
    this.#pendingLines = 0;
    try {
      await this.#writer.write(this.#encoder.encode(text));
      this.#sent += lines;
    } catch (e) {
      if (e instanceof Deno.errors.BrokenPipe || /broken pipe|closed/i.test(String((e as Error).message))) {
        this.#done = true;
        return;
      }
      throw e;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.flush();
    if (this.#closeStream && !this.#done) await this.#writer.close().catch(() => {});
    this.#writer.releaseLock();
  }

  stats(): SinkStats {
    return { sent: this.#sent, dropped: 0 };
  }
}
