/**
 * The capacity kind: server capacity metrics (CPU, memory, disk, network P95s) of a fleet on a business calendar.
 * @module
 */
import { CapacityConfig } from "@lib/generate/capacity/config.ts";
import { CAPACITY_PROFILE } from "@lib/report/kinds.ts";
import { CapacityRow } from "@lib/schema/capacity.ts";
import type { KindDescriptor } from "../registry.ts";
import { capacityKind } from "./validate.ts";

export { capacityKind } from "./validate.ts";

/** The capacity kind's descriptor. */
export const capacity: KindDescriptor = {
  kind: "capacity",
  origin: "generated",
  description: capacityKind.description,
  primary: "capacity",
  tables: { capacity: CapacityRow },
  config: CapacityConfig,
  task: "tasks/generate_capacity.ts",
  validation: capacityKind,
  report: CAPACITY_PROFILE,
};
