/**
 * Shared pieces of the `tasks/` entry points: flag parsing with help, one-line errors and exit codes, a progress
 * bar, and subcommand dispatch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "@lib/cli/mod.ts";
 * const { config } = parseFlags(["--servers", "10"], { servers: { type: "string", help: "fleet size" } });
 * assert.deepEqual(config, { servers: 10 });
 * ```
 * @module
 */
export {
  columns,
  type FlagSpec,
  HELP_FLAG,
  type HelpOptions,
  helpText,
  integerFlag,
  type IntegerFlagOptions,
  type ParsedArgs,
  parseFlags,
  UsageError,
  usageMessage,
} from "./args.ts";
export { creationTime, isUsageError, peakRss, runTask } from "./run.ts";
export { claimTaskOutput, type ClaimTaskOutputOptions, OVERWRITE_FLAG, shardFlag } from "./output.ts";
export { Progress, type ProgressOptions } from "./progress.ts";
export { dispatch, type DispatchOptions, type SubcommandModule } from "./dispatch.ts";
export {
  assertWritable,
  type AssertWritableOptions,
  type ChildNeeds,
  grantCovering,
  inheritedPermissionFlags,
} from "./permissions.ts";
export { runShardWorkers, type ShardWorkersOptions } from "./workers.ts";
export { SCALE_FLAGS, SCALE_HELP, scaleOut, type ScaleOutOptions } from "./scale.ts";
export { CONFIG_FLAGS, configYaml, resolveTaskConfig, type ResolveTaskConfigOptions } from "./config.ts";
export { formatBytes, formatCount, formatDuration } from "./format.ts";
