/**
 * The PII scan of a dataset's text files (logs, JSON lines, gzipped CloudFront logs, `.eml` messages, CSV and
 * text files that are not tables): each file is streamed line by line, gzip decompressed on the way, so memory
 * follows the longest line (capped), not the file.
 * @module
 */
import { join } from "node:path";
import type { Manifest } from "@lib/lake/mod.ts";
import { check } from "../result.ts";
import type { CheckResult } from "../types.ts";
import { detectPii, maskPii, PII_KINDS, type PiiKind } from "./detect.ts";

/** Personal data of one kind found in one line of a file. */
export interface TextPiiFinding {
  /** The file, as named in the manifest. */
  file: string;
  /** The line, from 1 (of the decompressed text for a gzipped file). */
  line: number;
  /** The detector. */
  kind: PiiKind;
  /** The value, masked. */
  example: string;
}

/** What the scan of one file found. */
export interface TextFileScan {
  /** The file, as named in the manifest. */
  file: string;
  /** Lines read. */
  lines: number;
  /** Bytes of text read (decompressed). */
  bytes: number;
  /** Lines holding each kind found. */
  counts: Partial<Record<PiiKind, number>>;
  /** The first findings per kind (up to `maxFindings` each). */
  findings: TextPiiFinding[];
  /** Why the file was not scanned (binary content), when it was not. */
  skipped?: string;
}

/** Options of {@linkcode scanTextFile}. */
export interface ScanTextFileOptions {
  /** The detectors. @default all of {@linkcode PII_KINDS} */
  kinds?: readonly PiiKind[];
  /** The name in findings. @default the path */
  name?: string;
  /** Findings kept per kind (all are counted). @default 10 */
  maxFindings?: number;
  /** Longest line scanned whole; a longer one is scanned in pieces of this size that overlap. @default 1 MiB */
  maxLineChars?: number;
}

/** Columnar files, scanned as tables instead. */
const COLUMNAR = /\.(parquet|arrow|arrows|feather|ipc)$/i;
const OVERLAP = 256;
const BLOCK_CHARS = 256 * 1024;

function isGzip(path: string, head: Uint8Array): boolean {
  return /\.gz$/i.test(path) || (head[0] === 0x1f && head[1] === 0x8b);
}

async function readHead(path: string): Promise<Uint8Array> {
  using file = await Deno.open(path);
  const buf = new Uint8Array(2);
  const n = await file.read(buf);
  return buf.subarray(0, n ?? 0);
}

/** Quoted-printable decoding of one line (`=40` is `@`); a soft line break is reported by `soft`. */
function decodeQuotedPrintable(line: string): { text: string; soft: boolean } {
  const soft = line.endsWith("=");
  const body = soft ? line.slice(0, -1) : line;
  return { text: body.replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), soft };
}

/**
 * Streams one text file (gzip decompressed when it is gzipped) and runs the detectors on every line. In an
 * `.eml` file, quoted-printable and base64 bodies (and MIME parts) are decoded first. A file whose first 8 KiB hold a NUL byte is binary and
 * skipped (reported).
 * @param path the file
 * @param options detectors, name, findings kept, longest line
 * @returns lines, bytes, counts per kind and the first findings, masked
 * @example
 * ```ts ignore
 * import { scanTextFile } from "@lib/validate/mod.ts";
 * const scan = await scanTextFile("data/synthetic/incidents/db_logs/postgresql/orders-db-01.log");
 * scan.findings; // [] for generator output
 * ```
 */
