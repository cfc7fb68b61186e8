import type { z } from "zod";

type Def = Record<string, unknown>;
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** A schema without its wrappers: defaults, optionals, refinements; a pipe's input (its output after a transform). */
function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let cur = schema;
  for (let guard = 0; cur !== undefined && guard < 32; guard++) {
    const def = defOf(cur);
    if (
      ["default", "prefault", "optional", "nullable", "readonly", "catch", "nonoptional"].includes(def.type as string)
    ) {
      cur = def.innerType as z.ZodType;
    } else if (def.type === "pipe") {
      const input = def.in as z.ZodType;
      cur = defOf(input).type === "transform" ? def.out as z.ZodType : input;
    } else return cur;
  }
  return cur;
}

/**
 * The keys an object schema knows at a key path, in declaration order (through defaults, optionals, pipes and
 * records), for "did you mean" hints and for printing a config in its schema's order.
 * @param schema the config schema
 * @param path the key path @default []
 * @returns the keys, empty where the path does not lead to an object
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { knownKeys } from "@lib/config/shape.ts";
 * const Schema = z.strictObject({ a: z.strictObject({ b: z.int().default(1), c: z.int().default(2) }).prefault({}) });
 * assert.deepEqual(knownKeys(Schema, ["a"]), ["b", "c"]);
 * ```
 */
export function knownKeys(schema: z.ZodType | undefined, path: readonly PropertyKey[] = []): string[] {
  let cur = unwrap(schema);
  for (const key of path) {
    if (cur === undefined) return [];
    const def = defOf(cur);
    if (def.type === "object") cur = unwrap((def.shape as Record<PropertyKey, z.ZodType>)[key]);
    else if (def.type === "record") cur = unwrap(def.valueType as z.ZodType);
    else return [];
  }
  if (cur === undefined) return [];
  const def = defOf(cur);
  return def.type === "object" ? Object.keys(def.shape as Record<string, unknown>) : [];
}
