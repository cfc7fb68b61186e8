/**
 * What every anomaly type shares: the series it edits ({@linkcode SeriesContext}), the two steps of a type (draw
 * its random choices, then apply them deterministically) and small helpers (ranges, envelopes, bounded edits).
 *
 * Drawing and applying are apart so that placement (which needs every length first) sits between them, and so a
 * test can apply a hand-made event and check the result exactly.
 * @module
 */
import { z } from "zod";
import type { Rng } from "@lib/random/mod.ts";

/** The role a metric plays, which says how a multi-metric incident moves it. */
export type MetricKind = "latency" | "errors" | "throughput" | "generic";

/** One metric of one series while anomalies are injected. */
export interface Track {
  /** Column name, e.g. `latency_ms`. */
  name: string;
  /** Its role. */
  kind: MetricKind;
  /** The current values, edited in place; `NaN` is a missing value. */
  values: Float64Array;
  /** The values before any injection (for local statistics). */
  clean: Float64Array;
  /** The noiseless level (the model's expectation, or a smoothed estimate for injected datasets). */
  expected: Float64Array;
  /** The seasonal part of `expected` (its deviation from the series mean). */
  seasonal: Float64Array;
  /** Smallest valid value (inclusive). */
  lower: number;
  /** Largest valid value (inclusive). */
  upper: number;
}

/** The series an anomaly is applied to. */
export interface SeriesContext {
  /** The metrics, in column order. */
  tracks: Track[];
  /** Points in the series. */
  points: number;
  /** Points per seasonal period (one day), at least 2. */
  period: number;
  /** Points of the trailing window that defines "local" mean and standard deviation. */
  sigmaWindow: number;
}

/** What a type draws for one anomaly before it is placed. */
export interface Draft {
  /** Labeled length in points (placement may shorten it, never below the type's minimum). */
  length: number;
  /** Indices into `tracks` of the metrics it affects, ascending. */
  metrics: number[];
  /** The type's own random choices (magnitudes, directions, shapes...). */
  draw: Record<string, number | string | boolean>;
}

/** A draft with its position: it covers points `start` to `start + length - 1`. */
export interface Placed extends Draft {
  /** First labeled point (0-based index into the series). */
  start: number;
}

/** Realized parameters of one applied anomaly, stored as JSON in the events table. */
export type Realized = Record<string, unknown>;

/**
 * One kind of anomaly: defaults and a small factory, registered by one line in `types/mod.ts`.
 * @typeParam S the schema of its parameters
 */
export interface AnomalyType<S extends z.ZodType<BaseParams> = z.ZodType<BaseParams>> {
  /** The name used in config, labels and events, e.g. `level_shift`. */
  readonly name: string;
  /** One line saying what it does. */
  readonly description: string;
  /** Its parameters with documented defaults (strict: unknown keys are errors). */
  readonly params: S;
  /**
   * Draws the random choices of one anomaly.
   * @param rng the series stream
   * @param params the type's parameters
   * @param tracks the metrics of the series
   * @returns the draft
   */
  draw(rng: Rng, params: z.output<S>, tracks: readonly Track[]): Draft;
  /**
   * Applies a placed anomaly to the series (in place), deterministically. It may narrow `event.metrics` to the
   * metrics it actually changed; the labels follow `event.metrics` after it returns.
   * @param ctx the series
   * @param event the placed anomaly
   * @returns the realized parameters (magnitudes in the metric's units and in local standard deviations)
   */
  apply(ctx: SeriesContext, event: Placed): Realized;
}

/** Parameters every type has. */
export interface BaseParams {
  /** Share of this type in the mix (relative to the other weights). */
  weight: number;
  /** Labeled length in points, `[min, max]`. */
  length: [number, number];
  /** Metric names it may affect; empty means the type's default choice. */
  metrics: string[];
  /** Probability that one anomaly affects every allowed metric instead of one. */
  all_metrics: number;
}

/**
 * A `[min, max]` range parameter.
 * @param defaults the default range
 * @param options `int` for whole numbers, `min` the smallest allowed bound
 * @returns the schema
 */
export function range(
  defaults: [number, number],
  options: { int?: boolean; min?: number; max?: number } = {},
): z.ZodDefault<z.ZodType<[number, number]>> {
  const { int = false, min = -Infinity, max = Infinity } = options;
  const bound = int ? z.int() : z.number();
  const schema = z.tuple([bound, bound])
    .refine(([lo, hi]) => lo <= hi, { message: "must be [min, max] with min <= max" })
    .refine(([lo, hi]) => lo >= min && hi <= max, {
      message: `must lie within [${min}, ${max}]`,
    }) as unknown as z.ZodType<[number, number]>;
  return schema.default(defaults);
}

