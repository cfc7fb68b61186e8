import { basename, dirname, join, relative } from "node:path";
import { sha256File } from "./hash.ts";
import { Manifest, type ManifestDraft, type ManifestFile } from "./manifest.ts";
import { lockDataset, trackSwap, trackTemp, untrackTemp } from "./lock.ts";
import { tidyDataset } from "./leftovers.ts";
import { assertReplaceable } from "./guard.ts";

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
 * Writes a dataset atomically: `fill` writes its files into a fresh temporary folder beside `dir`
 * (`.<name>.tmp-*`), then the manifest (with every file's size and SHA-256) is added and the folder swapped into
 * place. The whole write holds the dataset's writer lock (`.<name>.lock`, see {@linkcode lockDataset}): a second
 * writer fails at once with {@linkcode DatasetBusyError}, before it makes anything. Leftovers of dead runs of the
 * same dataset are tidied first. Only an empty folder or a dataset of the same kind is replaced
 * ({@linkcode assertReplaceable}).
 *
 * The swap: the old dataset is renamed to `.<name>.old-<pid>`, the new one to `<name>`, then the old one removed.
 * The two renames run back to back with no await between them, so an interrupt (SIGINT, SIGTERM) in this process
 * cannot fall between them; only a kill that cannot be caught (SIGKILL, power loss) can, and then the next lake
 * operation on the lake or this dataset ({@linkcode listDatasets}, any write of it) renames the old one back.
 * A reader sees the old dataset or the new one, whole, never a mix; at most it finds the name missing for the
 * microseconds between the renames (a dataset stays a plain folder, so the swap cannot be one atomic rename of a
 * link).
 *
 * @param dir the dataset folder, e.g. `data/synthetic/capacity`
 * @param fill writes the files into the folder it is given and returns the manifest draft
 * @param options the creation time
 * @returns the manifest written
 * @throws {DatasetBusyError} when another run is writing the dataset
 * @throws {OutputRefusedError} when `dir` holds something else than a dataset of the draft's kind
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
  const lock = await lockDataset(dir);
  try {
    await tidyDataset(dir);
    const tmp = await Deno.makeTempDir({ dir: parent, prefix: `.${basename(dir)}.tmp-${Deno.pid}-` });
    trackTemp(tmp);
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
      await Deno.chmod(tmp, 0o755); // makeTempDir creates 0700
      const present = await assertReplaceable(dir, manifest.kind);
      if (present) {
        const old = join(parent, `.${basename(dir)}.old-${Deno.pid}`);
        // Back to back, synchronously: no signal handler of this process can run between the two renames.
        trackSwap({ dir, old });
        try {
          Deno.renameSync(dir, old);
          try {
            Deno.renameSync(tmp, dir);
          } catch (e) {
            Deno.renameSync(old, dir);
            throw e;
          }
        } finally {
          trackSwap(undefined);
        }
        untrackTemp(tmp);
        await Deno.remove(old, { recursive: true });
      } else {
        // An empty folder is replaced by the rename itself (rename(2) onto an empty directory).
        await Deno.rename(tmp, dir);
        untrackTemp(tmp);
      }
      return manifest;
    } catch (e) {
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
      untrackTemp(tmp);
      throw e;
    }
  } finally {
    lock.release();
  }
}
