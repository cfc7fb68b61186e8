import { coerceValue, readConfigFile } from "@lib/config/mod.ts";
import type { IngestReport } from "./report.ts";

/**
 * Turns parsed command-line values into config flags: `--max-fill 3` becomes `{ max_fill: 3 }`, numbers and
 * booleans typed, comma lists split for the keys named in `lists`.
 * @param values the values from `parseArgs`
 * @param keys the flag names that are config keys
 * @param options `lists`: the flag names that take a comma-separated list @default []
 * @returns snake_case keys to typed values (absent flags left out)
 */
export function flagsToConfig(
  values: Record<string, unknown>,
  keys: readonly string[],
  options: { lists?: readonly string[] } = {},
): Record<string, unknown> {
  const { lists = [] } = options;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const v = values[key];
    if (v === undefined) continue;
    const name = key.replaceAll("-", "_");
    if (typeof v !== "string") {
      out[name] = v;
    } else if (lists.includes(key)) {
      const parts = v.split(",").map((s) => s.trim()).filter((s) => s !== "").map(coerceValue);
      out[name] = parts.length === 1 && typeof parts[0] === "string" && key === "select" ? parts[0] : parts;
    } else {
      out[name] = coerceValue(v);
    }
  }
  return out;
}

/**
 * Reads the `--config` file when one is given.
 * @param path the file, or undefined
 * @returns its keys, or an empty object
 */
export async function configFile(path: string | undefined): Promise<Record<string, unknown>> {
  return path === undefined ? {} : await readConfigFile(path);
}

/**
 * One line summing up an ingest, for the end of a task.
 * @param report the report
 * @param dir where the dataset was written
 * @returns the line
 */
export function summaryLine(report: IngestReport, dir: string): string {
  // Counts with thousands separators, as every task prints them.
  const n = (v: number) => v.toLocaleString("en-US");
  const reasons = Object.entries(report.quarantined).map(([k, v]) => `${k} ${n(v)}`).join(", ");
  const l = report.lines;
  const lines = l === undefined ? "" : `; lines: ${n(l.read)} read = ${n(l.header)} header + ${n(l.blank)} blank + ` +
    `${n(l.written)} written + ${n(l.quarantined)} quarantined`;
  return `ingested ${report.source}: ${n(report.rows_read)} rows read, ${n(report.rows_written)} written, ` +
    `${n(report.rows_quarantined)} quarantined${reasons ? ` (${reasons})` : ""}${lines} -> ${dir}`;
}

/**
 * The message of an error for the one-line CLI output.
 * @param e anything thrown
 * @returns its message, first line only
 */
export function errorLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split("\n")[0];
}
