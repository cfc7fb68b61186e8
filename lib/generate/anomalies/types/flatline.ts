/**
 * `flatline`: a stuck value (a frozen exporter, a cached gauge): the metric repeats the last value seen before the
 * span for the whole span.
 * @module
 */
import { z } from "zod";
import { type AnomalyType, baseShape, chooseMetrics, drawIntIn, type Realized, round6 } from "./_common.ts";

/** Parameters of `flatline`. */
export const FlatlineParams = z.strictObject({
  /** @default length [20, 120] points, one metric (all of them with probability 0.3) */
  ...baseShape({ length: [20, 120], all_metrics: 0.3 }),
});
/** Parameters of `flatline`. */
export type FlatlineParams = z.infer<typeof FlatlineParams>;

/** Holds the last value before the span. */
export const flatline: AnomalyType<typeof FlatlineParams> = {
  name: "flatline",
  description: "stuck value: the last value before the span repeats over it",
  params: FlatlineParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, { params: p, tracks: tracks });
    return { length: drawIntIn(rng, p.length), metrics, draw: {} };
  },
  apply(ctx, e) {
    const effects: Realized = {};
    for (const m of e.metrics) {
      const track = ctx.tracks[m];
      // The last value seen before the span; a series starting with a gap or the very first point uses the
      // span's own first value (or the expected level when that is missing too).
      let stuck = NaN;
      for (let i = e.start - 1; i >= 0 && Number.isNaN(stuck); i--) stuck = track.values[i];
      if (Number.isNaN(stuck)) stuck = track.values[e.start];
      if (Number.isNaN(stuck)) stuck = track.expected[e.start];
      track.values.fill(stuck, e.start, e.start + e.length);
      effects[track.name] = { value: round6(stuck) };
    }
    return { effects };
  },
};
