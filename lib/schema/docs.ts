import { z } from "zod";

/**
 * The description of one record field (its meaning, unit and range), looking through optional, nullable and
 * default wrappers.
 * @param field a zod field schema
 * @returns the description, or undefined when the field has none
 */
export function descriptionOf(field: z.ZodType): string | undefined {
  let cur: z.ZodType | undefined = field;
  while (cur) {
    const meta = cur.meta?.() as { description?: unknown } | undefined;
    if (typeof meta?.description === "string" && meta.description.trim() !== "") return meta.description;
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) {
      cur = cur.unwrap() as z.ZodType;
    } else cur = undefined;
  }
  return undefined;
}

/**
 * The descriptions of every field of a record schema, in declaration order (a field without one maps to "").
 * @param record a zod object schema for one row
 * @returns column name to description
 * @example
 * ```ts
 * import { z } from "zod";
 * import { columnDescriptions } from "@lib/schema/mod.ts";
 * columnDescriptions(z.object({ cpu: z.number().describe("CPU, %") })); // { cpu: "CPU, %" }
 * ```
 */
export function columnDescriptions(record: z.ZodObject): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record.shape).map(([name, field]) => [name, descriptionOf(field as z.ZodType) ?? ""]),
  );
}
