/**
 * The config of the anomaly-labeled service-metrics generator: one strict zod schema with documented defaults.
 * @module
 */
import { z } from "zod";
import { Classification } from "@lib/lake/manifest.ts";
import { ANOMALY_TYPE_NAMES, ANOMALY_TYPES, type AnomalyTypeName } from "./types/mod.ts";

const FREQ_UNITS_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a frequency such as `30s`, `1m`, `5m`, `1h` or `1d` (also `min`).
 * @param freq the frequency
 * @returns the step in milliseconds
 * @throws {RangeError} for anything else
 * @example
 * ```ts
 * import { freqToMs } from "@lib/generate/anomalies/config.ts";
 * freqToMs("5m"); // 300000
 * ```
 */
export function freqToMs(freq: string): number {
  const m = /^(\d+)\s*(s|m|min|h|d)$/.exec(freq.trim());
  if (!m || Number(m[1]) <= 0) {
    throw new RangeError(`Cannot use freq "${freq}": it must be a positive whole number and s, m, h or d (e.g. 1m)`);
  }
  const unit = m[2] === "min" ? "m" : m[2];
  return Number(m[1]) * FREQ_UNITS_MS[unit];
}

// Each type's parameters, defaulted as a whole when absent: built from the registry, so a new type needs no line here.
const typesShape = Object.fromEntries(
  ANOMALY_TYPE_NAMES.map((name) => [
    name,
    (ANOMALY_TYPES[name].params as z.ZodObject).prefault({}).describe(
      `${name}: ${ANOMALY_TYPES[name].description}; its weight and parameters`,
    ),
  ]),
) as unknown as { [K in AnomalyTypeName]: z.ZodPrefault<(typeof ANOMALY_TYPES)[K]["params"]> };

