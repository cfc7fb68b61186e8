/**
 * `gc_sawtooth`: garbage-collector pressure. Memory-like metrics (names with `mem` or `heap`) climb linearly through
 * each cycle and drop at its end (a full collection); other metrics (CPU, latency) spike at each drop (the pause).
 *
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

/** Parameters of `gc_sawtooth`. */
export const GcSawtoothParams = z.strictObject({
  /** @default length [12, 96] points, every chosen metric */
  ...baseShape({ length: [12, 96], all_metrics: 1 }),
  /** Points per collection cycle. @default [3, 8] */
  period: range([3, 8], { int: true, min: 2 }).describe("Points per collection cycle"),
  /** Height of a memory tooth, in local standard deviations. @default [4, 8] */
  magnitude: range([4, 8], { min: 0 }).describe("Height of a memory tooth, in local standard deviations"),
  /** Height of a pause spike on other metrics, in local standard deviations. @default [3, 6] */
  pause: range([3, 6], { min: 0 }).describe("Height of a pause spike on other metrics, in local standard deviations"),
});
/** Parameters of `gc_sawtooth`. */
export type GcSawtoothParams = z.infer<typeof GcSawtoothParams>;

/** A sawtooth on memory and pause spikes elsewhere. */
export const gcSawtooth: AnomalyType<typeof GcSawtoothParams> = {
  name: "gc_sawtooth",
  description: "GC pressure: memory sawtooth (climb, drop at each collection), CPU or latency spikes at the drops",
  params: GcSawtoothParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, { params: p, tracks: tracks });
    return {
      length: drawIntIn(rng, p.length),
      metrics,
      draw: { period: drawIntIn(rng, p.period), magnitude: drawIn(rng, p.magnitude), pause: drawIn(rng, p.pause) },
    };
  },
  apply(ctx, e) {
    const d = e.draw as Record<string, number>;
    const period = Math.max(2, Math.min(d.period, e.length));
    const effects: Realized = {};
    let clipped = 0;
    for (const m of e.metrics) {
      const track = ctx.tracks[m];
      const stats = localStats(ctx, { track, start: e.start });
      const memory = /mem|heap/i.test(track.name);
      const height = (memory ? d.magnitude : d.pause) * stats.std;
      for (let k = 0; k < e.length; k++) {
        const i = e.start + k;
        const phase = k % period;
        // Memory: a floor of half a tooth plus the climb; others: a small load plus the pause at each drop.
        const w = memory ? 0.5 + (phase + 1) / period : phase === period - 1 ? 1 : 0.25;
        clipped += setBounded(track, { i, value: track.values[i] + w * height });
      }
      effects[track.name] = {
        role: memory ? "sawtooth" : "pause_spikes",
        height: round6(height),
        local_std: round6(stats.std),
        sigmas: round6(height / stats.std),
      };
    }
    return { period, magnitude: round6(d.magnitude), pause: round6(d.pause), effects, clipped };
  },
};
