/**
 * The line formatter: one drawn request as a W3C line of 33 tab-separated fields, written as bytes. Pieces are
 * pre-joined where fields are constant together (see `CloudfrontModel`), to copy fewer, longer runs.
 * @module
 */
import type { ByteSink } from "@lib/formats/bytes.ts";
import type { CloudfrontModel } from "./_model.ts";
import type { CloudfrontRequest } from "./_request.ts";
import { B, DASH, detailedBytes, REFERER_BLOCK, RESULT_BYTES, RESULT_MID, T } from "./_tables.ts";

/**
 * Writes the 19 bytes `YYYY-MM-DD\tHH:MM:SS` of a second into `out`.
 * @param sec seconds since the epoch
 * @param out 19 bytes
 */
export function writeStamp(sec: number, out: Uint8Array): void {
  const iso = new Date(sec * 1000).toISOString();
  for (let i = 0; i < 19; i++) out[i] = i === 10 ? T : iso.charCodeAt(i);
}

/**
 * Appends a request's line to `out`.
 * @param out the buffer
 * @param req the request
 * @param options the model and the request's date and time bytes
 */
export function writeLine(
  out: ByteSink,
  req: CloudfrontRequest,
  options: { model: CloudfrontModel; stamp: Uint8Array },
): void {
  const { model, stamp } = options;
  const { client, attacker, group: g, status } = req;
  out.ensure(1024);
  const buf = out.buf;
  out.bytes(stamp);
  out.bytes(client.edgeTab);
  out.int(req.scBytes);
  buf[out.pos++] = T;
  out.bytes(attacker ? attacker.ip : client.ip);
  out.bytes(model.stemHead[g][req.stem][req.post ? 1 : 0]);
  const suffix = model.groupSuffix[g][req.stem];
  if (suffix !== null) {
    out.int(req.id);
    out.bytes(suffix);
  }
  buf[out.pos++] = T;
  if (status === 0) {
    buf[out.pos++] = 48;
    buf[out.pos++] = 48;
    buf[out.pos++] = 48;
  } else out.int(status);
  out.bytes(REFERER_BLOCK[req.referer]);
  out.bytes(attacker ? attacker.ua : client.ua);
  buf[out.pos++] = T;
  if (req.query < 0) buf[out.pos++] = DASH;
  else {
    out.bytes(model.queryPrefix[g][req.query]);
    const qs = model.querySuffix[g][req.query];
    if (qs !== null) {
      out.int(1 + (req.id % 9));
      out.bytes(qs);
    }
  }
  out.bytes(RESULT_MID[req.result]);
  out.bytes(req.requestId);
  out.bytes(req.http ? B.siteHttp : B.siteHttps);
  out.int(req.csBytes);
  buf[out.pos++] = T;
  out.fixed3(req.seconds);
  out.bytes(req.http ? B.noTls : client.tlsBlock);
  out.bytes(client.tail[req.result]);
  out.int(req.port);
  buf[out.pos++] = T;
  out.fixed3(req.ttfb);
  buf[out.pos++] = T;
  out.bytes(req.detailed ? detailedBytes(req.detailed) : RESULT_BYTES[req.result]);
  buf[out.pos++] = T;
  const ok = status === 200;
  if (status === 304 || status === 0) buf[out.pos++] = DASH;
  else out.bytes(ok ? model.contentType[g] : B.html);
  buf[out.pos++] = T;
  if (status === 304 || status === 0 || req.chunked) buf[out.pos++] = DASH;
  else out.int(req.body);
  out.bytes(B.end);
}
