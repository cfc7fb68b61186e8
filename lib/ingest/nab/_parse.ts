const STAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z?$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(y: number, m: number): number {
  return m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : DAYS[m - 1];
}

/**
 * Parses a NAB timestamp, `YYYY-MM-DD HH:MM:SS` with optional fraction (`T` and a trailing `Z` accepted), as a
 * wall-clock time: epoch milliseconds as if it were UTC.
 * @param text the timestamp text, trimmed
 * @returns epoch ms, or NaN when it is not a real date and time (e.g. month 13, February 30)
 */
export function parseStamp(text: string): number {
  const m = STAMP.exec(text);
  if (m === null) return NaN;
  const y = +m[1], mo = +m[2], d = +m[3], h = +m[4], mi = +m[5], s = +m[6];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return NaN;
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000 + 1e-6);
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/** Why a value field cannot be used. */
export type ValueFault = "missing_value" | "bad_value" | "non_finite_value";

/**
 * Parses a NAB value: a decimal number, optionally with exponent.
 * @param text the value text, trimmed
 * @returns the number, or the reason it is unusable (empty; not a number; NaN or infinite)
 */
export function parseValue(text: string): number | ValueFault {
  if (text === "") return "missing_value";
  if (NUMBER.test(text)) {
    const v = Number(text);
    return Number.isFinite(v) ? v : "non_finite_value";
  }
  return NON_FINITE.test(text) ? "non_finite_value" : "bad_value";
}
