/**
 * `incident`: a multi-metric outage where the metrics move together as in a real one: latency up by a factor,
 * error rate up by percentage points, throughput down by a share; a metric of no known role (an injected dataset's
 * `cpu_p95`) rises by `magnitude` local standard deviations. Ramps in and out.
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
  range,
  type Realized,
  round6,
  setBounded,
} from "./_common.ts";

/**
 * The factor on an incident's added error rate at a point whose own noise is `z` standard deviations.
 * @param z the standardized noise, within [-3, 3]
 * @returns a factor in [0.25, 1.75]
 */
export function errorNoise(z: number): number {
  return 1 + 0.25 * z;
}

/** Parameters of `incident`. */
export const IncidentParams = z.strictObject({
  /** @default length [15, 120] points, all metrics */
  ...baseShape({ length: [15, 120], all_metrics: 1 }),
  /** Factor on latency at full strength. @default [2, 5] */
  latency_factor: range([2, 5], { min: 1 }).describe("Factor on latency at full strength"),
  /** Percentage points added to the error rate at full strength. @default [5, 40] */
  error_add_pct: range([5, 40], { min: 0, max: 100 }).describe(
    "Percentage points added to the error rate at full strength",
  ),
  /** Share of throughput lost at full strength. @default [0.3, 0.9] */
  throughput_drop: range([0.3, 0.9], { min: 0, max: 1 }).describe("Share of throughput lost at full strength"),
  /** Rise of metrics of no known role, in local standard deviations. @default [4, 8] */
  magnitude: range([4, 8], { min: 0 }).describe("Rise of metrics of no known role, in local standard deviations"),
  /** Points of linear ramp-in. @default [0, 10] */
  ramp_in: range([0, 10], { int: true, min: 0 }).describe("Points of linear ramp-in"),
  /** Points of linear ramp-out. @default [0, 5] */
  ramp_out: range([0, 5], { int: true, min: 0 }).describe("Points of linear ramp-out"),
});
/** Parameters of `incident`. */
export type IncidentParams = z.infer<typeof IncidentParams>;

/** Latency up, errors up, throughput down together over the span. */
export const incident: AnomalyType<typeof IncidentParams> = {
  name: "incident",
  description: "multi-metric outage: latency up, error rate up, throughput down together",
  params: IncidentParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, { params: p, tracks: tracks });
    const length = drawIntIn(rng, p.length);
    return {
      length,
      metrics,
      draw: {
        latency_factor: drawIn(rng, p.latency_factor),
        error_add_pct: drawIn(rng, p.error_add_pct),
        throughput_drop: drawIn(rng, p.throughput_drop),
        magnitude: drawIn(rng, p.magnitude),
        ramp_in: drawIntIn(rng, p.ramp_in),
        ramp_out: drawIntIn(rng, p.ramp_out),
      },
    };
  },
  apply(ctx, e) {
    const d = e.draw as Record<string, number>;
    const [rampIn, rampOut] = fitRamps(e.length, { rampIn: d.ramp_in, rampOut: d.ramp_out });
    const effects: Realized = {};
    let clipped = 0;
    for (const m of e.metrics) {
      const track = ctx.tracks[m];
      const stats = localStats(ctx, { track, start: e.start });
      let peak = 0;
      for (let k = 0; k < e.length; k++) {
        const i = e.start + k;
        const w = envelope(k, { length: e.length, rampIn, rampOut });
        const v = track.values[i];
        let next: number;
        switch (track.kind) {
          case "latency":
            next = v * (1 + w * (d.latency_factor - 1));
            break;
          case "errors": {
            // Failed requests are counted, so the added rate is as noisy as the metric's own: its standardized
            // noise (clean minus expected level, in local standard deviations) scales the addition by +-25%.
            const z = Math.max(-3, Math.min(3, (track.clean[i] - track.expected[i]) / stats.std));
            next = v + w * d.error_add_pct * errorNoise(z);
            break;
          }
          case "throughput":
            next = v * (1 - w * d.throughput_drop);
            break;
          default:
            next = v + w * d.magnitude * stats.std;
        }
        if (Math.abs(next - v) > Math.abs(peak)) peak = next - v;
        clipped += setBounded(track, { i, value: next });
      }
      effects[track.name] = {
        role: track.kind,
        peak_change: round6(peak),
        local_std: round6(stats.std),
        peak_sigmas: round6(peak / stats.std),
      };
    }
    return {
      latency_factor: round6(d.latency_factor),
      error_add_pct: round6(d.error_add_pct),
      throughput_drop: round6(d.throughput_drop),
      magnitude: round6(d.magnitude),
      ramp_in: rampIn,
      ramp_out: rampOut,
      effects,
      clipped,
    };
  },
};
