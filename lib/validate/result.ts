import type { CheckResult, DatasetValidation, Severity } from "./types.ts";
import { renderSummaryHtml, renderSummaryTable, renderValidationHtml, renderValidationText } from "./_render.ts";
import { type FamilyLevel, familyLevel } from "./_stats.ts";

/** The fields of a {@linkcode CheckResult} a check supplies; `family` comes from the id when left out. */
export type CheckInit = Omit<CheckResult, "family"> & { family?: string };

/**
 * Builds a check result, taking the family from the id (`<family>.<check>[:<subject>]`) when not given.
 * @param init the fields
 * @returns the result
 * @example
 * ```ts
 * import { check } from "@lib/validate/mod.ts";
 * check({ id: "uniqueness.key", severity: "error", passed: true, measured: 0, threshold: "= 0", message: "ok" })
 *   .family; // "uniqueness"
 * ```
 */
export function check(init: CheckInit): CheckResult {
  const family = init.family ?? init.id.split(/[.:]/)[0];
  const measured = typeof init.measured === "number" && !Number.isFinite(init.measured)
    ? String(init.measured)
    : init.measured;
  const out: CheckResult = {
    id: init.id,
    family,
    severity: init.severity,
    passed: init.passed,
    measured,
    threshold: init.threshold,
    message: init.message,
  };
  if (init.failing_rows !== undefined) out.failing_rows = init.failing_rows;
  return out;
}

/**
 * A result for a check that could not be measured (a column it needs is missing, too few rows): severity info,
 * not passed, so it is visible without failing the run.
 * @param id the check id
 * @param reason why, e.g. `column "cpu_p95" is missing`
 * @returns the result
 */
export function notMeasured(id: string, reason: string): CheckResult {
  return check({
    id,
    severity: "info",
    passed: false,
    measured: null,
    threshold: "-",
    message: `Not measured: ${reason}`,
  });
}

/**
 * A result for a statistical check whose sample cannot decide: severity info, not passed (shown, never failing),
 * with the message `skipped: n too small (need >= k)`.
 * @param id the check id
 * @param n what the sample has, e.g. `3 entity-months`
 * @param need what it would need, e.g. `6 entity-months`
 * @param measured the measured value, if any @default null
 * @returns the result
 */
export function skipped(
  id: string,
  sample: { n: string; need: string; measured?: number | string | null },
): CheckResult {
  const { n, need, measured = null } = sample;
  return check({
    id,
    severity: "info",
    passed: false,
    measured,
    threshold: "-",
    message: `skipped: n too small (need >= ${need}), measured on ${n}`,
  });
}

/** How each statistical check is judged again at its dataset's family-wise level. */
const JUDGES = new WeakMap<CheckResult, (level: FamilyLevel) => CheckResult>();

/**
 * A statistical check: judged at a level that {@linkcode familyWise} can change once the dataset's number of
 * statistical checks is known. Alone it is judged at ±3 sigma (`familyLevel(0)`); inside a
 * {@linkcode ValidationResult} at the Bonferroni level of all the dataset's statistical checks.
 * @param judge builds the result at a level (its tolerance from `level.coverage`, its message naming it)
 * @returns the result at the single-check level
 */
export function statistical(judge: (level: FamilyLevel) => CheckResult): CheckResult {
  const out = judge(familyLevel(0));
  JUDGES.set(out, judge);
  return out;
}

/**
 * The results with every statistical check ({@linkcode statistical}) judged again at the family-wise level of
 * their number m: each at the two-sided level 0.001 / m (Bonferroni, `FAMILY_ALPHA`), so a valid dataset fails any
 * of them with probability at most 0.1 % (never looser than ±3 sigma). Other results are returned as they are.
 * @param results a dataset's results
 * @returns the results, in the same order
 */
export function familyWise(results: readonly CheckResult[]): CheckResult[] {
  const tests = results.filter((r) => JUDGES.has(r)).length;
  if (tests === 0) return [...results];
  const level = familyLevel(tests);
  return results.map((r) => {
    const judge = JUDGES.get(r);
    if (!judge) return r;
    const out = judge(level);
    JUDGES.set(out, judge);
    return out;
  });
}

/**
 * The words a statistical check's message ends with: the multiple of the standard error it allows and why.
 * @param level the level
 * @param multiplier the multiplier used (Student's t at the level's coverage, or the normal's)
 * @returns e.g. `tolerance at 4.5 s.e. for 130 statistical checks`
 */
