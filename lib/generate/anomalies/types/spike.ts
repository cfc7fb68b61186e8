/**
 * `spike`: a short burst above the local level on one metric (or several), e.g. a latency blip from a slow
 * dependency call or a burst of errors.
 * @module
 */
import { z } from "zod";
import {
  type AnomalyType,
  baseShape,
  chooseMetrics,
  drawIn,
  drawIntIn,
  localStats,
  MagnitudeUnit,
  range,
  type Realized,
  round6,
  setBounded,
  toUnits,
} from "./_common.ts";

/** Parameters of `spike`. */
export const SpikeParams = z.strictObject({
  /** @default length [1, 3] points, one metric */
  ...baseShape({ length: [1, 3] }),
  /** Height, in `unit`s. @default [5, 10] */
  magnitude: range([5, 10], { min: 0 }).describe("Height, in `unit`s"),
  /** `sigma`: local standard deviations; `relative`: fraction of the local mean. @default "sigma" */
  unit: MagnitudeUnit.default("sigma").describe(
    "`sigma`: local standard deviations; `relative`: fraction of the local mean",
  ),
});
/** Parameters of `spike`. */
export type SpikeParams = z.infer<typeof SpikeParams>;

/** A short rise of `magnitude` on every labeled point. */
export const spike: AnomalyType<typeof SpikeParams> = {
  name: "spike",
  description: "short burst above the local level (1-3 points by default)",
  params: SpikeParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, { params: p, tracks: tracks });
    return {
      length: drawIntIn(rng, p.length),
      metrics,
      draw: { magnitude: drawIn(rng, p.magnitude), unit: p.unit },
    };
  },
  apply(ctx, e) {
    const magnitude = e.draw.magnitude as number;
    const unit = e.draw.unit as MagnitudeUnit;
    const effects: Realized = {};
    let clipped = 0;
    for (const m of e.metrics) {
      const track = ctx.tracks[m];
      const stats = localStats(ctx, { track, start: e.start });
      const delta = toUnits(magnitude, unit, stats);
      for (let i = e.start; i < e.start + e.length; i++) {
        clipped += setBounded(track, { i, value: track.values[i] + delta });
      }
      effects[track.name] = { delta: round6(delta), local_std: round6(stats.std), sigmas: round6(delta / stats.std) };
    }
    return { magnitude: round6(magnitude), unit, effects, clipped };
  },
};