/**
 * The fields of {@linkcode BaseParams} with a type's defaults, to spread into its `z.strictObject`.
 * @param defaults the type's default length range and metric choice
 * @returns the zod shape
 */
export function baseShape(
  defaults: { length: [number, number]; all_metrics?: number; weight?: number },
): {
  weight: z.ZodDefault<z.ZodNumber>;
  length: z.ZodDefault<z.ZodType<[number, number]>>;
  metrics: z.ZodDefault<z.ZodArray<z.ZodString>>;
  all_metrics: z.ZodDefault<z.ZodNumber>;
} {
  return {
    weight: z.number().min(0).default(defaults.weight ?? 1).describe(
      "Share of this type in the mix (relative to the other weights; 0 turns it off)",
    ),
    length: range(defaults.length, { int: true, min: 1 }).describe("Labeled length in points, [min, max]"),
    metrics: z.array(z.string()).default([]).describe("Metric names it may affect; empty means the type's default"),
    all_metrics: z.number().min(0).max(1).default(defaults.all_metrics ?? 0).describe(
      "Probability that one anomaly affects every allowed metric instead of one",
    ),
  };
}

/** `unit` of a magnitude: local standard deviations, or a fraction of the local mean. */
export const MagnitudeUnit = z.enum(["sigma", "relative"]);
/** `unit` of a magnitude. */
export type MagnitudeUnit = z.infer<typeof MagnitudeUnit>;

/**
 * Chooses the metrics of one anomaly: with probability `all_metrics` every allowed metric, else one of them.
 * @param rng the stream
 * @param choice `params`: the type's `metrics` and `all_metrics`; `tracks`: the series metrics; `allowKind`: which
 *   kinds the type accepts when `metrics` is empty (default all)
 * @returns track indices, ascending
 */
export function chooseMetrics(rng: Rng, choice: {
  params: Pick<BaseParams, "metrics" | "all_metrics">;
  tracks: readonly Track[];
  allowKind?: (kind: MetricKind) => boolean;
}): number[] {
  const { params, tracks, allowKind = () => true } = choice;
  let allowed = tracks.map((t, i) => ({ t, i }))
    .filter(({ t }) => params.metrics.length > 0 ? params.metrics.includes(t.name) : allowKind(t.kind))
    .map(({ i }) => i);
  // A dataset without the preferred metrics (e.g. an injected capacity dataset) still gets the anomaly.
  if (allowed.length === 0) allowed = tracks.map((_, i) => i);
  if (rng.bernoulli(params.all_metrics)) return allowed;
  return [rng.pick(allowed)];
}

/**
 * Draws a number from a `[min, max]` range.
 * @param rng the stream
 * @param r the range
 * @returns the draw
 */
export function drawIn(rng: Rng, r: readonly [number, number]): number {
  return rng.uniform(r[0], r[1]);
}

/**
 * Draws a whole number from a `[min, max]` range, both ends included.
 * @param rng the stream
 * @param r the range
 * @returns the draw
 */
export function drawIntIn(rng: Rng, r: readonly [number, number]): number {
  return rng.int(r[0], r[1]);
}

/**
 * Mean and standard deviation of a track's clean values over the trailing window before `start` (the window a
 * detector looking back sees); windows reaching before the series start are moved right. Missing values are
 * skipped; a flat window gives a tiny positive deviation so magnitudes stay defined.
 * @param ctx the series
 * @param at `track`: the metric; `start`: the anomaly start
 * @returns `{ mean, std }`
 */
export function localStats(ctx: SeriesContext, { track, start }: { track: Track; start: number }): {
  mean: number;
  std: number;
} {
  const w = Math.min(ctx.sigmaWindow, ctx.points);
  const from = Math.max(0, Math.min(start - w, ctx.points - w));
  let n = 0, sum = 0, sum2 = 0;
  for (let i = from; i < from + w; i++) {
    const v = track.clean[i];
    if (Number.isNaN(v)) continue;
    n++;
    sum += v;
    sum2 += v * v;
  }
  if (n === 0) return { mean: 0, std: 1e-9 };
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sum2 - n * mean * mean) / (n - 1)) : 0;
  return { mean, std: Math.max(Math.sqrt(variance), 1e-9 * Math.max(1, Math.abs(mean))) };
}