export function levelNote(level: FamilyLevel, multiplier = level.sigmas): string {
  return `tolerance at ${multiplier.toFixed(1)} s.e. for ${level.tests} statistical check${
    level.tests === 1 ? "" : "s"
  }`;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Counts of a result list: passed, failed, and failed errors and warnings.
 * @param results the results
 * @returns the summary written to `validation.json`
 */
export function summarize(results: readonly CheckResult[]): DatasetValidation["summary"] {
  let passed = 0, failed = 0, errors = 0, warnings = 0;
  for (const r of results) {
    if (r.passed) passed++;
    else {
      failed++;
      if (r.severity === "error") errors++;
      else if (r.severity === "warning") warnings++;
    }
  }
  return { passed, failed, errors, warnings };
}

/**
 * The failed checks, most severe first (errors, warnings, info), in check order within a severity.
 * @param results the results
 * @returns the failures
 */
export function failures(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((r) => !r.passed).sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

/**
 * Whether a validation passes: no failed error, and with `strict` no failed warning either.
 * @param validation the validation
 * @param strict warnings count as failures
 * @returns true when it passes
 */
export function passes(validation: Pick<DatasetValidation, "summary">, strict = false): boolean {
  return validation.summary.errors === 0 && (!strict || validation.summary.warnings === 0);
}

/**
 * The validation of one dataset: the plain {@linkcode DatasetValidation} record (what `JSON.stringify` writes to
 * `validation.json`) that also renders itself inline in notebooks and as text.
 */
export class ValidationResult implements DatasetValidation {
  /** Dataset name (from the manifest) or file path. */
  dataset: string;
  /** The dataset folder or file. */
  path: string;
  /** The kind validated against. */
  kind: string;
  /** Rows of the primary table. */
  rows: number;
  /** Rows of every table, by name, when the dataset has more than one. */
  table_rows?: Record<string, number>;
  /** When validation ran, ISO 8601. */
  validated: string;
  /** The fingerprint of the content checked (dataset folders), see {@linkcode DatasetValidation.content}. */
  content?: string;
  /** Every check. */
  results: CheckResult[];
  /** Counts. */
  summary: DatasetValidation["summary"];

  /**
   * A validation from its record.
   * @param init the record without its summary (counted here)
   */
  constructor(init: Omit<DatasetValidation, "summary">) {
    this.dataset = init.dataset;
    this.path = init.path;
    this.kind = init.kind;
    this.rows = init.rows;
    if (init.table_rows !== undefined) this.table_rows = init.table_rows;
    this.validated = init.validated;
    if (init.content !== undefined) this.content = init.content;
    // Statistical checks judged at the level of how many the dataset has (family-wise, Bonferroni).
    this.results = familyWise(init.results);
    this.summary = summarize(this.results);
  }

  /**
   * Whether the dataset passes.
   * @param strict warnings count as failures
   * @returns true when no error (and with `strict` no warning) failed
   */
  ok(strict = false): boolean {
    return passes(this, strict);
  }

  /**
   * The plain record.
   * @returns the record, as written to `validation.json`
   */
  toJSON(): DatasetValidation {
    const { dataset, path, kind, rows, table_rows, validated, content, summary, results } = this;
    return {
      dataset,
      path,
      kind,
      rows,
      ...(table_rows !== undefined ? { table_rows } : {}),
      validated,
      ...(content !== undefined ? { content } : {}),
      summary,
      results,
    };
  }

  /**
   * The validation as text.
   * @returns a text table of every check
   */
  toString(): string {
    return renderValidationText(this);
  }

  /**
   * The notebook rendering.
   * @returns an HTML table of the checks, failures first, and plain text
   */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/html": renderValidationHtml(this), "text/plain": renderValidationText(this) };
  }
}

/**
 * The checks that fail in `other` but passed (or were absent) in `base`: what a change to a dataset trips.
 * @param base the validation before
 * @param other the validation after
 * @returns the newly failed checks, most severe first
 */
export function newFailures(
  base: Pick<DatasetValidation, "results">,
  other: Pick<DatasetValidation, "results">,
): CheckResult[] {
  const failedBefore = new Set(base.results.filter((r) => !r.passed).map((r) => r.id));
  return failures(other.results).filter((r) => !failedBefore.has(r.id));
}

/** Several validations: the compact table (dataset, rows, passed / failed, worst failure), inline in notebooks. */
export class ValidationReport {
  /** The validations. */
  readonly validations: DatasetValidation[];

  /**
   * A report of several validations.
   * @param validations the validations
   */
  constructor(validations: DatasetValidation[]) {
    this.validations = validations;
  }

  /**
   * The compact table as text.
   * @returns the table
   */
  toString(): string {
    return renderSummaryTable(this.validations);
  }

  /**
   * The notebook rendering.
   * @returns HTML and plain text
   */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/html": renderSummaryHtml(this.validations), "text/plain": renderSummaryTable(this.validations) };
  }
}
