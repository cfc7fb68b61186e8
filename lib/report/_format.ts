/**
 * A number for people: integers with thousands separators from 10,000 on (so years read 2022, not 2,022),
 * others with up to `digits` decimals.
 * @param v the number
 * @param digits decimals for non-integers
 * @returns the text ("–" for null or NaN)
 */
export function formatNumber(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  if (Number.isInteger(v)) return Math.abs(v) < 10_000 ? String(v) : v.toLocaleString("en-US");
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 10 ** -digits || abs >= 1e12)) return v.toExponential(2);
  return v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/**
 * A share as a percentage.
 * @param share a fraction (0.0123)
 * @param digits decimals
 * @returns e.g. `1.23 %`
 */
export function formatPercent(share: number | null | undefined, digits = 2): string {
  if (share === null || share === undefined || Number.isNaN(share)) return "–";
  return `${(share * 100).toFixed(digits)} %`;
}

// Sizes read as every task prints them: decimal units (kB, MB, GB), one formatter for the CLI and the pages.
export { formatBytes } from "@lib/cli/format.ts";

/**
 * A measured value of a check, as text: numbers via {@linkcode formatNumber}, text as is.
 * @param v the value
 * @returns the text
 */
export function formatMeasured(v: number | string | null): string {
  if (v === null) return "–";
  return typeof v === "number" ? formatNumber(v, 4) : v;
}

/**
 * The suffix all names share after their last `_` (e.g. `_p95`), or "" when they share none.
 * @param names the names
 * @returns the suffix, with its underscore
 */
export function commonSuffix(names: string[]): string {
  if (names.length < 2) return "";
  const m = /_[a-z0-9]+$/i.exec(names[0]);
  if (m === null) return "";
  return names.every((n) => n.endsWith(m[0]) && n.length > m[0].length) ? m[0] : "";
}

const DTYPE_WORDS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Float(\d+)$/, (m) => `decimal (${m[1]}-bit)`],
  [/^Int(\d+)$/, (m) => `integer (${m[1]}-bit)`],
  [/^UInt(\d+)$/, (m) => `unsigned integer (${m[1]}-bit)`],
  [/^Decimal.*$/, () => "decimal (fixed point)"],
  [/^Bool(ean)?$/, () => "true/false"],
  [/^(String|Utf8)$/, () => "text"],
  [/^(Categorical|Enum).*$/, () => "category"],
  [/^Date$/, () => "date"],
  [/^Datetime\(([a-z]+)(?:,\s*(.+))?\)$/i, (m) => `time (${m[2] && m[2] !== "None" ? m[2] : "no zone"}, ${m[1]})`],
  [/^Datetime.*$/, () => "time"],
  [/^Duration.*$/, () => "duration"],
  [/^Null$/, () => "empty"],
];

/**
 * A Polars dtype name in words: `Float64` → `decimal (64-bit)`, `List(DataType(String))` → `list of text`,
 * `Datetime(ms,UTC)` → `time (UTC, ms)`.
 * @param name the dtype name as the lake records it
 * @returns the words
 */
export function humanDtype(name: string): string {
  const inner = name.replace(/DataType\(([^()]*(?:\([^()]*\))?[^()]*)\)/g, "$1").trim();
  const list = /^(List|Array)\((.*)\)$/.exec(inner);
  if (list) return `list of ${humanDtype(list[2].replace(/,\s*\d+$/, ""))}`;
  if (/^Struct/.test(inner)) return "record";
  for (const [re, words] of DTYPE_WORDS) {
    const m = re.exec(inner);
    if (m) return words(m);
  }
  return inner;
}

/**
 * An ISO time, short: `2024-03-04 12:30` (seconds when not zero, `Z` dropped: every time on the page is UTC).
 * @param iso the ISO time
 * @returns the text
 */
export function shortTime(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d)?(\.\d+)?Z$/.exec(iso);
  if (!m) return iso;
  const sec = m[3] && m[3] !== ":00" ? m[3] : "";
  return m[2] === "00:00" && !sec ? m[1] : `${m[1]} ${m[2]}${sec}`;
}

/**
 * A bucket width in words: `5-minute`, `6-hour`, `1-day`, `7-day`.
 * @param ms the width in milliseconds
 * @returns the words
 */
export function bucketWidth(ms: number): string {
  for (const [unit, size] of [["day", 86_400_000], ["hour", 3_600_000], ["minute", 60_000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}-${unit}`;
  }
  return `${ms / 1000}-second`;
}
