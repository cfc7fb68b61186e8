/**
 * `level_shift`: the level moves by `magnitude` (after an optional creeping ramp-in) and either recovers within
 * the labeled span (ramp-out) or stays shifted to the end of the series. The label covers the transition and the
 * configured span only, never the rest of the series.
 * @module
 */
import { z } from "zod";
import {
  type AnomalyType,
  baseShape,
  chooseMetrics,
  drawIn,
  envelope,
  fitRamps,
  localStats,
  MagnitudeUnit,
  range,
  type Realized,
  round6,
  setBounded,
  toUnits,
} from "./_common.ts";

/** Parameters of `level_shift`. */
export const LevelShiftParams = z.strictObject({
  /** @default length [30, 180] points (ramps included), one metric */
  ...baseShape({ length: [30, 180] }),
  /** Size of the shift, in `unit`s. @default [4, 8] */
  magnitude: range([4, 8], { min: 0 }),
  /** `sigma`: local standard deviations; `relative`: fraction of the local mean. @default "sigma" */
  unit: MagnitudeUnit.default("sigma"),
  /** Probability the shift goes up. @default 0.7 */
  up_prob: z.number().min(0).max(1).default(0.7),
  /** Points of linear ramp-in (creeping start). @default [0, 10] */
  ramp_in: range([0, 10], { int: true, min: 0 }),
  /** Probability the level returns within the span; otherwise it stays shifted, unlabeled, after it. @default 0.5 */
  recovery: z.number().min(0).max(1).default(0.5),
  /** Points of linear ramp-out when it recovers. @default [0, 10] */
  ramp_out: range([0, 10], { int: true, min: 0 }),
});
/** Parameters of `level_shift`. */
export type LevelShiftParams = z.infer<typeof LevelShiftParams>;

/** A shift of the level over the span, with or without recovery. */
export const levelShift: AnomalyType<typeof LevelShiftParams> = {
  name: "level_shift",
  description: "level moves by a step (optional ramp-in), recovering within the span or staying shifted",
  params: LevelShiftParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, p, tracks);
    const length = drawIn(rng, p.length, true);
    const magnitude = drawIn(rng, p.magnitude);
    const up = rng.bernoulli(p.up_prob);
    const rampIn = drawIn(rng, p.ramp_in, true);
    const recovery = rng.bernoulli(p.recovery);
    const rampOut = drawIn(rng, p.ramp_out, true);
    return {
      length,
      metrics,
      draw: { magnitude, unit: p.unit, direction: up ? "up" : "down", ramp_in: rampIn, recovery, ramp_out: rampOut },
    };
  },
  apply(ctx, e) {
    const sign = e.draw.direction === "up" ? 1 : -1;
    const recovery = e.draw.recovery as boolean;
    const [rampIn, rampOut] = fitRamps(e.length, e.draw.ramp_in as number, recovery ? e.draw.ramp_out as number : 0);
    const effects: Realized = {};
    let clipped = 0;
    for (const m of e.metrics) {
      const track = ctx.tracks[m];
      const stats = localStats(ctx, track, e.start);
      const delta = sign * toUnits(e.draw.magnitude as number, e.draw.unit as MagnitudeUnit, stats);
      for (let k = 0; k < e.length; k++) {
        const i = e.start + k;
        clipped += setBounded(track, i, track.values[i] + delta * envelope(k, e.length, rampIn, rampOut));
      }
      if (!recovery) {
        for (let i = e.start + e.length; i < ctx.points; i++) clipped += setBounded(track, i, track.values[i] + delta);
      }
      effects[track.name] = { delta: round6(delta), local_std: round6(stats.std), sigmas: round6(delta / stats.std) };
    }
    return {
      magnitude: round6(e.draw.magnitude as number),
      unit: e.draw.unit,
      direction: e.draw.direction,
      ramp_in: rampIn,
      recovery,
      ramp_out: rampOut,
      persists_after_span: !recovery,
      effects,
      clipped,
    };
  },
};
