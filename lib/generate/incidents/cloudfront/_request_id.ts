/**
 * CloudFront's `x-edge-request-id`: 40 random bytes in URL-safe base64 (RFC 4648 §5) with its `==` padding, 56
 * characters, as CloudFront writes it (`SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==` in AWS's
 * examples). The last data character carries the 2 remaining bits and zeros, so the id decodes strictly.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";

const B64 = Uint8Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", (c) => c.charCodeAt(0));

/** Random bytes of a request id. */
export const REQUEST_ID_BYTES = 40;
/** Characters of a request id: 4 per 3 bytes, the last group padded. */
export const REQUEST_ID_LENGTH = 56;

const bytes = new Uint8Array(REQUEST_ID_BYTES + 2);

/**
 * Draws a request id into `out`: 40 bytes from 10 draws of 32 bits, base64url-encoded with padding.
 * @param rng the stream
 * @param out REQUEST_ID_LENGTH bytes (ASCII)
 */
export function drawRequestId(rng: Rng, out: Uint8Array): void {
  for (let k = 0; k < REQUEST_ID_BYTES; k += 4) {
    const x = Math.floor(rng.next() * 4294967296);
    bytes[k] = x >>> 24;
    bytes[k + 1] = (x >>> 16) & 255;
    bytes[k + 2] = (x >>> 8) & 255;
    bytes[k + 3] = x & 255;
  }
  bytes[REQUEST_ID_BYTES] = 0;
  bytes[REQUEST_ID_BYTES + 1] = 0;
  let p = 0;
  for (let i = 0; i < REQUEST_ID_BYTES; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[p++] = B64[v >>> 18];
    out[p++] = B64[(v >>> 12) & 63];
    out[p++] = B64[(v >>> 6) & 63];
    out[p++] = B64[v & 63];
  }
  // 40 = 13 * 3 + 1: the last group holds one byte, two characters and "=="
  out[REQUEST_ID_LENGTH - 2] = 61;
  out[REQUEST_ID_LENGTH - 1] = 61;
}
