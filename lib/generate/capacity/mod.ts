/**
 * The server-capacity generator: a fleet of web, application, database and batch servers with correlated CPU,
 * memory, disk and network P95s on a business calendar (hour of day, weekends, quarter ends, holidays, spikes,
 * growth), daily or hourly.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "@lib/config/mod.ts";
 * import { CapacityConfig, generateCapacity } from "@lib/generate/capacity/mod.ts";
 * const config = resolveConfig(CapacityConfig, { flags: { servers: 3, years: 1 } });
 * const df = generateCapacity(config);
 * ```
 * @module
 */
export {
  type Archetype,
  type ArchetypeConfig,
  ARCHETYPES,
  CapacityConfig,
  capacityEndDate,
  choleskyFactor,
  correlationMatrix,
  METRICS,
} from "./config.ts";
export { BUSINESS_UNITS, CAPACITY_KEY, CapacityRow, CRITICALITIES, REGIONS } from "@lib/schema/capacity.ts";
export { archetypeCounts, assignArchetypes, serverId } from "./fleet.ts";
export { buildTimeline, dailyP95, hourProfile, type Timeline } from "./timeline.ts";
export { generateCapacity, type GenerateCapacityOptions } from "./generate.ts";
export { GENERATOR_VERSION, resolvedCapacityConfig, writeCapacityDataset, type WriteCapacityOptions } from "./write.ts";
