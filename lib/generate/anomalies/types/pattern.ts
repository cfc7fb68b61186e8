/**
 * `pattern`: the shape of the signal changes: a regular waveform (square, sawtooth, triangle or sine) rides on
 * the level over the span, as a retry storm, a cron job or a GC cycle draws one.
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

/** The waveforms of `pattern`. */
export const PatternShape = z.enum(["square", "sawtooth", "triangle", "sine"]);
/** The waveforms of `pattern`. */
export type PatternShape = z.infer<typeof PatternShape>;

/** Parameters of `pattern`. */
export const PatternParams = z.strictObject({
  /** @default length [30, 120] points, one metric */
  ...baseShape({ length: [30, 120] }),
  /** Amplitude (half the peak-to-peak height), in `unit`s. @default [3, 6] */
  magnitude: range([3, 6], { min: 0 }).describe("Amplitude (half the peak-to-peak height), in `unit`s"),
  /** `sigma`: local standard deviations; `relative`: fraction of the local mean. @default "sigma" */
  unit: MagnitudeUnit.default("sigma").describe(
    "`sigma`: local standard deviations; `relative`: fraction of the local mean",
  ),
  /** Waveforms to choose from. @default all four */
  shapes: z.array(PatternShape).min(1).default(["square", "sawtooth", "triangle", "sine"]).describe(
    "Waveforms to choose from",
  ),
  /** Period of the waveform, in points. @default [4, 20] */
  period: range([4, 20], { int: true, min: 2 }).describe("Period of the waveform, in points"),
});
/** Parameters of `pattern`. */
export type PatternParams = z.infer<typeof PatternParams>;

/**
 * A zero-mean waveform of amplitude 1.
 * @param shape the waveform
 * @param phase position in the cycle, in [0, 1)
 * @returns a value in [-1, 1]
 */
export function wave(shape: PatternShape, phase: number): number {
  switch (shape) {
    case "square":
      return phase < 0.5 ? 1 : -1;
    case "sawtooth":
      return 2 * phase - 1;
    case "triangle":
      return phase < 0.5 ? 4 * phase - 1 : 3 - 4 * phase;
    case "sine":
      return Math.sin(2 * Math.PI * phase);
  }
}

/** Adds a periodic waveform over the span. */
export const pattern: AnomalyType<typeof PatternParams> = {
  name: "pattern",
  description: "shape anomaly: a square, sawtooth, triangle or sine wave rides on the level",
  params: PatternParams,
  draw(rng, p, tracks) {
    const metrics = chooseMetrics(rng, { params: p, tracks: tracks });
    const length = drawIntIn(rng, p.length);
    const magnitude = drawIn(rng, p.magnitude);
    const shape = rng.pick(p.shapes);
    const period = drawIntIn(rng, p.period);
    return { length, metrics, draw: { magnitude, unit: p.unit, shape, period, phase: rng.next() } };
  },
  apply(ctx, e) {
    const shape = e.draw.shape as PatternShape;
    const period = e.draw.period as number;
    const phase0 = e.draw.phase as number;
    const effects: Realized = {};
    let clipped = 0;
    for (const m of e.metrics) {
      const track = ctx.tracks[m];
      const stats = localStats(ctx, { track, start: e.start });
      const amp = toUnits(e.draw.magnitude as number, e.draw.unit as MagnitudeUnit, stats);
      for (let k = 0; k < e.length; k++) {
        const i = e.start + k;
        // Sampled mid-step, so every waveform sums to zero over a whole period.
        const phase = (phase0 + (k + 0.5) / period) % 1;
        clipped += setBounded(track, { i, value: track.values[i] + amp * wave(shape, phase) });
      }
      effects[track.name] = { amplitude: round6(amp), local_std: round6(stats.std), sigmas: round6(amp / stats.std) };
    }
    return {
      magnitude: round6(e.draw.magnitude as number),
      unit: e.draw.unit,
      shape,
      period,
      phase: round6(phase0),
      effects,
      clipped,
    };
  },
};
