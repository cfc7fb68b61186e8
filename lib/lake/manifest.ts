import { z } from "zod";

/** How sensitive a dataset is; synthetic data defaults to `internal`. */
export const Classification = z.enum(["public", "internal", "confidential", "restricted"]);
/** How sensitive a dataset is. */
export type Classification = z.infer<typeof Classification>;

/** The lake layer a dataset lives in. */
export const Layer = z.enum(["raw", "processed", "synthetic"]);
/** The lake layer a dataset lives in. */
export type Layer = z.infer<typeof Layer>;

/** One file of a dataset, relative to the dataset folder. */
export const ManifestFile = z.strictObject({
  path: z.string(),
  bytes: z.int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
/** One file of a dataset. */
export type ManifestFile = z.infer<typeof ManifestFile>;

/** One table of a dataset: its row count, column dtypes and files. */
export const ManifestTable = z.strictObject({
  rows: z.int().nonnegative(),
  schema: z.record(z.string(), z.string()),
  files: z.array(z.string()),
});
/** One table of a dataset. */
export type ManifestTable = z.infer<typeof ManifestTable>;

/** What a dataset was made from. */
export const LineageEntry = z.strictObject({
  /** A dataset name or a path or URL. */
  source: z.string(),
  /** How it was used. */
  relation: z.string(),
  sha256: z.string().optional(),
});
/** What a dataset was made from. */
export type LineageEntry = z.infer<typeof LineageEntry>;

/** `manifest.json`, written beside every dataset in the lake. */
export const Manifest = z.strictObject({
  manifest_version: z.literal(1),
  name: z.string().min(1),
  kind: z.string().min(1),
  layer: Layer,
  generator: z.strictObject({ name: z.string(), version: z.string() }),
  config: z.record(z.string(), z.unknown()),
  seed: z.union([z.number(), z.string()]).nullable(),
  /** Rows of the primary table. */
  rows: z.int().nonnegative(),
  /** Column dtypes of the primary table. */
  schema: z.record(z.string(), z.string()),
  primary_table: z.string(),
  tables: z.record(z.string(), ManifestTable),
  files: z.array(ManifestFile),
  created: z.iso.datetime(),
  classification: Classification,
  retention_days: z.int().positive(),
  lineage: z.array(LineageEntry),
  /** Where ingested data come from: name, page, licence, and for data taken from a repository its commit and citation. */
  source: z.strictObject({
    name: z.string(),
    url: z.string().optional(),
    license: z.string().optional(),
    repository: z.string().optional(),
    commit: z.string().optional(),
    citation: z.string().optional(),
  }).optional(),
  /** Set on the output of one shard (`--shard index/count`); a merged dataset has none. */
  shard: z.strictObject({ index: z.int().nonnegative(), count: z.int().positive() }).optional(),
  /** Free-form facts the generator measured (achieved contamination, quarantine counts, ...). */
  stats: z.record(z.string(), z.unknown()).optional(),
});
/** `manifest.json`, written beside every dataset in the lake. */
export type Manifest = z.infer<typeof Manifest>;

/** What a writer supplies; the lake adds files, hashes and times. */
export type ManifestDraft = Omit<Manifest, "manifest_version" | "files" | "created" | "rows" | "schema">;
