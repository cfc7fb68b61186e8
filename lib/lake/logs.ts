/**
 * Writers of log files and of their per-line labels, for generators that write logs into a dataset: plain or
 * multi-member gzip files, and label tables as Parquet parts, both with bounded memory and bytes that do not
 * depend on how the lines were batched.
 * @module
 */
import pl from "nodejs-polars";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { ByteSink } from "@lib/formats/bytes.ts";
import type { ManifestTable } from "./manifest.ts";

const ENC = new TextEncoder();

/** Lines of one log file with a label per record: what {@linkcode LogFileWriter} and {@linkcode LabelPartWriter} take. */
export interface LabeledLines {
  /** File path relative to the dataset folder. */
  file: string;
  /** Complete lines, each ending in `\n`, as text (or as bytes in `bytes`). */
  text: string;
  /** The same lines as ASCII bytes, when the writer produced bytes (then `text` is empty). */
  bytes?: Uint8Array;
  /** Records in the lines. */
  records: number;
  /** Per record: timestamp (epoch ms). */
  t: Float64Array;
  /** Per record: first physical line in the file, 1-based (header lines count). */
  line: Int32Array;
  /** Per record: physical lines. */
  lines: Uint16Array;
  /** Per record: label index (into the writer's ids), or -1 for none. */
  incident: Int32Array;
  /** Per record: level code (into the writer's levels). */
  level: Uint8Array;
  /** Columns constant over the batch (e.g. `server_id`, `engine`). */
  meta: Readonly<Record<string, string>>;
  /** True on the last batch of the file. */
  last: boolean;
}

/** Raw bytes per gzip member: members are cut by byte count, never by batch, so chunking never shows. */
const GZIP_MEMBER_BYTES = 16 << 20;

interface OpenFile {
  file: Deno.FsFile;
  gzip: boolean;
  /** Raw bytes waiting for the next gzip member. */
  pending: Uint8Array[];
  pendingBytes: number;
}

/**
 * Writes log batches to their files; several files may be open at once (a server's error and slow logs). A
 * `.gz` file is cut into gzip members of a fixed raw size (a multi-member gzip file, as RFC 1952 allows and gunzip,
 * zcat and zlib read), so memory stays bounded and the bytes do not depend on the batch size.
 */
export class LogFileWriter {
  #open = new Map<string, OpenFile>();
  bytes = 0;
  readonly files: string[] = [];

  readonly root: string;
  readonly gzipLevel: number;

  /**
   * A writer of log files below a dataset folder.
   * @param root the dataset folder being written
   * @param options `gzipLevel`: zlib level of `.gz` files (default 1)
   */
  constructor(root: string, options: { gzipLevel?: number } = {}) {
    this.root = root;
    this.gzipLevel = options.gzipLevel ?? 1;
  }

  /**
   * Appends a batch of lines to its file (opened, and its folder made, on first use; closed on its last batch).
   * @param batch the lines
   */
  async write(batch: Pick<LabeledLines, "file" | "text" | "bytes" | "last">): Promise<void> {
    let f = this.#open.get(batch.file);
    if (f === undefined) {
      const full = join(this.root, batch.file);
      await Deno.mkdir(dirname(full), { recursive: true });
      f = {
        file: await Deno.open(full, { write: true, createNew: true }),
        gzip: batch.file.endsWith(".gz"),
        pending: [],
        pendingBytes: 0,
      };
      this.#open.set(batch.file, f);
      this.files.push(batch.file);
    }
    const data = batch.bytes ?? ENC.encode(batch.text);
    if (f.gzip) {
      let off = 0;
      while (off < data.length) {
        const take = Math.min(data.length - off, GZIP_MEMBER_BYTES - f.pendingBytes);
        f.pending.push(data.slice(off, off + take));
        f.pendingBytes += take;
        off += take;
        if (f.pendingBytes === GZIP_MEMBER_BYTES) this.#member(f);
      }
    } else this.#put(f, data);
    if (batch.last) this.#close(batch.file, f);
  }

