/**
 * The validation engine: every dataset kind, synthetic or ingested, goes through the same check families, each a
 * small pure function of Polars frames returning {@linkcode CheckResult}s (id, severity, measured value,
 * threshold, pass or fail, a message):
 *
 * - schema, completeness, validity, uniqueness, time and PII per table, derived from the kind's zod record schema
 *   by introspection and run as Polars expressions (never a loop over rows);
 * - PII in every text file of the dataset (logs, gzipped logs, e-mails), streamed line by line;
 * - referential integrity across tables (declared foreign keys);
 * - kind-level families against the targets in the manifest's config: correlation and seasonality (capacity),
 *   anomaly labels and rates (anomalies), the MSP rules (msp).
 *
 * A kind's rules are its descriptor's `validation` section (`lib/kinds/<kind>/`, read through the kind registry;
 * the entry point imports `@lib/kinds/mod.ts`), or a spec registered here with {@linkcode registerKind}; unknown
 * kinds are validated generically against the dtypes their manifest records.
 *
 * A table is a `TableFrame`: a DataFrame in memory, or a `ScannedTable` over its Parquet part files, which
 * {@linkcode loadForValidation} (through the lake's `loadDataset`) makes of tables above `inMemoryRows`. The families
 * only query tables lazily; on a scanned table they aggregate file by file (`aggregateParts`, `stackParts` in
 * `lib/lake`) and build the time index per file, so memory follows one file, not the table.
 *
 * @example
 * ```ts ignore
 * import "@lib/kinds/mod.ts";
 * import { validatePath } from "@lib/validate/mod.ts";
 * const { validation } = await validatePath("data/synthetic/capacity");
 * validation.ok(); // no error-severity check failed
 * console.log(validation.toString());
 * ```
 * @module
 */
export type { CheckResult, DatasetValidation, FailingRows, Severity } from "./types.ts";
export {
  check,
  type CheckInit,
  failures,
  newFailures,
  notMeasured,
  passes,
  skipped,
  summarize,
  ValidationReport,
  ValidationResult,
} from "./result.ts";
export {
  formatMeasured,
  ordered,
  renderSummaryTable,
  renderValidationText,
  statusOf,
  worstFailure,
} from "./_render.ts";
export { type Bound, type ColumnRule, columnRules, rulesFromDtypes } from "./rules.ts";
export { checkSchema, type CheckSchemaOptions } from "./schema.ts";
export { checkCompleteness, type CheckCompletenessOptions } from "./completeness.ts";
export { checkValidity, type CheckValidityOptions } from "./validity.ts";
export { checkUniqueness, type CheckUniquenessOptions } from "./uniqueness.ts";
export {
  checkTime,
  type CheckTimeOptions,
  checkUtc,
  countGaps,
  epochMs,
  formatDuration,
  type TimeIndex,
  timeIndex,
  type TimeSpec,
} from "./time.ts";
export {
  checkCorrelation,
  type CheckCorrelationOptions,
  type MeasuredCorrelation,
  type ResidualCorrelationOptions,
  residualCorrelations,
} from "./correlation.ts";
export {
  checkSeasonality,
  type CheckSeasonalityOptions,
  type Estimate,
  type SeasonalMeasures,
  seasonalMeasures,
  type SeasonalTargets,
} from "./seasonality.ts";
export { type AnomalyColumns, type AnomalyTargets, checkAnomalies, type CheckAnomaliesOptions } from "./anomalies.ts";
export {
  checkPii,
  type CheckPiiOptions,
  PII_KINDS,
  type PiiFinding,
  type PiiKind,
  scanPii,
  type ScanPiiOptions,
  TABLE_PII_KINDS,
} from "./pii.ts";
export { detectPii, type DetectPiiOptions, maskPii, type PiiMatch } from "./pii/detect.ts";
export {
  checkTextPii,
  type CheckTextPiiOptions,
  scanTextFile,
  type ScanTextFileOptions,
  textFiles,
  type TextFileScan,
  type TextPiiFinding,
} from "./pii/text.ts";
export { checkIntegrity, type CheckIntegrityOptions, type ForeignKey } from "./integrity.ts";
export {
  type CheckFamily,
  type KindSpec,
  kindSpec,
  registeredKinds,
  registerKind,
  type TableSpec,
  type ValidationContext,
} from "./registry.ts";
export { validateDataset, type ValidateOptions } from "./validate.ts";
export { failingRows, failingRowsLines, MAX_FAILING_ROWS } from "./_rows.ts";
export { datasetFidelity, fidelityResults } from "./fidelity.ts";
export {
  coerceTable,
  DatasetInputError,
  IN_MEMORY_ROWS,
  type LoadDatasetOptions,
  type LoadedDataset,
  loadForValidation,
  validateLoaded,
  validatePath,
} from "./load.ts";
export {
  type ColumnSummary,
  type DatasetSchemaSummary,
  summarizeDataset,
  summarizeTable,
  type TableSummary,
} from "./summary.ts";
export { readStoredValidation, resultStatus, type StoredStatus, type StoredValidation } from "./stored.ts";
export {
  type CorruptRowsOptions,
  corruptValues,
  duplicateRows,
  repeatTimestamps,
  shuffleInTime,
  shuffleRows,
} from "./corrupt.ts";
export {
  type CheckMspOptions,
  checkMspRules,
  MSP_FOREIGN_KEYS,
  MSP_KEYS,
  mspKind,
  type MspTablesInput,
} from "./kinds/mod.ts";
export { validateMspTables } from "./msp.ts";
