/**
 * `variance_change`: the noise around the level grows by `factor` over the span (an unstable dependency, a noisy
 * neighbour); the level itself stays.
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
} from "./_common.ts";

/** Parameters of `variance_change`. */
export const VarianceChangeParams = z.strictObject({
  /** @default length [30, 180] points, one metric */
  ...baseShape({ length: [30, 180] }),
  /** Factor on the standard deviation of the noise. @default [3, 6] */
  factor: range([3, 6], { min: 0 }).describe("Factor on the standard deviation of the noise"),
  /** Points of linear ramp-in. @default [0, 5] */
  ramp_in: range([0, 5], { int: true, min: 0 }).describe("Points of linear ramp-in"),
});
/** Parameters of `variance_change`. */
export type VarianceChangeParams = z.infer<typeof VarianceChangeParams>;

/** Scales the noise (clean value minus expected level) by `factor` over the span. */
export const varianceChange: AnomalyType<typeof VarianceChangeParams> = {
  name: "variance_change",
  description: "noise standard deviation multiplied by a factor over the span",
  params: VarianceChangeParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, { params: p, tracks: tracks });
    const length = drawIntIn(rng, p.length);
    return { length, metrics, draw: { factor: drawIn(rng, p.factor), ramp_in: drawIntIn(rng, p.ramp_in) } };
  },
  apply(ctx, e) {
    const factor = e.draw.factor as number;
    const [rampIn] = fitRamps(e.length, { rampIn: e.draw.ramp_in as number, rampOut: 0 });
    const effects: Realized = {};
    let clipped = 0;
    for (const m of e.metrics) {
      const track = ctx.tracks[m];
      const stats = localStats(ctx, { track, start: e.start });
      for (let k = 0; k < e.length; k++) {
        const i = e.start + k;
        const noise = track.clean[i] - track.expected[i];
        const w = envelope(k, { length: e.length, rampIn, rampOut: 0 });
        clipped += setBounded(track, { i, value: track.values[i] + w * (factor - 1) * noise });
      }
      effects[track.name] = { local_std: round6(stats.std) };
    }
    return { factor: round6(factor), ramp_in: rampIn, effects, clipped };
  },
};