/**
 * Turns a magnitude into the metric's units.
 * @param magnitude the drawn magnitude
 * @param unit `sigma` (times the local standard deviation) or `relative` (times the local mean)
 * @param stats the local statistics
 * @returns the size of the change, in the metric's units
 */
export function toUnits(magnitude: number, unit: MagnitudeUnit, stats: { mean: number; std: number }): number {
  return unit === "sigma" ? magnitude * stats.std : magnitude * Math.abs(stats.mean);
}

/**
 * The weight of an effect at offset `k` of an anomaly of `length` points with linear ramps: rises over `rampIn`
 * points, holds at 1, falls over `rampOut` points (the last point of a ramp-out is still above zero, so every
 * labeled point is changed).
 * @param k offset from the start, `0 <= k < length`
 * @param shape `length`: the labeled length; `rampIn`, `rampOut`: points of ramp-in and ramp-out
 * @returns a weight in (0, 1]
 */
export function envelope(k: number, { length, rampIn, rampOut }: Ramps): number {
  let w = 1;
  if (k < rampIn) w = (k + 1) / (rampIn + 1);
  const fromEnd = length - 1 - k;
  if (fromEnd < rampOut) w = Math.min(w, (fromEnd + 1) / (rampOut + 1));
  return w;
}

/** The shape of an effect with linear ramps (see {@linkcode envelope}). */
export interface Ramps {
  /** The labeled length. */
  length: number;
  /** Points of ramp-in. */
  rampIn: number;
  /** Points of ramp-out. */
  rampOut: number;
}

/**
 * Ramps that fit inside a span, keeping at least one point at full strength.
 * @param length the labeled length
 * @param wanted `rampIn`, `rampOut`: the wanted ramps
 * @returns the ramps used
 */
export function fitRamps(length: number, { rampIn, rampOut }: { rampIn: number; rampOut: number }): [number, number] {
  const room = Math.max(0, length - 1);
  const rin = Math.min(rampIn, room);
  return [rin, Math.min(rampOut, room - rin)];
}

/**
 * Writes `value` into a track, held within its valid range; returns 1 when it had to be clipped.
 * @param track the metric
 * @param write `i`: the point; `value`: the wanted value (`NaN` leaves a missing value)
 * @returns 1 if clipped, else 0
 */
export function setBounded(track: Track, { i, value }: { i: number; value: number }): number {
  if (Number.isNaN(value)) {
    track.values[i] = value;
    return 0;
  }
  if (value < track.lower) {
    track.values[i] = track.lower;
    return 1;
  }
  if (value > track.upper) {
    track.values[i] = track.upper;
    return 1;
  }
  track.values[i] = value;
  return 0;
}

/**
 * Moves a value by `delta`: up as asked (held within bounds), down by at most `maxDrop` of its distance to the
 * lower bound, so a downward move never drives a value to zero. Missing values stay missing.
 * @param track the metric
 * @param move `i`: the point; `delta`: the move; `maxDrop`: the largest share of the value a downward move removes
 * @returns 1 if the move was limited, else 0
 */
export function moveBy(
  track: Track,
  { i, delta, maxDrop }: { i: number; delta: number; maxDrop: number },
): number {
  const v = track.values[i];
  if (delta >= 0 || Number.isNaN(v)) return setBounded(track, { i, value: v + delta });
  const room = maxDrop * Math.max(0, v - track.lower);
  if (-delta <= room) return setBounded(track, { i, value: v + delta });
  setBounded(track, { i, value: v - room });
  return 1;
}

/**
 * The direction of a move on a metric: error rates only go up (a fall from near zero is no anomaly).
 * @param track the metric
 * @param direction the drawn direction
 * @returns +1 or -1
 */
export function signFor(track: Track, direction: unknown): number {
  return track.kind === "errors" || direction === "up" ? 1 : -1;
}

/**
 * Rounds to 6 significant digits, so realized parameters read well in JSON.
 * @param x a number
 * @returns the rounded number
 */
export function round6(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : x;
}

/**
 * The names of the chosen tracks.
 * @param tracks the series metrics
 * @param metrics track indices
 * @returns the names
 */
export function namesOf(tracks: readonly Track[], metrics: readonly number[]): string[] {
  return metrics.map((m) => tracks[m].name);
}
