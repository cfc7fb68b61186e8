import process from "node:process";
import { ConfigError, ConfigFileError } from "@lib/config/mod.ts";
import { abandonWrites, DatasetBusyError, onInterruptWhileWriting, OutputRefusedError } from "@lib/lake/mod.ts";
import { UsageError } from "./args.ts";

/** Whether `OPSLAB_DEBUG` is set, asked only where the task may read the environment (serve may not). */
function debugEnabled(): boolean {
  const { state } = Deno.permissions.querySync({ name: "env", variable: "OPSLAB_DEBUG" });
  return state === "granted" && Deno.env.get("OPSLAB_DEBUG") !== undefined;
}

/** Exit codes of the signals a task stops on: 128 + the signal number, as shells report them. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
let depth = 0;

/**
 * Stops the task on SIGINT or SIGTERM while it writes a dataset: undoes the writes in progress (temporary folders
 * removed, a dataset moved aside put back, shard processes stopped, locks released, see `abandonWrites`), prints
 * `interrupted` on a line of its own and exits 130 or 143. Handlers run between turns of the event loop, so a long
 * synchronous Polars call finishes first.
 */
function onInterrupt(signal: keyof typeof SIGNAL_EXIT): void {
  abandonWrites();
  // A progress bar may have left the cursor mid-line on a terminal.
  Deno.stderr.writeSync(new TextEncoder().encode(`${Deno.stderr.isTerminal() ? "\n" : ""}interrupted\n`));
  Deno.exit(SIGNAL_EXIT[signal]);
}

/**
 * Whether an error is a usage error: bad flags, a bad or unusable config (file missing, empty, not YAML), a
 * refused output folder, a dataset another run is writing. These exit 2.
 * @param e the error
 * @returns true for exit code 2
 */
export function isUsageError(e: unknown): boolean {
  return e instanceof UsageError || e instanceof ConfigError || e instanceof ConfigFileError ||
    e instanceof OutputRefusedError || e instanceof DatasetBusyError;
}

/**
 * Runs a task body and turns failures into one line on stderr and an exit code: 2 for usage and config errors,
 * a refused output folder and a dataset being written by another run, 1 for anything else. Set
 * `OPSLAB_DEBUG=1` to see the stack. While the body holds a dataset lock (it writes), SIGINT and SIGTERM undo its
 * writes in progress and exit 130 or 143; at other times they keep their usual meaning (a task's own handlers, as
 * replay's). When it ends, the dataset locks it holds are released.
 * @param body the task
 * @returns the exit code
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runTask, UsageError } from "@lib/cli/mod.ts";
 * const error = console.error;
 * console.error = () => {}; // the one-line message
 * assert.equal(await runTask(() => Promise.reject(new UsageError("--servers must be > 0"))), 2);
 * assert.equal(await runTask(() => Promise.reject(new Error("disk full"))), 1);
 * console.error = error;
 * ```
 */
export async function runTask(body: () => Promise<number>): Promise<number> {
  if (depth++ === 0) onInterruptWhileWriting(onInterrupt);
  try {
    return await body();
  } catch (e) {
    const err = e as Error;
    console.error(`error: ${err.message}`);
    if (debugEnabled()) console.error(err.stack);
    return isUsageError(err) ? 2 : 1;
  } finally {
    if (--depth === 0) {
      abandonWrites();
      onInterruptWhileWriting(undefined);
    }
  }
}

/**
 * The creation time to record: `SOURCE_DATE_EPOCH` (seconds) when set, so whole datasets can be reproduced
 * byte for byte, else now.
 * @returns the time
 */
export function creationTime(): Date {
  const epoch = Deno.env.get("SOURCE_DATE_EPOCH");
  if (epoch === undefined) return new Date();
  const seconds = Number(epoch);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got "${epoch}"`);
  }
  return new Date(seconds * 1000);
}

/**
 * Peak resident memory of this process in bytes (getrusage's ru_maxrss; needs no permission).
 * @returns bytes, or undefined where the runtime does not report it
 */
export function peakRss(): number | undefined {
  const kb = process.resourceUsage?.().maxRSS;
  return typeof kb === "number" && kb > 0 ? kb * 1024 : undefined;
}
