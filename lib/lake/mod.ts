/**
 * The local data lake: `data/raw/<modality>/`, `data/processed/<modality>/`, `data/synthetic/<dataset>/`, each
 * dataset written atomically with a `manifest.json` (files and checksums, schema, config, lineage, retention).
 *
 * @example
 * ```ts ignore
 * import { listDatasets } from "@lib/lake/mod.ts";
 * for (const e of await listDatasets("data")) console.log(e.dir, e.manifest?.rows);
 * ```
 * @module
 */
export {
  Classification,
  Layer,
  LineageEntry,
  Manifest,
  type ManifestDraft,
  ManifestFile,
  ManifestTable,
} from "./manifest.ts";
export { datasetDir, DEFAULT_LAKE_ROOT } from "./paths.ts";
export { sha256File } from "./hash.ts";
export { contentFingerprint } from "./fingerprint.ts";
export { commitDataset, type CommitDatasetOptions } from "./commit.ts";
export { dtypeName, schemaOf, type TableFormat, writeTable, type WriteTableOptions } from "./table.ts";
export { checkParquetFile, readTable, TableReadError } from "./read.ts";
export {
  aggregateParts,
  collectParts,
  type Combine,
  engineFor,
  inMemory,
  lazyTable,
  partsOf,
  type ScannedFile,
  ScannedTable,
  scanTable,
  stackParts,
  STREAMING,
  type TableFrame,
} from "./scan.ts";
export { parseShard, type Shard, shardDir, shardRange } from "./shard.ts";
export { mergeShards, type MergeShardsOptions, ShardMergeError } from "./merge.ts";
export { releaseNativeMemory } from "./memory.ts";
export {
  type CatalogEntry,
  expiredDatasets,
  expiresAt,
  leavesFolder,
  listDatasets,
  type ListDatasetsOptions,
  missingFiles,
  readManifest,
} from "./catalog.ts";
export {
  abandonWrites,
  atAbandon,
  DatasetBusyError,
  type DatasetLock,
  isLockHeld,
  lockDataset,
  type LockOwner,
  lockPath,
  onInterruptWhileWriting,
} from "./lock.ts";
export {
  checkLakeRoot,
  findLeftovers,
  isInside,
  type Leftover,
  removeWithin,
  restoreSwaps,
  tidyDataset,
} from "./leftovers.ts";
export { assertReplaceable, claimOutput, type ClaimOutputOptions, OutputRefusedError } from "./guard.ts";
export {
  coerceTable,
  DatasetInputError,
  IN_MEMORY_ROWS,
  type LakeDataset,
  loadDataset,
  type LoadDatasetOptions,
  type ParseOutcome,
} from "./load.ts";
export { type LabeledLines, LabelPartWriter, type LabelPartWriterOptions, LogFileWriter } from "./logs.ts";
export { partName, writeParts, type WritePartsOptions } from "./parts.ts";
