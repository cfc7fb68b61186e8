import { z } from "zod";
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { Classification } from "@lib/lake/mod.ts";

/** The server archetypes, in the order their shares are listed. */
export const ARCHETYPES = ["web", "application", "database", "batch"] as const;
/** A server archetype. */
export type Archetype = (typeof ARCHETYPES)[number];

/** The four modelled metrics, in the order of the correlation matrix. */
export const METRICS = ["cpu", "mem", "disk", "net"] as const;

interface ArchetypeDefaults {
  share: number;
  cpu: [number, number];
  mem: [number, number];
  disk: [number, number];
  net: [number, number];
  /** cpu-mem, cpu-net, mem-disk; cpu-disk .1, mem-net .2, disk-net .3 for every archetype. */
  corr: [number, number, number];
  business_hours_multiplier: number;
  weekend_multiplier: number;
  spike_probability: number;
  spike_magnitude: number;
}

const DEFAULTS: Record<Archetype, ArchetypeDefaults> = {
  web: {
    share: 0.35,
    cpu: [45, 15],
    mem: [35, 8],
    disk: [20, 5],
    net: [150, 50],
    corr: [0.5, 0.8, 0.2],
    business_hours_multiplier: 1.6,
    weekend_multiplier: 0.5,
    spike_probability: 0.03,
    spike_magnitude: 1.8,
  },
  application: {
    share: 0.40,
    cpu: [50, 18],
    mem: [55, 15],
    disk: [30, 10],
    net: [120, 40],
    corr: [0.7, 0.6, 0.4],
    business_hours_multiplier: 1.5,
    weekend_multiplier: 0.6,
    spike_probability: 0.02,
    spike_magnitude: 1.6,
  },
  database: {
    share: 0.15,
    cpu: [35, 12],
    mem: [70, 10],
    disk: [55, 15],
    net: [100, 30],
    corr: [0.6, 0.4, 0.7],
    business_hours_multiplier: 1.3,
    weekend_multiplier: 0.7,
    spike_probability: 0.01,
    spike_magnitude: 1.4,
  },
  batch: {
    share: 0.10,
    cpu: [30, 25],
    mem: [45, 12],
    disk: [40, 20],
    net: [80, 35],
    corr: [0.4, 0.3, 0.5],
    business_hours_multiplier: 0.8,
    weekend_multiplier: 1.2,
    spike_probability: 0.08,
    spike_magnitude: 2.5,
  },
};

const metric = ([mean, std]: [number, number], max: number) =>
  z.strictObject({
    /** Mean hourly level over a plain week at the start (before growth, quarter ends, holidays, spikes). */
    mean: z.number().min(0).max(max).default(mean),
    /** Standard deviation of the correlated noise. */
    std: z.number().positive().max(max).default(std),
  });

const rho = (value: number) => z.number().min(-1).max(1).default(value);

