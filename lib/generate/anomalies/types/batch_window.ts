/**
 * `batch_window`: bursts of batch work at a fixed cadence (backups, ETL, report runs): every `period` points a
 * window of `width` points at `magnitude` local standard deviations above the level, with a slight lift in
 * between. The whole regime is labeled.
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

/** Parameters of `batch_window`. */
export const BatchWindowParams = z.strictObject({
  /** @default length [6, 72] points, every chosen metric */
  ...baseShape({ length: [6, 72], all_metrics: 1 }),
  /** Points from one burst to the next. @default [3, 12] */
  period: range([3, 12], { int: true, min: 1 }).describe("Points from one burst to the next"),
  /** Points a burst lasts. @default [1, 2] */
  width: range([1, 2], { int: true, min: 1 }).describe("Points a burst lasts"),
  /** Height of a burst, in local standard deviations. @default [4, 8] */
  magnitude: range([4, 8], { min: 0 }).describe("Height of a burst, in local standard deviations"),
  /** Lift between bursts, as a share of the burst height. @default [0.1, 0.25] */
  floor: range([0.1, 0.25], { min: 0, max: 1 }).describe("Lift between bursts, as a share of the burst height"),
});
/** Parameters of `batch_window`. */
export type BatchWindowParams = z.infer<typeof BatchWindowParams>;

/** Periodic rectangular bursts. */
export const batchWindow: AnomalyType<typeof BatchWindowParams> = {
  name: "batch_window",
  description: "periodic rectangular bursts of batch work with a slight lift in between",
  params: BatchWindowParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, { params: p, tracks: tracks });
    return {
      length: drawIntIn(rng, p.length),
      metrics,
      draw: {
        period: drawIntIn(rng, p.period),
        width: drawIntIn(rng, p.width),
        magnitude: drawIn(rng, p.magnitude),
        floor: drawIn(rng, p.floor),
      },
    };
  },
  apply(ctx, e) {
    const d = e.draw as Record<string, number>;
    const period = Math.max(1, d.period);
    const width = Math.min(d.width, period);
    const effects: Realized = {};
    let clipped = 0;
    for (const m of e.metrics) {
      const track = ctx.tracks[m];
      const stats = localStats(ctx, { track, start: e.start });
      const height = d.magnitude * stats.std;
      for (let k = 0; k < e.length; k++) {
        const i = e.start + k;
        const w = k % period < width ? 1 : d.floor;
        clipped += setBounded(track, { i, value: track.values[i] + w * height });
      }
      effects[track.name] = { height: round6(height), local_std: round6(stats.std), sigmas: round6(d.magnitude) };
    }
    return { period, width, magnitude: round6(d.magnitude), floor: round6(d.floor), effects, clipped };
  },
};
