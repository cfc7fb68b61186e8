/**
 * `dip`: a short drop below the local level, e.g. a throughput hole while a load balancer drains a node. Error
 * rates are left out by default (a drop from a near-zero rate is not visible).
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

/** Parameters of `dip`. */
export const DipParams = z.strictObject({
  /** @default length [1, 3] points, one metric (latency or throughput) */
  ...baseShape({ length: [1, 3] }),
  /** Depth, in `unit`s. @default [5, 10] */
  magnitude: range([5, 10], { min: 0 }).describe("Depth, in `unit`s"),
  /** `sigma`: local standard deviations; `relative`: fraction of the local mean. @default "sigma" */
  unit: MagnitudeUnit.default("sigma").describe(
    "`sigma`: local standard deviations; `relative`: fraction of the local mean",
  ),
  /** The largest share of a value a dip removes, so a dip never drives a value to zero or below. @default 0.9 */
  max_drop: z.number().gt(0).max(1).default(0.9).describe(
    "The largest share of a value a dip removes, so a dip never drives a value to zero or below",
  ),
});
/** Parameters of `dip`. */
export type DipParams = z.infer<typeof DipParams>;

/** A short fall of `magnitude` (at most `max_drop` of the value) on every labeled point. */
export const dip: AnomalyType<typeof DipParams> = {
  name: "dip",
  description: "short drop below the local level (1-3 points by default)",
  params: DipParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, { params: p, tracks: tracks, allowKind: (kind) => kind !== "errors" });
    return {
      length: drawIntIn(rng, p.length),
      metrics,
      draw: { magnitude: drawIn(rng, p.magnitude), unit: p.unit, max_drop: p.max_drop },
    };
  },
  apply(ctx, e) {
    const magnitude = e.draw.magnitude as number;
    const unit = e.draw.unit as MagnitudeUnit;
    const maxDrop = e.draw.max_drop as number;
    const effects: Realized = {};
    let clipped = 0;
    for (const m of e.metrics) {
      const track = ctx.tracks[m];
      const stats = localStats(ctx, { track, start: e.start });
      const delta = toUnits(magnitude, unit, stats);
      let applied = Infinity;
      for (let i = e.start; i < e.start + e.length; i++) {
        const v = track.values[i];
        const drop = Math.min(delta, maxDrop * Math.abs(v - track.lower));
        applied = Math.min(applied, drop);
        clipped += setBounded(track, { i, value: v - drop });
      }
      effects[track.name] = {
        delta: round6(-delta),
        applied_min: round6(-applied),
        local_std: round6(stats.std),
        sigmas: round6(-applied / stats.std),
      };
    }
    return { magnitude: round6(magnitude), unit, effects, clipped };
  },
};
