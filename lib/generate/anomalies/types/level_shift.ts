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
  drawIntIn,
  envelope,
  fitRamps,
  localStats,
  MagnitudeUnit,
  moveBy,
  range,
  type Realized,
  round6,
  signFor,
  toUnits,
} from "./_common.ts";

/** Parameters of `level_shift`. */
export const LevelShiftParams = z.strictObject({
  /** @default length [30, 180] points (ramps included), one metric */
  ...baseShape({ length: [30, 180] }),
  /** Size of the shift, in `unit`s. @default [4, 8] */
  magnitude: range([4, 8], { min: 0 }).describe("Size of the shift, in `unit`s"),
  /** `sigma`: local standard deviations; `relative`: fraction of the local mean. @default "sigma" */
  unit: MagnitudeUnit.default("sigma").describe(
    "`sigma`: local standard deviations; `relative`: fraction of the local mean",
  ),
  /** The largest share of a value a downward move removes, so values never reach zero. @default 0.9 */
  max_drop: z.number().gt(0).max(1).default(0.9).describe(
    "The largest share of a value a downward move removes, so values never reach zero",
  ),
  /** Probability the shift goes up (error rates always go up: a fall from near zero is no anomaly). @default 0.7 */
  up_prob: z.number().min(0).max(1).default(0.7).describe(
    "Probability the shift goes up (error rates always go up: a fall from near zero is no anomaly)",
  ),
  /** Points of linear ramp-in (creeping start). @default [0, 10] */
  ramp_in: range([0, 10], { int: true, min: 0 }).describe("Points of linear ramp-in (creeping start)"),
  /** Probability the level returns within the span; otherwise it stays shifted, unlabeled, after it. @default 0.5 */
  recovery: z.number().min(0).max(1).default(0.5).describe(
    "Probability the level returns within the span; otherwise it stays shifted, unlabeled, after it",
  ),
  /** Points of linear ramp-out when it recovers. @default [0, 10] */
  ramp_out: range([0, 10], { int: true, min: 0 }).describe("Points of linear ramp-out when it recovers"),
});
/** Parameters of `level_shift`. */
export type LevelShiftParams = z.infer<typeof LevelShiftParams>;

/** A shift of the level over the span, with or without recovery. */
export const levelShift: AnomalyType<typeof LevelShiftParams> = {
  name: "level_shift",
  description: "level moves by a step (optional ramp-in), recovering within the span or staying shifted",
  params: LevelShiftParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, { params: p, tracks: tracks });
    const length = drawIntIn(rng, p.length);
    const magnitude = drawIn(rng, p.magnitude);
    const up = rng.bernoulli(p.up_prob);
    const rampIn = drawIntIn(rng, p.ramp_in);
    const recovery = rng.bernoulli(p.recovery);
    const rampOut = drawIntIn(rng, p.ramp_out);
    return {
      length,
      metrics,
      draw: {
        magnitude,
        unit: p.unit,
        direction: up ? "up" : "down",
        ramp_in: rampIn,
        recovery,
        ramp_out: rampOut,
        max_drop: p.max_drop,
      },
    };
  },
  apply(ctx, e) {
    const maxDrop = e.draw.max_drop as number;
    const recovery = e.draw.recovery as boolean;
    const [rampIn, rampOut] = fitRamps(e.length, {
      rampIn: e.draw.ramp_in as number,
      rampOut: recovery ? e.draw.ramp_out as number : 0,
    });
    const effects: Realized = {};
    let clipped = 0;
    for (const m of e.metrics) {
      const track = ctx.tracks[m];
      const stats = localStats(ctx, { track, start: e.start });
      const delta = signFor(track, e.draw.direction) *
        toUnits(e.draw.magnitude as number, e.draw.unit as MagnitudeUnit, stats);
      for (let k = 0; k < e.length; k++) {
        const i = e.start + k;
        clipped += moveBy(track, {
          i,
          delta: delta * envelope(k, { length: e.length, rampIn, rampOut }),
          maxDrop,
        });
      }
      if (!recovery) {
        for (let i = e.start + e.length; i < ctx.points; i++) clipped += moveBy(track, { i, delta, maxDrop });
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
