import type pl from "nodejs-polars";
import { dirname, join } from "node:path";
import { type Classification, commitDataset, type Manifest, schemaOf, writeTable } from "@lib/lake/mod.ts";
import type { InputFile, SourceDoc } from "./files.ts";
import { assertBalanced, type IngestReport } from "./report.ts";

/**
 * A table an ingester has already written as one Parquet file (too large to hold as a frame), with what the
 * manifest says of it; {@linkcode commitIngest} moves the file into the dataset.
 */
export interface WrittenTable {
  /** The Parquet file, on the same file system as the dataset (it is renamed, not copied). */
  path: string;
  /** Its rows. */
  rows: number;
  /** Column name to dtype name. */
  schema: Record<string, string>;
}

function isWritten(table: pl.DataFrame | WrittenTable): table is WrittenTable {
  return typeof (table as { lazy?: unknown }).lazy !== "function" && typeof (table as WrittenTable).path === "string";
}

/** Everything an ingester hands to {@linkcode commitIngest}. */
export interface IngestCommit {
  /** The dataset name, `<modality>/<name>`. */
  name: string;
  /** The dataset kind, e.g. `"nab"`. */
  kind: string;
  /** The ingester, e.g. `{ name: "opslab/ingest/nab", version: "1" }`. */
  generator: { name: string; version: string };
  /** Tables to write as Parquet (frames) or to move in (written files), by name; must include `quarantine`. */
  tables: Record<string, pl.DataFrame | WrittenTable>;
  /** The table the manifest's `rows` and `schema` describe. */
  primary: string;
  /** The ingest report (checked for balance before anything is written). */
  report: IngestReport;
  /** The resolved ingest options. */
  config: Record<string, unknown>;
  /** The raw input root, as given. */
  inputRoot: string;
  /** The raw files read, with their hashes. */
  inputs: readonly InputFile[];
  /** The source's name, page and licence. */
  source: { name: string; url?: string; license?: string; repository?: string; commit?: string; citation?: string };
  /** Licence and readme files to keep beside the processed data, under `source/`. */
  docs?: readonly SourceDoc[];
  /** How sensitive the result is. @default "internal" */
  classification?: Classification;
  /** Days to keep the dataset. @default 365 */
  retentionDays?: number;
  /** The seed of any sampling done. @default null */
  seed?: number | string | null;
}

/** Options of {@linkcode commitIngest}. */
export interface CommitIngestOptions {
  /** The creation time written in the manifest. @default now */
  created?: Date;
}

/**
 * Writes an ingested dataset atomically: every table as Parquet, `report.json`, the source's licence and readme
 * under `source/`, and `manifest.json` with lineage (each raw file with its SHA-256), source and licence. The
 * report is checked first (rows read = written + quarantined), so an unbalanced ingest writes nothing.
 *
 * @param dir the dataset folder, e.g. `data/processed/metrics/nab`
 * @param commit the tables and facts
 * @param options the creation time
 * @returns the manifest written
 * @throws {IngestBalanceError} when the report does not balance
 */
export async function commitIngest(
  dir: string,
  commit: IngestCommit,
  options: CommitIngestOptions = {},
): Promise<Manifest> {
  const { created = new Date() } = options;
  const { classification = "internal", retentionDays = 365, seed = null } = commit;
  assertBalanced(commit.report);
  if (!("quarantine" in commit.tables)) {
    throw new RangeError(`Cannot commit "${commit.name}": tables must include "quarantine"`);
  }
  return await commitDataset(dir, async (tmp) => {
    const tables: Record<string, { rows: number; schema: Record<string, string>; files: string[] }> = {};
    for (const [name, table] of Object.entries(commit.tables)) {
      if (isWritten(table)) {
        const file = `${name}.parquet`;
        await Deno.rename(table.path, join(tmp, file));
        tables[name] = { rows: table.rows, schema: table.schema, files: [file] };
        continue;
      }
      const df = table as pl.DataFrame;
      const file = await writeTable(df, tmp, { name: name });
      tables[name] = { rows: df.height, schema: schemaOf(df), files: [file] };
    }
    await Deno.writeTextFile(join(tmp, "report.json"), JSON.stringify(commit.report, null, 2) + "\n");
    for (const doc of commit.docs ?? []) {
      const path = join(tmp, "source", doc.path);
      await Deno.mkdir(dirname(path), { recursive: true });
      await Deno.writeTextFile(path, doc.text);
    }
    return {
      name: commit.name,
      kind: commit.kind,
      layer: "processed",
      generator: commit.generator,
      config: commit.config,
      seed,
      primary_table: commit.primary,
      tables,
      classification,
      retention_days: retentionDays,
      lineage: commit.inputs.map((f) => ({
        source: `${commit.inputRoot.replace(/\/+$/, "")}/${f.path}`,
        relation: "raw input",
        sha256: f.sha256,
      })),
      source: commit.source,
      stats: commit.report as unknown as Record<string, unknown>,
    };
  }, { created });
}

/**
 * The creation time for a manifest: `SOURCE_DATE_EPOCH` (seconds) when set, so rebuilds are byte-identical,
 * else now.
 * @param env the environment
 * @returns the time
 */
export function createdFromEnv(env: Record<string, string | undefined>): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date();
}
