/**
 * The real public sources opslab ingests, read from the kind registry: each source is declared once, in its kind's
 * folder (`lib/kinds/<kind>/mod.ts`, `sources`), and `deno task ingest`, `deno task fetch` and the ingesters read
 * it from there.
 * @module
 */
import { listSources, type SourceInfo, sourceInfo } from "@lib/kinds/registry.ts";

export type { SourceInfo };

/**
 * A registered source.
 * @param id the source's id (`nab`, `msp-api`)
 * @returns its description
 * @throws {RangeError} for an id no kind registers
 */
export function ingestSource(id: string): SourceInfo {
  const source = sourceInfo(id);
  if (source === undefined) {
    throw new RangeError(
      `Unknown source "${id}": expected one of ${listSources().map((s) => s.id).join(", ")}`,
    );
  }
  return source;
}

/**
 * The sources `deno task fetch` downloads from Kaggle (those naming a Kaggle dataset).
 * @returns the sources, in registration order
 */
export function kaggleSources(): SourceInfo[] {
  return listSources().filter((s) => s.kaggle !== undefined);
}

/**
 * The lake-relative dataset name of a source, `<modality>/<name>`, as {@linkcode datasetDir} takes it.
 * @param id the source
 * @returns e.g. `"metrics/nab"`
 */
export function sourceDatasetName(id: string): string {
  const s = ingestSource(id);
  return `${s.modality}/${s.name}`;
}

/** Options of {@linkcode rawDirOr}. */
export interface RawDirOrOptions {
  /** The lake root. @default "data" */
  lake?: string;
}

/**
 * The raw folder of a source when it holds files (after `deno task fetch`), else a fallback (e.g. the test
 * fixtures), so notebooks and demos run on real data when it is there.
 * @param id the source
 * @param fallback the folder to use otherwise
 * @param options the lake root
 * @returns the folder to read
 */
export async function rawDirOr(id: string, fallback: string, options: RawDirOrOptions = {}): Promise<string> {
  const { lake = "data" } = options;
  const s = ingestSource(id);
  const dir = `${lake.replace(/\/+$/, "")}/raw/${s.modality}/${s.name}`;
  try {
    for await (const e of Deno.readDir(dir)) if (!e.name.startsWith(".")) return dir;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return fallback;
}
