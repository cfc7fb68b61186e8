/**
 * The config of the incident-scenario generator: one strict zod schema with documented defaults.
 * @module
 */
import { z } from "zod";
import { Classification } from "@lib/lake/mod.ts";
import { PRESETS } from "@lib/generate/capacity/config.ts";
import { INCIDENT_TYPE_NAMES } from "./types/mod.ts";

import { MODALITIES } from "./modalities.ts";

export { MODALITIES, type Modality } from "./modalities.ts";

const DAY_MS = 86_400_000;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD").refine(
  (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
  "must be a real calendar date",
);

const TypeWeight = z.strictObject({
  /** Share of this type among incidents (relative to the other weights). @default 1 */
  weight: z.number().min(0).max(1000).default(1).describe(
    "Share of this type among incidents (relative to the other weights)",
  ).describe("Share of this type among incidents (relative to the other weights)"),
});

const typesShape = Object.fromEntries(
  INCIDENT_TYPE_NAMES.map((name) => [
    name,
    TypeWeight.prefault({}).describe(`The ${name.replaceAll("_", " ")} incident type: its weight`),
  ]),
) as Record<(typeof INCIDENT_TYPE_NAMES)[number], z.ZodPrefault<typeof TypeWeight>>;

const modalityList = z.preprocess(
  (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter((s) => s !== "") : v),
  z.array(z.enum(MODALITIES)).min(1, "must name at least one modality")
    .refine((a) => new Set(a).size === a.length, "must not repeat a modality"),
);

