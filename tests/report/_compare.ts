/** Two small capacity datasets and a file derived from one, for the compare tests; all in a temp folder. */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import pl from "nodejs-polars";
import { join } from "node:path";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import { scanTable } from "@lib/lake/mod.ts";
import { readManifest } from "@lib/lake/mod.ts";

const CREATED = new Date("2026-01-01T00:00:00Z");

/** The lake of {@linkcode makeCompareLake}. */
export interface CompareLake {
  /** The lake root (a temp folder, removed by the caller). */
  root: string;
  /** `synthetic/capacity`: hourly, 8 servers, 2024-01-01 to 2024-02-29, seed 42, in 4 files. */
  a: string;
  /** `synthetic/capacity-7`: the same config with seed 7. */
  b: string;
  /** A CSV of A's table with `cpu_p95` raised by 25 points and every other column as is (outside the lake). */
  shifted: string;
  /** A CSV sharing no column with A. */
  unrelated: string;
}

/**
 * Writes the lake and files.
 * @returns their paths
 */
export async function makeCompareLake(): Promise<CompareLake> {
  const root = await Deno.makeTempDir({ prefix: "opslab-compare-" });
  const a = join(root, "synthetic", "capacity"), b = join(root, "synthetic", "capacity-7");
  // Four files of 3,000 rows a table: read in memory or scanned file by file (--in-memory-rows), the same sample.
  const flags = {
    servers: 8,
    start_date: "2024-01-01",
    end_date: "2024-02-29",
    granularity: "hourly",
    rows_per_file: 3000,
  };
  await writeCapacityDataset(
    resolveConfig(CapacityConfig, { flags: { ...flags, seed: 42 }, what: "capacity" }),
    a,
    { created: CREATED },
  );
  await writeCapacityDataset(
    resolveConfig(CapacityConfig, { flags: { ...flags, seed: 7, name: "capacity-7" }, what: "capacity" }),
    b,
    { created: CREATED },
  );
  const df = scanTable(a, await readManifest(a)).collectSync();
  const shifted = join(root, "shifted.csv");
  df.withColumns(pl.col("cpu_p95").add(25).alias("cpu_p95")).writeCSV(shifted);
  const unrelated = join(root, "unrelated.csv");
  await Deno.writeTextFile(unrelated, "foo,bar\n1,2\n3,4\n");
  return { root, a, b, shifted, unrelated };
}
