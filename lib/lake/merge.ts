import { basename, dirname, join } from "node:path";
import { readManifest } from "./catalog.ts";
import { commitDataset, type CommitDatasetOptions } from "./commit.ts";
import { isLockHeld, lockPath } from "./lock.ts";
import type { Manifest, ManifestTable } from "./manifest.ts";

/** Shards that cannot be merged: missing, duplicated, or made from different configs. */
export class ShardMergeError extends Error {
  /** @param message one line */
  constructor(message: string) {
    super(message);
    this.name = "ShardMergeError";
  }
}

function comparable(m: Manifest): string {
  return JSON.stringify({
    kind: m.kind,
    generator: m.generator,
    config: m.config,
    seed: m.seed,
    tables: Object.keys(m.tables),
  });
}

/** Options of {@linkcode mergeShards}. */
export interface MergeShardsOptions extends CommitDatasetOptions {
  /**
   * Combines the shards' `stats` into the dataset's (counts add up, rates are recomputed).
   * @default the first shard's stats, for generators whose stats describe the config rather than the rows
   */
  combineStats?: (stats: Record<string, unknown>[]) => Record<string, unknown>;
}

/**
 * Merges the shards written beside a dataset (`<dir>.shards/part-k-of-n/`) into the dataset itself: checks that all
 * n shards are there, made by the same generator from the same config and seed, links their part files into one
 * folder per table and their other files (config, raw logs) beside them, and writes the dataset manifest (rows
 * summed, hashes taken from the shards' manifests), atomically. The shard folders are removed once the dataset is
 * in place.
 *
 * @param dir the dataset folder
 * @param options the creation time
 * @returns the dataset manifest
 * @throws {ShardMergeError} naming what is missing or inconsistent
 */
export async function mergeShards(dir: string, options: MergeShardsOptions = {}): Promise<Manifest> {
  const { combineStats } = options;
  const root = `${dir}.shards`;
  let names: string[];
  try {
    names = (await Array.fromAsync(Deno.readDir(root))).filter((e) => e.isDirectory && !e.name.startsWith("."))
      .map((e) => e.name).sort();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new ShardMergeError(`Cannot merge "${dir}": no shards in ${root}`);
    throw e;
  }
  // A shard still being written (its lock held) would be merged half-swapped, or not at all.
  for (const n of names) {
    if (isLockHeld(lockPath(join(root, n)))) {
      throw new ShardMergeError(`Cannot merge "${dir}": ${join(root, n)} is still being written by another run`);
    }
  }
  const shards = await Promise.all(
    names.map(async (n) => ({ dir: join(root, n), manifest: await readManifest(join(root, n)) })),
  );
  if (shards.length === 0) throw new ShardMergeError(`Cannot merge "${dir}": no shards in ${root}`);
  const count = shards[0].manifest.shard?.count;
  if (count === undefined) throw new ShardMergeError(`Cannot merge "${dir}": ${shards[0].dir} is not a shard`);
  const seen = new Set<number>();
  for (const s of shards) {
    const sh = s.manifest.shard;
    if (sh === undefined || sh.count !== count) {
      throw new ShardMergeError(`Cannot merge "${dir}": ${s.dir} is not one of ${count} shards`);
    }
    if (comparable(s.manifest) !== comparable(shards[0].manifest)) {
      throw new ShardMergeError(`Cannot merge "${dir}": ${s.dir} was made from another config, seed or generator`);
    }
    seen.add(sh.index);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new ShardMergeError(
      `Cannot merge "${dir}": missing shard${missing.length > 1 ? "s" : ""} ${
        missing.map((i) => `${i}/${count}`).join(", ")
      }`,
    );
  }
  shards.sort((a, b) => a.manifest.shard!.index - b.manifest.shard!.index);
  const first = shards[0].manifest;
  // Every part file was hashed when its shard was written; linked into place, it need not be read again.
  const known = new Map(shards.flatMap((s) => s.manifest.files.map((f) => [f.path, f] as const)));
  const manifest = await commitDataset(dir, async (tmp) => {
    const tables: Record<string, ManifestTable> = {};
    for (const [name, t] of Object.entries(first.tables)) tables[name] = { rows: 0, schema: t.schema, files: [] };
    for (const s of shards) {
      for (const [name, t] of Object.entries(s.manifest.tables)) {
        tables[name].rows += t.rows;
        for (const file of t.files) {
          // Shards keep their part files under <table>/, named by their first entity, so names never clash.
          const target = join(tmp, file);
          await Deno.mkdir(dirname(target), { recursive: true });
          try {
            await Deno.stat(target);
            throw new ShardMergeError(`Cannot merge "${dir}": file ${file} is in more than one shard`);
          } catch (e) {
            if (!(e instanceof Deno.errors.NotFound)) throw e;
          }
          // A hard link is instant and needs no space; copy where links are not possible (another file system).
          await Deno.link(join(s.dir, file), target).catch(() => Deno.copyFile(join(s.dir, file), target));
          tables[name].files.push(file);
        }
      }
    }
    for (const t of Object.values(tables)) t.files.sort();
    // Files outside the tables: the resolved config.json is the same in every shard; raw files (logs, e-mails)
    // differ by shard. Every shard's are linked in; a path two shards hold with different contents is refused.
    const placed = new Map<string, string>();
    for (const s of shards) {
      const tableFiles = new Set(Object.values(s.manifest.tables).flatMap((t) => t.files));
      for (const f of s.manifest.files.filter((f) => !tableFiles.has(f.path))) {
        const had = placed.get(f.path);
        if (had !== undefined) {
          if (had !== f.sha256) {
            throw new ShardMergeError(`Cannot merge "${dir}": file ${f.path} differs between shards`);
          }
          continue;
        }
        const target = join(tmp, f.path);
        await Deno.mkdir(dirname(target), { recursive: true });
        await Deno.link(join(s.dir, f.path), target).catch(() => Deno.copyFile(join(s.dir, f.path), target));
        placed.set(f.path, f.sha256);
      }
    }
    const { shard: _s, files: _f, created: _c, rows: _r, schema: _sc, manifest_version: _v, ...rest } = first;
    return {
      ...rest,
      tables,
      lineage: [...first.lineage, { source: basename(root), relation: `merged from ${count} shards` }],
      stats: {
        ...(combineStats ? combineStats(shards.map((s) => s.manifest.stats ?? {})) : first.stats),
        shards: count,
      },
    };
  }, { created: options.created, known });
  await Deno.remove(root, { recursive: true });
  return manifest;
}
