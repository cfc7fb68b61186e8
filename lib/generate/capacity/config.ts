import { z } from "zod";
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { Classification } from "@lib/lake/mod.ts";

import { ARCHETYPES } from "@lib/schema/capacity.ts";

/** The server archetypes, in the order their shares are listed. */
export { ARCHETYPES };
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
    corr: [0.5, 0.4, 0.2],
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
    corr: [0.7, 0.4, 0.4],
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

/**
 * Where the realistic defaults depart from the textbook ones (the seed design), per archetype: the CPU level is the
 * median server's (real fleets: per-server mean CPU median 11 %, half below 10 %), and the weekend multiplier is
 * milder, because most real servers barely notice weekends (per-server weekend / weekday median 0.98); a share of
 * servers still has a strong daily cycle (see `realism.calendar_shape`).
 */
const REALISTIC: Record<Archetype, { cpu: number; weekend_multiplier: number }> = {
  web: { cpu: 9, weekend_multiplier: 0.9 },
  application: { cpu: 11, weekend_multiplier: 0.92 },
  database: { cpu: 7, weekend_multiplier: 0.95 },
  batch: { cpu: 5, weekend_multiplier: 1.05 },
};

/**
 * The textbook CPU-network correlations; the realistic defaults are lower for web and application (0.4)
 * servers, as real per-server CPU-network correlations have an IQR of 0.24-0.67.
 */
const TEXTBOOK_CPU_NET: Record<Archetype, number> = { web: 0.8, application: 0.6, database: 0.4, batch: 0.3 };

/** The configuration presets: `realistic` is the schema's defaults, `textbook` today's idealised curves. */
export const PRESETS = ["realistic", "textbook"] as const;
/** A configuration preset. */
export type Preset = (typeof PRESETS)[number];

/**
 * The textbook preset as a partial config laid under the user's keys: the seed design's archetype figures and no
 * realism, so the same seed gives the same rows as generator 2.0.0.
 */
