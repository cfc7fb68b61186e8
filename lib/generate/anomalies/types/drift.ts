/**
 * `drift`: the level creeps linearly away over the span (a memory leak, a filling queue) by `magnitude` at its end,
 * then resets (a restart) or stays where it got to, unlabeled, after the span.
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
  moveBy,
  range,
  type Realized,
  round6,
  signFor,
  toUnits,
} from "./_common.ts";

/** Parameters of `drift`. */
export const DriftParams = z.strictObject({
  /** @default length [60, 240] points, one metric */
  ...baseShape({ length: [60, 240] }),
  /** Change reached at the end of the span, in `unit`s. @default [5, 10] */
  magnitude: range([5, 10], { min: 0 }).describe("Change reached at the end of the span, in `unit`s"),
  /** `sigma`: local standard deviations; `relative`: fraction of the local mean. @default "sigma" */
  unit: MagnitudeUnit.default("sigma").describe(
    "`sigma`: local standard deviations; `relative`: fraction of the local mean",
  ),
  /** The largest share of a value a downward move removes, so values never reach zero. @default 0.9 */
  max_drop: z.number().gt(0).max(1).default(0.9).describe(
    "The largest share of a value a downward move removes, so values never reach zero",
  ),
  /** Probability the drift goes up (error rates always go up). @default 0.8 */
  up_prob: z.number().min(0).max(1).default(0.8).describe("Probability the drift goes up (error rates always go up)"),
  /** Probability the level resets after the span; otherwise it stays drifted. @default 0.7 */
  recovery: z.number().min(0).max(1).default(0.7).describe(
    "Probability the level resets after the span; otherwise it stays drifted",
  ),
});
/** Parameters of `drift`. */
export type DriftParams = z.infer<typeof DriftParams>;

/** A linear creep over the span. */
export const drift: AnomalyType<typeof DriftParams> = {
  name: "drift",
  description: "gradual linear drift over the span, then a reset or a lasting offset",
  params: DriftParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, { params: p, tracks: tracks });
    const length = drawIntIn(rng, p.length);
    const magnitude = drawIn(rng, p.magnitude);
    const up = rng.bernoulli(p.up_prob);
    const recovery = rng.bernoulli(p.recovery);
    return {
      length,
      metrics,
      draw: { magnitude, unit: p.unit, direction: up ? "up" : "down", recovery, max_drop: p.max_drop },
    };
  },
  apply(ctx, e) {
    const maxDrop = e.draw.max_drop as number;
    const recovery = e.draw.recovery as boolean;
    const effects: Realized = {};
    let clipped = 0;
    for (const m of e.metrics) {
      const track = ctx.tracks[m];
      const stats = localStats(ctx, { track, start: e.start });
      const delta = signFor(track, e.draw.direction) *
        toUnits(e.draw.magnitude as number, e.draw.unit as MagnitudeUnit, stats);
      for (let k = 0; k < e.length; k++) {
        const i = e.start + k;
        clipped += moveBy(track, { i, delta: delta * (k + 1) / e.length, maxDrop });
      }
      if (!recovery) {
        for (let i = e.start + e.length; i < ctx.points; i++) clipped += moveBy(track, { i, delta, maxDrop });
      }
      effects[track.name] = {
        delta_at_end: round6(delta),
        local_std: round6(stats.std),
        sigmas_at_end: round6(delta / stats.std),
      };
    }
    return {
      magnitude: round6(e.draw.magnitude as number),
      unit: e.draw.unit,
      direction: e.draw.direction,
      recovery,
      persists_after_span: !recovery,
      effects,
      clipped,
    };
  },
};
