import pl from "nodejs-polars";
import { engineFor, type TableFrame } from "@lib/lake/mod.ts";
import { MAX_FAILING_ROWS, rowsOf } from "./_rows.ts";
import { check, notMeasured } from "./result.ts";
import type { CheckResult, FailingRows } from "./types.ts";

/** A declared foreign key: every non-null key in `from` exists in `to`. */
export interface ForeignKey {
  /** The referencing table and columns. */
  from: { table: string; columns: readonly string[] };
  /** The referenced table and its key columns. */
  to: { table: string; columns: readonly string[] };
}

/** Options of {@linkcode checkIntegrity}. */
export interface CheckIntegrityOptions {
  /** The foreign keys. @default [] */
  foreignKeys?: readonly ForeignKey[];
  /** Each table's key columns, which key the orphan rows a failed foreign key records. @default the key's columns */
  keys?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Referential integrity of a multi-table dataset: for each declared foreign key, the rows whose (non-null) key has
 * no match in the referenced table, by an anti-join.
 *
 * @param tables the dataset's tables by name
 * @param options the foreign keys
 * @returns `integrity.fk:<table>.<columns>` per key
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { checkIntegrity } from "@lib/validate/mod.ts";
 * const tables = { tickets: pl.DataFrame({ client_id: ["a", "z"] }), clients: pl.DataFrame({ id: ["a"] }) };
 * checkIntegrity(tables, {
 *   foreignKeys: [{ from: { table: "tickets", columns: ["client_id"] }, to: { table: "clients", columns: ["id"] } }],
 * })[0].measured; // 1
 * ```
 */
export function checkIntegrity(
  tables: Record<string, TableFrame>,
  options: CheckIntegrityOptions = {},
): CheckResult[] {
  const { foreignKeys = [], keys: tableKeys = {} } = options;
  const out: CheckResult[] = [];
  for (const fk of foreignKeys) {
    const id = `integrity.fk:${fk.from.table}.${fk.from.columns.join(",")}`;
    const from = tables[fk.from.table], to = tables[fk.to.table];
    const target = `${fk.to.table}.${fk.to.columns.join(",")}`;
    if (from === undefined || to === undefined) {
      out.push(notMeasured(id, `table "${from === undefined ? fk.from.table : fk.to.table}" is missing`));
      continue;
    }
    const lost = [
      ...fk.from.columns.filter((c) => !from.columns.includes(c)),
      ...fk.to.columns.filter((c) => !to.columns.includes(c)),
    ];
    if (lost.length > 0) {
      out.push(notMeasured(id, `column "${lost[0]}" is missing`));
      continue;
    }
    let notNull: pl.Expr = pl.lit(true);
    for (const col of fk.from.columns) notNull = notNull.and(pl.col(col).isNotNull());
    const keys = fk.from.columns.map((col, i) => pl.col(col).cast(pl.String).alias(`k${i}`));
    const refKeys = fk.to.columns.map((col, i) => pl.col(col).cast(pl.String).alias(`k${i}`));
    const names = fk.from.columns.map((_, i) => `k${i}`);
    const orphans = from.lazy().filter(notNull).select(...keys)
      .join(to.lazy().select(...refKeys).unique(), { on: names, how: "anti" })
      .collectSync(engineFor(from));
    const example = orphans.height > 0 ? names.map((n) => String(orphans.getColumn(n).get(0))).join(", ") : "";
    // Up to 200 orphan rows of the referencing table, keyed by its key, with the reference that is missing.
    let rows: FailingRows | undefined;
    if (orphans.height > 0) {
      const missing = orphans.select(...names.map((n, i) => pl.col(n).alias(fk.from.columns[i]))).unique();
      const key = (tableKeys[fk.from.table] ?? fk.from.columns).filter((c) => from.columns.includes(c));
      const columns = [...new Set([...key, ...fk.from.columns])];
      const head = from.lazy().filter(notNull)
        .select(...columns.map((c) => fk.from.columns.includes(c) ? pl.col(c).cast(pl.String) : pl.col(c)))
        .join(missing.lazy(), { on: [...fk.from.columns], how: "inner" })
        .limit(MAX_FAILING_ROWS).collectSync(engineFor(from));
      rows = rowsOf(head, { key, columns, total: orphans.height });
    }
    out.push(check({
      id,
      severity: "error",
      passed: orphans.height === 0,
      measured: orphans.height,
      threshold: "= 0 orphans",
      message: orphans.height === 0
        ? `Every ${fk.from.table}.${fk.from.columns.join(",")} exists in ${target}`
        : `${orphans.height.toLocaleString("en-US")} rows of ${fk.from.table} reference a missing ${target}, e.g. ${
          JSON.stringify(example)
        }`,
      ...(rows ? { failing_rows: rows } : {}),
    }));
  }
  return out;
}
