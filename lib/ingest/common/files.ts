import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { join, relative, sep } from "node:path";

/** A raw input file: its path relative to the input root, its size and SHA-256, for lineage. */
export interface InputFile {
  /** Path relative to the input root, with `/` separators. */
  path: string;
  /** Size in bytes, as stored (compressed when gzipped). */
  bytes: number;
  /** SHA-256 of the stored bytes, lowercase hex. */
  sha256: string;
}

/** Text decoded from a raw file, with the quirks met on the way. */
export interface DecodedText {
  /** The text, without byte-order mark, every line ending turned into `\n`. */
  text: string;
  /** A UTF-8 byte-order mark was removed. */
  bom: boolean;
  /** `\r\n` line endings turned into `\n`. */
  crlf: number;
  /** Lone `\r` line endings turned into `\n`. */
  cr: number;
  /** The file did not end with a line ending (its last line is still read). */
  missingFinalNewline: boolean;
  /** Bytes that were not valid UTF-8 were replaced by U+FFFD. */
  invalidUtf8: boolean;
  /** The file was gzip-compressed. */
  gzipped: boolean;
}

/**
 * SHA-256 of bytes.
 * @param bytes the bytes
 * @returns lowercase hex digest
 */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Whether bytes start with the gzip magic number.
 * @param bytes the bytes
 * @returns true for gzip data
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decodes a raw text file: gunzips it when it is gzip data (by its magic number, whatever its name), strips a
 * byte-order mark, and turns `\r\n` and lone `\r` into `\n`, counting each.
 * @param bytes the file bytes
 * @param path the file, for the error message
 * @returns the text and the quirks found
 * @throws {Error} `Cannot read "path": corrupt or truncated gzip data` when gunzip fails
 * @example
 * ```ts
 * import { decodeText } from "@lib/ingest/common/mod.ts";
 * const d = decodeText(new TextEncoder().encode("a,b\r\n1,2"), "x.csv");
 * d.text; // "a,b\n1,2"
 * d.crlf; // 1
 * d.missingFinalNewline; // true
 * ```
 */
export function decodeText(bytes: Uint8Array, path: string): DecodedText {
  let data = bytes;
  const gzipped = isGzip(bytes);
  if (gzipped) {
    try {
      data = gunzipSync(bytes);
    } catch (cause) {
      throw new Error(`Cannot read "${path}": corrupt or truncated gzip data`, { cause });
    }
  }
  let text: string;
  let invalidUtf8 = false;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    invalidUtf8 = true;
    text = new TextDecoder("utf-8").decode(data);
  }
  // TextDecoder drops a leading byte-order mark by itself; look at the bytes to count it.
  const bom = data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let crlf = 0;
  let cr = 0;
  if (text.includes("\r")) {
    const parts = text.split("\r\n");
    crlf = parts.length - 1;
    text = parts.join("\n");
    if (text.includes("\r")) {
      const loose = text.split("\r");
      cr = loose.length - 1;
      text = loose.join("\n");
    }
  }
  const missingFinalNewline = text.length > 0 && !text.endsWith("\n");
  return { text, bom, crlf, cr, missingFinalNewline, invalidUtf8, gzipped };
}

/**
 * Lists the regular files under a folder, recursively, skipping names that start with "." (temporary and hidden
 * files), sorted by path so every run reads them in the same order.
 * @param root the folder
 * @returns paths relative to `root`, with `/` separators
 * @throws {Error} `Cannot read input "root": no such folder` when it is missing
 */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string): Promise<void> {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile) out.push(relative(root, path).split(sep).join("/"));
    }
  }
  try {
    const info = await Deno.stat(root);
    if (!info.isDirectory) return [];
  } catch (cause) {
    if (cause instanceof Deno.errors.NotFound) {
      throw new Error(`Cannot read input "${root}": no such folder`, { cause });
    }
    throw cause;
  }
  await walk(root);
  return out.sort();
}

/** LICENSE / README / NOTICE files that travel with a dataset. */
export interface SourceDoc {
  /** Path relative to the input root. */
  path: string;
  /** The file text. */
  text: string;
}

const DOC_NAME = /^(licen[cs]e|copying|notice|readme|source)([._-].*)?$/i;

/**
 * Whether a file is a dataset's licence, readme or provenance note rather than data.
 * @param path a path relative to the input root
 * @returns true for LICENSE*, COPYING*, NOTICE*, README*, SOURCE* (e.g. the `SOURCE.json` written by fetch)
 */
export function isSourceDoc(path: string): boolean {
  const name = path.split("/").pop() ?? "";
  return DOC_NAME.test(name);
}

/**
 * Reads the licence and readme files of a dataset (at most two folders deep) so they can travel with the
 * processed data, and the first line of the licence for the manifest.
 * @param root the input root
 * @param files the files under it, from {@linkcode listFiles}
 * @returns the docs and the licence line, if any
 */
export async function readSourceDocs(
  root: string,
  files: readonly string[],
): Promise<{ docs: SourceDoc[]; license?: string }> {
  const docs: SourceDoc[] = [];
  for (const path of files) {
    if (path.split("/").length > 3 || !isSourceDoc(path)) continue;
    const bytes = await Deno.readFile(join(root, path));
    if (bytes.length > 1_000_000) continue;
    docs.push({ path, text: new TextDecoder().decode(bytes) });
  }
  const lic = docs.find((d) => /^(licen[cs]e|copying)/i.test(d.path.split("/").pop() ?? ""));
  const license = lic?.text.split("\n").map((l) => l.trim()).find((l) => l !== "");
  return license === undefined ? { docs } : { docs, license };
}
