import { join } from "node:path";
import { Manifest } from "./manifest.ts";
import { DEFAULT_LAKE_ROOT } from "./paths.ts";

/** A dataset found in the lake: its folder and manifest, or why the manifest could not be read. */
export type CatalogEntry =
  | { dir: string; manifest: Manifest; error?: undefined }
  | { dir: string; manifest?: undefined; error: string };

async function* manifestDirs(dir: string, depth: number): AsyncGenerator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  if (entries.some((e) => e.isFile && e.name === "manifest.json")) {
    yield dir;
    return;
  }
  if (depth === 0) return;
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory && !e.name.startsWith(".")) yield* manifestDirs(join(dir, e.name), depth - 1);
  }
}

/**
 * Reads a manifest file.
 * @param dir the dataset folder
 * @returns the manifest
 * @throws {Error} naming the path when missing or invalid
 */
export async function readManifest(dir: string): Promise<Manifest> {
  const path = join(dir, "manifest.json");
  let value: unknown;
  try {
    value = JSON.parse(await Deno.readTextFile(path));
  } catch (cause) {
    throw new Error(`Cannot read manifest "${path}": ${(cause as Error).message}`, { cause });
  }
  const result = Manifest.safeParse(value);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new Error(`Invalid manifest "${path}": ${first.path.join(".") || "root"} ${first.message}`);
  }
  return result.data;
}

/**
 * Lists every dataset under the lake root (folders holding `manifest.json`, at most three levels down), sorted
 * by path. Temporary folders of unfinished writes (names starting with ".") are skipped.
 * @param root the lake root
 * @returns the catalog
 */
export async function listDatasets(root: string = DEFAULT_LAKE_ROOT): Promise<CatalogEntry[]> {
  const out: CatalogEntry[] = [];
  for await (const dir of manifestDirs(root, 3)) {
    try {
      out.push({ dir, manifest: await readManifest(dir) });
    } catch (e) {
      out.push({ dir, error: (e as Error).message });
    }
  }
  return out;
}

/**
 * The datasets whose retention has run out at `now`.
 * @param entries the catalog
 * @param now the time to judge by
 * @returns the expired entries
 */
export function expiredDatasets(entries: readonly CatalogEntry[], now: Date): CatalogEntry[] {
  return entries.filter((e) =>
    e.manifest !== undefined &&
    Date.parse(e.manifest.created) + e.manifest.retention_days * 86_400_000 < now.getTime()
  );
}
