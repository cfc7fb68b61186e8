/**
 * `thundering_herd`: every client arrives at once (a cache expiry, a push notification, reconnects after a blip):
 * a sudden surge that decays with damped retry waves. Throughput rises by a factor, latency by a factor, the error
 * rate by percentage points, other metrics by local standard deviations.
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

/** Parameters of `thundering_herd`. */
export const ThunderingHerdParams = z.strictObject({
  /** @default length [4, 48] points, every chosen metric */
  ...baseShape({ length: [4, 48], all_metrics: 1 }),
  /** Rise of generic metrics at the peak, in local standard deviations. @default [6, 12] */
  magnitude: range([6, 12], { min: 0 }).describe("Rise of generic metrics at the peak, in local standard deviations"),
  /** Factor on throughput and latency at the peak. @default [2.5, 6] */
  factor: range([2.5, 6], { min: 1 }).describe("Factor on throughput and latency at the peak"),
  /** Percentage points added to an error rate at the peak. @default [5, 30] */
  error_add_pct: range([5, 30], { min: 0, max: 100 }).describe("Percentage points added to an error rate at the peak"),
  /** Decay time of the surge, as a share of the span. @default [0.2, 0.5] */
  decay: range([0.2, 0.5], { min: 0.01, max: 5 }).describe("Decay time of the surge, as a share of the span"),
  /** Retry waves over the span. @default [1, 4] */
  waves: range([1, 4], { int: true, min: 0 }).describe("Retry waves over the span"),
});
/** Parameters of `thundering_herd`. */
export type ThunderingHerdParams = z.infer<typeof ThunderingHerdParams>;

/**
 * The weight of the surge at offset `k` of `length`: sudden peak, decay, damped retry waves, never zero.
 * @param k offset from the start
 * @param surge `length`: the labeled length; `decay`: decay time as a share of it; `waves`: retry waves over it
 * @returns the weight
 */
export function herdWeight(
  k: number,
  { length, decay, waves }: { length: number; decay: number; waves: number },
): number {
  const x = k / Math.max(1, length);
  const wave = waves > 0 ? 0.35 * Math.cos(2 * Math.PI * waves * x) : 0;
  return Math.max(0.08, Math.exp(-x / decay) * (1 + wave));
}

/** A sudden surge decaying in waves. */
export const thunderingHerd: AnomalyType<typeof ThunderingHerdParams> = {
  name: "thundering_herd",
  description: "sudden synchronized surge that decays with damped retry waves",
  params: ThunderingHerdParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, { params: p, tracks: tracks });
    return {
      length: drawIntIn(rng, p.length),
      metrics,
      draw: {
        magnitude: drawIn(rng, p.magnitude),
        factor: drawIn(rng, p.factor),
        error_add_pct: drawIn(rng, p.error_add_pct),
        decay: drawIn(rng, p.decay),
        waves: drawIntIn(rng, p.waves),
      },
    };
  },
  apply(ctx, e) {
    const d = e.draw as Record<string, number>;
    const effects: Realized = {};
    let clipped = 0;
    for (const m of e.metrics) {
      const track = ctx.tracks[m];
      const stats = localStats(ctx, { track, start: e.start });
      let peak = 0;
      for (let k = 0; k < e.length; k++) {
        const i = e.start + k;
        const w = herdWeight(k, { length: e.length, decay: d.decay, waves: d.waves });
        const v = track.values[i];
        const next = track.kind === "latency" || track.kind === "throughput"
          ? v * (1 + w * (d.factor - 1))
          : track.kind === "errors"
          ? v + w * d.error_add_pct
          : v + w * d.magnitude * stats.std;
        if (Math.abs(next - v) > Math.abs(peak)) peak = next - v;
        clipped += setBounded(track, { i, value: next });
      }
      effects[track.name] = { role: track.kind, peak_change: round6(peak), local_std: round6(stats.std) };
    }
    return {
      factor: round6(d.factor),
      magnitude: round6(d.magnitude),
      decay: round6(d.decay),
      waves: d.waves,
      effects,
      clipped,
    };
  },
};
