import { assertWritable } from "./permissions.ts";
import { claimOutput, type DatasetLock, parseShard, type Shard, shardDir } from "@lib/lake/mod.ts";
import { type FlagSpec, UsageError } from "./args.ts";

/** The `--overwrite` flag of every task that writes a dataset. */
export const OVERWRITE_FLAG: Record<string, FlagSpec> = {
  overwrite: {
    type: "boolean",
    help: "replace the dataset already at the output folder (only a dataset of the same kind)",
    config: false,
  },
};

/** Options of {@linkcode claimTaskOutput}. */
export interface ClaimTaskOutputOptions {
  /** The kind of dataset written. */
  kind: string;
  /** `--overwrite` as given. @default false */
  overwrite?: boolean;
  /** The shard written, if one: its folder beside the dataset is claimed instead, and may be replaced. */
  shard?: Shard;
  /** What the run reads. @default [] */
  inputs?: readonly string[];
  /** Lake roots besides `data` whose layer folders are never outputs. @default [] */
  lakes?: readonly string[];
}

/**
 * Claims the folder a task writes before it starts work (see `claimOutput`): the dataset folder, or with a shard
 * the shard's folder (`<dir>.shards/part-k-of-n`, replaced without `--overwrite`, so a failed shard can be run
 * again).
 * @param dir the dataset folder
 * @param options kind, overwrite, shard, inputs
 * @returns the folder written and its lock (released when the task ends, or earlier by the task)
 * @throws {OutputRefusedError} naming the folder and the rule
 * @throws {DatasetBusyError} when another run writes it
 */
export async function claimTaskOutput(
  dir: string,
  options: ClaimTaskOutputOptions,
): Promise<{ target: string; lock: DatasetLock }> {
  const { kind, overwrite = false, shard, inputs = [], lakes = [] } = options;
  // Outside the write scope, refused before anything (even the lock file) is made.
  assertWritable(dir, "--output");
  const target = shard ? shardDir(dir, shard) : dir;
  const lock = await claimOutput(target, {
    kind,
    overwrite: overwrite || shard !== undefined,
    inputs,
    lakes: ["data", ...lakes],
  });
  return { target, lock };
}

/**
 * The `--shard k/n` flag of a generator task, or undefined when not given; a malformed value is a usage error
 * (exit 2), as every other bad flag is.
 * @param value the flag's value as parsed
 * @returns the shard
 * @throws {UsageError} naming the flag and the value
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shardFlag } from "@lib/cli/output.ts";
 * assert.deepEqual(shardFlag("1/4"), { index: 1, count: 4 });
 * assert.throws(() => shardFlag("4/4"), /--shard/);
 * ```
 */
export function shardFlag(value: unknown): Shard | undefined {
  if (typeof value !== "string") return undefined;
  try {
    return parseShard(value);
  } catch (e) {
    throw new UsageError(`--shard: ${(e as Error).message}`);
  }
}