  #member(f: OpenFile): void {
    if (f.pendingBytes === 0) return;
    const raw = f.pending.length === 1 ? f.pending[0] : new Uint8Array(f.pendingBytes);
    if (f.pending.length > 1) {
      let off = 0;
      for (const p of f.pending) {
        raw.set(p, off);
        off += p.length;
      }
    }
    this.#put(f, gzipSync(raw, { level: this.gzipLevel }));
    f.pending = [];
    f.pendingBytes = 0;
  }

  #put(f: OpenFile, data: Uint8Array): void {
    for (let off = 0; off < data.length;) off += f.file.writeSync(data.subarray(off));
    this.bytes += data.length;
  }

  #close(path: string, f: OpenFile): void {
    if (f.gzip) this.#member(f);
    f.file.close();
    this.#open.delete(path);
  }

  /** Closes every file still open. */
  close(): void {
    for (const [path, f] of this.#open) this.#close(path, f);
  }
}

/**
 * Collects the label rows of log batches with bounded memory: rows go to a temporary CSV of integer codes as they
 * come; every `partRows` rows Polars turns that CSV into a Parquet part (codes mapped to strings) inside one lazy
 * call, so no label frame is ever held by JavaScript.
 */
/** Options of {@linkcode LabelPartWriter}. */
export interface LabelPartWriterOptions {
  /** The table name: parts are `labels/<name><tag>-NNNNN.parquet`. */
  name: string;
  /** Label values by index (the batches' `incident` codes), written to `incident_id`. */
  ids: readonly string[];
  /** Columns taken from each batch's `meta`. @default [] */
  metaColumns?: readonly string[];
  /** Level names by code: writes a `level` column. @default no level column */
  levels?: readonly string[];
  /** Rows per Parquet part. @default 1,000,000 */
  partRows?: number;
  /** Inserted in part names (a shard's tag), so parts of different shards never share a name. @default "" */
  tag?: string;
  /** Give the schema even with no rows (a shard's table must describe the dataset's columns). @default false */
  alwaysSchema?: boolean;
}

export class LabelPartWriter {
  #files: string[] = [];
  #fileCode = new Map<string, number>();
  #meta: Map<string, number>[];
  #metaDict: string[][];
  #out = new ByteSink(1 << 20);
  #file: Deno.FsFile | null = null;
  #partRows = 0;
  readonly #tmp: string;
  readonly parts: string[] = [];
  rows = 0;

  readonly root: string;
  readonly name: string;
  readonly ids: readonly string[];
  readonly metaColumns: readonly string[];
  readonly withLevel: boolean;
  readonly levels: readonly string[];
  readonly partRows: number;
  readonly tag: string;
  readonly alwaysSchema: boolean;

  /**
   * A writer of one label table.
   * @param root the dataset folder being written
   * @param options the table name, label ids, meta columns, levels, part size, tag
   */
  constructor(root: string, options: LabelPartWriterOptions) {
    const { name, ids, metaColumns = [], levels, partRows = 1_000_000, tag = "", alwaysSchema = false } = options;
    this.root = root;
    this.name = name;
    this.ids = ids;
    this.metaColumns = metaColumns;
    this.withLevel = levels !== undefined;
    this.levels = levels ?? [];
    this.partRows = partRows;
    this.tag = tag;
    this.alwaysSchema = alwaysSchema;
    this.#tmp = join(root, "labels", `.${name}.csv`);
    this.#meta = metaColumns.map(() => new Map());
    this.#metaDict = metaColumns.map(() => []);
  }

  /**
   * The columns of the table, in order, with their dtypes.
   * @returns column to dtype name
   */
  schema(): Record<string, string> {
    return {
      file: "String",
      ...Object.fromEntries(this.metaColumns.map((c) => [c, "String"])),
      line: "Int32",
      lines: "Int16",
      timestamp: "Datetime(ms,UTC)",
      ...(this.withLevel ? { level: "String" } : {}),
      incident_id: "String",
    };
  }

