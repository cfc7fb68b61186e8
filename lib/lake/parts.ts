import type pl from "nodejs-polars";
import { join } from "node:path";
import type { ManifestTable } from "./manifest.ts";
import { schemaOf, writeTable } from "./table.ts";

/** Options of {@linkcode writeParts}. */
export interface WritePartsOptions {
  /** The table's folder, relative to the dataset folder. */
  folder: string;
  /** The part name prefix: parts are `<folder>/<name>-00000.parquet`, … */
  name: string;
  /** Called with the rows of each part written. @default none */
  onRows?: (rows: number) => void;
  /** The schema to record when no frame came. @default {} */
  emptySchema?: () => Record<string, string>;
}

/**
 * Writes frames as numbered part files of one table (`<folder>/<name>-00000.parquet`, …), one per frame, as they
 * come, so memory follows one frame.
 * @param root the dataset folder being written
 * @param frames the frames, in order
 * @param options the folder and part name; `onRows` after each part; `emptySchema` when no frame came
 * @returns the table's manifest entry
 */
export async function writeParts(
  root: string,
  frames: Iterable<pl.DataFrame>,
  options: WritePartsOptions,
): Promise<ManifestTable> {
  const { folder, name, onRows, emptySchema } = options;
  const dir = join(root, folder);
  await Deno.mkdir(dir, { recursive: true });
  const files: string[] = [];
  let rows = 0;
  let schema: Record<string, string> = {};
  for (const df of frames) {
    const file = await writeTable(df, dir, { name: `${name}-${String(files.length).padStart(5, "0")}` });
    files.push(`${folder}/${file}`);
    rows += df.height;
    schema = schemaOf(df);
    onRows?.(df.height);
  }
  if (files.length === 0 && emptySchema) schema = emptySchema();
  return { rows, schema, files };
}

/**
 * The file name (without extension) of a part of a table split by entity: `<table>/part-<first entity>`, the
 * number padded to the width of the largest entity count (at least 5 digits), so parts sort by entity. Parts of
 * every shard of a dataset get disjoint names, so merging shards is moving files.
 * @param table the table name
 * @param part `first`: the index of the part's first entity; `entities`: how many the whole dataset has
 * @returns the name, relative to the dataset folder
 * @example
 * ```ts
 * import { partName } from "@lib/lake/mod.ts";
 * partName("capacity", { first: 28, entities: 120 }); // "capacity/part-00028"
 * ```
 */
export function partName(table: string, part: { first: number; entities: number }): string {
  const { first, entities } = part;
  return `${table}/part-${String(first).padStart(Math.max(5, String(entities).length), "0")}`;
}
