/**
 * One zod record schema per dataset kind yields the TypeScript type and the Polars dtypes.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { polarsSchema } from "@lib/schema/mod.ts";
 * const Row = z.object({ id: z.string(), value: z.number() });
 * Object.keys(polarsSchema(Row)); // ["id", "value"]
 * ```
 * @module
 */
export { conform, type DtypeName, dtypeNameOf, polarsSchema } from "./dtypes.ts";
export { columnDescriptions, descriptionOf } from "./docs.ts";
