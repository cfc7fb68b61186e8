import type pl from "nodejs-polars";
import type { TableFrame } from "@lib/lake/mod.ts";
import type { Manifest } from "@lib/lake/mod.ts";
import { checkCompleteness, CONCURRENT_FILES, nullCountExprs } from "./completeness.ts";
import { checkIntegrity } from "./integrity.ts";
import { checkPii } from "./pii.ts";
import { type KindSpec, kindSpec, type TableSpec, type ValidationContext } from "./registry.ts";
import { check, ValidationResult } from "./result.ts";
import { type ColumnRule, columnRules, rulesFromDtypes } from "./rules.ts";
import { checkSchema, usableRules } from "./schema.ts";
import { checkTime, checkUtc, temporalColumns, timeIndex } from "./time.ts";
import type { CheckResult } from "./types.ts";
import { checkUniqueness } from "./uniqueness.ts";
import { checkValidity, type CheckValidityOptions, validityCountExprs } from "./validity.ts";
import { aggregateParts, dtypeName, partsOf } from "@lib/lake/mod.ts";
import "./kinds/mod.ts";

/** Options of {@linkcode validateDataset}. */
export interface ValidateOptions {
  /** The kind whose checks apply. @default the manifest's kind, else "generic" */
  kind?: string;
  /** The dataset's other tables, by name (multi-table datasets). @default {} */
  tables?: Record<string, TableFrame>;
  /** The dataset name in the result. @default the manifest's name, else "dataset" */
  name?: string;
  /** The dataset folder or file in the result. @default "" */
  path?: string;
  /** When validation ran, for the result. @default now */
  validated?: Date;
  /** The generator config when there is no manifest (e.g. `--schema capacity --config c.json`). @default none */
  config?: unknown;
  /** Results found before the tables were read (checksums), listed first. @default [] */
  results?: CheckResult[];
  /** Report only `results` (the tables could not be read, so nothing else can be measured). @default false */
  resultsOnly?: boolean;
}

/** The first line of an error's message. */
function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split("\n")[0].slice(0, 300);
}

/** Runs a family; a family that throws becomes one failed result instead of ending the validation. */
function safely(family: string, run: () => CheckResult[]): CheckResult[] {
  try {
    return run();
  } catch (e) {
    return [check({
      id: `${family}.error`,
      severity: "error",
      passed: false,
      measured: null,
      threshold: "-",
      message: `The ${family} checks could not run: ${firstLine(e)}`,
    })];
  }
}

function genericTables(ctx: ValidationContext): Record<string, TableSpec> {
  const out: Record<string, TableSpec> = {};
  for (const [name, df] of Object.entries(ctx.tables)) {
    const recorded = ctx.manifest?.tables[name]?.schema;
    const schema = recorded ?? Object.fromEntries(
      Object.entries(df.schema as Record<string, pl.DataType>).map(([c, d]) => [c, dtypeName(d)]),
    );
    // Real data may repeat a row (a log line twice): worth a warning, not a failed dataset.
    out[name] = { rules: rulesFromDtypes(schema), pii: "strings", duplicateSeverity: "warning" };
  }
  return out;
}

function piiColumns(spec: TableSpec, rules: ColumnRule[], df: TableFrame): readonly string[] {
  if (spec.pii === false) return [];
  if (Array.isArray(spec.pii)) return spec.pii;
  if (spec.pii === "strings") return df.columns;
  const usable = new Set(usableRules(df, rules).map((r) => r.name));
  return rules.filter((r) => r.freeText && usable.has(r.name)).map((r) => r.name);
}