/** Config of `generate incidents`; every key has a default, unknown keys are errors. */
export const IncidentsConfig = z.strictObject({
  /** Dataset name: the folder `data/synthetic/<name>/`. @default "incidents" */
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, "must be lowercase letters, digits, '_', '.' or '-'")
    .default("incidents").describe("Dataset name: the folder `data/synthetic/<name>/`"),
  /** The seed; the fleet, the timeline and every modality derive their streams from it. @default 42 */
  seed: z.union([z.int(), z.string().min(1)]).default(42).describe(
    "The seed; the fleet, the timeline and every modality derive their streams from it",
  ),
  /** First day of the period, UTC, inclusive. @default "2024-03-04" */
  from: isoDate.default("2024-03-04").describe("First day of the period, UTC, inclusive"),
  /** Day after the period, UTC (exclusive): the period is [from 00:00, to 00:00). @default "2024-03-18" */
  to: isoDate.default("2024-03-18").describe(
    "Day after the period, UTC (exclusive): the period is [from 00:00, to 00:00)",
  ).describe("Day after the period, UTC (exclusive): the period is [from 00:00, to 00:00)"),
  /** Mean number of incidents a week (Poisson); incidents never overlap, so very high rates saturate. @default 4 */
  incidents_per_week: z.number().min(0).max(200).default(4).describe(
    "Mean number of incidents a week (Poisson); incidents never overlap, so very high rates saturate",
  ).describe("Mean number of incidents a week (Poisson); incidents never overlap, so very high rates saturate"),
  /** Servers in the fleet: the fleet of `generate capacity --servers N --seed S` (same ids and archetypes). @default 120 */
  servers: z.int().min(8).max(100_000).default(120).describe(
    "Servers in the fleet: the fleet of `generate capacity --servers N --seed S` (same ids and archetypes)",
  ).describe("Servers in the fleet: the fleet of `generate capacity --servers N --seed S` (same ids and archetypes)"),
  /**
   * The capacity model of the fleet's metrics: a preset of `generate capacity`. @default "realistic"
   */
  capacity_preset: z.enum(PRESETS).default("realistic").describe(
    "The capacity model of the fleet's metrics, a `generate capacity` preset: `realistic` (servers that differ, persistent noise, smooth saturation) or `textbook` (every server of an archetype alike, independent noise; incidents output as before 2026-12)",
  ),
  /** The incident types and their weights. @default every type, weight 1 */
  types: z.strictObject(typesShape).prefault({}).describe("The incident types and their weights"),
  /** The modalities to write (a list, or comma-separated text). @default all five */
  modalities: modalityList.default([...MODALITIES]).describe(
    "The modalities to write (a list, or comma-separated text)",
  ).describe("The modalities to write (a list, or comma-separated text)"),
  /** How much background traffic fills the period. */
  volumes: z.strictObject({
    /** CloudFront requests a day at the mean of the daily cycle. @default 20000 */
    cloudfront_requests_per_day: z.int().min(0).max(2_000_000_000).default(20_000).describe(
      "CloudFront requests a day at the mean of the daily cycle",
    ),
    /** Database log records per database server per hour (background). @default 20 */
    db_records_per_server_hour: z.number().min(0).max(1_000_000).default(20).describe(
      "Database log records per database server per hour (background)",
    ).describe("Database log records per database server per hour (background)"),
    /** Background tickets a day (weekday mean; fewer at night and weekends). @default 20 */
    tickets_per_day: z.number().min(0).max(100_000).default(20).describe(
      "Background tickets a day (weekday mean; fewer at night and weekends)",
    ).describe("Background tickets a day (weekday mean; fewer at night and weekends)"),
    /** Background e-mails a day (maintenance notices, change notices, reports). @default 6 */
    emails_per_day: z.number().min(0).max(100_000).default(6).describe(
      "Background e-mails a day (maintenance notices, change notices, reports)",
    ).describe("Background e-mails a day (maintenance notices, change notices, reports)"),
    /** Step of the service metrics. @default "5m" */
    service_metrics_step: z.enum(["1m", "5m", "15m"]).default("5m").describe("Step of the service metrics"),
  }).prefault({}).describe("How much background traffic fills the period"),
  /** CloudFront log files. */
  cloudfront: z.strictObject({
    /** Gzip each hourly file, as CloudFront delivers them. @default true */
    gzip: z.boolean().default(true).describe("Gzip each hourly file, as CloudFront delivers them"),
    /** Gzip level, 1 (fastest, about 3.5:1 on these logs) to 9 (about 5:1). @default 1 */
    gzip_level: z.int().min(1).max(9).default(1).describe(
      "Gzip level, 1 (fastest, about 3.5:1 on these logs) to 9 (about 5:1)",
    ),
    /** The distribution id in file names. @default "E2EXAMPLE0SYN" */
    distribution_id: z.string().regex(/^[A-Z0-9]{8,16}$/, "must be 8-16 uppercase letters or digits")
      .default("E2EXAMPLE0SYN").describe("The distribution id in file names"),
  }).prefault({}).describe("CloudFront log files"),
  /** Log lines per write chunk: changes memory use, never the output. @default 65536 */
  chunk_lines: z.int().min(256).max(10_000_000).default(65_536).describe(
    "Log lines per write chunk: changes memory use, never the output",
  ),
  /** Sensitivity of the dataset. @default "internal" */
  classification: Classification.default("internal").describe("Sensitivity of the dataset"),
  /** Days the dataset is kept. @default 90 */
  retention_days: z.int().positive().default(90).describe("Days the dataset is kept"),
}).superRefine((c, ctx) => {
  const from = Date.parse(`${c.from}T00:00:00Z`);
  const to = Date.parse(`${c.to}T00:00:00Z`);
  if (!(to > from)) ctx.addIssue({ code: "custom", path: ["to"], message: `must be after from ${c.from}` });
  else if (to - from > 3 * 366 * DAY_MS) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "must be at most 3 years after from" });
  }
  const total = INCIDENT_TYPE_NAMES.reduce((s, n) => s + c.types[n].weight, 0);
  if (c.incidents_per_week > 0 && total <= 0) {
    ctx.addIssue({
      code: "custom",
      path: ["types"],
      message: "need one type with weight > 0 when incidents_per_week > 0",
    });
  }
});
/** Config of `generate incidents` (resolved, with defaults). */
export type IncidentsConfig = z.output<typeof IncidentsConfig>;
/** Config of `generate incidents` as written by a user (every key optional). */
export type IncidentsConfigInput = z.input<typeof IncidentsConfig>;

/**
 * The period of a config in epoch milliseconds.
 * @param config the resolved config
 * @returns `[start, end)`
 */
export function period(config: Pick<IncidentsConfig, "from" | "to">): { start: number; end: number } {
  return { start: Date.parse(`${config.from}T00:00:00Z`), end: Date.parse(`${config.to}T00:00:00Z`) };
}
