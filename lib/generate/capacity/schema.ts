import { z } from "zod";
import { ARCHETYPES } from "./config.ts";

/** Business units servers are assigned to. */
export const BUSINESS_UNITS = ["finance", "retail", "logistics", "marketing", "engineering", "hr"] as const;
/** Criticality tiers. */
export const CRITICALITIES = ["critical", "high", "medium", "low"] as const;
/** Regions. */
export const REGIONS = ["us-east", "us-west", "eu-west", "eu-central", "ap-southeast"] as const;

const pct = z.number().min(0).max(100);

/**
 * One row of the capacity dataset: one server at one timestamp (daily P95s or hourly P95s).
 * `dayofweek` counts from Monday = 0, as pandas does.
 */
export const CapacityRow = z.strictObject({
  timestamp: z.date(),
  server_id: z.string().regex(/^srv-\d{4,}$/),
  server_type: z.enum(ARCHETYPES),
  business_unit: z.enum(BUSINESS_UNITS),
  criticality: z.enum(CRITICALITIES),
  region: z.enum(REGIONS),
  app_name: z.string().min(1),
  cpu_p95: pct,
  mem_p95: pct,
  disk_p95: pct,
  net_in_p95: z.number().min(0).max(1000),
  net_out_p95: z.number().min(0).max(600),
  year: z.int().min(1970).max(9999).meta({ dtype: "Int32" }),
  month: z.int().min(1).max(12).meta({ dtype: "Int8" }),
  quarter: z.int().min(1).max(4).meta({ dtype: "Int8" }),
  dayofweek: z.int().min(0).max(6).meta({ dtype: "Int8" }),
  is_weekend: z.boolean(),
  is_eoq: z.boolean(),
  is_holiday: z.boolean(),
});
/** One row of the capacity dataset. */
export type CapacityRow = z.infer<typeof CapacityRow>;

/** Key columns: unique together. */
export const CAPACITY_KEY = ["server_id", "timestamp"] as const;
