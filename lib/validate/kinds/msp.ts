/**
 * How MSP service-desk datasets are validated, all by the engine: per table the schema, key, enum, null-rate,
 * duplicate-row and personal-data checks (the MSP contract's dtypes and enums as column rules), the foreign keys
 * between the tables, and the MSP rules as the kind's `msp` family (`./msp_rules.ts`: links, ticket facts, SLA,
 * derived tables). The generator asks the engine before it commits (`validateMspTables` in `../msp.ts`).
 * @module
 */
import { MSP_COLUMNS, MSP_ENUMS, MSP_TABLES, type MspTableName } from "@lib/schema/msp/tables.ts";
import { inMemory } from "@lib/lake/mod.ts";
import type { ForeignKey } from "../integrity.ts";
import { type KindSpec, registerKind, type TableSpec } from "../registry.ts";
import { notMeasured } from "../result.ts";
import { rulesFromDtypes } from "../rules.ts";
import { checkMspRules, type MspTablesInput } from "./msp_rules.ts";

/** The key of each MSP table (unique together, never null). */
export const MSP_KEYS: Readonly<Record<MspTableName, readonly string[]>> = {
  clients: ["client_id"],
  technicians: ["technician_id"],
  tickets: ["ticket_id"],
  sla_metrics: ["ticket_id", "sla_type"],
  service_delivery_daily: ["date"],
  technician_productivity: ["technician_id", "period"],
};

/** The references between the MSP tables. */
export const MSP_FOREIGN_KEYS: readonly ForeignKey[] = [
  { from: { table: "tickets", columns: ["client_id"] }, to: { table: "clients", columns: ["client_id"] } },
  { from: { table: "tickets", columns: ["technician_id"] }, to: { table: "technicians", columns: ["technician_id"] } },
  { from: { table: "sla_metrics", columns: ["ticket_id"] }, to: { table: "tickets", columns: ["ticket_id"] } },
  {
    from: { table: "technician_productivity", columns: ["technician_id"] },
    to: { table: "technicians", columns: ["technician_id"] },
  },
];

function tableSpec(name: MspTableName): TableSpec {
  const enums = (MSP_ENUMS[name] ?? {}) as Record<string, readonly string[]>;
  const key = MSP_KEYS[name];
  const rules = rulesFromDtypes(MSP_COLUMNS[name] as Record<string, string>).map((r) => {
    const values = enums[r.name];
    return {
      ...r,
      // Key columns are never null; enum columns hold only their values (nulls allowed where the column may be).
      ...(key.includes(r.name) ? { nullable: false } : {}),
      ...(values ? { values, freeText: false } : {}),
    };
  });
  return { rules, key };
}

/** The MSP kind. */
export const mspKind: KindSpec = registerKind({
  kind: "msp",
  description: "linked MSP service-desk tables: clients, technicians, tickets, SLA metrics, daily delivery",
  primary: "tickets",
  tables: () => Object.fromEntries(MSP_TABLES.map((t) => [t, tableSpec(t)])),
  foreignKeys: MSP_FOREIGN_KEYS,
  families: [{
    name: "msp",
    run: (ctx) => {
      const missing = MSP_TABLES.filter((t) => ctx.tables[t] === undefined);
      if (missing.length > 0) return [notMeasured("msp.tables", `table "${missing[0]}" is missing`)];
      // The MSP rules join whole tables, so scanned tables are read into memory for them; the engine's own checks
      // on each table still run on lazy scans.
      const tables = Object.fromEntries(MSP_TABLES.map((t) => [t, inMemory(ctx.tables[t])]));
      return checkMspRules(tables as unknown as MspTablesInput);
    },
  }],
});

export { type CheckMspOptions, checkMspRules, type MspTablesInput } from "./msp_rules.ts";
