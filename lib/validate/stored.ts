import { join } from "node:path";
import { contentFingerprint, type Manifest } from "@lib/lake/mod.ts";
import type { DatasetValidation } from "./types.ts";

/**
 * The status of a dataset's stored results: `pass`, `warn`, `fail` when `validation.json` was made from the
 * content the manifest lists now; `stale` when it was made from other content (the dataset was regenerated, or
 * the results predate content fingerprints); `not validated` without results.
 */
export type StoredStatus = "pass" | "warn" | "fail" | "stale" | "not validated";

/** What {@linkcode readStoredValidation} found. */
export interface StoredValidation {
  /** The status to show. */
  status: StoredStatus;
  /** The results, only when they are of the current content (never for `stale`). */
  validation: DatasetValidation | null;
  /** Why the results are stale, when they are. */
  reason?: string;
}

/**
 * The status of a validation's own results: `fail` when an error-severity check failed, `warn` when only warnings.
 * @param validation the results
 * @returns the status
 */
export function resultStatus(validation: Pick<DatasetValidation, "results">): "pass" | "warn" | "fail" {
  const failed = validation.results.filter((r) => !r.passed);
  if (failed.some((r) => r.severity === "error")) return "fail";
  return failed.some((r) => r.severity === "warning") ? "warn" : "pass";
}

/**
 * Reads `validation.json` beside a dataset and binds it to the content: the results count only when the
 * fingerprint they record equals {@linkcode contentFingerprint} of `manifest`. No times are compared (a
 * regenerated dataset with a pinned `SOURCE_DATE_EPOCH` has the same `created`; clocks and mtimes lie).
 * @param dir the dataset folder
 * @param manifest the dataset's manifest as read now
 * @returns the status, and the results when they are current
 * @throws {Error} naming the file when it exists but is not a validation result
 * @example
 * ```ts ignore
 * const { status } = await readStoredValidation("data/synthetic/capacity", manifest); // "pass" | ... | "stale"
 * ```
 */
export async function readStoredValidation(dir: string, manifest: Manifest): Promise<StoredValidation> {
  const path = join(dir, "validation.json");
  let value: DatasetValidation;
  try {
    value = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { status: "not validated", validation: null };
    throw new Error(`Cannot read validation results "${path}": ${(e as Error).message}`);
  }
  if (!Array.isArray(value?.results)) {
    throw new Error(`Cannot read validation results "${path}": "results" must be an array`);
  }
  const current = contentFingerprint(manifest);
  if (value.content !== current) {
    const reason = typeof value.content === "string"
      ? `results are of other content (${value.content.slice(0, 19)}, dataset now ${current.slice(0, 19)})`
      : "results record no content fingerprint";
    return { status: "stale", validation: null, reason };
  }
  return { status: resultStatus(value), validation: value };
}
