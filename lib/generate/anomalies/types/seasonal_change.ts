/**
 * `seasonal_change`: the daily pattern changes over the span, either its amplitude (the daily swing grows or
 * flattens) or its period (the cycle runs faster or slower, as when a batch schedule changes). Affects every
 * metric by default, as the load that carries the seasonality drives them all.
 * @module
 */
import { z } from "zod";
import {
  type AnomalyType,
  baseShape,
  chooseMetrics,
  drawIn,
  drawIntIn,
  envelope,
  fitRamps,
  localStats,
  range,
  type Realized,
  round6,
  setBounded,
  type Track,
} from "./_common.ts";

/** Parameters of `seasonal_change`. */
export const SeasonalChangeParams = z.strictObject({
  /** @default length [120, 360] points, all metrics */
  ...baseShape({ length: [120, 360], all_metrics: 1 }),
  /** Probability of a period change rather than an amplitude change. @default 0.5 */
  period_prob: z.number().min(0).max(1).default(0.5).describe(
    "Probability of a period change rather than an amplitude change",
  ),
  /** Amplitude factor (drawn `x`, used as `x` or `1/x`). @default [2, 4] */
  amplitude: range([2, 4], { min: 1 }).describe("Amplitude factor (drawn `x`, used as `x` or `1/x`)"),
  /** Period factor (drawn `x`, used as `x` or `1/x`). @default [2, 4] */
  period: range([2, 4], { min: 1 }).describe("Period factor (drawn `x`, used as `x` or `1/x`)"),
  /** Probability the factor is inverted (a flatter swing, a slower cycle). @default 0.5 */
  invert_prob: z.number().min(0).max(1).default(0.5).describe(
    "Probability the factor is inverted (a flatter swing, a slower cycle)",
  ),
  /** Points of linear ramp-in and ramp-out, so the change blends in and out. @default [10, 30] */
  ramp: range([10, 30], { int: true, min: 0 }).describe(
    "Points of linear ramp-in and ramp-out, so the change blends in and out",
  ),
});
/** Parameters of `seasonal_change`. */
export type SeasonalChangeParams = z.infer<typeof SeasonalChangeParams>;

/** The seasonal part of a track at a fractional position, wrapped by whole periods into the series. */
function seasonalAt(track: Track, x: number, period: number): number {
  const n = track.seasonal.length;
  if (n >= period) {
    while (x > n - 1) x -= period;
    while (x < 0) x += period;
  }
  x = Math.min(Math.max(x, 0), n - 1);
  const i = Math.floor(x);
  const f = x - i;
  return i + 1 < n ? track.seasonal[i] * (1 - f) + track.seasonal[i + 1] * f : track.seasonal[i];
}

/** Rescales the seasonal part (amplitude mode) or replays it time-warped (period mode) over the span. */
export const seasonalChange: AnomalyType<typeof SeasonalChangeParams> = {
  name: "seasonal_change",
  description: "daily pattern changes amplitude or period over the span",
  params: SeasonalChangeParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, { params: p, tracks: tracks });
    const length = drawIntIn(rng, p.length);
    const mode = rng.bernoulli(p.period_prob) ? "period" : "amplitude";
    const x = drawIn(rng, mode === "period" ? p.period : p.amplitude);
    const factor = rng.bernoulli(p.invert_prob) ? 1 / x : x;
    return { length, metrics, draw: { mode, factor, ramp: drawIntIn(rng, p.ramp) } };
  },
  apply(ctx, e) {
    const mode = e.draw.mode as string;
    const factor = e.draw.factor as number;
    const half = Math.floor((e.draw.ramp as number) / 2);
    const [rampIn, rampOut] = fitRamps(e.length, { rampIn: half, rampOut: half });
    const effects: Realized = {};
    let clipped = 0;
    const changed: number[] = [];
    for (const m of e.metrics) {
      const track = ctx.tracks[m];
      const stats = localStats(ctx, { track, start: e.start });
      const change = new Float64Array(e.length);
      let peak = 0;
      for (let k = 0; k < e.length; k++) {
        const i = e.start + k;
        const c = mode === "amplitude"
          ? (factor - 1) * track.seasonal[i]
          : seasonalAt(track, e.start + k * factor, ctx.period) - track.seasonal[i];
        change[k] = envelope(k, { length: e.length, rampIn, rampOut }) * c;
        if (Math.abs(change[k]) > Math.abs(peak)) peak = change[k];
      }
      // A metric without seasonality here (an error rate flat at its base) is left alone and unlabeled.
      if (Math.abs(peak) <= 1e-9 * Math.max(1, Math.abs(stats.mean))) continue;
      changed.push(m);
      for (let k = 0; k < e.length; k++) {
        clipped += setBounded(track, { i: e.start + k, value: track.values[e.start + k] + change[k] });
      }
      effects[track.name] = {
        peak_change: round6(peak),
        local_std: round6(stats.std),
        peak_sigmas: round6(peak / stats.std),
      };
    }
    // Labels follow the metrics that changed (at least one: load, and so throughput, always has a daily cycle).
    if (changed.length > 0) e.metrics = changed;
    return { mode, factor: round6(factor), ramp_in: rampIn, ramp_out: rampOut, effects, clipped };
  },
};