/** Config of `generate anomalies`; every key has a default, unknown keys are errors. */
export const AnomaliesConfig = z.strictObject({
  /** Dataset name: the folder `data/synthetic/<name>/`. @default "anomalies" */
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/i, "must be letters, digits, _, . or -").default("anomalies").describe(
    "Dataset name: the folder `data/synthetic/<name>/`",
  ),
  /** The seed; every series draws from its own stream derived from it. @default 42 */
  seed: z.union([z.int(), z.string().min(1)]).default(42).describe(
    "The seed; every series draws from its own stream derived from it",
  ),
  /** Number of series. @default 1000 */
  series: z.int().min(1).max(10_000_000).default(1000).describe("Number of series"),
  /** Points per series. @default 1440 (one day at 1m) */
  points: z.int().min(2).default(1440).describe("Points per series"),
  /** Sampling step: a whole number and s, m, h or d. @default "1m" */
  freq: z.string().refine((f) => {
    try {
      freqToMs(f);
      return true;
    } catch {
      return false;
    }
  }, "must be a whole number and s, m, h or d, e.g. 1m, 5m, 1h").default("1m").describe(
    "Sampling step: a whole number and s, m, h or d",
  ),
  /** First timestamp, an ISO date-time with a zone (never "now", so output is reproducible). @default "2024-01-01T00:00:00Z" */
  start: z.iso.datetime({ offset: true }).default("2024-01-01T00:00:00Z").describe(
    'First timestamp, an ISO date-time with a zone (never "now", so output is reproducible)',
  ).describe('First timestamp, an ISO date-time with a zone (never "now", so output is reproducible)'),
  /** Share of series that get anomalies (chosen at random, seeded). @default 0.5 */
  anomaly_ratio: z.number().min(0).max(1).default(0.5).describe(
    "Share of series that get anomalies (chosen at random, seeded)",
  ).describe("Share of series that get anomalies (chosen at random, seeded)"),
  /** Anomalies in each anomalous series, `[min, max]`. @default [1, 3] */
  anomalies_per_series: z.tuple([z.int().min(1), z.int().min(1)])
    .refine(([lo, hi]) => lo <= hi, "must be [min, max] with min <= max")
    .default([1, 3]).describe("Anomalies in each anomalous series, `[min, max]`"),
  /** Smallest number of normal points between two anomalies of a series. @default 30 */
  min_gap: z.int().min(0).default(30).describe("Smallest number of normal points between two anomalies of a series"),
  /** Points at the start of each series where no anomaly begins (history for detectors). @default 60 */
  warmup: z.int().min(0).default(60).describe(
    "Points at the start of each series where no anomaly begins (history for detectors)",
  ).describe("Points at the start of each series where no anomaly begins (history for detectors)"),
  /**
   * Where anomalies may lie, as fractions of the series `[from, to]` (e.g. `[0.5, 1]` keeps the first half clean
   * for training). @default [0, 1]
   */
  anomaly_window: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)])
    .refine(([lo, hi]) => lo < hi, "must be [from, to] with from < to")
    .default([0, 1]).describe(
      "Where anomalies may lie, as fractions of the series `[from, to]` (e.g. `[0.5, 1]` keeps the first half clean for training)",
    ).describe(
      "Where anomalies may lie, as fractions of the series `[from, to]` (e.g. `[0.5, 1]` keeps the first half clean for training)",
    ),
  /** Trailing window (points) defining the local mean and standard deviation magnitudes refer to. @default 60 */
  sigma_window: z.int().min(2).default(60).describe(
    "Trailing window (points) defining the local mean and standard deviation magnitudes refer to",
  ).describe("Trailing window (points) defining the local mean and standard deviation magnitudes refer to"),
  /**
   * How hard the anomalies are to find. Each anomaly's change is scaled (by at most 10; flatline and missing only
   * ever shrunk) so that its largest move is a drawn number of standard deviations of the 60 observed points before
   * onset, log-uniform in `easy` [12, 600] (the sizes before issue 14: most anomalies stand out, incidents up to
   * hundreds of sigma), `realistic` [5, 150] (about a third of the anomalies reach the 0.1 %-false-alarm threshold
   * of a 60-point rolling z-score, as for NAB's labelled anomalies; incidents capped at 150 sigma) or `hard`
   * [1.5, 25]. Each event's `difficulty` column is its measured peak |z|, `parameters.scale` the factor used.
   * @default "realistic"
   */
  difficulty: z.enum(["easy", "realistic", "hard"]).default("realistic").describe(
    "How hard the anomalies are to find. Each anomaly's change is scaled (by at most 10; flatline and missing only ever shrunk) so that its largest move is a drawn number of standard deviations of the 60 observed points before onset, log-uniform in `easy` [12, 600] (the sizes before issue 14: most anomalies stand out, incidents up to hundreds of sigma), `realistic` [5, 150] (about a third of the anomalies reach the 0.1 %-false-alarm threshold of a 60-point rolling z-score, as for NAB's labelled anomalies; incidents capped at 150 sigma) or `hard` [1.5, 25]. Each event's `difficulty` column is its measured peak |z|, `parameters.scale` the factor used",
  ).describe(
    "How hard the anomalies are to find. Each anomaly's change is scaled (by at most 10; flatline and missing only ever shrunk) so that its largest move is a drawn number of standard deviations of the 60 observed points before onset, log-uniform in `easy` [12, 600] (the sizes before issue 14: most anomalies stand out, incidents up to hundreds of sigma), `realistic` [5, 150] (about a third of the anomalies reach the 0.1 %-false-alarm threshold of a 60-point rolling z-score, as for NAB's labelled anomalies; incidents capped at 150 sigma) or `hard` [1.5, 25]. Each event's `difficulty` column is its measured peak |z|, `parameters.scale` the factor used",
  ),
  /**
   * The normal behaviour of every series: heavy-tailed noise (`tail`: range of the Tukey h of the load
   * innovations and latency noise, drawn per series), request-count over-dispersion (`count_cv`: range of the
   * relative standard deviation of one step's throughput beyond Poisson, log-uniform per series) and unlabelled
   * benign bursts (`bursts`: GC pauses, cron load, deploys). `tail` [0, 0], `count_cv` near 0 and `bursts` false
   * give the light-tailed model of before issue 14. @default { tail: [0.05, 0.24], count_cv: [0.06, 0.35], bursts: true }
   */
  noise: z.strictObject({
    tail: z.tuple([z.number().min(0).max(0.24), z.number().min(0).max(0.24)])
      .refine(([lo, hi]) => lo <= hi, "must be [min, max] with min <= max").default([0.05, 0.24])
      .describe("Range [min, max] of the Tukey h of the load innovations and latency noise, drawn per series"),
    count_cv: z.tuple([z.number().min(1e-4).max(2), z.number().min(1e-4).max(2)])
      .refine(([lo, hi]) => lo <= hi, "must be [min, max] with min <= max").default([0.06, 0.35])
      .describe("Range [min, max] of the relative standard deviation of a step's throughput beyond Poisson"),
    bursts: z.boolean().default(true).describe("Add unlabelled benign bursts (GC pauses, cron load, deploys)"),
  }).prefault({}).describe(
    "The normal behaviour of every series: heavy-tailed noise (`tail`: range of the Tukey h of the load innovations and latency noise, drawn per series), request-count over-dispersion (`count_cv`: range of the relative standard deviation of one step's throughput beyond Poisson, log-uniform per series) and unlabelled benign bursts (`bursts`: GC pauses, cron load, deploys). `tail` [0, 0], `count_cv` near 0 and `bursts` false give the light-tailed model of before issue 14",
  ).describe(
    "The normal behaviour of every series: heavy-tailed noise (`tail`: range of the Tukey h of the load innovations and latency noise, drawn per series), request-count over-dispersion (`count_cv`: range of the relative standard deviation of one step's throughput beyond Poisson, log-uniform per series) and unlabelled benign bursts (`bursts`: GC pauses, cron load, deploys). `tail` [0, 0], `count_cv` near 0 and `bursts` false give the light-tailed model of before issue 14",
  ),
  /** The anomaly types: weight in the mix and parameters of each. @default every type, weight 1 */
  types: z.strictObject(typesShape).prefault({}).describe(
    "The anomaly types: weight in the mix and parameters of each",
  ),
  /** Output file format (never changes values). @default "parquet" */
  format: z.enum(["parquet", "csv"]).default("parquet").describe("Output file format (never changes values)"),
  /** Gzip CSV output. @default false */
  compress: z.boolean().default(false).describe("Gzip CSV output"),
  /** Points rows per file; more are split into `points/part-<first series>.<ext>` by series. @default 2,000,000 */
  rows_per_file: z.int().min(1000).max(100_000_000).default(2_000_000).describe(
    "Points rows per file; more are split into `points/part-<first series>.<ext>` by series",
  ),
  /** Sensitivity of the dataset. @default "internal" */
  classification: Classification.default("internal").describe("Sensitivity of the dataset"),
  /** Days the dataset is kept. @default 30 */
  retention_days: z.int().positive().default(30).describe("Days the dataset is kept"),
}).refine((c) => !(c.compress && c.format === "parquet"), {
  path: ["compress"],
  message: "applies to csv only (Parquet is compressed inside with zstd)",
});
/** Config of `generate anomalies` (resolved, with defaults). */
export type AnomaliesConfig = z.infer<typeof AnomaliesConfig>;
/** Config of `generate anomalies` as written by a user (every key optional). */
export type AnomaliesConfigInput = z.input<typeof AnomaliesConfig>;