function archetypeSchema(d: ArchetypeDefaults) {
  return z.strictObject({
    /** Share of the fleet; the four shares sum to 1. */
    share: z.number().min(0).max(1).default(d.share),
    /** CPU utilisation, percent. */
    cpu: metric(d.cpu, 100).prefault({}),
    /** Memory utilisation, percent. */
    mem: metric(d.mem, 100).prefault({}),
    /** Disk utilisation, percent. */
    disk: metric(d.disk, 100).prefault({}),
    /** Network throughput in, Mbps (out is a per-server fraction of it). */
    net: metric(d.net, 1000).prefault({}),
    /** Pearson correlations of the noise between metrics. */
    correlations: z.strictObject({
      cpu_mem: rho(d.corr[0]),
      cpu_disk: rho(0.1),
      cpu_net: rho(d.corr[1]),
      mem_disk: rho(d.corr[2]),
      mem_net: rho(0.2),
      disk_net: rho(0.3),
    }).prefault({}),
    /** Peak of the hour-of-day profile in business hours (below 1: quieter in business hours). */
    business_hours_multiplier: z.number().positive().max(10).default(d.business_hours_multiplier),
    /** Level on Saturdays and Sundays relative to weekdays. */
    weekend_multiplier: z.number().positive().max(10).default(d.weekend_multiplier),
    /** Probability that a point is a spike. */
    spike_probability: z.number().min(0).max(1).default(d.spike_probability),
    /** Level multiplier of a spike. */
    spike_magnitude: z.number().min(1).max(20).default(d.spike_magnitude),
  });
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD").refine(
  (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
  "must be a real calendar date",
);

/** The correlation matrix of one archetype, over {@linkcode METRICS}. */
export function correlationMatrix(c: ArchetypeConfig["correlations"]): number[][] {
  return [
    [1, c.cpu_mem, c.cpu_disk, c.cpu_net],
    [c.cpu_mem, 1, c.mem_disk, c.mem_net],
    [c.cpu_disk, c.mem_disk, 1, c.disk_net],
    [c.cpu_net, c.mem_net, c.disk_net, 1],
  ];
}

/**
 * The lower Cholesky factor of a correlation matrix.
 * @param matrix a symmetric matrix
 * @returns L with L·Lᵀ = matrix, or `undefined` when the matrix is not positive definite
 */
export function choleskyFactor(matrix: number[][]): number[][] | undefined {
  const chol = new CholeskyDecomposition(new Matrix(matrix));
  return chol.isPositiveDefinite() ? chol.lowerTriangularMatrix.to2DArray() : undefined;
}

/** Config of one archetype. */
export type ArchetypeConfig = z.output<ReturnType<typeof archetypeSchema>>;

/**
 * Config of the server-capacity generator. Every key has a default; the defaults reproduce the reference design:
 * 120 servers, daily, 2022-01-01 .. 2025-12-31 (175,320 rows).
 */
export const CapacityConfig = z.strictObject({
  /** Dataset name: the folder under `data/synthetic/`. */
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, "must be lowercase letters, digits, '_', '.' or '-'")
    .default("capacity"),
  /** The seed; equal seeds and configs give byte-identical files. */
  seed: z.union([z.int(), z.string().min(1)]).default(42),
  /** Number of servers in the fleet. */
  servers: z.int().min(1).max(10_000_000).default(120),
  /** First day, UTC. */
  start_date: isoDate.default("2022-01-01"),
  /** Last day, UTC, inclusive. Give this or `years`. @default "2025-12-31" when `years` is not given */
  end_date: isoDate.optional(),
  /** Number of whole years from `start_date`, instead of `end_date`. */
  years: z.int().min(1).max(50).optional(),
  /** One row per server per day (daily P95) or per hour. */
  granularity: z.enum(["daily", "hourly"]).default("daily"),
  /** Output file format. */
  format: z.enum(["parquet", "csv"]).default("parquet"),
  /** Gzip the CSV output. */
  compress: z.boolean().default(false),
  /** Servers generated per chunk; changes memory use, never the output. */
  chunk_servers: z.int().min(1).max(100_000).default(256),
  /**
   * Rows per output file: a larger dataset is split by server into `capacity/part-<first server>.parquet` files,
   * so memory stays flat as the dataset grows. Changes the file layout and memory use, never the rows.
   */
  rows_per_file: z.int().min(1000).max(100_000_000).default(1_000_000),
  /** Per-archetype parameters. */
  archetypes: z.strictObject({
    web: archetypeSchema(DEFAULTS.web).prefault({}),
    application: archetypeSchema(DEFAULTS.application).prefault({}),
    database: archetypeSchema(DEFAULTS.database).prefault({}),
    batch: archetypeSchema(DEFAULTS.batch).prefault({}),
  }).prefault({}),
  /** Business hours (UTC) of the hour-of-day profile. */
  business_hours: z.strictObject({
    start_hour: z.int().min(0).max(23).default(8),
    end_hour: z.int().min(1).max(24).default(18),
  }).prefault({}),
  /** End-of-quarter ramp: the last `days` days of each quarter rise linearly up to `1 + uplift`. */
  eoq: z.strictObject({
    days: z.int().min(1).max(30).default(5),
    uplift: z.number().min(0).max(5).default(0.3),
  }).prefault({}),
  /** Holiday reductions: each server's level drops by a uniform draw in [reduction_min, reduction_max]. */
  holidays: z.strictObject({
    calendar: z.enum(["us-federal", "none"]).default("us-federal"),
    /** More holiday dates, `YYYY-MM-DD`. */
    extra_dates: z.array(isoDate).default([]),
    reduction_min: z.number().min(0).max(1).default(0.3),
    reduction_max: z.number().min(0).max(1).default(0.5),
  }).prefault({}),
  /** Growth trend: the level grows by `per_year` (each server ± `jitter`, normal) per year, compounding. */
  growth: z.strictObject({
    per_year: z.number().min(-0.5).max(2).default(0.05),
    jitter: z.number().min(0).max(1).default(0.02),
  }).prefault({}),
  /** Data classification written in the manifest. */
  classification: Classification.default("internal"),
  /** Days the dataset is kept before `deno task lake prune` removes it. */
  retention_days: z.int().positive().default(365),
}).superRefine((c, ctx) => {
  if (c.end_date !== undefined && c.years !== undefined) {
    ctx.addIssue({ code: "custom", path: ["years"], message: "cannot be given together with end_date" });
  }
  const end = capacityEndDate(c);
  if (end < c.start_date) {
    ctx.addIssue({ code: "custom", path: ["end_date"], message: `must not be before start_date ${c.start_date}` });
  }
  const sum = ARCHETYPES.reduce((s, a) => s + c.archetypes[a].share, 0);
  if (Math.abs(sum - 1) > 1e-6) {
    ctx.addIssue({ code: "custom", path: ["archetypes"], message: `shares must sum to 1, they sum to ${sum}` });
  }
  for (const a of ARCHETYPES) {
    if (choleskyFactor(correlationMatrix(c.archetypes[a].correlations)) === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["archetypes", a, "correlations"],
        message: "must form a positive definite correlation matrix",
      });
    }
  }
  if (c.holidays.reduction_min > c.holidays.reduction_max) {
    ctx.addIssue({ code: "custom", path: ["holidays", "reduction_min"], message: "must be <= reduction_max" });
  }
  if (c.business_hours.end_hour <= c.business_hours.start_hour) {
    ctx.addIssue({ code: "custom", path: ["business_hours", "end_hour"], message: "must be after start_hour" });
  }
});

/** A resolved capacity config. */
export type CapacityConfig = z.output<typeof CapacityConfig>;

/**
 * The last day of the period: `end_date`, else `start_date` plus `years` years less a day, else 2025-12-31.
 * @param config the config (end_date, years and start_date are read)
 * @returns the last day, `YYYY-MM-DD`
 */
export function capacityEndDate(config: Pick<CapacityConfig, "start_date" | "end_date" | "years">): string {
  if (config.end_date !== undefined) return config.end_date;
  if (config.years === undefined) return "2025-12-31";
  const start = new Date(`${config.start_date}T00:00:00Z`);
  start.setUTCFullYear(start.getUTCFullYear() + config.years);
  return new Date(start.getTime() - 86_400_000).toISOString().slice(0, 10);
}
