import pl from "nodejs-polars";
import { partsOf, stackParts, type TableFrame } from "@lib/lake/mod.ts";
import { entityStream } from "@lib/random/mod.ts";

/** Options of {@linkcode sampleRows}. */
export interface SampleRowsOptions {
  /** Most rows taken. @default 200,000 */
  max?: number;
  /** Seed of the draw. @default 42 */
  seed?: number;
  /** The stream's entity, e.g. `compare:<table>`: the same table, seed and entity give the same rows. */
  entity: string;
}

/**
 * `k` distinct row positions out of `n`, sorted, drawn by Floyd's algorithm from the stream: k draws, whatever n.
 * @param n rows
 * @param k positions wanted (at most n)
 * @param options seed and entity of the stream
 * @returns the positions, ascending
 */
export function samplePositions(n: number, k: number, options: { seed: number; entity: string }): Float64Array {
  const rng = entityStream(options.seed, { dataset: "report", entity: options.entity });
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = rng.int(0, j);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Float64Array.from(chosen).sort();
}

/**
 * A bounded, seeded sample of a table's rows (whole rows, so columns stay paired for correlations): every row when
 * the table has at most `max`, else `max` rows at positions drawn from the stream `(seed, "report", entity)`, in
 * table order. Goes part by part (one file of a scanned table at a time), so memory follows the sample, not the
 * table.
 * @param table the table
 * @param columns the columns to keep
 * @param options size, seed and stream entity
 * @returns the sampled rows
 */
export function sampleRows(table: TableFrame, columns: string[], options: SampleRowsOptions): pl.DataFrame {
  const { max = 200_000, seed = 42, entity } = options;
  const n = table.height;
  if (n <= max) return stackParts(table, (part) => part.select(...columns.map((c) => pl.col(c)))).collectSync();
  const positions = samplePositions(n, max, { seed, entity });
  const parts = partsOf(table);
  const starts: number[] = [];
  let offset = 0;
  for (const p of parts) {
    starts.push(offset);
    offset += p.height;
  }
  let from = 0;
  const wanted = parts.map((p, i) => {
    const end = starts[i] + p.height;
    let to = from;
    while (to < positions.length && positions[to] < end) to++;
    const local = Array.from(positions.subarray(from, to), (v) => v - starts[i]);
    from = to;
    return local;
  });
  // A semi join on the row position, sorted back into table order (sums over the sample then add up alike).
  return stackParts(table, (part, i) =>
    part.select(...columns.map((c) => pl.col(c))).withRowIndex("__row")
      .withColumns(pl.col("__row").cast(pl.Int64))
      .join(pl.DataFrame({ __row: pl.Series("__row", wanted[i], pl.Int64) }).lazy(), { on: "__row", how: "semi" })
      .sort("__row").drop("__row")).collectSync();
}