export async function scanTextFile(path: string, options: ScanTextFileOptions = {}): Promise<TextFileScan> {
  const { kinds = PII_KINDS, name = path, maxFindings = 10, maxLineChars = 1 << 20 } = options;
  const out: TextFileScan = { file: name, lines: 0, bytes: 0, counts: {}, findings: [] };
  const head = await readHead(path);
  using file = await Deno.open(path);
  let stream: ReadableStream<Uint8Array> = file.readable;
  if (isGzip(path, head)) {
    stream = stream.pipeThrough(new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>);
  }
  const eml = /\.eml$/i.test(path);
  // E-mail state: in headers (of the message or of a MIME part), the part's transfer encoding, MIME boundaries.
  let inHeaders = true, encoding = "7bit", pending = "7bit", joined = "", joinedLine = 0, b64 = "", b64Line = 0;
  const boundaries: string[] = [];
  let previous = "";
  let sniffed = false;
  let carry = "";
  let lineNo = 0;
  // Lines are scanned in blocks: one regular-expression pass over many lines costs far less than one per line.
  let block: string[] = [], blockLines: number[] = [], blockChars = 0;

  const flush = () => {
    if (block.length === 0) return;
    const found = detectPii(block.join("\n"), { kinds, previous });
    if (found.length > 0) {
      const starts: number[] = [];
      let offset = 0;
      for (const l of block) {
        starts.push(offset);
        offset += l.length + 1;
      }
      const seen = new Set<string>();
      for (const m of found) {
        let lo = 0, hi = starts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (starts[mid] <= m.index) lo = mid;
          else hi = mid - 1;
        }
        const line = blockLines[lo];
        if (seen.has(`${line}:${m.kind}`)) continue;
        seen.add(`${line}:${m.kind}`);
        const n = (out.counts[m.kind] ?? 0) + 1;
        out.counts[m.kind] = n;
        if (n <= maxFindings) out.findings.push({ file: name, line, kind: m.kind, example: maskPii(m.kind, m.value) });
      }
    }
    previous = block[block.length - 1];
    block = [];
    blockLines = [];
    blockChars = 0;
  };
  const scanLine = (text: string, line: number) => {
    block.push(text);
    blockLines.push(line);
    blockChars += text.length;
    if (blockChars >= BLOCK_CHARS) flush();
  };
  /** A base64 body part ends: decode it and scan its text, reported at its first line. */
  const flushBase64 = () => {
    if (b64 === "") return;
    let text = "";
    try {
      text = new TextDecoder().decode(
        Uint8Array.from(atob(b64.replace(/[^A-Za-z0-9+/=]/g, "")), (c) => c.charCodeAt(0)),
      );
    } catch {
      text = b64; // not base64 after all: scan it as it is
    }
    for (const line of text.split(/\r?\n/)) scanLine(line, b64Line);
    b64 = "";
  };
  const onLine = (raw: string) => {
    lineNo++;
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (eml) {
      const boundary = /\bboundary="?([^";]+)"?/i.exec(text)?.[1];
      if (boundary) boundaries.push(boundary);
      if (text.startsWith("--") && boundaries.some((b) => text === `--${b}` || text === `--${b}--`)) {
        flushBase64();
        inHeaders = true;
        pending = "7bit";
      } else if (inHeaders) {
        const cte = /^content-transfer-encoding:\s*(\S+)/i.exec(text);
        if (cte) pending = cte[1].toLowerCase();
        if (text === "") {
          inHeaders = false;
          encoding = pending;
        }
      } else if (encoding === "base64") {
        if (b64 === "") b64Line = lineNo;
        b64 += text;
        if (b64.length > maxLineChars) flushBase64();
        return;
      } else if (encoding === "quoted-printable") {
        // A soft line break joins physical lines; the finding is reported at the first of them.
        const { text: decoded, soft } = decodeQuotedPrintable(text);
        if (joined === "") joinedLine = lineNo;
        joined += decoded;
        if (soft && joined.length < maxLineChars) return;
        scanLine(joined, joinedLine);
        joined = "";
        return;
      }
    }
    scanLine(text, lineNo);
  };

  const record = (kind: PiiKind, line: number, value: string) => {
    const n = (out.counts[kind] ?? 0) + 1;
    out.counts[kind] = n;
    if (n <= maxFindings) out.findings.push({ file: name, line, kind, example: maskPii(kind, value) });
  };
  /** Runs the detectors over lines `first`, `first + 1`, ... joined by newlines; counts each kind once a line. */
  const detectBlock = (text: string, first: number) => {
    const found = detectPii(text, { kinds, previous });
    let line = first, at = 0;
    const seen = new Set<string>();
    for (const m of found) {
      for (let nl = text.indexOf("\n", at); nl >= 0 && nl < m.index; nl = text.indexOf("\n", at)) {
        line++;
        at = nl + 1;
      }
      if (seen.has(`${line}:${m.kind}`)) continue;
      seen.add(`${line}:${m.kind}`);
      record(m.kind, line, m.value);
    }
  };
  /** A block of whole lines: detect, then move the line count past it. */
  const scanBlock = (text: string) => {
    detectBlock(text, lineNo + 1);
    let n = 1;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", nl + 1)) n++;
    lineNo += n;
    previous = text.slice(text.lastIndexOf("\n") + 1);
  };
  const decoder = new TextDecoder("utf-8");
  const reader = stream.getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!sniffed) {
        sniffed = true;
        if (value.subarray(0, 8192).includes(0)) {
          out.skipped = "binary content (a NUL byte in the first 8 KiB)";
          await reader.cancel();
          return out;
        }
      }
      out.bytes += value.length;
      carry += decoder.decode(value, { stream: true });
      if (!eml) {
        // Whole lines go to the detectors as one block, never split into lines and joined again.
        if (carry.length < BLOCK_CHARS) continue;
        const cut = carry.lastIndexOf("\n");
        if (cut >= 0) {
          scanBlock(carry.slice(0, cut));
          carry = carry.slice(cut + 1);
        }
      } else {
        let start = 0;
        for (let nl = carry.indexOf("\n"); nl >= 0; nl = carry.indexOf("\n", start)) {
          onLine(carry.slice(start, nl));
          start = nl + 1;
        }
        carry = carry.slice(start);
      }
      // A line without end: scan what fits and keep an overlap, so memory stays bounded.
      while (carry.length > maxLineChars) {
        if (eml) scanLine(carry.slice(0, maxLineChars), lineNo + 1);
        else detectBlock(carry.slice(0, maxLineChars), lineNo + 1);
        carry = carry.slice(maxLineChars - OVERLAP);
      }
    }
    carry += decoder.decode();
    if (eml) {
      if (carry !== "") onLine(carry);
      if (joined !== "") scanLine(joined, joinedLine);
      flushBase64();
      flush();
    } else if (carry !== "") {
      scanBlock(carry.endsWith("\n") ? carry.slice(0, -1) : carry);
    }
    if (eml) out.lines = lineNo;
  } finally {
    reader.releaseLock();
  }
  if (!eml) out.lines = lineNo;
  return out;
}

