/**
 * CloudFront's `x-edge-request-id`.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";

const B64 = Uint8Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", (c) => c.charCodeAt(0));
const LAST = Uint8Array.from("AQgw", (c) => c.charCodeAt(0));

/** Characters of a request id. */
export const REQUEST_ID_LENGTH = 57;

/**
 * Draws a request id into `out`.
 * @param rng the stream
 * @param out REQUEST_ID_LENGTH bytes
 */
export function drawRequestId(rng: Rng, out: Uint8Array): void {
  let p = 0;
  for (let k = 0; k < 11; k++) {
    const x = Math.floor(rng.next() * 1073741824); // 30 bits: 5 characters
    const n = k === 10 ? 4 : 5;
    for (let j = 0; j < n; j++) out[p++] = B64[(x >>> (6 * j)) & 63];
  }
  out[p++] = LAST[Math.floor(rng.next() * 4)];
  out[p++] = 61;
  out[p++] = 61;
}
