/**
 * A growable ASCII byte buffer for the hot loops of the log writers: pre-encoded pieces are copied, numbers are
 * written digit by digit, so no per-line strings are built.
 * @module
 */

const ENC = new TextEncoder();

/**
 * Encodes ASCII text once, for repeated copying.
 * @param s the text
 * @returns its bytes
 */
export function ascii(s: string): Uint8Array {
  return ENC.encode(s);
}

/** An append-only byte buffer. */
export class ByteSink {
  buf: Uint8Array;
  pos = 0;

  /** @param capacity initial size in bytes */
  constructor(capacity = 1 << 20) {
    this.buf = new Uint8Array(capacity);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Appends bytes (call `ensure` first for the line); a plain loop, faster than `set` for short pieces. */
  bytes(b: Uint8Array): void {
    const buf = this.buf;
    let p = this.pos;
    const n = b.length;
    if (n > 24) {
      buf.set(b, p);
      this.pos = p + n;
      return;
    }
    for (let i = 0; i < n; i++) buf[p++] = b[i];
    this.pos = p;
  }

  /** Appends one byte. */
  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** Appends a non-negative integer in decimal. */
  int(n: number): void {
    const buf = this.buf;
    if (n < 10) {
      buf[this.pos++] = 48 + n;
      return;
    }
    if (n < 2147483648) {
      // Small integers: int32 arithmetic, the common case in log fields.
      let x = n | 0;
      let digits = 1;
      for (let y = (x / 10) | 0; y > 0; y = (y / 10) | 0) digits++;
      let p = this.pos + digits;
      this.pos = p;
      while (x > 0) {
        const q = (x / 10) | 0;
        buf[--p] = 48 + x - q * 10;
        x = q;
      }
      return;
    }
    let digits = 0;
    for (let x = n; x > 0; x = Math.floor(x / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    for (let x = n; x > 0; x = Math.floor(x / 10)) buf[--p] = 48 + (x % 10);
  }

  /** Appends a non-negative number with 3 decimals, rounded half up (as `toFixed(3)` does for these values). */
  fixed3(x: number): void {
    const v = Math.round(x * 1000);
    this.int(Math.floor(v / 1000));
    const f = v % 1000;
    const b = this.buf;
    b[this.pos++] = 46;
    b[this.pos++] = 48 + Math.floor(f / 100);
    b[this.pos++] = 48 + (Math.floor(f / 10) % 10);
    b[this.pos++] = 48 + (f % 10);
  }

  /** The bytes written so far, as a view: valid until the buffer is written again. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Takes a copy of the bytes written and empties the buffer. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    this.pos = 0;
    return out;
  }
}
