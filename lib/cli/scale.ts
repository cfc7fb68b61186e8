import type { Manifest } from "@lib/lake/mod.ts";
import type { FlagSpec } from "./args.ts";
import { UsageError } from "./args.ts";
import { runShardWorkers } from "./workers.ts";
import { assertWritable } from "./permissions.ts";
import { Progress } from "./progress.ts";

/** The scale-out flags every shardable generator takes. */
export const SCALE_FLAGS: Record<string, FlagSpec> = {
  shard: { type: "string", arg: "K/N", help: "write only shard K of N (0-based) beside the dataset", config: false },
  workers: { type: "string", arg: "N", help: "run N shard processes at once, then merge them", config: false },
  merge: { type: "boolean", help: "merge the shards written beside --output into the dataset", config: false },
};

/** The help paragraph on scaling out. */
export const SCALE_HELP =
  `Scale out: every entity draws from its own stream, so shards are disjoint and their union is the dataset.
Run "--shard K/N" on N machines (e.g. a Kubernetes Indexed Job: --shard $JOB_COMPLETION_INDEX/N) writing
beside the same --output, then "--merge" once; or "--workers N" does both here with N processes.`;

/** Drops flags (and their values) from an argument list, for passing the rest on to shard processes. */
function stripFlags(args: string[], names: string[], booleans: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [name] = args[i].split("=");
    if (names.includes(name)) {
      if (!args[i].includes("=") && !booleans.includes(name)) i++;
      continue;
    }
    out.push(args[i]);
  }
  return out;
}

/** Options of {@linkcode scaleOut}. */
export interface ScaleOutOptions {
  /** The generator kind, for `deno task generate <kind>`. */
  kind: string;
  /** The command-line arguments as given. */
  args: string[];
  /** The parsed flags (`merge`, `workers`, `shard`, `config`). */
  flags: Record<string, string | boolean | undefined>;
  /** The dataset folder. */
  dir: string;
  /** Merges the shards beside `dir` into it. */
  merge: () => Promise<Manifest>;
}

/**
 * Handles `--merge` and `--workers N` for a generator task: merges, or runs N shard processes then merges. First, for
 * every run, refuses a dataset folder outside the task's write scope, before anything starts.
 * @param options the task's arguments, flags, dataset folder and merge step
 * @returns the merged manifest, or undefined when neither flag was given (the task generates itself)
 * @throws {UsageError} for an output outside the write scope, a bad worker count or `--workers` with `--shard`
 */
export async function scaleOut(options: ScaleOutOptions): Promise<Manifest | undefined> {
  const { kind, args, flags, dir, merge } = options;
  assertWritable(dir, "--output");
  if (flags.merge) return await merge();
  if (typeof flags.workers !== "string") return undefined;
  const workers = Number(flags.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
    throw new UsageError(`--workers must be a whole number from 1 to 256, got "${flags.workers}"`);
  }
  if (flags.shard !== undefined) {
    throw new UsageError("--workers runs every shard itself: give --workers or --shard, not both");
  }
  // One display for the whole run: shards done, then the merge.
  const progress = new Progress(`${kind} --workers ${workers}`, workers, { unit: "shards" });
  progress.step("generating");
  try {
    await runShardWorkers(kind, stripFlags(args, ["--workers", "--output", "--stats"], ["--stats"]), {
      workers,
      output: dir,
      read: typeof flags.config === "string" ? [flags.config] : [],
      onDone: () => progress.tick(1),
    });
    progress.step("merging");
    return await merge();
  } finally {
    progress.finish();
  }
}