/** A type enabled in a config: its name, weight and parameters. */
export interface EnabledType {
  /** Type name. */
  name: AnomalyTypeName;
  /** Its weight in the mix. */
  weight: number;
  /** Its resolved parameters. */
  params: AnomaliesConfig["types"][AnomalyTypeName];
}

/**
 * The types with a weight above zero, in registry order.
 * @param config the resolved config
 * @returns the enabled types
 */
export function enabledTypes(config: AnomaliesConfig): EnabledType[] {
  return ANOMALY_TYPE_NAMES
    .map((name) => ({ name, weight: config.types[name].weight, params: config.types[name] }))
    .filter((t) => t.weight > 0);
}

/**
 * The points where anomalies may lie: from the later of `warmup` and the start of `anomaly_window`, to its end.
 * @param config the resolved config
 * @returns `[first, end)` point indices
 */
export function placementRange(config: AnomaliesConfig): [number, number] {
  const [from, to] = config.anomaly_window;
  return [Math.max(config.warmup, Math.ceil(from * config.points)), Math.floor(to * config.points)];
}

/**
 * Checks that the worst case of the request fits in a series: the most anomalies a series may get, each at the
 * largest minimum length among the enabled types, with `min_gap` between them, after `warmup`. Lengths drawn
 * longer are shortened (not below their minimum) when a series' draws do not fit, so this check is exact.
 * @param config the resolved config
 * @throws {RangeError} naming what does not fit, with the numbers
 */
export function checkFit(config: AnomaliesConfig): void {
  if (config.anomaly_ratio === 0) return;
  const types = enabledTypes(config);
  if (types.length === 0) {
    throw new RangeError(
      `Cannot generate "${config.name}": anomaly_ratio is ${config.anomaly_ratio} but every type has weight 0`,
    );
  }
  const widest = types.reduce((a, b) => (b.params.length[0] > a.params.length[0] ? b : a));
  const n = config.anomalies_per_series[1];
  const need = n * widest.params.length[0] + (n - 1) * config.min_gap;
  const [lo, hi] = placementRange(config);
  const room = hi - lo;
  if (need > room) {
    const where = lo === config.warmup && hi === config.points
      ? `after warmup ${config.warmup}, but series have ${config.points} points (${room} after warmup)`
      : `in the anomaly window [${lo}, ${hi}) of ${config.points} points (warmup ${config.warmup}), which has ${room}`;
    throw new RangeError(
      `Cannot fit anomalies in "${config.name}": ${n} anomalies of at least ${widest.params.length[0]} points ` +
        `(${widest.name}) with min_gap ${config.min_gap} need ${need} points ${where}; lower ` +
        `anomalies_per_series, min_gap, warmup or the ${widest.name} length, widen anomaly_window, or raise points`,
    );
  }
}

/** Baseline standard deviations an anomaly's largest move is scaled to, per `difficulty` (null: not scaled). */
export const DIFFICULTY_SIGMAS: Record<AnomaliesConfig["difficulty"], readonly [number, number] | null> = {
  easy: [12, 600],
  realistic: [5, 150],
  hard: [1.5, 25],
};
