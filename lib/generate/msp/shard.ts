/**
 * Sharded MSP datasets: a shard is a contiguous range of service desks (`--shard k/n` over `desks`), written beside
 * the dataset as `<dir>.shards/part-k-of-n/` with every table a folder of part files named by the shard's first
 * desk; the merge recomputes the one table that sums over every desk (`service_delivery_daily`) from the shards'
 * tickets, checks the whole dataset, and links everything into place with the lake's shared merge step.
 * @module
 */
import { join } from "node:path";
import pl from "nodejs-polars";
import {
  commitDataset,
  type Manifest,
  type ManifestDraft,
  mergeShards,
  readManifest,
  scanTable,
  schemaOf,
  sha256File,
  type Shard,
  shardDir,
  shardRange,
  writeTable,
} from "@lib/lake/mod.ts";
import { type CheckResult, validateMspTables } from "@lib/validate/mod.ts";
import { MspConfig } from "./config.ts";
import { deriveServiceDeliveryDaily } from "@lib/schema/msp/derive.ts";
import { generateMsp, mspPeriod, mspStats, type MspTables } from "./generate.ts";
import { MSP_TABLES } from "@lib/schema/msp/tables.ts";

/** Name and version of the generator, as the manifests record them. */
export const MSP_GENERATOR = { name: "opslab/generate/msp", version: "1" } as const;

/** The table written at merge time from every shard's tickets. */
const DAILY = "service_delivery_daily";

function partName(table: string, firstDesk: number, desks: number): string {
  return `${table}/part-${String(firstDesk).padStart(Math.max(5, String(desks).length), "0")}`;
}

/** The manifest draft of an MSP dataset or shard: the parts every MSP write shares. */
function mspDraft(
  config: MspConfig,
  tables: ManifestDraft["tables"],
  lineage: ManifestDraft["lineage"],
  stats: Record<string, unknown>,
  shard?: Shard,
): ManifestDraft {
  return {
    name: config.name,
    kind: "msp",
    layer: "synthetic",
    generator: { ...MSP_GENERATOR },
    config: config as unknown as Record<string, unknown>,
    seed: config.seed,
    primary_table: "tickets",
    tables,
    classification: config.classification,
    retention_days: config.retention_days,
    lineage,
    ...(shard ? { shard } : {}),
    stats,
  };
}

/** Options of {@linkcode writeMspDataset}. */
export interface WriteMspDatasetOptions extends Omit<WriteMspShardOptions, "shard"> {
  /** Write even when consistency checks fail (they are still returned). @default false */
  skipChecks?: boolean;
}

/** What {@linkcode writeMspDataset} returns: the manifest (none when checks failed) and every check result. */
export interface WriteMspDatasetResult {
  manifest?: Manifest;
  results: CheckResult[];
}

/**
 * Generates a whole MSP dataset, runs every consistency check, and writes it atomically to `dir` (one file per
 * table) unless an error-severity check fails and `skipChecks` is off: then nothing is written.
 *
 * @param config the resolved config
 * @param dir the dataset folder
 * @param options creation time, incidents, lineage, skipChecks
 * @returns the manifest (undefined when nothing was written) and the check results
 */
export async function writeMspDataset(
  config: MspConfig,
  dir: string,
  options: WriteMspDatasetOptions = {},
): Promise<WriteMspDatasetResult> {
  const { created, incidents, lineage = [], skipChecks = false } = options;
  const dataset = generateMsp(config, { incidents });
  // The engine validates the tables as it would the stored dataset; an error keeps them from being committed.
  const results = validateMspTables(dataset.tables, { name: config.name });
  const failed = results.filter((r) => !r.passed && r.severity === "error");
  if (failed.length > 0 && !skipChecks) return { results };
  const manifest = await commitDataset(dir, async (tmp) => {
    const tables: ManifestDraft["tables"] = {};
    for (const name of MSP_TABLES) {
      const df = dataset.tables[name];
      tables[name] = {
        rows: df.height,
        schema: schemaOf(df),
        files: [await writeTable(df, tmp, { name: name, format: config.format })],
      };
    }
    // The resolved config beside the tables, as every generator writes it (reusable with --config).
    await Deno.writeTextFile(join(tmp, "config.json"), JSON.stringify(config, null, 2) + "\n");
    return mspDraft(config, tables, lineage, {
      ...dataset.stats,
      bursts: dataset.bursts.length,
      checks_passed: results.filter((r) => r.passed).length,
      checks_failed: failed.length,
    });
  }, { created });
  return { manifest, results };
}

