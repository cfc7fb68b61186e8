/** How bad a failed check is: errors fail `deno task validate`, warnings only with `--strict`. */
export type Severity = "error" | "warning" | "info";

/** The outcome of one check on one dataset. */
export interface CheckResult {
  /** Stable id, `<family>.<check>[:<subject>]`, e.g. `completeness.null_rate:cpu_p95`. */
  id: string;
  /** The family: schema, completeness, validity, uniqueness, time, correlation, seasonality, anomalies, pii, integrity. */
  family: string;
  severity: Severity;
  passed: boolean;
  /** What was measured (a number, or a short text). */
  measured: number | string | null;
  /** The rule it is compared with, e.g. `<= 0.01` or `0.80 ± 0.15`. */
  threshold: string;
  /** One short sentence for people. */
  message: string;
  /** Row-level checks that failed: the first failing rows (at most 200, table order), keyed by the table's key. */
  failing_rows?: FailingRows;
}

/** The failing rows of a row-level check (issue 18's row contract). */
export interface FailingRows {
  /** The table's key column names. */
  key: string[];
  /** The key columns, then the offending value columns. */
  columns: string[];
  /** At most 200 rows, in table order, one value per column. */
  rows: unknown[][];
  /** The count of all failing rows. */
  total: number;
}

/** Every check of one dataset, as written to `validation.json`. */
export interface DatasetValidation {
  /** Dataset name (from the manifest) or file path. */
  dataset: string;
  /** The dataset folder or file. */
  path: string;
  kind: string;
  /** Rows of the primary table. */
  rows: number;
  /** Rows of every table, by name, when the dataset has more than one (the summary line shows their sum). */
  table_rows?: Record<string, number>;
  /** When validation ran, ISO 8601. */
  validated: string;
  /**
   * The content checked: `contentFingerprint` of the manifest read when validation started (a dataset folder
   * only). A stored result counts only while the dataset still has this fingerprint; otherwise it is stale.
   */
  content?: string;
  results: CheckResult[];
  /** Counts. */
  summary: { passed: number; failed: number; errors: number; warnings: number };
}
