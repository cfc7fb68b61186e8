import process from "node:process";
import { ConfigError } from "@lib/config/mod.ts";
import { UsageError } from "./args.ts";

/** Whether `OPSLAB_DEBUG` is set, asked only where the task may read the environment (serve may not). */
function debugEnabled(): boolean {
  const { state } = Deno.permissions.querySync({ name: "env", variable: "OPSLAB_DEBUG" });
  return state === "granted" && Deno.env.get("OPSLAB_DEBUG") !== undefined;
}

/**
 * Runs a task body and turns failures into one line on stderr and an exit code: 2 for usage and config errors,
 * 1 for anything else. Set `OPSLAB_DEBUG=1` to see the stack.
 * @param body the task
 * @returns the exit code
 */
export async function runTask(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    const err = e as Error;
    console.error(`error: ${err.message}`);
    if (debugEnabled()) console.error(err.stack);
    return err instanceof UsageError || err instanceof ConfigError ? 2 : 1;
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
