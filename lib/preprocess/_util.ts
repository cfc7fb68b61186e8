import type pl from "nodejs-polars";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses a duration such as `"1h"`, `"5m"`, `"7d"`, `"30s"`, `"250ms"`, `"1w"` (minutes are `m`; months are not
 * durations).
 * @param text the duration
 * @param what what it configures, for the message
 * @returns milliseconds, > 0
 * @throws {RangeError} `Cannot parse every "x": a duration is a positive integer and a unit (ms, s, m, h, d, w)`
 */
export function parseDuration(text: string, what = "duration"): number {
  const m = /^(\d+)(ms|s|m|h|d|w)$/.exec(text.trim());
  const n = m ? Number(m[1]) * UNIT_MS[m[2]] : 0;
  if (!m || !(n > 0)) {
    throw new RangeError(
      `Cannot parse ${what} "${text}": a duration is a positive integer and a unit (ms, s, m, h, d, w)`,
    );
  }
  return n;
}

/**
 * Normalizes a `by` option to a list of column names.
 * @param by one column, a list, or null for none
 * @returns the list
 */
export function byList(by: string | readonly string[] | null | undefined): string[] {
  if (by === null || by === undefined) return [];
  return typeof by === "string" ? [by] : [...by];
}

/**
 * Evaluates an expression per group (window function), or over the whole frame when there are no groups.
 * @param e the expression
 * @param keys the group columns
 * @returns the expression
 */
export function overKeys(e: pl.Expr, keys: readonly string[]): pl.Expr {
  return keys.length === 0 ? e : e.over(keys[0], ...keys.slice(1));
}
