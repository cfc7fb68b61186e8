import pl from "nodejs-polars";
import { engineFor, type TableFrame } from "@lib/lake/mod.ts";
import { failingRows } from "./_rows.ts";
import { check, notMeasured } from "./result.ts";
import type { TimeIndex, TimeSpec } from "./time.ts";
import type { CheckResult } from "./types.ts";

/** Options of {@linkcode checkUniqueness}. */
export interface CheckUniquenessOptions {
  /** Columns that identify a row; unique together. @default none: only exact duplicates are counted */
  key?: readonly string[];
  /** A time index whose (entity, timestamp) equals the key, to count duplicates without sorting again. */
  index?: TimeIndex;
  /** The time axis the index was built for. */
  time?: TimeSpec;
  /** Severity of exact duplicate rows. @default "warning" with a key (the key check already fails), else "error" */
  duplicateSeverity?: "error" | "warning";
  /** The table name, for subjects. @default none */
  table?: string;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Rows whose key repeats an earlier row's, by sorting the key columns only and comparing neighbours. */
function repeatedKeys(df: TableFrame, key: readonly string[]): number {
  let same: pl.Expr = pl.lit(true);
  for (const k of key) same = same.and(pl.col(k).eq(pl.col(k).shift(1)).fillNull(false));
  return Number(
    df.lazy().select(...key.map((k) => pl.col(k))).sort([...key]).select(same.sum().cast(pl.Int64).alias("n"))
      .collectSync(engineFor(df)).getColumn("n").get(0) ?? 0,
  );
}

/** Exact duplicate rows (beyond the first of each), using row hashes to find candidates first. */
function duplicateRows(df: TableFrame): number {
  if (df.height < 2) return 0;
  const candidates = df.lazy().filter(pl.struct(pl.all()).hash(11, 22, 33, 44).isDuplicated()).collectSync(
    engineFor(df),
  );
  if (candidates.height === 0) return 0;
  return candidates.height - candidates.unique().height;
}

/**
 * Uniqueness checks: the key columns identify every row (error), and no row is an exact copy of another.
 *
 * @param df the table
 * @param options key, index and table name
 * @returns `uniqueness.key` (with a key) and `uniqueness.rows`
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { checkUniqueness } from "@lib/validate/mod.ts";
 * const df = pl.DataFrame({ id: ["a", "a", "b"], v: [1, 2, 3] });
 * checkUniqueness(df, { key: ["id"] })[0].measured; // 1
 * ```
 */
export function checkUniqueness(df: TableFrame, options: CheckUniquenessOptions = {}): CheckResult[] {
  const { key, index, time, table } = options;
  const suffix = table ? `:${table}` : "";
  const out: CheckResult[] = [];
  let keyDups = -1;
  if (key && key.length > 0) {
    const missing = key.filter((k) => !df.columns.includes(k));
    if (missing.length > 0) {
      out.push(notMeasured(`uniqueness.key${suffix}`, `key column "${missing[0]}" is missing`));
    } else {
      const fromIndex = index && time?.entity && sameSet(key, [time.entity, time.column]) && index.nullRows === 0;
      keyDups = fromIndex
        ? index!.steps.filter((s) => s.step === 0).reduce((s, x) => s + x.n, 0)
        : repeatedKeys(df, key);
      out.push(check({
        id: `uniqueness.key${suffix}`,
        severity: "error",
        passed: keyDups === 0,
        measured: keyDups,
        threshold: "= 0 repeated",
        message: keyDups === 0
          ? `(${key.join(", ")}) is unique in every row`
          : `${keyDups.toLocaleString("en-US")} rows repeat the (${key.join(", ")}) of another row`,
        // Every row of a repeated key (the first of each too), keyed; `total` counts the repeats.
        failing_rows: keyDups > 0
          ? failingRows(df, pl.len().over(key[0], ...key.slice(1)).gt(1), { key, columns: [], total: keyDups })
          : undefined,
      }));
    }
  }
  // An exact copy repeats the key too, so with a unique key there is nothing more to count.
  const copies = keyDups === 0 ? 0 : duplicateRows(df);
  out.push(check({
    id: `uniqueness.rows${suffix}`,
    severity: options.duplicateSeverity ?? (keyDups >= 0 ? "warning" : "error"),
    passed: copies === 0,
    measured: copies,
    threshold: "= 0",
    message: copies === 0
      ? "No row is an exact copy of another"
      : `${copies.toLocaleString("en-US")} rows are exact copies of another row`,
  }));
  return out;
}