export function presetDefaults(preset: Preset): Record<string, unknown> {
  if (preset === "realistic") return {};
  return {
    archetypes: Object.fromEntries(ARCHETYPES.map((a) => [a, {
      cpu: { mean: DEFAULTS[a].cpu[0] },
      weekend_multiplier: DEFAULTS[a].weekend_multiplier,
      correlations: { cpu_net: TEXTBOOK_CPU_NET[a] },
    }])),
    realism: { enabled: false },
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** `over` laid over `under`: objects merge key by key, anything else in `over` wins. */
function deepMerge(under: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...under };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

const metric = ([mean, std]: [number, number], max: number) =>
  z.strictObject({
    /** Mean hourly level over a plain week at the start (before growth, quarter ends, holidays, spikes). */
    mean: z.number().min(0).max(max).default(mean).describe(
      "Mean hourly level over a plain week at the start (before growth, quarter ends, holidays, spikes)",
    ).describe("Mean hourly level over a plain week at the start (before growth, quarter ends, holidays, spikes)"),
    /** Standard deviation of the correlated noise. */
    std: z.number().positive().max(max).default(std).describe("Standard deviation of the correlated noise"),
  });

const rho = (value: number, pair: string) =>
  z.number().min(-1).max(1).default(value).describe(`Pearson correlation of the ${pair} noise, -1 to 1`);

function archetypeSchema(a: Archetype) {
  const d = { ...DEFAULTS[a], cpu: [REALISTIC[a].cpu, DEFAULTS[a].cpu[1]] as [number, number] };
  d.weekend_multiplier = REALISTIC[a].weekend_multiplier;
  return z.strictObject({
    /** Share of the fleet; the four shares sum to 1. */
    share: z.number().min(0).max(1).default(d.share).describe("Share of the fleet; the four shares sum to 1"),
    /** CPU utilisation, percent (realistic: the median server's level; textbook: every server's, ±8 %). */
    cpu: metric(d.cpu, 100).prefault({}).describe(
      "CPU utilisation, percent (realistic: the median server's level; textbook: every server's, ±8 %)",
    ),
    /** Memory utilisation, percent. */
    mem: metric(d.mem, 100).prefault({}).describe("Memory utilisation, percent"),
    /** Disk utilisation, percent. */
    disk: metric(d.disk, 100).prefault({}).describe("Disk utilisation, percent"),
    /** Network throughput in, Mbps (out is a per-server fraction of it). */
    net: metric(d.net, 1000).prefault({}).describe("Network throughput in, Mbps (out is a per-server fraction of it)"),
    /** Pearson correlations of the noise between metrics. */
    correlations: z.strictObject({
      cpu_mem: rho(d.corr[0], "CPU and memory"),
      cpu_disk: rho(0.1, "CPU and disk"),
      cpu_net: rho(d.corr[1], "CPU and network"),
      mem_disk: rho(d.corr[2], "memory and disk"),
      mem_net: rho(0.2, "memory and network"),
      disk_net: rho(0.3, "disk and network"),
    }).prefault({}).describe("Pearson correlations of the noise between metrics"),
    /** Peak of the hour-of-day profile in business hours (below 1: quieter in business hours). */
    business_hours_multiplier: z.number().positive().max(10).default(d.business_hours_multiplier).describe(
      "Peak of the hour-of-day profile in business hours (below 1: quieter in business hours)",
    ).describe("Peak of the hour-of-day profile in business hours (below 1: quieter in business hours)"),
    /** Level on Saturdays and Sundays relative to weekdays (realistic: the group's typical server's). */
    weekend_multiplier: z.number().positive().max(10).default(d.weekend_multiplier).describe(
      "Level on Saturdays and Sundays relative to weekdays (realistic: the group's typical server's)",
    ).describe("Level on Saturdays and Sundays relative to weekdays (realistic: the group's typical server's)"),
    /** Probability that a point is a spike. */
    spike_probability: z.number().min(0).max(1).default(d.spike_probability).describe(
      "Probability that a point is a spike",
    ),
    /** Level multiplier of a spike. */
    spike_magnitude: z.number().min(1).max(20).default(d.spike_magnitude).describe("Level multiplier of a spike"),
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

const range = (lo: number, hi: number, min: number, max: number) =>
  z.strictObject({
    min: z.number().min(min).max(max).default(lo).describe("Lower end of the range a server's value is drawn from"),
    max: z.number().min(min).max(max).default(hi).describe("Upper end of the range a server's value is drawn from"),
  }).prefault({});

/**
 * What the realistic model adds to the calendar (all in log space, where a calendar factor is an offset): servers
 * that differ, persistent noise with bursts, regimes, and a smooth bound. `enabled: false` gives the textbook model.
 */
export const RealismConfig = z.strictObject({
  /** Use the realistic model; false gives the textbook one (independent noise on the calendar, clamped). */
  enabled: z.boolean().default(true).describe(
    "Use the realistic model; false gives the textbook one (independent noise on the calendar, clamped)",
  ).describe("Use the realistic model; false gives the textbook one (independent noise on the calendar, clamped)"),
  /**
   * Spread of the per-server level: standard deviation of its logarithm around the archetype's figure, per metric
   * (1.5 for CPU: per-server means from near-idle to near-full, median at the archetype's figure).
   */
  level_sigma: z.strictObject({
    cpu: z.number().min(0).max(4).default(1.5).describe("Standard deviation of the log per-server level of CPU"),
    mem: z.number().min(0).max(4).default(0.45).describe("Standard deviation of the log per-server level of memory"),
    disk: z.number().min(0).max(4).default(0.5).describe("Standard deviation of the log per-server level of disk"),
    net: z.number().min(0).max(4).default(1).describe("Standard deviation of the log per-server level of network"),
  }).prefault({}).describe(
    "Spread of the per-server level: standard deviation of its logarithm around the archetype's figure, per metric (1.5 for CPU: per-server means from near-idle to near-full, median at the archetype's figure)",
  ).describe(
    "Spread of the per-server level: standard deviation of its logarithm around the archetype's figure, per metric (1.5 for CPU: per-server means from near-idle to near-full, median at the archetype's figure)",
  ),
  /** Correlation of the per-server level draws across metrics (busy servers are busy on every metric). */
  level_coupling: z.number().min(0).max(1).default(0.8).describe(
    "Correlation of the per-server level draws across metrics (busy servers are busy on every metric)",
  ).describe("Correlation of the per-server level draws across metrics (busy servers are busy on every metric)"),
  /**
   * Shape of the gamma distribution (mean 1) of each server's daily-cycle strength, the power its hour-of-day
   * profile is raised to: below 1 most servers have a weak daily cycle and a few a strong one.
   */
  calendar_shape: z.number().min(0.05).max(100).default(0.2).describe(
    "Shape of the gamma distribution (mean 1) of each server's daily-cycle strength, the power its hour-of-day profile is raised to: below 1 most servers have a weak daily cycle and a few a strong one",
  ).describe(
    "Shape of the gamma distribution (mean 1) of each server's daily-cycle strength, the power its hour-of-day profile is raised to: below 1 most servers have a weak daily cycle and a few a strong one",
  ),
  /** Largest daily-cycle strength a server draws (the gamma tail is cut here). */
  calendar_max: z.number().min(1).max(100).default(2.5).describe(
    "Largest daily-cycle strength a server draws (the gamma tail is cut here)",
  ).describe("Largest daily-cycle strength a server draws (the gamma tail is cut here)"),
  /**
   * Each server's weekend multiplier is the archetype's times a log-normal draw of this spread (median 1). Kept
   * small: the validator measures a group's weekend ratio on its median series, which follows the few servers at
   * the median level, so a wide spread moves it by chance (0.15 moved a 42-server group by 0.07, 0.05 an
   * 18-server one by 0.05).
   */
  multiplier_sigma: z.number().min(0).max(2).default(0.03).describe(
    "Each server's weekend multiplier is the archetype's times a log-normal draw of this spread (median 1). Kept small: the validator measures a group's weekend ratio on its median series, which follows the few servers at the median level, so a wide spread moves it by chance (0.15 moved a 42-server group by 0.07, 0.05 an 18-server one by 0.05)",
  ).describe(
    "Each server's weekend multiplier is the archetype's times a log-normal draw of this spread (median 1). Kept small: the validator measures a group's weekend ratio on its median series, which follows the few servers at the median level, so a wide spread moves it by chance (0.15 moved a 42-server group by 0.07, 0.05 an 18-server one by 0.05)",
  ),
  /** Lag-1 coefficient of the hourly persistent noise, drawn uniformly per server. */
  persistence: range(0.2, 0.6, 0, 0.99).describe(
    "Lag-1 coefficient of the hourly persistent noise, drawn uniformly per server",
  ),
  /**
   * Stationary standard deviation of the persistent noise per metric (log scale). Episodes and regimes are
   * multiples of it, so every correlated component has the same shape across metrics and the archetype's
   * correlations hold for their sum. Small enough that a typical day's P95 is about 1.1 times its mean.
   */
  noise_sigma: z.strictObject({
    cpu: z.number().min(0).max(3).default(0.06).describe(
      "Stationary standard deviation of the persistent log noise of CPU",
    ),
    mem: z.number().min(0).max(3).default(0.05).describe(
      "Stationary standard deviation of the persistent log noise of memory",
    ),
    disk: z.number().min(0).max(3).default(0.05).describe(
      "Stationary standard deviation of the persistent log noise of disk",
    ),
    net: z.number().min(0).max(3).default(0.1).describe(
      "Stationary standard deviation of the persistent log noise of network",
    ),
  }).prefault({}).describe(
    "Stationary standard deviation of the persistent noise per metric (log scale). Episodes and regimes are multiples of it, so every correlated component has the same shape across metrics and the archetype's correlations hold for their sum. Small enough that a typical day's P95 is about 1.1 times its mean",
  ).describe(
    "Stationary standard deviation of the persistent noise per metric (log scale). Episodes and regimes are multiples of it, so every correlated component has the same shape across metrics and the archetype's correlations hold for their sum. Small enough that a typical day's P95 is about 1.1 times its mean",
  ),
  /** Bursts: share of hours whose noise innovation is `burst_scale` times larger (heavy tails). */
  burst_rate: z.number().min(0).max(1).default(0.02).describe(
    "Bursts: share of hours whose noise innovation is `burst_scale` times larger (heavy tails)",
  ).describe("Bursts: share of hours whose noise innovation is `burst_scale` times larger (heavy tails)"),
  /** Innovation multiplier of a burst. */
  burst_scale: z.number().min(1).max(200).default(5).describe("Innovation multiplier of a burst"),
  /** Busy episodes per server per week: the noise is pulled towards a correlated level vector while one lasts. */
  episodes_per_week: z.number().min(0).max(168).default(1.5).describe(
    "Busy episodes per server per week: the noise is pulled towards a correlated level vector while one lasts",
  ),
  /** Mean length of an episode, hours (geometric). */
  episode_hours: z.number().min(1).max(1000).default(2).describe("Mean length of an episode, hours (geometric)"),
  /** Standard deviation of an episode's level, in multiples of `noise_sigma` (CPU always rises). */
  episode_scale: z.number().min(0).max(100).default(15).describe(
    "Standard deviation of an episode's level, in multiples of `noise_sigma` (CPU always rises)",
  ).describe("Standard deviation of an episode's level, in multiples of `noise_sigma` (CPU always rises)"),
  /** Regime changes per server per year: the server's level moves to a new draw and stays there. */
  regimes_per_year: z.number().min(0).max(365).default(1).describe(
    "Regime changes per server per year: the server's level moves to a new draw and stays there",
  ),
  /** Standard deviation of a regime's level, in multiples of `noise_sigma`, drawn with the correlations. */
  regime_scale: z.number().min(0).max(100).default(0.7).describe(
    "Standard deviation of a regime's level, in multiples of `noise_sigma`, drawn with the correlations",
  ),
  /** Days simulated per server to calibrate the daily P95 of the hourly path (daily granularity). */
  calibration_days: z.int().min(8).max(4096).default(128).describe(
    "Days simulated per server to calibrate the daily P95 of the hourly path (daily granularity)",
  ).describe("Days simulated per server to calibrate the daily P95 of the hourly path (daily granularity)"),
});
/** The realism block of a capacity config. */
export type RealismConfig = z.output<typeof RealismConfig>;

const CapacityConfigObject = z.strictObject({
  /**
   * The preset the other keys default from: `realistic` (servers that differ, persistent noise, smooth
   * saturation) or `textbook` (the seed design's idealised curves: every server of an archetype alike, independent
   * noise, clamping; the same rows as generator 2.0.0 for the same seed). Keys given explicitly win over the preset.
   */
  preset: z.enum(PRESETS).default("realistic").describe(
    "The preset the other keys default from: `realistic` (servers that differ, persistent noise, smooth saturation) or `textbook` (the seed design's idealised curves: every server of an archetype alike, independent noise, clamping; the same rows as generator 2.0.0 for the same seed). Keys given explicitly win over the preset",
  ).describe(
    "The preset the other keys default from: `realistic` (servers that differ, persistent noise, smooth saturation) or `textbook` (the seed design's idealised curves: every server of an archetype alike, independent noise, clamping; the same rows as generator 2.0.0 for the same seed). Keys given explicitly win over the preset",
  ),
  /** Dataset name: the folder under `data/synthetic/`. */
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, "must be lowercase letters, digits, '_', '.' or '-'")
    .default("capacity").describe("Dataset name: the folder under `data/synthetic/`"),
  /** The seed; equal seeds and configs give byte-identical files. */
  seed: z.union([z.int(), z.string().min(1)]).default(42).describe(
    "The seed; equal seeds and configs give byte-identical files",
  ),
  /** Number of servers in the fleet. */
  servers: z.int().min(1).max(10_000_000).default(120).describe("Number of servers in the fleet"),
  /** First day, UTC. */
  start_date: isoDate.default("2022-01-01").describe("First day, UTC"),
  /** Last day, UTC, inclusive. Give this or `years`. @default "2025-12-31" when `years` is not given */
  end_date: isoDate.optional().describe("Last day, UTC, inclusive. Give this or `years`"),
  /** Number of whole years from `start_date`, instead of `end_date`. */
  years: z.int().min(1).max(50).optional().describe("Number of whole years from `start_date`, instead of `end_date`"),
  /** One row per server per day (daily P95) or per hour. */
  granularity: z.enum(["daily", "hourly"]).default("daily").describe(
    "One row per server per day (daily P95) or per hour",
  ).describe("One row per server per day (daily P95) or per hour"),
  /** Output file format. */
  format: z.enum(["parquet", "csv"]).default("parquet").describe("Output file format"),
  /** Gzip the CSV output. */
  compress: z.boolean().default(false).describe("Gzip the CSV output"),
  /** Servers generated per chunk; changes memory use, never the output. */
  chunk_servers: z.int().min(1).max(100_000).default(256).describe(
    "Servers generated per chunk; changes memory use, never the output",
  ),
  /**
   * Rows per output file: a larger dataset is split by server into `capacity/part-<first server>.parquet` files,
   * so memory stays flat as the dataset grows. Changes the file layout and memory use, never the rows.
   */
  rows_per_file: z.int().min(1000).max(100_000_000).default(1_000_000).describe(
    "Rows per output file: a larger dataset is split by server into `capacity/part-<first server>.parquet` files, so memory stays flat as the dataset grows. Changes the file layout and memory use, never the rows",
  ),
  /** Per-archetype parameters. */
  archetypes: z.strictObject({
    web: archetypeSchema("web").prefault({}).describe("Web servers: front ends with a strong business-hours cycle"),
    application: archetypeSchema("application").prefault({}).describe("Application servers"),
    database: archetypeSchema("database").prefault({}).describe("Database servers: memory- and disk-heavy"),
    batch: archetypeSchema("batch").prefault({}).describe("Batch servers: busiest off hours and at weekends"),
  }).prefault({}).describe("Per-archetype parameters"),
  /** Business hours (UTC) of the hour-of-day profile. */
  business_hours: z.strictObject({
    start_hour: z.int().min(0).max(23).default(8).describe("First business hour, 0-23 UTC"),
    end_hour: z.int().min(1).max(24).default(18).describe("Hour business ends, 1-24 UTC (exclusive)"),
  }).prefault({}).describe("Business hours (UTC) of the hour-of-day profile"),
  /** End-of-quarter ramp: the last `days` days of each quarter rise linearly up to `1 + uplift`. */
  eoq: z.strictObject({
    days: z.int().min(1).max(30).default(5).describe("Days at the end of each quarter that ramp up"),
    uplift: z.number().min(0).max(5).default(0.3).describe(
      "Rise on the quarter's last day: the level reaches 1 + uplift",
    ),
  }).prefault({}).describe(
    "End-of-quarter ramp: the last `days` days of each quarter rise linearly up to `1 + uplift`",
  ),
  /** Holiday reductions: each server's level drops by a uniform draw in [reduction_min, reduction_max]. */
  holidays: z.strictObject({
    calendar: z.enum(["us-federal", "none"]).default("us-federal").describe(
      "Holiday calendar: US federal holidays, or none",
    ),
    /** More holiday dates, `YYYY-MM-DD`. */
    extra_dates: z.array(isoDate).default([]).describe("More holiday dates, `YYYY-MM-DD`"),
    reduction_min: z.number().min(0).max(1).default(0.3).describe(
      "Smallest drop of the level on a holiday, a fraction",
    ),
    reduction_max: z.number().min(0).max(1).default(0.5).describe("Largest drop of the level on a holiday, a fraction"),
  }).prefault({}).describe(
    "Holiday reductions: each server's level drops by a uniform draw in [reduction_min, reduction_max]",
  ),
  /** Growth trend: the level grows by `per_year` (each server ± `jitter`, normal) per year, compounding. */
  growth: z.strictObject({
    per_year: z.number().min(-0.5).max(2).default(0.05).describe(
      "Yearly growth of the level, a fraction (0.05: 5 % a year)",
    ),
    jitter: z.number().min(0).max(1).default(0.02).describe(
      "Standard deviation of each server's yearly growth around per_year",
    ),
  }).prefault({}).describe(
    "Growth trend: the level grows by `per_year` (each server ± `jitter`, normal) per year, compounding",
  ).describe("Growth trend: the level grows by `per_year` (each server ± `jitter`, normal) per year, compounding"),
  /** The realistic model's parameters (ignored when `enabled` is false). */
  realism: RealismConfig.prefault({}).describe("The realistic model's parameters (ignored when `enabled` is false)"),
  /** Data classification written in the manifest. */
  classification: Classification.default("internal").describe("Data classification written in the manifest"),
  /** Days the dataset is kept before `deno task lake prune` removes it. */
  retention_days: z.int().positive().default(365).describe(
    "Days the dataset is kept before `deno task lake prune` removes it",
  ),
});

/** The config object before presets are applied: its JSON Schema is the editors' schema. */
export const CapacityConfigShape = CapacityConfigObject;

/**
 * Config of the server-capacity generator. Every key has a default; `preset` chooses which (see
 * {@linkcode presetDefaults}). The defaults give 120 servers, daily, 2022-01-01 .. 2025-12-31 (175,320 rows).
 */
export const CapacityConfig = z.preprocess(
  (raw) => {
    if (!isPlainObject(raw)) return raw;
    const preset = raw.preset;
    return typeof preset === "string" && (PRESETS as readonly string[]).includes(preset)
      ? deepMerge(presetDefaults(preset as Preset), raw)
      : raw;
  },
  CapacityConfigObject.superRefine((c, ctx) => {
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
    if (c.realism.persistence.min > c.realism.persistence.max) {
      ctx.addIssue({ code: "custom", path: ["realism", "persistence", "min"], message: "must be <= max" });
    }
  }),
);

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
