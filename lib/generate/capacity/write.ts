import pl from "nodejs-polars";
import { join } from "node:path";
import {
  commitDataset,
  type Manifest,
  partName,
  releaseNativeMemory,
  schemaOf,
  type Shard,
  shardDir,
  shardRange,
  writeTable,
} from "@lib/lake/mod.ts";
import { type CapacityConfig, capacityEndDate } from "./config.ts";
import { generateCapacity } from "./generate.ts";
import { buildTimeline } from "./timeline.ts";

/** Version of the capacity generator, recorded in manifests; bump when output for a config changes. */
export const GENERATOR_VERSION = "3.0.0";

/** Options of {@linkcode writeCapacityDataset}. */
export interface WriteCapacityOptions {
  /** Creation time for the manifest. @default now */
  created?: Date;
  /** Called after each chunk with the rows it added. @default none */
  onRows?: (rows: number) => void;
  /** Write only this shard, to `<dir>.shards/part-k-of-n/` (merge with `mergeShards(dir)`). @default the whole dataset */
  shard?: Shard;
}

/** The resolved config as written beside the output: the period made explicit. */
export function resolvedCapacityConfig(config: CapacityConfig): Record<string, unknown> {
  const { years: _years, ...rest } = config;
  return { ...rest, end_date: capacityEndDate(config) };
}

/**
 * Generates a capacity dataset file by file and commits it atomically to `dir` with its manifest and the resolved
 * `config.json`. At most `rows_per_file` rows are in memory at once (a file's worth), so memory stays flat however
 * large the dataset. The only file-system step of the generator; generation itself stays pure.
 *
 * @param config a resolved config
 * @param dir the dataset folder, e.g. `data/synthetic/capacity`
 * @param options creation time, progress callback, shard
 * @returns the manifest written
 */
export async function writeCapacityDataset(
  config: CapacityConfig,
  dir: string,
  options: WriteCapacityOptions = {},
): Promise<Manifest> {
  const { created, onRows, shard } = options;
  const resolved = resolvedCapacityConfig(config);
  const timeline = buildTimeline(config);
  const perFile = Math.max(1, Math.floor(config.rows_per_file / timeline.ms.length));
  const { from, to } = shard ? shardRange(config.servers, shard) : { from: 0, to: config.servers };
  const single = shard === undefined && config.servers <= perFile;
  return await commitDataset(shard ? shardDir(dir, shard) : dir, async (tmp) => {
    const files: string[] = [];
    let rows = 0;
    let schema: Record<string, string> | undefined;
    if (!single) await Deno.mkdir(join(tmp, "capacity"));
    for (let f0 = from; f0 < to; f0 += perFile) {
      const f1 = Math.min(to, f0 + perFile);
      const chunks: pl.DataFrame[] = [];
      for (let c0 = f0; c0 < f1; c0 += config.chunk_servers) {
        const chunk = generateCapacity(config, { from: c0, to: Math.min(f1, c0 + config.chunk_servers), timeline });
        chunks.push(chunk);
        onRows?.(chunk.height);
      }
      const df = chunks.length === 1 ? chunks[0] : pl.concat(chunks, { how: "vertical", rechunk: true });
      const name = single ? "capacity" : partName("capacity", { first: f0, entities: config.servers });
      files.push(await writeTable(df, tmp, { name: name, format: config.format, compress: config.compress }));
      rows += df.height;
      schema = schemaOf(df);
      chunks.length = 0;
      await releaseNativeMemory();
    }
    // An empty shard still records the schema.
    schema ??= schemaOf(generateCapacity(config, { from, to: from, timeline }));
    await Deno.writeTextFile(join(tmp, "config.json"), JSON.stringify(resolved, null, 2) + "\n");
    return {
      name: config.name,
      kind: "capacity",
      layer: "synthetic",
      generator: { name: "opslab/capacity", version: GENERATOR_VERSION },
      config: JSON.parse(JSON.stringify(resolved)),
      seed: config.seed,
      primary_table: "capacity",
      tables: { capacity: { rows, schema, files } },
      classification: config.classification,
      retention_days: config.retention_days,
      lineage: [{ source: "opslab/capacity", relation: "generated from config and seed" }],
      ...(shard ? { shard } : {}),
      stats: { servers: config.servers, timestamps: timeline.ms.length, holidays: timeline.holidayDates.length },
    };
  }, { created });
}
