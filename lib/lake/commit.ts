import { basename, dirname, join, relative } from "node:path";
import { sha256File } from "./hash.ts";
import { Manifest, type ManifestDraft, type ManifestFile } from "./manifest.ts";

/** Options of {@linkcode commitDataset}. */
export interface CommitDatasetOptions {
  /** The creation time written in the manifest. @default now (or `SOURCE_DATE_EPOCH` where the task passes it) */
  created?: Date;
  /**
   * Files whose size and SHA-256 are already known (shards being merged were hashed when they were written): a
   * file of the same path and size is not read again. @default none
   */
  known?: ReadonlyMap<string, ManifestFile>;
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...await listFiles(path, base));
    else if (entry.isFile && entry.name !== "manifest.json") out.push(relative(base, path));
  }
  return out.sort();
}

/**
 * Writes a dataset atomically: `fill` writes its files into a fresh temporary folder beside `dir`, then the
 * manifest (with every file's size and SHA-256) is added and the folder renamed into place. An interrupted or
 * failed run leaves no folder that looks complete, and an existing dataset is replaced only once the new one is.
 *
 * @param dir the dataset folder, e.g. `data/synthetic/capacity`
 * @param fill writes the files into the folder it is given and returns the manifest draft
 * @param options the creation time
 * @returns the manifest written
 * @example
 * ```ts ignore
 * await commitDataset("data/synthetic/capacity", async (tmp) => { ...; return draft; });
 * ```
 */
export async function commitDataset(
  dir: string,
  fill: (tmpDir: string) => Promise<ManifestDraft>,
  options: CommitDatasetOptions = {},
): Promise<Manifest> {
  const { created = new Date(), known } = options;
  const parent = dirname(dir);
  await Deno.mkdir(parent, { recursive: true });
  const tmp = await Deno.makeTempDir({ dir: parent, prefix: `.${basename(dir)}.tmp-` });
  try {
    const draft = await fill(tmp);
    const files: ManifestFile[] = [];
    for (const path of await listFiles(tmp)) {
      const full = join(tmp, path);
      const bytes = (await Deno.stat(full)).size;
      const prior = known?.get(path);
      files.push({ path, bytes, sha256: prior?.bytes === bytes ? prior.sha256 : await sha256File(full) });
    }
    const primary = draft.tables[draft.primary_table];
    if (primary === undefined) {
      throw new RangeError(`Cannot commit "${draft.name}": primary table "${draft.primary_table}" is not in tables`);
    }
    const manifest = Manifest.parse({
      manifest_version: 1,
      ...draft,
      rows: primary.rows,
      schema: primary.schema,
      files,
      created: created.toISOString(),
    });
    await Deno.writeTextFile(join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
    let old: string | undefined;
    try {
      await Deno.stat(dir);
      old = `${tmp}.old`;
      await Deno.rename(dir, old);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    await Deno.chmod(tmp, 0o755); // makeTempDir creates 0700
    await Deno.rename(tmp, dir);
    if (old) await Deno.remove(old, { recursive: true });
    return manifest;
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
}
