/**
 * `missing`: a gap in the data (a scrape or pipeline outage): the values are missing (null in the output) and the
 * points are labeled. Affects every metric by default, as a whole scrape fails.
 * @module
 */
import { z } from "zod";
import { type AnomalyType, baseShape, chooseMetrics, drawIntIn, namesOf } from "./_common.ts";

/** Parameters of `missing`. */
export const MissingParams = z.strictObject({
  /** @default length [5, 60] points, all metrics */
  ...baseShape({ length: [5, 60], all_metrics: 1 }),
});
/** Parameters of `missing`. */
export type MissingParams = z.infer<typeof MissingParams>;

/** Removes the values over the span. */
export const missing: AnomalyType<typeof MissingParams> = {
  name: "missing",
  description: "gap in the data: values missing (null) over the span",
  params: MissingParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, { params: p, tracks: tracks });
    return { length: drawIntIn(rng, p.length), metrics, draw: {} };
  },
  apply(ctx, e) {
    for (const m of e.metrics) ctx.tracks[m].values.fill(NaN, e.start, e.start + e.length);
    return { missing_metrics: namesOf(ctx.tracks, e.metrics) };
  },
};
