/**
 * Shared fixtures of the validation tests: small capacity datasets written to temp folders (cached per config),
 * and assertions on which checks failed.
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import { inMemory, type Manifest } from "@lib/lake/mod.ts";
import { type LoadedDataset, loadForValidation } from "@lib/validate/mod.ts";
import type { DatasetValidation } from "@lib/validate/types.ts";

/** A fixed creation time, so fixture datasets are the same on every run. */
export const CREATED = new Date("2026-01-01T00:00:00Z");

/**
 * The small capacity config the corruption tests use: 60 servers for a year, daily (21,900 rows), textbook preset.
 * Large enough that every statistical check has the rows it needs, small enough to validate in well under a
 * second. Textbook, because these tests assert that a clean dataset fails no check at all, warnings included: in
 * the realistic model most servers barely notice weekends, and a 15-server group's median series over one year
 * does not show its 7-day cycle clearly enough for the autocorrelation warning (the full default datasets do).
 */
export const SMALL = { servers: 60, years: 1, seed: 7, preset: "textbook" } as const;

const cache = new Map<string, Promise<{ dir: string; manifest: Manifest; df: pl.DataFrame }>>();

/**
 * A capacity dataset written into a fresh temp folder, once per config and test process.
 * @param flags config overrides
 * @returns the folder, its manifest and its primary table
 */
export function capacityDataset(
  flags: Record<string, unknown> = SMALL,
): Promise<{ dir: string; manifest: Manifest; df: pl.DataFrame }> {
  const key = JSON.stringify(flags);
  let hit = cache.get(key);
  if (!hit) {
    hit = (async () => {
      const dir = await Deno.makeTempDir({ prefix: "opslab-validate-" });
      const config = resolveConfig(CapacityConfig, { flags: { ...flags }, what: "capacity" });
      const manifest = await writeCapacityDataset(config, `${dir}/capacity`, { created: CREATED });
      const loaded: LoadedDataset = await loadForValidation(`${dir}/capacity`);
      return { dir: `${dir}/capacity`, manifest, df: inMemory(loaded.tables.capacity) };
    })();
    cache.set(key, hit);
  }
  return hit;
}

/** A config as plain nested JSON, for editing in tests. */
// deno-lint-ignore no-explicit-any
export type ConfigJson = Record<string, any>;

/** A deep copy of a manifest with its config changed by `edit`. */
export function editConfig(manifest: Manifest, edit: (config: ConfigJson) => void): Manifest {
  const copy = structuredClone(manifest);
  edit(copy.config as ConfigJson);
  return copy;
}

/**
 * The ids of the failed checks (any severity; skipped checks are not failed).
 * @param v a validation
 * @returns the ids, sorted
 */
export function failedIds(v: Pick<DatasetValidation, "results">): string[] {
  // A skipped check (its sample cannot decide) is neither passed nor failed.
  return v.results.filter((r) => !r.passed && !r.message.startsWith("skipped:")).map((r) => r.id).sort();
}

/**
 * Asserts that exactly these checks failed: each expected id (or pattern) matches a failed check and every failed
 * check matches an expected one.
 * @param v the validation
 * @param expected ids or patterns
 */
export function assertFailed(v: Pick<DatasetValidation, "results">, expected: (string | RegExp)[]): void {
  const failed = failedIds(v);
  const matches = (id: string, e: string | RegExp) => typeof e === "string" ? id === e : e.test(id);
  const unexpected = failed.filter((id) => !expected.some((e) => matches(id, e)));
  const missing = expected.filter((e) => !failed.some((id) => matches(id, e)));
  assert.deepEqual(
    { unexpected, missing },
    { unexpected: [], missing: [] },
    `failed checks: ${failed.join(", ") || "none"}\n${
      v.results.filter((r) => !r.passed).map((r) => `  ${r.id}: ${r.message}`).join("\n")
    }`,
  );
}

/**
 * Row indices `k * step + offset` below `n`: a spread of rows to corrupt, the same on every run.
 * @param n rows
 * @param count how many
 * @param offset first index
 * @returns the indices
 */
export function spread(n: number, count: number, offset = 17): number[] {
  const step = Math.floor(n / count);
  return Array.from({ length: count }, (_, k) => (offset + k * step) % n);
}

/**
 * A copy of a frame with a column's values replaced at some rows (by row index, in Polars).
 * @param df the frame
 * @param column the column
 * @param rows the row indices
 * @param value the new value (an expression or a literal)
 * @returns the new frame
 */
export function setAt(df: pl.DataFrame, column: string, rows: number[], value: pl.Expr | number | string | null) {
  const dtype = (df.schema as Record<string, pl.DataType>)[column];
  const v = value instanceof Object && "alias" in (value as object) ? value as pl.Expr : pl.lit(value);
  return df.withRowIndex("__i").withColumns(
    pl.when(pl.col("__i").isIn(rows)).then(v.cast(dtype)).otherwise(pl.col(column)).alias(column),
  ).drop("__i");
}
