import pl from "nodejs-polars";
import { NabFormatError } from "./errors.ts";

/** Timestamp formats NAB uses: `2014-02-26 13:45:00` in data, `2014-02-26 13:45:00.000000` in windows. */
export const NAB_TIME_FORMATS = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] as const;

/**
 * An expression parsing NAB timestamp text into a naive Datetime(ms); null where no format fits.
 * @param col the text column
 * @returns the expression
 */
export function parseNabTime(col: string): pl.Expr {
  const tries = NAB_TIME_FORMATS.map((f) =>
    pl.col(col).str.strip().str.strptime(pl.Datetime("ms"), f).cast(pl.Datetime("ms"))
  );
  return tries.slice(1).reduce((acc, e) => pl.when(acc.isNull()).then(e).otherwise(acc), tries[0]);
}

/**
 * An expression turning a naive Datetime into UTC, reading it as wall-clock time in `timezone`. For a zone with
 * daylight saving, a wall-clock time met twice (the repeated hour in autumn) resolves to its earlier instant,
 * unless `lateCol` (Boolean) says the row's wall-clock time was already met in the file (the second pass); a
 * wall-clock time that does not exist (the skipped hour in spring) becomes null.
 * @param col the naive Datetime column
 * @param timezone an IANA zone, or "UTC"
 * @param options `lateCol`: a Boolean column, true for rows of the second pass; null to always take the earlier
 *   @default null
 * @returns the expression, Datetime(ms, UTC)
 */
export function toUtc(col: string, timezone: string, options: { lateCol?: string | null } = {}): pl.Expr {
  const { lateCol = null } = options;
  if (timezone === "UTC") return pl.col(col).dt.replaceTimeZone("UTC");
  const ambiguous = lateCol === null
    ? pl.lit("earliest")
    : pl.when(pl.col(lateCol)).then(pl.lit("latest")).otherwise(pl.lit("earliest"));
  return pl.col(col).dt.replaceTimeZone(timezone, ambiguous, "null").dt.convertTimeZone("UTC");
}

function describe(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function parseJson(text: string, path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new NabFormatError(path, `not valid JSON (${(cause as Error).message})`, { cause });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new NabFormatError(
      path,
      `must be an object mapping "<category>/<name>.csv" to labels, got ${describe(value)}`,
    );
  }
  return value as Record<string, unknown>;
}

function seriesIdOf(key: string): string {
  return key.replace(/\.csv$/i, "");
}

/**
 * Parses `combined_windows.json`: `{"<category>/<name>.csv": [[start, end], ...]}` into a windows frame.
 * @param text the file text
 * @param path the file, for messages
 * @param options `timezone`: the zone the timestamps are in @default "UTC"
 * @returns columns `series_id`, `start`, `end` (Datetime ms UTC), sorted
 * @throws {NabFormatError} for a malformed file, an unparseable timestamp or a window whose start is after its end
 * @example
 * ```ts
 * import { parseNabWindows } from "@lib/ingest/nab/mod.ts";
 * const w = parseNabWindows('{"a/b.csv": [["2014-02-26 13:45:00.000000", "2014-02-27 01:00:00.000000"]]}', "w.json");
 * w.height; // 1
 * ```
 */
export function parseNabWindows(text: string, path: string, options: { timezone?: string } = {}): pl.DataFrame {
  const { timezone = "UTC" } = options;
  const obj = parseJson(text, path);
  const ids: string[] = [];
  const starts: string[] = [];
  const ends: string[] = [];
  for (const [key, list] of Object.entries(obj)) {
    if (!Array.isArray(list)) {
      throw new NabFormatError(path, `"${key}" must be a list of [start, end] pairs, got ${describe(list)}`);
    }
    list.forEach((w, i) => {
      if (!Array.isArray(w) || w.length !== 2 || typeof w[0] !== "string" || typeof w[1] !== "string") {
        throw new NabFormatError(path, `"${key}"[${i}] must be a [start, end] pair of timestamps, got ${describe(w)}`);
      }
      ids.push(seriesIdOf(key));
      starts.push(w[0]);
      ends.push(w[1]);
    });
  }
  const df = pl.DataFrame([
    pl.Series("series_id", ids, pl.Utf8),
    pl.Series("__s", starts, pl.Utf8),
    pl.Series("__e", ends, pl.Utf8),
  ]).withColumns(parseNabTime("__s").alias("__sn"), parseNabTime("__e").alias("__en"))
    .withColumns(toUtc("__sn", timezone).alias("start"), toUtc("__en", timezone).alias("end"));
  const bad = df.filter(pl.col("start").isNull().or(pl.col("end").isNull()));
  if (bad.height > 0) {
    const r = bad.row(0);
    throw new NabFormatError(path, `window of "${r[0]}.csv" has an unreadable timestamp, got ["${r[1]}", "${r[2]}"]`);
  }
  const reversed = df.filter(pl.col("start").gt(pl.col("end")));
  if (reversed.height > 0) {
    const r = reversed.row(0);
    throw new NabFormatError(path, `window of "${r[0]}.csv" must start before it ends, got ["${r[1]}", "${r[2]}"]`);
  }
  return df.select("series_id", "start", "end").sort(["series_id", "start"]);
}

/**
 * Parses `combined_labels.json`: `{"<category>/<name>.csv": [timestamp, ...]}` into a points frame.
 * @param text the file text
 * @param path the file, for messages
 * @param options `timezone`: the zone the timestamps are in @default "UTC"
 * @returns columns `series_id`, `timestamp` (Datetime ms UTC), sorted
 * @throws {NabFormatError} for a malformed file or an unparseable timestamp
 */
export function parseNabPoints(text: string, path: string, options: { timezone?: string } = {}): pl.DataFrame {
  const { timezone = "UTC" } = options;
  const obj = parseJson(text, path);
  const ids: string[] = [];
  const ts: string[] = [];
  for (const [key, list] of Object.entries(obj)) {
    if (!Array.isArray(list) || list.some((t) => typeof t !== "string")) {
      throw new NabFormatError(path, `"${key}" must be a list of timestamps, got ${describe(list)}`);
    }
    for (const t of list as string[]) {
      ids.push(seriesIdOf(key));
      ts.push(t);
    }
  }
  const df = pl.DataFrame([pl.Series("series_id", ids, pl.Utf8), pl.Series("__t", ts, pl.Utf8)])
    .withColumns(parseNabTime("__t").alias("__tn"))
    .withColumns(toUtc("__tn", timezone).alias("timestamp"));
  const bad = df.filter(pl.col("timestamp").isNull());
  if (bad.height > 0) {
    const r = bad.row(0);
    throw new NabFormatError(path, `label of "${r[0]}.csv" has an unreadable timestamp, got "${r[1]}"`);
  }
  return df.select("series_id", "timestamp").sort(["series_id", "timestamp"]);
}
