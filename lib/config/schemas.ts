import type { z } from "zod";
import { AnomaliesConfig } from "@lib/generate/anomalies/config.ts";
import { CapacityConfig } from "@lib/generate/capacity/config.ts";
import { IncidentsConfig } from "@lib/generate/incidents/config.ts";
import { MspConfig } from "@lib/generate/msp/config.ts";

/**
 * Every generator's config schema, by dataset kind: the source of the JSON Schemas in `lib/config/schema/`.
 * A new generator adds one line here.
 */
export const CONFIG_SCHEMAS: Record<string, z.ZodType> = {
  capacity: CapacityConfig,
  anomalies: AnomaliesConfig,
  incidents: IncidentsConfig,
  msp: MspConfig,
};
