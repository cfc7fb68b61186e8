/**
 * The capacity dataset's row schema: one server at one timestamp. Each column is declared once, with its meaning,
 * unit and range as the description (rendered into `docs/columns.md`).
 * @module
 */
import { z } from "zod";

/** Server archetypes: each has its own load shape, correlations and calendar response. */
export const ARCHETYPES = ["web", "application", "database", "batch"] as const;
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
  timestamp: z.date().describe("start of the day (daily) or hour (hourly) the P95s cover, UTC"),
  server_id: z.string().regex(/^srv-\d{4,}$/).describe("server id, `srv-0001` …; one series per server"),
  server_type: z.enum(ARCHETYPES).describe("archetype: web, application, database or batch (sets load shape)"),
  business_unit: z.enum(BUSINESS_UNITS).describe("business unit owning the server"),
  criticality: z.enum(CRITICALITIES).describe("criticality tier: critical, high, medium, low"),
  region: z.enum(REGIONS).describe("data-centre region"),
  app_name: z.string().min(1).describe("application the server runs"),
  cpu_p95: pct.describe("95th percentile CPU utilisation over the period, % (0-100, clipped at 100)"),
  mem_p95: pct.describe("95th percentile memory utilisation, % (0-100)"),
  disk_p95: pct.describe("95th percentile disk space used, % (0-100)"),
  net_in_p95: z.number().min(0).max(1000).describe("95th percentile inbound network, Mbps (0-1000: a 1 Gbps link)"),
  net_out_p95: z.number().min(0).max(600).describe("95th percentile outbound network, Mbps (0-600)"),
  year: z.int().min(1970).max(9999).meta({ dtype: "Int32", description: "calendar year of `timestamp` (UTC)" }),
  month: z.int().min(1).max(12).meta({ dtype: "Int8", description: "month of `timestamp`, 1-12" }),
  quarter: z.int().min(1).max(4).meta({ dtype: "Int8", description: "calendar quarter, 1-4" }),
  dayofweek: z.int().min(0).max(6).meta({ dtype: "Int8", description: "day of week, Monday = 0 … Sunday = 6" }),
  is_weekend: z.boolean().describe("Saturday or Sunday"),
  is_eoq: z.boolean().describe("within the configured last `eoq.days` days of a quarter (load ramps up)"),
  is_holiday: z.boolean().describe("a holiday of the configured calendar or an extra date (load reduced)"),
});
/** One row of the capacity dataset. */
export type CapacityRow = z.infer<typeof CapacityRow>;

/** Key columns: unique together. */
export const CAPACITY_KEY = ["server_id", "timestamp"] as const;
