/**
 * MSP tables in memory validated by the engine, as a stored MSP dataset is (the kind's spec: `./kinds/msp.ts`).
 * @module
 */
import type pl from "nodejs-polars";
import type { CheckResult } from "./types.ts";
import { validateDataset } from "./validate.ts";

/**
 * Validates MSP tables in memory with the engine, as a stored dataset is validated: the per-table checks, the
 * foreign keys and the MSP rules. The generator runs it before it commits.
 * @param tables the six tables
 * @param options the dataset name shown in results
 * @returns every check result
 * @example
 * ```ts ignore
 * import { generateMsp, MspConfig } from "@lib/generate/msp/mod.ts";
 * import { validateMspTables } from "@lib/validate/mod.ts";
 * const results = validateMspTables(generateMsp(MspConfig.parse({ clients: 5, end: "2024-01-31" })).tables);
 * results.filter((r) => !r.passed && r.severity === "error").length; // 0
 * ```
 */
export function validateMspTables(
  tables: Readonly<Record<string, pl.DataFrame>>,
  options: { name?: string } = {},
): CheckResult[] {
  const { tickets, ...others } = tables;
  return validateDataset(tickets, undefined, { kind: "msp", tables: others, name: options.name ?? "msp" }).results;
}
