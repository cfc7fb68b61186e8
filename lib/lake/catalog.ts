import { join } from "node:path";
import { Manifest } from "./manifest.ts";
import { DEFAULT_LAKE_ROOT } from "./paths.ts";
import { restoreSwaps } from "./leftovers.ts";

/** What every catalog entry has besides its manifest or error. */
interface EntryFacts {
  dir: string;
  /**
   * When the dataset was really written: the modification time of its `manifest.json`, which the lake writes
   * last. Retention counts from it, not from the manifest's `created`, which `SOURCE_DATE_EPOCH` may pin.
   */
  written?: Date;
  /** Set when `dir` is a symbolic link (listed, never followed for deletion): where it points. */
  symlink?: string;
  /** Files the manifest lists that are not on disk: the dataset is broken. */
  missing?: string[];
}

/** A dataset found in the lake: its folder and manifest, or why the manifest could not be read. */
export type CatalogEntry =
  | EntryFacts & { manifest: Manifest; error?: undefined }
  | EntryFacts & { manifest?: undefined; error: string };

/** Options of {@linkcode listDatasets}. */
export interface ListDatasetsOptions {
  /** Include shard folders (`<name>.shards/part-k-of-n/`, manifests with `shard`). @default false */
  shards?: boolean;
  /** Include symbolic links to dataset folders (with `symlink` set). @default false */
  symlinks?: boolean;
}

async function* manifestDirs(dir: string, depth: number): AsyncGenerator<{ dir: string; symlink?: string }> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  if (entries.some((e) => e.isFile && e.name === "manifest.json")) {
    yield { dir };
    return;
  }
  if (depth === 0) return;
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".")) continue;
    const path = join(dir, e.name);
    if (e.isDirectory) yield* manifestDirs(path, depth - 1);
    else if (e.isSymlink) {
      try {
        if ((await Deno.stat(join(path, "manifest.json"))).isFile) {
          yield { dir: path, symlink: await Deno.readLink(path) };
        }
      } catch { /* a link to no dataset */ }
    }
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
  const m = result.data;
  const paths = [
    ...m.files.map((f, i) => [`files.${i}.path`, f.path]),
    ...Object.entries(m.tables).flatMap(([t, table]) => table.files.map((f, i) => [`tables.${t}.files.${i}`, f])),
  ];
  for (const [where, p] of paths) {
    if (leavesFolder(p)) {
      throw new Error(
        `Invalid manifest "${path}": ${where} "${p}" leaves the dataset folder (relative paths inside it only)`,
      );
    }
  }
  return m;
}

/**
 * Whether a manifest path leaves its dataset folder: absolute (`/x`, `C:\\x`, `\\\\host`) or with a `..`
 * segment that climbs above it.
 * @param path the path as the manifest records it
 * @returns true when it is refused
 */
export function leavesFolder(path: string): boolean {
  if (path.startsWith("/") || path.startsWith("\\") || /^[A-Za-z]:/.test(path)) return true;
  let depth = 0;
  for (const part of path.split(/[\\/]/)) {
    if (part === "..") depth--;
    else if (part !== "." && part !== "") depth++;
    if (depth < 0) return true;
  }
  return false;
}

/**
 * The files a manifest lists that are not on disk (a dataset whose files were deleted or moved is broken).
 * @param dir the dataset folder
 * @param manifest its manifest
 * @returns the missing paths, as the manifest records them
 */
export async function missingFiles(dir: string, manifest: Manifest): Promise<string[]> {
  const out: string[] = [];
  for (const f of manifest.files) {
    try {
      await Deno.stat(join(dir, f.path));
    } catch {
      out.push(f.path);
    }
  }
  return out;
}

/**
 * Lists every dataset under the lake root (folders holding `manifest.json`, at most three levels down), sorted
 * by path. Temporary folders of unfinished writes (names starting with ".") are skipped, and so are shards
 * (`<name>.shards/part-k-of-n/`) and symbolic links unless asked for: a shard is part of a dataset, never the
 * dataset. First puts back any dataset a killed run left moved aside (see {@linkcode restoreSwaps}), where this
 * process may write.
 * @param root the lake root
 * @param options whether to include shards and symbolic links
 * @returns the catalog
 */
export async function listDatasets(
  root: string = DEFAULT_LAKE_ROOT,
  options: ListDatasetsOptions = {},
): Promise<CatalogEntry[]> {
  const { shards = false, symlinks = false } = options;
  await restoreSwaps(root);
  const out: CatalogEntry[] = [];
  for await (const { dir, symlink } of manifestDirs(root, 3)) {
    if (symlink !== undefined && !symlinks) continue;
    const facts: EntryFacts = symlink === undefined ? { dir } : { dir, symlink };
    try {
      facts.written = (await Deno.stat(join(dir, "manifest.json"))).mtime ?? undefined;
    } catch { /* reported by readManifest */ }
    try {
      const manifest = await readManifest(dir);
      if (manifest.shard !== undefined && !shards) continue;
      const missing = await missingFiles(dir, manifest);
      out.push(missing.length > 0 ? { ...facts, manifest, missing } : { ...facts, manifest });
    } catch (e) {
      out.push({ ...facts, error: (e as Error).message });
    }
  }
  return out;
}

/**
 * When a dataset's retention ends: `retention_days` after it was written (its manifest file's time), or after
 * `created` when that time is unknown.
 * @param entry a catalog entry with a manifest
 * @returns the expiry time in epoch milliseconds, or undefined without a manifest
 */
export function expiresAt(entry: CatalogEntry): number | undefined {
  if (entry.manifest === undefined) return undefined;
  const from = entry.written?.getTime() ?? Date.parse(entry.manifest.created);
  return from + entry.manifest.retention_days * 86_400_000;
}

/**
 * The datasets whose retention has run out at `now`.
 * @param entries the catalog
 * @param now the time to judge by
 * @returns the expired entries
 */
export function expiredDatasets(entries: readonly CatalogEntry[], now: Date): CatalogEntry[] {
  return entries.filter((e) => {
    const end = expiresAt(e);
    return end !== undefined && end < now.getTime();
  });
}
