import { basename, dirname, join, resolve, sep } from "node:path";
import { isLockHeld, lockDataset, lockPath } from "./lock.ts";

/** What a run that died (SIGKILL, power loss) can leave beside a dataset. */
export interface Leftover {
  /** The hidden file or folder. */
  path: string;
  /** The dataset folder it belongs to. */
  dataset: string;
  /**
   * `temp`: a half-written dataset (`.<name>.tmp-*`); `old`: the previous dataset moved aside by a swap that did
   * not finish (`.<name>.old-<pid>`); `lock`: a lock file no live process holds (`.<name>.lock`).
   */
  what: "temp" | "old" | "lock";
  /** Bytes of the files it holds. */
  bytes: number;
  /** For `old`: the dataset folder is missing, so this copy is put back rather than removed. */
  restore?: boolean;
}

const LEFTOVER = /^\.(.+)\.(tmp-.+|old-.+|lock)$/;

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Bytes of the files under a path (symbolic links not followed). */
async function sizeOf(path: string): Promise<number> {
  const info = await Deno.lstat(path);
  if (!info.isDirectory) return info.isFile ? info.size : 0;
  let n = 0;
  for await (const e of Deno.readDir(path)) n += await sizeOf(join(path, e.name));
  return n;
}

async function entriesOf(dir: string): Promise<Deno.DirEntry[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(dir))).sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return [];
    throw e;
  }
}

/** Folders that may hold dataset folders: the root and its non-dataset folders, up to two levels down. */
async function* holders(dir: string, depth: number): AsyncGenerator<[string, Deno.DirEntry[]]> {
  const entries = await entriesOf(dir);
  if (entries.some((e) => e.isFile && e.name === "manifest.json")) return;
  yield [dir, entries];
  if (depth === 0) return;
  for (const e of entries) {
    if (e.isDirectory && !e.name.startsWith(".")) yield* holders(join(dir, e.name), depth - 1);
  }
}

/**
 * The leftovers of dead runs under a lake root: temporary folders, datasets moved aside by an unfinished swap,
 * and lock files no process holds. Those of a dataset a live run is writing (its lock is held) are not listed.
 * @param root the lake root
 * @returns the leftovers, sorted by path
 */
export async function findLeftovers(root: string): Promise<Leftover[]> {
  const out: Leftover[] = [];
  for await (const [dir, entries] of holders(root, 2)) {
    for (const e of entries) {
      const m = LEFTOVER.exec(e.name);
      if (!m || e.isSymlink) continue;
      const dataset = join(dir, m[1]);
      if (isLockHeld(lockPath(dataset))) continue;
      const what = m[2] === "lock" ? "lock" : m[2].startsWith("tmp-") ? "temp" : "old";
      const path = join(dir, e.name);
      const item: Leftover = { path, dataset, what, bytes: await sizeOf(path).catch(() => 0) };
      if (what === "old") item.restore = !(await exists(dataset));
      out.push(item);
    }
  }
  return out;
}

/**
 * Tidies one dataset's leftovers; the caller must hold the dataset's lock, so no live run owns them. Puts back the
 * newest copy moved aside when the dataset folder is missing, then removes temporary folders and other copies.
 * @param dir the dataset folder
 * @param options `within`: remove only what lies inside this lake root (see {@linkcode removeWithin})
 * @returns what was put back and what was removed
 */
export async function tidyDataset(
  dir: string,
  options: { within?: string } = {},
): Promise<{ restored?: string; removed: string[] }> {
  const parent = dirname(dir), name = basename(dir);
  const mine = (await entriesOf(parent)).filter((e) => !e.isSymlink && LEFTOVER.exec(e.name)?.[1] === name)
    .map((e) => ({ path: join(parent, e.name), kind: LEFTOVER.exec(e.name)![2] }))
    // This run's own temporary folders (`tmp-<pid>-*`, e.g. an ingester's scratch) are work in progress.
    .filter((e) => e.kind !== "lock" && !e.kind.startsWith(`tmp-${Deno.pid}-`));
  let restored: string | undefined;
  if (!(await exists(dir))) {
    const olds = await Promise.all(
      mine.filter((e) => e.kind.startsWith("old-")).map(async (e) => ({ ...e, t: (await Deno.lstat(e.path)).mtime })),
    );
    const newest = olds.sort((a, b) => (b.t?.getTime() ?? 0) - (a.t?.getTime() ?? 0))[0];
    if (newest) {
      await Deno.rename(newest.path, dir);
      restored = newest.path;
    }
  }
  const removed: string[] = [];
  for (const e of mine) {
    if (e.path === restored) continue;
    if (options.within === undefined) await Deno.remove(e.path, { recursive: true });
    else await removeWithin(options.within, e.path);
    removed.push(e.path);
  }
  return restored === undefined ? { removed } : { restored, removed };
}

function mayWrite(path: string): boolean {
  return Deno.permissions.querySync({ name: "write", path }).state === "granted";
}

/**
 * Puts back every dataset that a run killed in the middle of its swap left moved aside (`.<name>.old-<pid>` with
 * no `<name>`), where this process may write; a task without write access leaves it to the next one that has it.
 * @param root the lake root
 * @returns the datasets put back
 */
export async function restoreSwaps(root: string): Promise<string[]> {
  const done: string[] = [];
  for (const l of await findLeftovers(root)) {
    if (!l.restore || done.includes(l.dataset) || !mayWrite(dirname(l.dataset))) continue;
    let lock;
    try {
      lock = await lockDataset(l.dataset);
    } catch {
      continue;
    }
    try {
      if ((await tidyDataset(l.dataset)).restored) done.push(l.dataset);
    } finally {
      lock.release();
    }
  }
  return done;
}

/**
 * Whether a path lies inside a folder (or is it).
 * @param root the folder, absolute
 * @param path the path, absolute
 * @returns true when inside
 */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Removes a dataset folder or leftover only if its real path lies inside the lake root's real path and it is not
 * a symbolic link: a link is never followed for deletion.
 * @param root the lake root
 * @param target what to remove
 * @throws {Error} naming the target and why it is refused
 */
export async function removeWithin(root: string, target: string): Promise<void> {
  const realRoot = await Deno.realPath(root);
  const info = await Deno.lstat(target);
  if (info.isSymlink) throw new Error(`Refusing to remove "${target}": it is a symbolic link`);
  const real = join(await Deno.realPath(dirname(target)), basename(target));
  if (real === realRoot || !isInside(realRoot, real)) {
    throw new Error(
      `Refusing to remove "${target}": its real path "${real}" is not inside the lake root "${realRoot}"`,
    );
  }
  await Deno.remove(real, { recursive: true });
}

/**
 * Checks a lake root given on the command line: its real path must be inside the project's lake (`data/`, real
 * path) or be the path as given (no symbolic link on the way). A root that reaches elsewhere through a link is
 * refused, so a link under `data/` cannot lead a prune outside the project.
 * @param root the root as given
 * @param projectLake the project's lake folder @default "data"
 * @returns the root's real path, or undefined when it does not exist
 * @throws {RangeError} naming the root and where it leads
 */
export async function checkLakeRoot(root: string, projectLake = "data"): Promise<string | undefined> {
  let real: string;
  try {
    real = await Deno.realPath(root);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  if (real === resolve(root)) return real;
  let lake: string | undefined;
  try {
    lake = await Deno.realPath(projectLake);
  } catch { /* no project lake */ }
  if (lake !== undefined && isInside(lake, real)) return real;
  throw new RangeError(
    `Cannot use lake root "${root}": it leads through a symbolic link to "${real}", outside the lake "${projectLake}"`,
  );
}
