import pl from "nodejs-polars";
import { join } from "node:path";
import { commitDataset, type Manifest, schemaOf, writeTable } from "@lib/lake/mod.ts";
import { type CapacityConfig, capacityEndDate } from "./config.ts";
import { generateCapacity } from "./generate.ts";
import { buildTimeline } from "./timeline.ts";

/** Version of the capacity generator, recorded in manifests; bump when output for a config changes. */
export const GENERATOR_VERSION = "1.0.0";

/** Options of {@linkcode writeCapacityDataset}. */
export interface WriteCapacityOptions {
  /** Creation time for the manifest. @default now */
  created?: Date;
  /** Called after each chunk with the rows it added. @default none */
  onRows?: (rows: number) => void;
}

/**
 * Generates a capacity dataset chunk by chunk and commits it atomically to `dir` with its manifest and the
 * resolved `config.json`. The only file-system step of the generator; the generation itself stays pure.
 *
 * @param config a resolved config
 * @param dir the dataset folder, e.g. `data/synthetic/capacity`
 * @param options creation time and progress callback
 * @returns the manifest written
 */
export async function writeCapacityDataset(
  config: CapacityConfig,
  dir: string,
  options: WriteCapacityOptions = {},
): Promise<Manifest> {
  const { created, onRows } = options;
  const resolved = { ...config, end_date: capacityEndDate(config), years: undefined };
  const timeline = buildTimeline(config);
  return await commitDataset(dir, async (tmp) => {
    const chunks: pl.DataFrame[] = [];
    for (let from = 0; from < config.servers; from += config.chunk_servers) {
      const to = Math.min(config.servers, from + config.chunk_servers);
      const chunk = generateCapacity(config, { from, to, timeline });
      chunks.push(chunk);
      onRows?.(chunk.height);
    }
    const df = chunks.length === 1 ? chunks[0] : pl.concat(chunks, { how: "vertical", rechunk: true });
    const file = await writeTable(df, tmp, "capacity", { format: config.format, compress: config.compress });
    await Deno.writeTextFile(join(tmp, "config.json"), JSON.stringify(resolved, null, 2) + "\n");
    return {
      name: config.name,
      kind: "capacity",
      layer: "synthetic",
      generator: { name: "opslab/capacity", version: GENERATOR_VERSION },
      config: JSON.parse(JSON.stringify(resolved)),
      seed: config.seed,
      primary_table: "capacity",
      tables: { capacity: { rows: df.height, schema: schemaOf(df), files: [file] } },
      classification: config.classification,
      retention_days: config.retention_days,
      lineage: [{ source: "opslab/capacity", relation: "generated from config and seed" }],
      stats: { servers: config.servers, timestamps: timeline.ms.length, holidays: timeline.holidayDates.length },
    };
  }, { created });
}
