import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { atAbandon } from "@lib/lake/mod.ts";
import { inheritedPermissionFlags } from "./permissions.ts";

/** Options of {@linkcode runShardWorkers}. */
export interface ShardWorkersOptions {
  /** How many processes. */
  workers: number;
  /** The dataset folder the shards are written beside. */
  output: string;
  /** Extra read paths the children need (a config file). @default [] */
  read?: string[];
  /** Called when a shard finishes. @default none */
  onDone?: (index: number, seconds: number) => void;
}

const GENERATE = fileURLToPath(new URL("../../tasks/generate.ts", import.meta.url));
const PROJECT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Runs `workers` generator processes, `deno task generate <kind> <args> --shard k/workers`, at once, each with this
 * process's own scope (the grants covering the project, the config file and the dataset's folder, see
 * {@linkcode inheritedPermissionFlags}: never wider, so a child cannot write where the parent may not), and waits for
 * all.
 * The local equivalent of a batch scheduler's indexed job; merge afterwards with `mergeShards`.
 *
 * @param kind the generator kind
 * @param args the generator's arguments (without --workers, --shard, --output)
 * @param options how many processes, output folder and callbacks
 * @throws {Error} naming the shard and its error output when a process fails, or the path this process lacks
 * access to
 */
export async function runShardWorkers(
  kind: string,
  args: string[],
  options: ShardWorkersOptions,
): Promise<void> {
  const { workers: count, output, read = [], onDone } = options;
  const parent = dirname(resolve(output));
  const permissions = inheritedPermissionFlags({
    read: [PROJECT, parent, ...read],
    write: [parent],
    ffi: [resolve(PROJECT, "node_modules")],
  });
  const started = performance.now();
  // Parallelism comes from the processes: each gets its share of the cores for Polars' own threads, so N
  // processes do not oversubscribe the machine.
  const threads = Math.max(1, Math.floor(navigator.hardwareConcurrency / count));
  const runs = Array.from({ length: count }, async (_, index) => {
    // By name, as --allow-run=deno grants it: on PATH this is the deno running the task (npx puts it first).
    const process = new Deno.Command("deno", {
      args: [
        "run",
        ...permissions,
        GENERATE,
        kind,
        ...args,
        "--shard",
        `${index}/${count}`,
        "--output",
        output,
      ],
      env: { POLARS_MAX_THREADS: String(threads) },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // Interrupted, the parent stops its shards too: each removes its own temporary folder on SIGTERM.
    const forget = atAbandon(() => process.kill("SIGTERM"));
    const child = await process.output().finally(forget);
    if (child.code !== 0) {
      const err = new TextDecoder().decode(child.stderr).trim().split("\n").pop();
      throw new Error(`shard ${index}/${count} failed (exit ${child.code}): ${err}`);
    }
    onDone?.(index, (performance.now() - started) / 1000);
  });
  const results = await Promise.allSettled(runs);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
