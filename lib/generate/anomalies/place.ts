/**
 * Where the anomalies of one series go: how many, which types, how long, and non-overlapping positions with at
 * least `min_gap` normal points between them. Exact, not rejection sampling: the free points (slack) are split at
 * random among the gaps, so placement never fails once {@linkcode checkFit} has passed.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { type AnomaliesConfig, type EnabledType, placementRange } from "./config.ts";
import { ANOMALY_TYPES, type AnomalyTypeName, type Placed, type Track } from "./types/mod.ts";

/** A placed anomaly with its type. */
export interface PlacedAnomaly extends Placed {
  /** The type name. */
  type: AnomalyTypeName;
  /** The length drawn before shortening to fit; equals `length` when nothing was shortened. */
  drawnLength: number;
}

/**
 * Shortens lengths, never below their minimums, until their sum is `budget`; the cut is shared in proportion to
 * what each can give, the remainder one point at a time from the first.
 * @param lengths the drawn lengths (edited in place)
 * @param fit `mins`: the minimum of each; `budget`: the total to reach
 */
export function shrinkToFit(lengths: number[], { mins, budget }: { mins: readonly number[]; budget: number }): void {
  let excess = lengths.reduce((a, b) => a + b, 0) - budget;
  if (excess <= 0) return;
  const give = lengths.map((l, i) => l - mins[i]);
  const total = give.reduce((a, b) => a + b, 0);
  if (total < excess) {
    throw new RangeError(`Cannot shrink anomalies to ${budget} points: their minimums need ${budget + excess - total}`);
  }
  const cuts = give.map((g) => Math.floor(excess * g / total));
  for (let i = 0; i < lengths.length; i++) {
    lengths[i] -= cuts[i];
    excess -= cuts[i];
  }
  for (let i = 0; excess > 0; i = (i + 1) % lengths.length) {
    if (lengths[i] > mins[i]) {
      lengths[i]--;
      excess--;
    }
  }
}

/**
 * Draws and places the anomalies of one anomalous series.
 * @param rng the series stream
 * @param series `config`: the resolved config; `types`: the enabled types; `tracks`: the series metrics (types
 *   choose among them)
 * @returns the anomalies in time order, non-overlapping, `min_gap` apart, inside {@linkcode placementRange}
 */
export function placeAnomalies(
  rng: Rng,
  { config, types, tracks }: { config: AnomaliesConfig; types: readonly EnabledType[]; tracks: readonly Track[] },
): PlacedAnomaly[] {
  const [fewest, most] = config.anomalies_per_series;
  const n = rng.int(fewest, most);
  const weights = types.map((t) => t.weight);
  const drafts = [];
  for (let k = 0; k < n; k++) {
    const t = types[rng.weightedIndex(weights)];
    const draft = ANOMALY_TYPES[t.name].draw(rng, t.params as never, tracks);
    drafts.push({ ...draft, type: t.name, drawnLength: draft.length, min: t.params.length[0] });
  }
  const [lo, hi] = placementRange(config);
  const budget = hi - lo - (n - 1) * config.min_gap;
  const lengths = drafts.map((d) => d.length);
  shrinkToFit(lengths, { mins: drafts.map((d) => d.min), budget });
  const slack = budget - lengths.reduce((a, b) => a + b, 0);
  const offsets = Array.from({ length: n }, () => rng.int(0, slack)).sort((a, b) => a - b);
  const out: PlacedAnomaly[] = [];
  let used = lo;
  for (let k = 0; k < n; k++) {
    const { min: _min, ...d } = drafts[k];
    out.push({ ...d, length: lengths[k], start: used + offsets[k] });
    used += lengths[k] + config.min_gap;
  }
  return out;
}
