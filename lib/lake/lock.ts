import { basename, dirname, join, resolve } from "node:path";

/** Another run is writing the dataset: the caller should stop and say so (exit 2). */
export class DatasetBusyError extends Error {
  /** The dataset folder. */
  readonly dir: string;
  /**
   * @param dir the dataset folder
   * @param owner who holds it, in words
   */
  constructor(dir: string, owner: string) {
    super(`Cannot write "${dir}": another run is writing it (${owner}); wait for it to finish`);
    this.name = "DatasetBusyError";
    this.dir = dir;
  }
}

/** What a lock file says about its owner (for messages and `lake list`; liveness comes from the lock itself). */
export interface LockOwner {
  pid: number;
  host: string;
  started: string;
}

/** A held dataset lock; {@linkcode DatasetLock.release | release} it when the write is over. */
export interface DatasetLock {
  /** The lock file, `<parent>/.<name>.lock`. */
  readonly path: string;
  /** Releases this hold; the last one removes the lock file. */
  release(): void;
}

interface Held {
  file: Deno.FsFile;
  count: number;
}

/** Locks this process holds, by absolute lock path (re-entrant: a task and its commit share one). */
const held = new Map<string, Held>();
/** Temporary folders of writes in progress, removed on interrupt. */
const temps = new Set<string>();
/** Further undo steps (e.g. stopping child processes), run first by {@linkcode abandonWrites}. */
const undo = new Set<() => void>();
/** What a task does on SIGINT or SIGTERM while it holds a lock (see {@linkcode onInterruptWhileWriting}). */
let interruptHandler: ((signal: "SIGINT" | "SIGTERM") => void) | undefined;
/** The signal listeners installed while locks are held. */
const armed = new Map<Deno.Signal, () => void>();

/** A swap in progress: the old dataset moved aside, the new one not yet in place. */
let swapping: { dir: string; old: string } | undefined;

/**
 * The lock file of a dataset folder: `.<name>.lock` beside it.
 * @param dir the dataset folder
 * @returns the lock file path
 */
export function lockPath(dir: string): string {
  return join(dirname(dir), `.${basename(dir)}.lock`);
}

function arm(): void {
  if (interruptHandler === undefined || armed.size > 0) return;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const fn = () => interruptHandler?.(signal);
    armed.set(signal, fn);
    Deno.addSignalListener(signal, fn);
  }
}

function disarm(): void {
  for (const [signal, fn] of armed) Deno.removeSignalListener(signal, fn);
  armed.clear();
}

/**
 * Sets what happens on SIGINT or SIGTERM while this process holds a dataset lock (writes in progress): a task
 * passes a handler that undoes them ({@linkcode abandonWrites}) and exits. The listeners exist only while a lock
 * is held, so the signals keep their usual meaning otherwise (a task's own handlers, a plain exit), and library
 * callers (notebooks) that set no handler never have their signals taken.
 * @param handler the handler, or undefined to stop
 */
export function onInterruptWhileWriting(handler: ((signal: "SIGINT" | "SIGTERM") => void) | undefined): void {
  interruptHandler = handler;
  if (handler === undefined) disarm();
  else if (held.size > 0) arm();
}

function hostName(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown host";
  }
}

function describe(path: string): string {
  try {
    const o = JSON.parse(Deno.readTextFileSync(path)) as Partial<LockOwner>;
    return `pid ${o.pid} on ${o.host}, since ${o.started}`;
  } catch {
    return `lock ${path}`;
  }
}

/**
 * Takes the writer lock of a dataset: an exclusive `flock` on `.<name>.lock` beside it, which the kernel releases
 * when the process ends in any way (SIGKILL included), so a lock left by a dead run is never mistaken for a live
 * one, whatever its pid has become. The file holds pid, host and start time for messages. Re-entrant within a
 * process. Fails at once, never waits.
 *
 * @param dir the dataset folder
 * @returns the lock
 * @throws {DatasetBusyError} when another process holds it
 */
export async function lockDataset(dir: string): Promise<DatasetLock> {
  const path = resolve(lockPath(dir));
  const mine = held.get(path);
  if (mine) {
    mine.count++;
    return { path, release: () => releaseLock(path) };
  }
  await Deno.mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 5; attempt++) {
    const file = await Deno.open(path, { read: true, write: true, create: true });
    if (!(await file.tryLock(true))) {
      file.close();
      throw new DatasetBusyError(dir, describe(path));
    }
    // The holder before us may have removed the file after we opened it: then our lock is on a dead inode.
    let same = false;
    try {
      same = (await Deno.stat(path)).ino === (await file.stat()).ino;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (!same) {
      file.close();
      continue;
    }
    const owner: LockOwner = { pid: Deno.pid, host: hostName(), started: new Date().toISOString() };
    await file.truncate(0);
    await file.write(new TextEncoder().encode(JSON.stringify(owner) + "\n"));
    held.set(path, { file, count: 1 });
    arm();
    return { path, release: () => releaseLock(path) };
  }
  throw new DatasetBusyError(dir, describe(path));
}

function releaseLock(path: string): void {
  const h = held.get(path);
  if (!h) return;
  if (--h.count > 0) return;
  held.delete(path);
  try {
    Deno.removeSync(path);
  } catch { /* already gone */ }
  h.file.close();
  if (held.size === 0) disarm();
}

/**
 * Whether a live process holds a dataset's lock (probed with a non-blocking lock, released at once).
 * @param path the lock file
 * @returns true when held (by this process or another)
 */
export function isLockHeld(path: string): boolean {
  if (held.has(resolve(path))) return true;
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch {
    return false;
  }
  try {
    if (!file.tryLockSync(true)) return true;
    file.unlockSync();
    return false;
  } finally {
    file.close();
  }
}

/**
 * Registers a synchronous undo step for {@linkcode abandonWrites} (e.g. killing worker processes).
 * @param fn the step
 * @returns a function that unregisters it
 */
export function atAbandon(fn: () => void): () => void {
  undo.add(fn);
  return () => undo.delete(fn);
}

/** Records a temporary folder of a write in progress, so an interrupt removes it. */
export function trackTemp(dir: string): void {
  temps.add(dir);
}

/** Forgets a temporary folder (renamed into place or removed). */
export function untrackTemp(dir: string): void {
  temps.delete(dir);
}

/** Records the swap in progress (or its end, with undefined), so an interrupt puts the old dataset back. */
export function trackSwap(state: { dir: string; old: string } | undefined): void {
  swapping = state;
}

/**
 * Undoes the writes in progress, synchronously (for signal handlers and exits): puts back a dataset moved aside
 * by an unfinished swap, removes temporary folders and releases every lock this process holds.
 */
export function abandonWrites(): void {
  for (const fn of [...undo]) {
    try {
      fn();
    } catch { /* best effort */ }
  }
  undo.clear();
  if (swapping) {
    const { dir, old } = swapping;
    try {
      Deno.lstatSync(dir);
    } catch {
      try {
        Deno.renameSync(old, dir);
      } catch { /* nothing to put back */ }
    }
    swapping = undefined;
  }
  for (const t of temps) {
    try {
      Deno.removeSync(t, { recursive: true });
    } catch { /* already gone */ }
  }
  temps.clear();
  for (const path of [...held.keys()]) {
    held.get(path)!.count = 1;
    releaseLock(path);
  }
}
