/**
 * Numbers and units as every task prints them: counts with thousands separators, sizes in decimal units (kB, MB,
 * GB: 1 MB = 1,000,000 bytes, as `ls --si`, never KiB mixed in), durations in seconds or minutes.
 * @module
 */

/**
 * A count with thousands separators.
 * @param n the count
 * @returns e.g. `264,985`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCount } from "@lib/cli/format.ts";
 * assert.equal(formatCount(264985), "264,985");
 * ```
 */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/**
 * A size in decimal units, one decimal.
 * @param bytes the size
 * @returns e.g. `1.2 MB`, `512 B`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatBytes } from "@lib/cli/format.ts";
 * assert.equal(formatBytes(1_234_567), "1.2 MB");
 * assert.equal(formatBytes(2_500), "2.5 kB");
 * assert.equal(formatBytes(1_500_000_000_000), "1,500.0 GB");
 * ```
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`;
  const [div, unit] = bytes < 1e6 ? [1e3, "kB"] : bytes < 1e9 ? [1e6, "MB"] : [1e9, "GB"];
  return `${(bytes / div).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })} ${unit}`;
}

/**
 * A duration: seconds with one decimal below a minute, else minutes and seconds.
 * @param seconds the duration
 * @returns e.g. `4.2 s`, `3 min 05 s`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatDuration } from "@lib/cli/format.ts";
 * assert.equal(formatDuration(4.24), "4.2 s");
 * assert.equal(formatDuration(185), "3 min 05 s");
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 59.95) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}
