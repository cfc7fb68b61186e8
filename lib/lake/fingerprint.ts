import { createHash } from "node:crypto";
import type { Manifest } from "./manifest.ts";

/**
 * The fingerprint of a dataset's content: SHA-256 over the manifest's files (path, size and SHA-256 of each, sorted
 * by path). Results derived from a dataset (`validation.json`) record it, and are shown only while the dataset
 * still has it: a regenerated dataset has other files, so other hashes, so a new fingerprint, even when the
 * manifest's `created` is pinned by `SOURCE_DATE_EPOCH`.
 * @param manifest the manifest (its `files` are enough)
 * @returns `sha256:` and 64 hex digits
 * @example
 * ```ts
 * import { contentFingerprint } from "@lib/lake/mod.ts";
 * contentFingerprint({ files: [] }).startsWith("sha256:"); // true
 * ```
 */
export function contentFingerprint(manifest: Pick<Manifest, "files">): string {
  const lines = manifest.files
    .map((f) => `${f.path}\t${f.bytes}\t${f.sha256}\n`)
    .sort();
  const hash = createHash("sha256");
  for (const line of lines) hash.update(line);
  return `sha256:${hash.digest("hex")}`;
}