function validateTable(
  name: string,
  df: TableFrame,
  spec: TableSpec,
  ctx: ValidationContext,
  o: { prefix: boolean; piiSeverity: "error" | "warning" },
): CheckResult[] {
  const table = o.prefix ? name : undefined;
  const rules = spec.record ? columnRules(spec.record) : spec.rules ?? [];
  const out: CheckResult[] = [];
  if (spec.schema !== false && rules.length > 0) out.push(...safely("schema", () => checkSchema(df, rules, { table })));
  const time = spec.time && df.columns.includes(spec.time.column) ? spec.time : undefined;
  const index = time ? timeIndexSafe(df, time) : undefined;
  // What keys a failing row: the table's key, else its entity and time.
  const rowKey = spec.key ??
    (time ? [...(time.entity !== undefined ? [time.entity] : []), time.column] : undefined);
  const validity: CheckValidityOptions = { derived: spec.derived, prepare: spec.prepare, table, key: rowKey };
  const counts = sharedCounts(df, rules, validity);
  out.push(...safely("completeness", () =>
    checkCompleteness(df, rules, {
      expectedRows: ctx.manifest?.tables[name]?.rows,
      nullRates: spec.nullRates,
      time,
      index,
      table,
      gapSeverity: spec.timeSeverity ?? "error",
      ...(rowKey ? { key: rowKey } : {}),
      ...(counts ? { counts } : {}),
    })));
  out.push(...safely("validity", () => checkValidity(df, rules, { ...validity, ...(counts ? { counts } : {}) })));
  out.push(
    ...safely(
      "uniqueness",
      () => checkUniqueness(df, { key: spec.key, index, time, table, duplicateSeverity: spec.duplicateSeverity }),
    ),
  );
  if (time) {
    out.push(...safely("time", () => checkTime(df, { ...time, index, table, severity: spec.timeSeverity ?? "error" })));
  } else {
    out.push(...temporalColumns(df).map((c) => checkUtc(df, c, { table })));
  }
  const pii = piiColumns(spec, rules, df);
  if (pii.length > 0) {
    out.push(
      ...safely(
        "pii",
        () => checkPii(df, { columns: pii, table, severity: o.piiSeverity, ...(rowKey ? { key: rowKey } : {}) }),
      ),
    );
  }
  return out;
}

/**
 * The null counts and the validity counts (string rules included) of a table scanned file by file, in one read of
 * each file (they were four: on 100 M hourly capacity rows, completeness and validity took 29-31 s, the shared read
 * 22-25 s). Undefined for a table in memory, and when the shared read fails: each family then reads on its own and
 * reports its own failure.
 */
function sharedCounts(
  df: TableFrame,
  rules: ColumnRule[],
  validity: CheckValidityOptions,
): Record<string, unknown> | undefined {
  if (partsOf(df).length < 2 || df.columns.length === 0) return undefined;
  try {
    const v = validityCountExprs(df, rules, validity);
    return aggregateParts(df, [...nullCountExprs(df), ...v.exprs], {
      ...(v.prepare ? { prepare: v.prepare } : {}),
      concurrent: CONCURRENT_FILES,
    }).toRecords()[0];
  } catch {
    return undefined;
  }
}

function timeIndexSafe(df: TableFrame, time: NonNullable<TableSpec["time"]>) {
  try {
    return timeIndex(df, time);
  } catch {
    return undefined;
  }
}

/**
 * Validates a dataset: the per-table families (schema, completeness, validity, uniqueness, time, PII) from its
 * kind's table specs, referential integrity across tables, then the kind's own families (correlation,
 * seasonality, anomalies, ...) against the targets in the manifest's config. Pure: frames and manifest in,
 * results out; a family that fails to run is reported as a failed check, never thrown.
 *
 * Kinds without a registered spec are validated generically: each table against the dtypes its manifest
 * records, null rates, exact duplicates, UTC timestamps, personal data in every string column.
 *
 * @param df the primary table
 * @param manifest the dataset's manifest (config, recorded rows and dtypes), or undefined for a bare file
 * @param options kind, other tables, names and earlier results
 * @returns the validation, renderable in notebooks and writable as `validation.json`
 * @example
 * ```ts ignore
 * import { readManifest, readTable } from "@lib/lake/mod.ts";
 * import { validateDataset } from "@lib/validate/mod.ts";
 * const manifest = await readManifest("data/synthetic/capacity");
 * const v = validateDataset(readTable("data/synthetic/capacity/capacity.parquet"), manifest);
 * v.ok(); // true when no error-severity check failed
 * ```
 */
