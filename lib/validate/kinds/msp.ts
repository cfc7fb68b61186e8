/**
 * How MSP service-desk datasets are validated: the MSP generator's own consistency checks
 * (`lib/generate/msp/checks.ts`: schemas, keys, references, enums, ticket facts, SLA, derived tables), plus the
 * engine's completeness, duplicate-row and personal-data checks on every table.
 * @module
 */
import { checkMspTables, MSP_COLUMNS, MSP_ENUMS, MSP_TABLES, type MspTablesInput } from "@lib/generate/msp/mod.ts";
import { inMemory } from "@lib/lake/mod.ts";
import { type KindSpec, registerKind, type TableSpec } from "../registry.ts";
import { notMeasured } from "../result.ts";
import { rulesFromDtypes } from "../rules.ts";

function tableSpec(name: (typeof MSP_TABLES)[number]): TableSpec {
  const enums = (MSP_ENUMS[name] ?? {}) as Record<string, readonly string[]>;
  const rules = rulesFromDtypes(MSP_COLUMNS[name] as Record<string, string>).map((r) =>
    enums[r.name] ? { ...r, freeText: false } : r
  );
  // The MSP checks cover schema, keys and enums; the engine adds null rates, exact copies and personal data.
  return { rules, schema: false, pii: "free-text" };
}

/** The MSP kind. */
export const mspKind: KindSpec = registerKind({
  kind: "msp",
  description: "linked MSP service-desk tables: clients, technicians, tickets, SLA metrics, daily delivery",
  primary: "tickets",
  tables: () => Object.fromEntries(MSP_TABLES.map((t) => [t, tableSpec(t)])),
  families: [{
    name: "msp",
    run: (ctx) => {
      const missing = MSP_TABLES.filter((t) => ctx.tables[t] === undefined);
      if (missing.length > 0) return [notMeasured("msp.tables", `table "${missing[0]}" is missing`)];
      // The generator's consistency checks join whole tables, so scanned tables are read into memory for them;
      // the engine's own checks on each table still run on lazy scans.
      const tables = Object.fromEntries(MSP_TABLES.map((t) => [t, inMemory(ctx.tables[t])]));
      return checkMspTables(tables as unknown as MspTablesInput);
    },
  }],
});