  /**
   * Adds the label rows of a batch; every `partRows` rows become a Parquet part.
   * @param b the batch
   */
  async add(b: LabeledLines): Promise<void> {
    if (b.records === 0) return;
    if (this.#file === null) {
      await Deno.mkdir(dirname(this.#tmp), { recursive: true });
      this.#file = await Deno.open(this.#tmp, { write: true, create: true, truncate: true });
      this.#write(
        ENC.encode(["file", ...this.metaColumns, "line", "lines", "ms", "level", "incident"].join(",") + "\n"),
      );
    }
    let code = this.#fileCode.get(b.file);
    if (code === undefined) {
      code = this.#files.length;
      this.#files.push(b.file);
      this.#fileCode.set(b.file, code);
    }
    const meta = this.metaColumns.map((c, k) => {
      const v = (b.meta as Record<string, string>)[c];
      let m = this.#meta[k].get(v);
      if (m === undefined) {
        m = this.#metaDict[k].push(v) - 1;
        this.#meta[k].set(v, m);
      }
      return m;
    });
    const out = this.#out;
    for (let i = 0; i < b.records; i++) {
      out.ensure(96);
      out.int(code);
      out.byte(44);
      for (const m of meta) {
        out.int(m);
        out.byte(44);
      }
      out.int(b.line[i]);
      out.byte(44);
      out.int(b.lines[i]);
      out.byte(44);
      out.int(b.t[i]);
      out.byte(44);
      out.int(b.level[i]);
      out.byte(44);
      if (b.incident[i] < 0) out.byte(45);
      out.int(Math.abs(b.incident[i]));
      out.byte(10);
      if (out.pos > (1 << 20) - 128) this.#write(out.take());
      this.#partRows++;
    }
    this.rows += b.records;
    if (this.#partRows >= this.partRows) await this.#convert();
  }

  #write(data: Uint8Array): void {
    for (let off = 0; off < data.length;) off += this.#file!.writeSync(data.subarray(off));
  }

  async #convert(): Promise<void> {
    if (this.#file === null) return;
    this.#write(this.#out.take());
    this.#file.close();
    this.#file = null;
    this.#partRows = 0;
    const map = (col: string, dict: readonly string[], alias: string) =>
      // The mapping form keys by text, so the integer code is compared as text.
      pl.col(col).cast(pl.String).replaceStrict({
        old: Object.fromEntries(dict.map((v, i) => [String(i), v])),
        default_: pl.lit(null).cast(pl.String),
        returnDtype: pl.String,
      } as never).alias(alias);
    const types = Object.fromEntries(
      ["file", ...this.metaColumns, "line", "lines", "ms", "level", "incident"].map((c) => [c, pl.Int64]),
    );
    const file = `labels/${this.name}${this.tag}-${String(this.parts.length).padStart(5, "0")}.parquet`;
    pl.scanCSV(this.#tmp, { hasHeader: true, dtypes: types } as never).select(
      map("file", this.#files, "file"),
      ...this.metaColumns.map((c, k) => map(c, this.#metaDict[k], c)),
      pl.col("line").cast(pl.Int32),
      pl.col("lines").cast(pl.Int16),
      pl.col("ms").cast(pl.Datetime("ms", "UTC")).alias("timestamp"),
      ...(this.withLevel ? [map("level", this.levels, "level")] : []),
      map("incident", this.ids, "incident_id"),
    ).sinkParquet(join(this.root, file), { compression: "zstd", maintainOrder: true }).collectSync();
    this.parts.push(file);
    await Deno.remove(this.#tmp);
  }

  /**
   * Converts what is left and describes the table.
   * @returns the table's manifest entry
   */
  async finish(): Promise<ManifestTable> {
    await this.#convert();
    return { rows: this.rows, schema: this.rows > 0 || this.alwaysSchema ? this.schema() : {}, files: this.parts };
  }
}