export function validateDataset(
  df: TableFrame,
  manifest: Manifest | undefined,
  options: ValidateOptions = {},
): ValidationResult {
  const kind = options.kind ?? manifest?.kind ?? "generic";
  if (options.resultsOnly) {
    return new ValidationResult({
      dataset: options.name ?? manifest?.name ?? "dataset",
      path: options.path ?? "",
      kind,
      rows: 0,
      validated: (options.validated ?? new Date()).toISOString(),
      results: [...(options.results ?? [])],
    });
  }
  const spec = kindSpec(kind) as KindSpec<unknown> | undefined;
  const primary = manifest?.primary_table ?? spec?.primary ?? "data";
  const tables: Record<string, TableFrame> = { ...options.tables, [primary]: df };
  const results: CheckResult[] = [...(options.results ?? [])];
  let config: unknown;
  const raw = manifest?.config ?? options.config;
  if (spec?.parseConfig && raw !== undefined) {
    try {
      config = spec.parseConfig(raw);
    } catch (e) {
      const issue = (e as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0];
      results.push(check({
        id: "schema.config",
        severity: "error",
        passed: false,
        measured: null,
        threshold: `a valid ${kind} config`,
        message: `The generator config is invalid: ${
          issue ? `${issue.path.map(String).join(".") || "root"} ${issue.message}` : firstLine(e)
        }`,
      }));
    }
  }
  const ctx: ValidationContext = { tables, primary, manifest, config };
  const specs = spec ? safelyTables(spec, ctx, results) : genericTables(ctx);
  const names = [...new Set([...Object.keys(specs), ...Object.keys(tables)])];
  // Synthetic data must never hold real personal data; ingested real data may, and the finding is for its
  // classification and handling, not a broken dataset.
  const piiSeverity = !manifest || manifest.layer === "synthetic" ? "error" : "warning";
  for (const name of names) {
    const t = tables[name];
    if (t === undefined) {
      results.push(check({
        id: `schema.table:${name}`,
        severity: "error",
        passed: false,
        measured: null,
        threshold: "present",
        message: `Table "${name}" of a ${kind} dataset is missing`,
      }));
      continue;
    }
    const tableSpec = specs[name] ?? genericTables({ ...ctx, tables: { [name]: t } })[name];
    results.push(...validateTable(name, t, tableSpec, ctx, { prefix: names.length > 1, piiSeverity }));
  }
  if (spec?.foreignKeys?.length) {
    const keys = Object.fromEntries(
      Object.entries(specs).flatMap(([name, t]) => t.key ? [[name, t.key] as const] : []),
    );
    results.push(...safely("integrity", () => checkIntegrity(tables, { foreignKeys: spec.foreignKeys, keys })));
  }
  for (const family of spec?.families ?? []) results.push(...safely(family.name, () => family.run(ctx)));
  return new ValidationResult({
    dataset: options.name ?? manifest?.name ?? "dataset",
    path: options.path ?? "",
    kind,
    rows: df.height,
    ...(Object.keys(tables).length > 1
      ? { table_rows: Object.fromEntries(Object.entries(tables).map(([n, t]) => [n, t.height])) }
      : {}),
    validated: (options.validated ?? new Date()).toISOString(),
    results,
  });
}

function safelyTables(spec: KindSpec<unknown>, ctx: ValidationContext, results: CheckResult[]) {
  try {
    return spec.tables(ctx);
  } catch (e) {
    results.push(check({
      id: "schema.spec",
      severity: "error",
      passed: false,
      measured: null,
      threshold: "-",
      message: `The ${spec.kind} table specs could not be built: ${firstLine(e)}`,
    }));
    return genericTables(ctx);
  }
}
