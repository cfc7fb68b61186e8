/** One shard of a dataset: `index` of `count`, zero-based. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Parses `k/n` (zero-based k < n), as given to `--shard` or taken from a batch scheduler's index
 * (Kubernetes Indexed Jobs: `--shard $JOB_COMPLETION_INDEX/N`).
 * @param text the shard spec
 * @returns the shard
 * @throws {RangeError} naming the value and the rule
 */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new RangeError(`Invalid shard "${text}": expected k/n, e.g. 0/4`);
  const index = Number(m[1]), count = Number(m[2]);
  if (count < 1 || index >= count) {
    throw new RangeError(`Invalid shard "${text}": k must be in 0..n-1 and n >= 1`);
  }
  return { index, count };
}

/**
 * The entities `[from, to)` of a shard: contiguous, disjoint ranges whose union is `[0, total)`.
 * @param total how many entities
 * @param shard the shard
 * @returns the range
 */
export function shardRange(total: number, shard: Shard): { from: number; to: number } {
  return {
    from: Math.floor((shard.index * total) / shard.count),
    to: Math.floor(((shard.index + 1) * total) / shard.count),
  };
}

/**
 * The folder one shard writes to, beside the dataset folder: `<dir>.shards/part-<k>-of-<n>`.
 * @param dir the dataset folder
 * @param shard the shard
 * @returns the shard folder
 */
export function shardDir(dir: string, shard: Shard): string {
  return `${dir}.shards/part-${shard.index}-of-${shard.count}`;
}