/** Options of {@linkcode writeMspShard}. */
export interface WriteMspShardOptions {
  /** The shard to write. */
  shard: Shard;
  /** Creation time of the shard manifest. @default now */
  created?: Date;
  /** An incident timeline replacing the synthetic bursts (see `generateMsp`). @default undefined */
  incidents?: pl.DataFrame;
  /** Lineage entries of the dataset (e.g. the incident timeline's source). @default [] */
  lineage?: ManifestDraft["lineage"];
}

/**
 * Generates and writes one shard of an MSP dataset: the desks `shardRange(desks, shard)` with their clients,
 * technicians, tickets, SLA metrics and productivity rows, exactly as the unsharded dataset has them, into
 * `<dir>.shards/part-k-of-n/`. A shard of no desk (more shards than desks) writes empty tables, so it still merges.
 * `service_delivery_daily` is listed without files: {@linkcode mergeMspShards} computes it.
 *
 * @param config the resolved config
 * @param dir the dataset folder the shards are merged into
 * @param options the shard, creation time, incidents, lineage
 * @returns the shard manifest
 * @example
 * ```ts ignore
 * const config = MspConfig.parse({ desks: 4 });
 * for (let index = 0; index < 3; index++) await writeMspShard(config, "/tmp/msp", { shard: { index, count: 3 } });
 * await mergeMspShards("/tmp/msp");
 * ```
 */
export async function writeMspShard(
  config: MspConfig,
  dir: string,
  options: WriteMspShardOptions,
): Promise<Manifest> {
  const { shard, created, incidents, lineage = [] } = options;
  const desks = shardRange(config.desks, shard);
  const dataset = generateMsp(config, { incidents, desks });
  return await commitDataset(shardDir(dir, shard), async (tmp) => {
    const tables: ManifestDraft["tables"] = {};
    for (const name of MSP_TABLES) {
      const df = dataset.tables[name];
      const files: string[] = [];
      // An empty shard writes no file: its first desk is the next shard's, whose part names it would take.
      if (name !== DAILY && desks.to > desks.from) {
        await Deno.mkdir(join(tmp, name), { recursive: true });
        files.push(
          await writeTable(df, tmp, { name: partName(name, desks.from, config.desks), format: config.format }),
        );
      }
      tables[name] = { rows: files.length > 0 ? df.height : 0, schema: schemaOf(df), files };
    }
    await Deno.writeTextFile(join(tmp, "config.json"), JSON.stringify(config, null, 2) + "\n");
    return mspDraft(config, tables, lineage, {
      tickets_from_bursts: dataset.stats.tickets_from_bursts,
      bursts: dataset.bursts.length,
      desks_from: desks.from,
      desks_to: desks.to,
    }, shard);
  }, { created });
}

/** Options of {@linkcode mergeMspShards}. */
export interface MergeMspShardsOptions {
  /** Creation time of the dataset manifest. @default now */
  created?: Date;
  /** Merge even when a consistency check of the whole dataset fails. @default false */
  skipChecks?: boolean;
}

/** What {@linkcode mergeMspShards} returns. */
export interface MergeMspShardsResult {
  /** The dataset manifest. */
  manifest: Manifest;
  /** The consistency checks run on the merged tables. */
  results: CheckResult[];
}

