import { basename, dirname, join, resolve } from "node:path";
import { isInside } from "./leftovers.ts";
import { type DatasetLock, lockDataset } from "./lock.ts";
import { Layer } from "./manifest.ts";
import { DEFAULT_LAKE_ROOT } from "./paths.ts";

/** A run may not write where it was pointed: the caller prints the one-line message and exits 2. */
export class OutputRefusedError extends Error {
  /** The folder refused. */
  readonly dir: string;
  /**
   * @param dir the folder
   * @param reason why, in words
   */
  constructor(dir: string, reason: string) {
    super(`Cannot write "${dir}": ${reason}`);
    this.name = "OutputRefusedError";
    this.dir = dir;
  }
}

/** Options of {@linkcode claimOutput}. */
export interface ClaimOutputOptions {
  /** The kind of dataset the run writes; only a dataset of this kind may be replaced. */
  kind: string;
  /** Replace an existing dataset of the same kind (`--overwrite`). @default false */
  overwrite?: boolean;
  /** Files and folders the run reads: the output may neither hold them nor lie inside one. @default [] */
  inputs?: readonly string[];
  /** Lake roots whose root and layer folders are never a dataset folder. @default ["data"] */
  lakes?: readonly string[];
}

/** The real path of a path that may not exist yet: its nearest existing ancestor resolved, the rest appended. */
function realish(path: string): string {
  const abs = resolve(path);
  try {
    return Deno.realPathSync(abs);
  } catch (e) {
    // Outside the task's read scope: the path as given (the write itself is refused by the permissions).
    if (e instanceof Deno.errors.NotCapable) return abs;
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const parent = dirname(abs);
  return parent === abs ? abs : join(realish(parent), basename(abs));
}

/**
 * Checks that an existing folder may be replaced by a dataset of `kind`: it is an empty folder or a dataset (its
 * `manifest.json` says) of that kind, not a symbolic link, a file or any other folder. The lake runs it under the
 * dataset's lock just before a swap, whatever the caller checked before.
 * @param dir the dataset folder
 * @param kind the kind being written
 * @returns whether a dataset is there (false: nothing or an empty folder)
 * @throws {OutputRefusedError} naming the folder and what it holds
 */
export async function assertReplaceable(dir: string, kind: string): Promise<boolean> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(dir);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
  if (info.isSymlink) throw new OutputRefusedError(dir, "it is a symbolic link, not a dataset folder");
  if (!info.isDirectory) throw new OutputRefusedError(dir, "it is a file, not a dataset folder");
  const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
  if (names.length === 0) return false;
  let found: unknown;
  try {
    found = JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")))?.kind;
  } catch {
    throw new OutputRefusedError(
      dir,
      `it is not a dataset (no readable manifest.json, ${names.length} entries), so it is never replaced`,
    );
  }
  if (found !== kind) {
    throw new OutputRefusedError(dir, `it holds a "${String(found)}" dataset; a "${kind}" run may not replace it`);
  }
  return true;
}

/**
 * Claims a dataset folder for a run before any work starts: refuses a lake root or layer folder (or any folder
 * holding one), a folder holding the run's inputs or inside an input folder, a folder that is not a dataset of
 * the same kind, and an existing dataset without `overwrite`; then takes the dataset's writer lock
 * (see {@linkcode lockDataset}), which the run holds until it ends.
 *
 * @param dir the dataset folder
 * @param options kind, overwrite, inputs, lake roots
 * @returns the lock, to release when the run ends
 * @throws {OutputRefusedError} naming the folder and the rule
 * @throws {DatasetBusyError} when another run is writing the dataset
 * @example
 * ```ts ignore
 * const lock = await claimOutput("data/synthetic/capacity", { kind: "capacity", overwrite: true });
 * try { await writeCapacityDataset(config, "data/synthetic/capacity"); } finally { lock.release(); }
 * ```
 */
export async function claimOutput(dir: string, options: ClaimOutputOptions): Promise<DatasetLock> {
  const { kind, overwrite = false, inputs = [], lakes = [DEFAULT_LAKE_ROOT] } = options;
  const real = realish(dir);
  for (const lake of new Set([DEFAULT_LAKE_ROOT, ...lakes])) {
    const root = realish(lake);
    if (isInside(real, root)) {
      throw new OutputRefusedError(
        dir,
        `it ${real === root ? "is" : "holds"} the lake root "${lake}"; give a dataset folder, e.g. ${
          join(lake, "synthetic", "<name>")
        }`,
      );
    }
    for (const layer of Layer.options) {
      if (isInside(real, realish(join(lake, layer)))) {
        throw new OutputRefusedError(
          dir,
          `it is or holds the lake layer "${join(lake, layer)}"; give a dataset folder, e.g. ${
            join(lake, layer, "<name>")
          }`,
        );
      }
    }
  }
  for (const input of inputs) {
    const source = realish(input);
    if (isInside(real, source)) throw new OutputRefusedError(dir, `it holds "${input}", an input of this run`);
    let folder = false;
    try {
      folder = (await Deno.stat(input)).isDirectory;
    } catch { /* a missing input is the reader's error */ }
    if (folder && isInside(source, real)) {
      throw new OutputRefusedError(dir, `it lies inside "${input}", an input folder of this run`);
    }
  }
  const lock = await lockDataset(dir);
  try {
    const present = await assertReplaceable(dir, kind);
    if (present && !overwrite) {
      throw new OutputRefusedError(dir, `it already holds a "${kind}" dataset; add --overwrite to replace it`);
    }
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}
