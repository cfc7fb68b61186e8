/**
 * `memory_leak`: a convex ramp from the local level toward the metric's ceiling (a leak filling the heap, a disk
 * filling up) over the span; the process restart (or cleanup) after it brings the level back. On a bounded metric
 * it climbs a `target` share of the headroom; on an unbounded one `magnitude` local standard deviations.
 * The incidents generator uses it for leaks and filling disks.
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
  range,
  type Realized,
  round6,
  setBounded,
} from "./_common.ts";

/** Parameters of `memory_leak`. */
export const MemoryLeakParams = z.strictObject({
  /** @default length [12, 120] points, one metric */
  ...baseShape({ length: [12, 120] }),
  /** Share of the headroom (local level to ceiling) climbed by the end, for bounded metrics. @default [0.8, 0.97] */
  target: range([0.8, 0.97], { min: 0, max: 1 }).describe(
    "Share of the headroom (local level to ceiling) climbed by the end, for bounded metrics",
  ),
  /** Rise by the end in local standard deviations, for unbounded metrics. @default [5, 10] */
  magnitude: range([5, 10], { min: 0 }).describe("Rise by the end in local standard deviations, for unbounded metrics"),
  /** Exponent of the ramp (1 linear, above 1 accelerating). @default [1, 1.8] */
  curvature: range([1, 1.8], { min: 0.2, max: 5 }).describe("Exponent of the ramp (1 linear, above 1 accelerating)"),
});
/** Parameters of `memory_leak`. */
export type MemoryLeakParams = z.infer<typeof MemoryLeakParams>;

/** An accelerating climb toward the ceiling over the span. */
export const memoryLeak: AnomalyType<typeof MemoryLeakParams> = {
  name: "memory_leak",
  description: "convex ramp toward the metric's ceiling (leak, filling disk), reset after the span",
  params: MemoryLeakParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, { params: p, tracks: tracks });
    return {
      length: drawIntIn(rng, p.length),
      metrics,
      draw: { target: drawIn(rng, p.target), magnitude: drawIn(rng, p.magnitude), curvature: drawIn(rng, p.curvature) },
    };
  },
  apply(ctx, e) {
    const d = e.draw as Record<string, number>;
    const effects: Realized = {};
    let clipped = 0;
    for (const m of e.metrics) {
      const track = ctx.tracks[m];
      const stats = localStats(ctx, { track, start: e.start });
      const bounded = Number.isFinite(track.upper);
      const rise = bounded ? Math.max(0, track.upper - stats.mean) * d.target : d.magnitude * stats.std;
      for (let k = 0; k < e.length; k++) {
        const i = e.start + k;
        const w = Math.pow((k + 1) / e.length, d.curvature);
        // Noise shrinks as the value nears the ceiling: a full disk does not wobble by its usual amount.
        const v = track.values[i];
        const noise = v - track.expected[i];
        const level = stats.mean + w * rise;
        clipped += setBounded(track, { i, value: level + noise * (1 - w * 0.8) });
      }
      effects[track.name] = { rise: round6(rise), local_std: round6(stats.std), sigmas: round6(rise / stats.std) };
    }
    return { target: round6(d.target), curvature: round6(d.curvature), effects, clipped };
  },
};
