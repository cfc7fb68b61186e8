import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import {
  type InputFile,
  isGzip,
  isSourceDoc,
  listFiles,
  readSourceDocs,
  sha256Hex,
  type SourceDoc,
} from "../common/mod.ts";
import { releaseNativeMemory } from "@lib/lake/mod.ts";
import type { IngestReport } from "../common/mod.ts";
import { type CloudFrontParse, CloudFrontParser, type CloudFrontParserOptions, type CloudFrontSpill } from "./parse.ts";

/** Options of {@linkcode readCloudFrontLogs}. */
export interface ReadCloudFrontOptions extends Omit<CloudFrontParserOptions, "spillDir"> {
  /**
   * A file that cannot be decoded (corrupt gzip): `"error"` stops the ingest, `"skip"` lists it in
   * `report.files_skipped` and reads the rest. @default "error"
   */
  onUnreadable?: "error" | "skip";
  /** Called after each file, for progress. @default none */
  onFile?: (done: number, total: number) => void;
}

/** CloudFront logs read from a folder. */
export interface CloudFrontData extends CloudFrontParse {
  /** The raw files read, with SHA-256. */
  inputs: InputFile[];
  /** LICENSE / README files found. */
  docs: SourceDoc[];
  /** The first line of the licence file, if any. */
  license?: string;
}

const LOG_NAME = /\.(gz|log|txt)$|^[A-Z0-9]+\.\d{4}-\d{2}-\d{2}-\d{2}\.[0-9a-zA-Z]+$/;

/** CloudFront logs read from a folder into Parquet batches ({@linkcode spillCloudFrontLogs}). */
export interface CloudFrontSpilledData extends CloudFrontSpill {
  /** The raw files read, with SHA-256. */
  inputs: InputFile[];
  /** LICENSE / README files found. */
  docs: SourceDoc[];
  /** The first line of the licence file, if any. */
  license?: string;
}

/**
 * Reads every CloudFront log under a folder (recursively, in path order): gzipped or plain, any of the field
 * variants, into one clean request table sorted by time. Files that are neither logs nor licence/readme files are
 * listed in `report.files_skipped`. Everything is held in memory; for large inputs use {@linkcode spillCloudFrontLogs}.
 * @param rootDir the folder
 * @param options anonymization and the unreadable-file policy
 * @returns rows, quarantine, report, inputs and docs
 * @throws {Error} for an unreadable file under `onUnreadable: "error"`, or a folder with no logs
 */
export async function readCloudFrontLogs(
  rootDir: string,
  options: ReadCloudFrontOptions = {},
): Promise<CloudFrontData> {
  const parser = new CloudFrontParser(options);
  const read = await readInto(parser, rootDir, options);
  const parsed = parser.finish();
  return withFacts(parsed, read);
}

/**
 * Reads every CloudFront log under a folder like {@linkcode readCloudFrontLogs}, but writes the checked rows to
 * Parquet batches in `spillDir` as it goes, so memory holds one file and one batch, not every request; sort and
 * derive the tables with {@linkcode writeCloudFrontTables}.
 * @param rootDir the folder
 * @param spillDir an existing empty folder for the batches
 * @param options anonymization, the unreadable-file policy and batch sizes
 * @returns the batch files, sources, quarantine, report, inputs and docs
 * @throws {Error} for an unreadable file under `onUnreadable: "error"`, or a folder with no logs
 * @example
 * ```ts ignore
 * const spill = await spillCloudFrontLogs("data/raw/logs/cloudfront", "/scratch/batches");
 * spill.parts.length; // one Parquet file per batch of checked rows
 * ```
 */
export async function spillCloudFrontLogs(
  rootDir: string,
  spillDir: string,
  options: ReadCloudFrontOptions = {},
): Promise<CloudFrontSpilledData> {
  const parser = new CloudFrontParser({ ...options, spillDir });
  const read = await readInto(parser, rootDir, options);
  return withFacts(parser.finishSpilled(), read);
}

interface ReadFacts {
  inputs: InputFile[];
  skipped: { path: string; reason: string }[];
  gzipFiles: number;
  paths: string[];
  rootDir: string;
}

async function withFacts<T extends { report: IngestReport }>(
  parsed: T,
  read: ReadFacts,
): Promise<T & { inputs: InputFile[]; docs: SourceDoc[]; license?: string }> {
  parsed.report.preprocessing = { ...parsed.report.preprocessing, gzip_files: read.gzipFiles };
  parsed.report.files_skipped = read.skipped;
  const { docs, license } = await readSourceDocs(read.rootDir, read.paths);
  const out: T & { inputs: InputFile[]; docs: SourceDoc[]; license?: string } = {
    ...parsed,
    inputs: read.inputs,
    docs,
  };
  if (license !== undefined) out.license = license;
  return out;
}

/** Feeds every log under a folder to a parser, file by file, releasing native memory as batches are written. */
async function readInto(parser: CloudFrontParser, rootDir: string, options: ReadCloudFrontOptions): Promise<ReadFacts> {
  const { onUnreadable = "error", onFile } = options;
  const paths = await listFiles(rootDir);
  const inputs: InputFile[] = [];
  const skipped: { path: string; reason: string }[] = [];
  let gzipFiles = 0;
  const candidates: string[] = [];
  for (const path of paths) {
    if (isSourceDoc(path)) continue;
    const name = path.split("/").pop() ?? path;
    if (LOG_NAME.test(name)) {
      candidates.push(path);
      continue;
    }
    // Not named like a log: read it only when it starts like one.
    const head = new Uint8Array(16);
    using f = await Deno.open(join(rootDir, path), { read: true });
    const n = (await f.read(head)) ?? 0;
    const start = new TextDecoder().decode(head.subarray(0, n));
    if (isGzip(head.subarray(0, n)) || start.startsWith("#Version") || start.startsWith("#Fields")) {
      candidates.push(path);
    } else {
      skipped.push({ path, reason: "not a CloudFront log" });
    }
  }
  if (candidates.length === 0) throw new Error(`Cannot read CloudFront logs in "${rootDir}": no log files found`);
  let batches = parser.batchesWritten;
  for (let i = 0; i < candidates.length; i++) {
    const path = candidates[i];
    const bytes = await Deno.readFile(join(rootDir, path));
    let data: Uint8Array = bytes;
    if (isGzip(bytes)) {
      try {
        data = gunzipSync(bytes);
      } catch (cause) {
        const message = `Cannot read "${path}": corrupt or truncated gzip data`;
        if (onUnreadable === "error") throw new Error(message, { cause });
        skipped.push({ path, reason: message });
        continue;
      }
      gzipFiles++;
    }
    inputs.push({ path, bytes: bytes.length, sha256: sha256Hex(bytes) });
    parser.add(data, path);
    onFile?.(i + 1, candidates.length);
    if (parser.batchesWritten !== batches) {
      batches = parser.batchesWritten;
      await releaseNativeMemory();
    }
  }
  return { inputs, skipped, gzipFiles, paths, rootDir };
}