/**
 * The text files of a dataset: every file its manifest lists that is neither a table's file (tables are scanned
 * column by column) nor columnar (Parquet, Arrow).
 * @param manifest the manifest
 * @returns the files, as the manifest names them (relative to the dataset folder)
 */
export function textFiles(manifest: Manifest): string[] {
  const tableFiles = new Set(Object.values(manifest.tables).flatMap((t) => t.files));
  return manifest.files.map((f) => f.path).filter((p) => !tableFiles.has(p) && !COLUMNAR.test(p)).sort();
}

/** Options of {@linkcode checkTextPii}. */
export interface CheckTextPiiOptions {
  /** Severity of a finding. @default "error" */
  severity?: "error" | "warning";
  /** The detectors. @default all of {@linkcode PII_KINDS} */
  kinds?: readonly PiiKind[];
  /** Line numbers listed per file and kind. @default 5 */
  maxLines?: number;
}

const WHAT: Record<PiiKind, string> = {
  email: "e-mail addresses outside the reserved domains",
  ipv4: "IPv4 addresses outside the documentation ranges",
  ipv6: "IPv6 addresses outside 2001:db8::/32",
  phone: "phone numbers",
  card: "Luhn-valid card numbers",
  ssn: "US social security numbers",
  iban: "IBANs",
  name: "person names",
};

/**
 * PII checks of a dataset's text files ({@linkcode textFiles}): one summary result `pii.text_files`, and one
 * failed result `pii.<kind>:<file>` per file and kind found, naming the first lines and a masked example.
 * @param dir the dataset folder
 * @param manifest its manifest
 * @param options severity, detectors, lines listed
 * @returns the results (none when the dataset has no text files)
 */
export async function checkTextPii(
  dir: string,
  manifest: Manifest,
  options: CheckTextPiiOptions = {},
): Promise<CheckResult[]> {
  const { severity = "error", kinds = PII_KINDS, maxLines = 5 } = options;
  const files = textFiles(manifest);
  if (files.length === 0) return [];
  const failed: CheckResult[] = [];
  let lines = 0, bytes = 0, hits = 0, filesHit = 0;
  const skipped: string[] = [];
  for (const f of files) {
    let scan: TextFileScan;
    try {
      scan = await scanTextFile(join(dir, f), { kinds, name: f, maxFindings: maxLines });
    } catch (e) {
      // Missing or corrupt files fail integrity.checksum; the scan says what it could not read.
      skipped.push(`${f} (${String((e as Error).message).split("\n")[0].slice(0, 120)})`);
      continue;
    }
    if (scan.skipped) skipped.push(`${f} (${scan.skipped})`);
    lines += scan.lines;
    bytes += scan.bytes;
    const found = kinds.filter((k) => scan.counts[k]);
    if (found.length > 0) filesHit++;
    for (const kind of found) {
      const n = scan.counts[kind]!;
      hits += n;
      const first = scan.findings.filter((x) => x.kind === kind);
      const at = first.map((x) => x.line.toLocaleString("en-US")).join(", ");
      failed.push(check({
        id: `pii.${kind}:${f}`,
        severity,
        passed: false,
        measured: n,
        threshold: "= 0 lines",
        message: `${n.toLocaleString("en-US")} line${n === 1 ? "" : "s"} of "${f}" hold${n === 1 ? "s" : ""} ${
          WHAT[kind]
        }: line${n === 1 ? "" : "s"} ${at}${n > first.length ? " …" : ""}, e.g. ${first[0].example}`,
      }));
    }
  }
  const mb = (bytes / 1e6).toFixed(1);
  const summary = check({
    id: "pii.text_files",
    severity,
    passed: hits === 0,
    measured: hits,
    threshold: "= 0 lines",
    message: hits === 0
      ? `No personal data in ${files.length} text files (${lines.toLocaleString("en-US")} lines, ${mb} MB)` +
        (skipped.length ? `, but ${skipped.length} could not be scanned: ${skipped.slice(0, 3).join(", ")}` : "")
      : `${hits.toLocaleString("en-US")} lines in ${filesHit} of ${files.length} text files hold personal data` +
        ` (${lines.toLocaleString("en-US")} lines, ${mb} MB scanned)`,
  });
  return [summary, ...failed];
}
