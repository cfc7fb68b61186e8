import { z } from "zod";
import { Classification } from "@lib/lake/mod.ts";

const isoDate = z.iso.date();

/**
 * Config of the MSP service-desk generator (`deno task generate msp`). Every key has a documented default, so
 * `MspConfig.parse({})` is the default dataset; unknown keys are rejected.
 *
 * Business hours are Monday to Friday, 08:00-18:00 UTC; all times are UTC.
 */
export const MspConfig = z.strictObject({
  /** Dataset name: the folder `data/synthetic/<name>/`. @default "msp" */
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/i, "must be letters, digits, '_', '.' or '-'").default("msp").describe(
    "Dataset name: the folder `data/synthetic/<name>/`",
  ),
  /** Seed of every random stream. @default 42 */
  seed: z.union([z.int(), z.string().min(1)]).default(42).describe("Seed of every random stream"),
  /** Number of client companies under contract. @default 60 */
  clients: z.int().min(1).max(2000).default(60).describe("Number of client companies under contract"),
  /** Number of technicians. @default 24 */
  technicians: z.int().min(1).max(300).default(24).describe("Number of technicians"),
  /**
   * Service desks (teams): clients and technicians are split into this many contiguous groups by index, and each
   * desk works only its own clients' tickets, so desks are independent and a shard is a range of desks. With one
   * desk every technician serves every client. @default 1
   */
  desks: z.int().min(1).max(300).default(1).describe(
    "Service desks (teams): clients and technicians are split into this many contiguous groups by index, and each desk works only its own clients' tickets, so desks are independent and a shard is a range of desks. With one desk every technician serves every client",
  ),
  /** First day of tickets (UTC, inclusive). @default "2024-01-01" */
  start: isoDate.default("2024-01-01").describe("First day of tickets (UTC, inclusive)"),
  /** Last day of tickets (UTC, inclusive); the dataset is a snapshot taken at the end of this day. @default "2024-12-31" */
  end: isoDate.default("2024-12-31").describe(
    "Last day of tickets (UTC, inclusive); the dataset is a snapshot taken at the end of this day",
  ),
  /** Multiplies every client's ticket rate (load on the desk). @default 1 */
  ticket_rate_scale: z.number().positive().max(20).default(1).describe(
    "Multiplies every client's ticket rate (load on the desk)",
  ),
  /**
   * A desk's load at most: when the drawn demand would keep its technicians busier than a level drawn per desk
   * between 0.55 and this (mean weekday utilization: hands-on hours over available hours), its clients' ticket rates
   * are scaled down to that level, as a provider staffs a desk to its contracts. `null` keeps the drawn demand
   * however it loads the desk (queues grow, SLAs collapse: for stress data). @default 0.75
   */
  max_utilization: z.number().min(0.3).max(1.5).nullable().default(0.75).describe(
    "A desk's load at most: when the drawn demand would keep its technicians busier than a level drawn per desk between 0.55 and this (mean weekday utilization: hands-on hours over available hours), its clients' ticket rates are scaled down to that level, as a provider staffs a desk to its contracts. null keeps the drawn demand however it loads the desk (queues grow, SLAs collapse: for stress data)",
  ),
  /**
   * Incident bursts per month when no incident timeline is given: company-wide outages that raise ticket
   * arrivals of the clients they reach. 0 disables bursts. @default 1.5
   */
  bursts_per_month: z.number().min(0).max(60).default(1.5).describe(
    "Incident bursts per month when no incident timeline is given: company-wide outages that raise ticket arrivals of the clients they reach. 0 disables bursts",
  ),
  /** Share of resolved tickets whose client answers the satisfaction survey. @default 0.35 */
  survey_rate: z.number().min(0).max(1).default(0.35).describe(
    "Share of resolved tickets whose client answers the satisfaction survey",
  ),
  /** Table file format. @default "parquet" */
  format: z.enum(["parquet", "csv"]).default("parquet").describe("Table file format"),
  /** Data classification written in the manifest. @default "internal" */
  classification: Classification.default("internal").describe("Data classification written in the manifest"),
  /** Days to keep the dataset before `lake` may expire it. @default 365 */
  retention_days: z.int().positive().default(365).describe("Days to keep the dataset before `lake` may expire it"),
}).refine((c) => c.desks <= c.clients && c.desks <= c.technicians, {
  message: "desks must not exceed clients or technicians (every desk needs both)",
  path: ["desks"],
}).refine((c) => c.start <= c.end, { message: "start must not be after end", path: ["end"] })
  .refine((c) => Date.parse(c.end) - Date.parse(c.start) <= 3 * 366 * 86_400_000, {
    message: "the date range must be at most 3 years",
    path: ["end"],
  });

/** Config of the MSP service-desk generator. */
export type MspConfig = z.infer<typeof MspConfig>;

/**
 * The JSON Schema of {@linkcode MspConfig}, for editors (`"$schema"` in a config file).
 * @returns the JSON Schema object
 */
export function mspConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(MspConfig, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}
