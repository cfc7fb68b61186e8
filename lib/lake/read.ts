import pl from "nodejs-polars";
import { gunzipSync } from "node:zlib";

/** A table file that cannot be read: missing, truncated, or not in the format its name says. */
export class TableReadError extends Error {
  /** The file. */
  readonly path: string;
  /**
   * @param path the file
   * @param reason what is wrong, in words
   * @param options the cause
   */
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`Cannot read table "${path}": ${reason}`, options);
    this.name = "TableReadError";
    this.path = path;
  }
}

const PARQUET_MAGIC = "PAR1";

/**
 * Checks that a file is a whole Parquet file (magic bytes at both ends) without reading it all: a missing,
 * truncated or mislabelled file gives a clear error instead of a Polars panic.
 * @param path the file
 * @throws {TableReadError}
 */
export function checkParquetFile(path: string): void {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch (cause) {
    const reason = cause instanceof Deno.errors.NotFound ? "no such file" : (cause as Error).message;
    throw new TableReadError(path, reason, { cause });
  }
  try {
    const size = file.statSync().size;
    const head = new Uint8Array(4), tail = new Uint8Array(4);
    const dec = new TextDecoder();
    if (size < 12 || file.readSync(head) !== 4 || dec.decode(head) !== PARQUET_MAGIC) {
      throw new TableReadError(path, "not a Parquet file (no PAR1 header)");
    }
    file.seekSync(size - 4, Deno.SeekMode.Start);
    if (file.readSync(tail) !== 4 || dec.decode(tail) !== PARQUET_MAGIC) {
      throw new TableReadError(path, "truncated Parquet file (no PAR1 footer)");
    }
  } finally {
    file.close();
  }
}

/**
 * Reads a Parquet, CSV or gzipped CSV file into a frame, with a clear error for a missing, truncated or
 * mislabelled file (never a Polars stack trace).
 * @param path the file (`.parquet`, `.csv`, `.csv.gz`)
 * @returns the frame
 * @throws {TableReadError}
 */
export function readTable(path: string): pl.DataFrame {
  if (path.endsWith(".parquet")) {
    checkParquetFile(path);
    try {
      return pl.readParquet(path);
    } catch (cause) {
      throw new TableReadError(path, `corrupt Parquet file (${String((cause as Error).message).split("\n")[0]})`, {
        cause,
      });
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(path);
  } catch (cause) {
    const reason = cause instanceof Deno.errors.NotFound ? "no such file" : (cause as Error).message;
    throw new TableReadError(path, reason, { cause });
  }
  if (path.endsWith(".csv") || path.endsWith(".csv.gz")) {
    let text: Uint8Array = bytes;
    if (path.endsWith(".gz")) {
      try {
        text = gunzipSync(bytes);
      } catch (cause) {
        throw new TableReadError(path, "corrupt or truncated gzip file", { cause });
      }
    }
    if (text.length === 0) throw new TableReadError(path, "empty CSV file (no header)");
    try {
      return pl.readCSV(Buffer.from(text), { tryParseDates: true });
    } catch (cause) {
      throw new TableReadError(path, `malformed CSV (${String((cause as Error).message).split("\n")[0]})`, {
        cause,
      });
    }
  }
  throw new TableReadError(path, "unknown format: expected .parquet, .csv or .csv.gz");
}