async function shardsOf(dir: string): Promise<{ dir: string; manifest: Manifest }[]> {
  const root = `${dir}.shards`;
  try {
    const names = (await Array.fromAsync(Deno.readDir(root)))
      .filter((e) => e.isDirectory && !e.name.startsWith(".")).map((e) => e.name).sort();
    return await Promise.all(
      names.map(async (n) => ({ dir: join(root, n), manifest: await readManifest(join(root, n)) })),
    );
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/**
 * Merges the shards written beside an MSP dataset into it. `service_delivery_daily` sums over every desk, so it is
 * recomputed here from all the shards' tickets and technicians (the same derivation as an unsharded run) and
 * handed to the lake's merge as shard 0's part; the whole dataset is then validated by the engine (`validateMspTables`), and the
 * manifest's stats are those of an unsharded run. Missing or foreign shards are refused by `mergeShards`.
 *
 * @param dir the dataset folder
 * @param options creation time, whether failed checks still merge
 * @returns the manifest and the check results
 * @throws {Error} when a consistency check fails (nothing is merged), or a `ShardMergeError`
 */
export async function mergeMspShards(dir: string, options: MergeMspShardsOptions = {}): Promise<MergeMspShardsResult> {
  const { created, skipChecks = false } = options;
  const shards = await shardsOf(dir);
  const count = shards[0]?.manifest.shard?.count;
  const first = shards.find((s) => s.manifest.shard?.index === 0);
  const complete = count !== undefined && first !== undefined && shards.length === count &&
    new Set(shards.map((s) => s.manifest.shard?.index)).size === count &&
    shards.every((s) =>
      s.manifest.shard?.count === count && s.manifest.kind === "msp" &&
      JSON.stringify(s.manifest.config) === JSON.stringify(first.manifest.config) &&
      s.manifest.seed === first.manifest.seed
    );
  // Anything incomplete or foreign: the lake's merge names what is wrong.
  if (!complete) return { manifest: await mergeShards(dir, { created }), results: [] };

  const config = MspConfig.parse(first.manifest.config);
  const period = mspPeriod(config);
  const empty = generateMsp(config, { desks: { from: 0, to: 0 } }).tables;
  const read = (name: string): pl.DataFrame => {
    const parts = shards.filter((s) => (s.manifest.tables[name]?.files.length ?? 0) > 0)
      .map((s) => scanTable(s.dir, s.manifest, { table: name }).collectSync());
    return parts.length === 0 ? empty[name as keyof MspTables] : pl.concat(parts, { how: "vertical" });
  };
  const tables = Object.fromEntries(
    MSP_TABLES.filter((n) => n !== DAILY).map((n) => [n, read(n)]),
  ) as Omit<MspTables, typeof DAILY>;
  const daily = deriveServiceDeliveryDaily({ tickets: tables.tickets, technicians: tables.technicians }, period);
  const all: MspTables = { ...tables, [DAILY]: daily };
  const results = validateMspTables(all, { name: config.name });
  const failed = results.filter((r) => !r.passed && r.severity === "error");
  if (failed.length > 0 && !skipChecks) {
    throw new Error(
      `Cannot merge "${dir}": ${failed.length} consistency check(s) failed, nothing merged (first: ${failed[0].id}: ${
        failed[0].message
      })`,
    );
  }
  const burstTickets = shards.reduce((s, x) => s + Number(x.manifest.stats?.tickets_from_bursts ?? 0), 0);
  const stats = {
    ...mspStats(all, burstTickets),
    bursts: Number(first.manifest.stats?.bursts ?? 0),
    checks_passed: results.filter((r) => r.passed).length,
    checks_failed: failed.length,
  };

  // Shard 0 carries the daily table; written again on every attempt, so a failed merge can simply be rerun.
  await Deno.mkdir(join(first.dir, DAILY), { recursive: true });
  const file = await writeTable(daily, first.dir, { name: partName(DAILY, 0, config.desks), format: config.format });
  const full = join(first.dir, file);
  const entry = { path: file, bytes: (await Deno.stat(full)).size, sha256: await sha256File(full) };
  const manifest: Manifest = {
    ...first.manifest,
    tables: { ...first.manifest.tables, [DAILY]: { rows: daily.height, schema: schemaOf(daily), files: [file] } },
    files: [...first.manifest.files.filter((f) => f.path !== file), entry].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0
    ),
  };
  const tmp = join(first.dir, "manifest.json.tmp");
  await Deno.writeTextFile(tmp, JSON.stringify(manifest, null, 2) + "\n");
  await Deno.rename(tmp, join(first.dir, "manifest.json"));

  return { manifest: await mergeShards(dir, { created, combineStats: () => stats }), results };
}
